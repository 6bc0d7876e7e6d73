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

    public static VisitFrequency FrequencyFor(IEnumerable<(IReadOnlyCollection<ResidentGroup> Groups, PopulationKind Kind)> members)
    {
        var frequency = VisitFrequency.Yearly;
        foreach (var (groups, kind) in members)
        {
            if (groups.Contains(ResidentGroup.ElderlyLivingAlone))
            {
                return VisitFrequency.Monthly;
            }
            if (kind == PopulationKind.Temporary || groups.Any(QuarterlyGroups.Contains))
            {
                frequency = VisitFrequency.Quarterly;
            }
        }
        return frequency;
    }

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

    /// <summary>
    /// When the next visit is due: the end of the current period if the household has not been visited in
    /// it yet, otherwise the end of the next period. Overdue when the previous period ended unvisited.
    /// </summary>
    public static (DateOnly NextDue, bool Overdue) Status(VisitFrequency frequency, DateOnly? lastVisit, DateOnly today)
    {
        var currentStart = PeriodStart(frequency, today);
        var currentEnd = PeriodEnd(frequency, today);
        if (lastVisit is { } last && last >= currentStart)
        {
            return (PeriodEnd(frequency, currentEnd), false);
        }
        var previousStart = PeriodStart(frequency, currentStart.AddDays(-1));
        var overdue = lastVisit is not { } visited || visited < previousStart;
        return (currentEnd, overdue);
    }
}
