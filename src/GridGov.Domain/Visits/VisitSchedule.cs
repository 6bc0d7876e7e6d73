using GridGov.Domain.Ledgers;

namespace GridGov.Domain.Visits;

/// <summary>三必访: how often a household must be visited.</summary>
public enum VisitFrequency
{
    Yearly,     // ordinary households
    Quarterly,  // hardship, disabled, temporary residents, unemployed, key assistance
    Monthly,    // elderly living alone
}

/// <summary>
/// The must-visit rules (三必访), from the residents' group tags and population kinds, so a tag change
/// changes the schedule. A household is due once per calendar period (month, quarter, year, China time)
/// and overdue when its period has passed without a visit.
/// </summary>
public static class VisitSchedule
{
    public static readonly IReadOnlySet<ResidentGroup> QuarterlyGroups = new HashSet<ResidentGroup>
    {
        ResidentGroup.Hardship,
        ResidentGroup.SubsistenceAllowance,
        ResidentGroup.Disabled,
        ResidentGroup.Unemployed,
        ResidentGroup.KeyAssistance,
    };

    /// <summary>Tags that make a household monthly: elderly living alone.</summary>
    public static readonly IReadOnlySet<ResidentGroup> MonthlyGroups = new HashSet<ResidentGroup> { ResidentGroup.ElderlyLivingAlone };

    /// <summary>Population kinds that make a household quarterly: temporary residents (暂住).</summary>
    public static readonly IReadOnlySet<PopulationKind> QuarterlyPopulationKinds = new HashSet<PopulationKind> { PopulationKind.Temporary };

    public static VisitFrequency FrequencyFor(IEnumerable<(IReadOnlyCollection<ResidentGroup> Groups, PopulationKind Kind)> members)
    {
        var list = members.ToList();
        return FrequencyFor(
            list.Any(m => IsMonthlyMember(m.Groups)),
            list.Any(m => IsQuarterlyMember(m.Groups, m.Kind)));
    }

    /// <summary>The frequency when it is known whether any member is monthly or quarterly (for set-based queries).</summary>
    public static VisitFrequency FrequencyFor(bool anyMonthlyMember, bool anyQuarterlyMember) =>
        anyMonthlyMember ? VisitFrequency.Monthly
        : anyQuarterlyMember ? VisitFrequency.Quarterly
        : VisitFrequency.Yearly;

    public static bool IsMonthlyMember(IEnumerable<ResidentGroup> groups) => groups.Any(MonthlyGroups.Contains);

    public static bool IsQuarterlyMember(IEnumerable<ResidentGroup> groups, PopulationKind kind) =>
        QuarterlyPopulationKinds.Contains(kind) || groups.Any(QuarterlyGroups.Contains);

    /// <summary>The first day of the period containing <paramref name="day"/>.</summary>
    public static DateOnly PeriodStart(VisitFrequency frequency, DateOnly day) => frequency switch
    {
        VisitFrequency.Monthly => new DateOnly(day.Year, day.Month, 1),
        VisitFrequency.Quarterly => new DateOnly(day.Year, ((day.Month - 1) / 3 * 3) + 1, 1),
        _ => new DateOnly(day.Year, 1, 1),
    };

    /// <summary>The first day after the period containing <paramref name="day"/>.</summary>
    public static DateOnly PeriodEnd(VisitFrequency frequency, DateOnly day) => frequency switch
    {
        VisitFrequency.Monthly => PeriodStart(frequency, day).AddMonths(1),
        VisitFrequency.Quarterly => PeriodStart(frequency, day).AddMonths(3),
        _ => PeriodStart(frequency, day).AddYears(1),
    };

    /// <summary>The last day of the period containing <paramref name="day"/> (the day a visit is due by).</summary>
    public static DateOnly PeriodLastDay(VisitFrequency frequency, DateOnly day) => PeriodEnd(frequency, day).AddDays(-1);

    /// <summary>
    /// When the next visit is due, as the last day it may happen on: the end of the current period if the
    /// household has not been visited in it yet, otherwise the end of the next period. Overdue when the
    /// previous period ended unvisited (a household never visited is overdue). All days are China dates.
    /// </summary>
    public static (DateOnly NextDue, bool Overdue) Status(VisitFrequency frequency, DateOnly? lastVisit, DateOnly today)
    {
        var currentStart = PeriodStart(frequency, today);
        var currentEnd = PeriodEnd(frequency, today);
        if (lastVisit is { } last && last >= currentStart)
        {
            return (PeriodLastDay(frequency, currentEnd), false);
        }
        var overdue = lastVisit is not { } visited || visited < OverdueUnlessVisitedSince(frequency, today);
        return (currentEnd.AddDays(-1), overdue);
    }

    /// <summary>
    /// The day from which a visit keeps a household off the overdue list on <paramref name="today"/>: the start of the
    /// previous period. A household with no visit on or after it is overdue (the rule of <see cref="Status"/>, as one
    /// date per frequency, so that a query can count overdue households without loading them).
    /// </summary>
    public static DateOnly OverdueUnlessVisitedSince(VisitFrequency frequency, DateOnly today) =>
        PeriodStart(frequency, PeriodStart(frequency, today).AddDays(-1));

    /// <summary>Whether the household has already had its visit in the period containing <paramref name="today"/>.</summary>
    public static bool VisitedThisPeriod(VisitFrequency frequency, DateOnly? lastVisit, DateOnly today) =>
        lastVisit is { } last && last >= PeriodStart(frequency, today) && last <= today;
}

public static class VisitFrequencies
{
    public static string ChineseName(this VisitFrequency frequency) => frequency switch
    {
        VisitFrequency.Monthly => "每月",
        VisitFrequency.Quarterly => "每季度",
        VisitFrequency.Yearly => "每年",
        _ => throw new ArgumentOutOfRangeException(nameof(frequency)),
    };
}
