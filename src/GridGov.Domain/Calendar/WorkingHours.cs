using GridGov.Domain.Common;

namespace GridGov.Domain.Calendar;

/// <summary>
/// The daily working periods of the office (China Standard Time wall clock), the same on every working day.
/// </summary>
/// <remarks>
/// <see cref="Standard"/> is 08:30–12:00 and 13:30–17:30 (7.5 hours a day): the usual office hours of a
/// street office (街道办事处) and its grid-management center, with a midday break.
/// </remarks>
public sealed class WorkingHours
{
    /// <summary>08:30–12:00 and 13:30–17:30: 7.5 working hours a day.</summary>
    public static WorkingHours Standard { get; } = new(
    [
        new WorkingPeriod(new TimeOnly(8, 30), new TimeOnly(12, 0)),
        new WorkingPeriod(new TimeOnly(13, 30), new TimeOnly(17, 30)),
    ]);

    /// <param name="periods">At least one period; they are sorted by start and must not overlap (touching is allowed).</param>
    public WorkingHours(IEnumerable<WorkingPeriod> periods)
    {
        ArgumentNullException.ThrowIfNull(periods);
        var sorted = periods.OrderBy(p => p.Start).ToArray();
        if (sorted.Length == 0)
        {
            throw new DomainException("working-hours.empty", "每天至少需要一个工作时段");
        }
        for (var i = 1; i < sorted.Length; i++)
        {
            if (sorted[i].Start < sorted[i - 1].End)
            {
                throw new DomainException("working-hours.overlap", $"工作时段{sorted[i - 1]}与{sorted[i]}重叠") { Arguments = [sorted[i - 1].ToString(), sorted[i].ToString()] };
            }
        }
        Periods = sorted;
        PerDay = sorted.Aggregate(TimeSpan.Zero, (sum, p) => sum + p.Duration);
    }

    /// <summary>The working periods of a day, in order.</summary>
    public IReadOnlyList<WorkingPeriod> Periods { get; }

    /// <summary>The working time of one full working day (7.5 h for <see cref="Standard"/>).</summary>
    public TimeSpan PerDay { get; }

    /// <summary>The working time of one full working day in hours (7.5 for <see cref="Standard"/>).</summary>
    public double HoursPerDay => PerDay.TotalHours;

    public override string ToString() => string.Join("、", Periods);
}
