using GridGov.Application.Visits;
using GridGov.Domain.Evaluation;

namespace GridGov.Application.Evaluation;

public enum EvaluationPeriodKind
{
    Month,
    Quarter,
    Year,
}

/// <summary>A month, a quarter or a year of the China calendar, as the months it is made of.</summary>
public sealed record EvaluationPeriod(EvaluationPeriodKind Kind, int Year, int Number)
{
    /// <summary>The period of this kind that contains <paramref name="month"/> (Number: the month, the quarter, or the year).</summary>
    public static EvaluationPeriod Containing(EvaluationPeriodKind kind, DateOnly month) => kind switch
    {
        EvaluationPeriodKind.Quarter => new(kind, month.Year, (month.Month - 1) / 3 + 1),
        EvaluationPeriodKind.Year => new(kind, month.Year, month.Year),
        _ => new(kind, month.Year, month.Month),
    };

    public IReadOnlyList<DateOnly> Months => Kind switch
    {
        EvaluationPeriodKind.Quarter => Enumerable.Range(0, 3).Select(i => new DateOnly(Year, (Number - 1) * 3 + 1 + i, 1)).ToList(),
        EvaluationPeriodKind.Year => Enumerable.Range(1, 12).Select(m => new DateOnly(Year, m, 1)).ToList(),
        _ => [new DateOnly(Year, Number, 1)],
    };

    public override string ToString() => Kind switch
    {
        EvaluationPeriodKind.Quarter => $"{Year}-Q{Number}",
        EvaluationPeriodKind.Year => $"{Year}",
        _ => ChinaMonths.Format(new DateOnly(Year, Number, 1)),
    };
}

/// <summary>Quarterly and yearly roll-ups (季度、年度汇总) from monthly results: sums of numerators, denominators and counts.</summary>
public static class EvaluationRollUp
{
    public static EvaluationResults Combine(DateOnly first, IReadOnlyList<EvaluationResults> months, ScoringRules rules)
    {
        var workers = months.SelectMany(m => m.Workers).GroupBy(w => w.StaffMemberId).Select(g =>
        {
            var last = g.Last();
            return last with
            {
                GridCodes = g.SelectMany(w => w.GridCodes).Distinct(StringComparer.Ordinal).ToList(),
                TimelyDiscovery = Sum(g, w => w.TimelyDiscovery),
                AccurateDiscovery = Sum(g, w => w.AccurateDiscovery),
                DiscoveryCoverage = Sum(g, w => w.DiscoveryCoverage),
                TimelyVerification = Sum(g, w => w.TimelyVerification),
                MissedReports = Sum(g, w => w.MissedReports),
                FiveMustOnTime = Sum(g, w => w.FiveMustOnTime),
                HasQuota = g.Any(w => w.HasQuota),
                HouseholdsVisited = g.Sum(w => w.HouseholdsVisited),
                Visits = g.Sum(w => w.Visits),
                OverdueHouseholds = last.OverdueHouseholds, // a state at the period's end, not a flow
                FullCoverageDays = g.Sum(w => w.FullCoverageDays),
                Reports = g.Sum(w => w.Reports),
                Score = null,
            };
        });
        var departments = months.SelectMany(m => m.Departments).GroupBy(d => d.DepartmentId ?? 0).Select(g => g.Last() with
        {
            OnTimeClosure = Sum(g, d => d.OnTimeClosure),
            Closure = Sum(g, d => d.Closure),
            Rework = Sum(g, d => d.Rework),
            Return = Sum(g, d => d.Return),
            WhistleOnTime = Sum(g, d => d.WhistleOnTime),
            WhistleMedianMinutes = null,
            Supervised = g.Sum(d => d.Supervised),
            ExtensionsRequested = g.Sum(d => d.ExtensionsRequested),
            ExtensionsApproved = g.Sum(d => d.ExtensionsApproved),
            Dissatisfied = g.Sum(d => d.Dissatisfied),
            Reopened = g.Sum(d => d.Reopened),
            Score = null,
        });
        var dispatchers = months.SelectMany(m => m.Dispatchers).GroupBy(d => d.StaffMemberId).Select(g => g.Last() with
        {
            OnTimeDispatch = Sum(g, d => d.OnTimeDispatch),
            AccurateDispatch = Sum(g, d => d.AccurateDispatch),
            OnTimeRegistration = Sum(g, d => d.OnTimeRegistration),
            AccurateRegistration = Sum(g, d => d.AccurateRegistration),
        }).OrderBy(d => d.Role).ThenBy(d => d.Name, StringComparer.Ordinal).ToList();
        // Areas keep the last month's order (street, communities, grids); open and overdue are the period's end.
        var areaOrder = months[^1].Areas.Select(a => (a.Level, a.Key)).ToList();
        var areas = months.SelectMany(m => m.Areas).GroupBy(a => (a.Level, a.Key)).Select(g =>
        {
            var last = g.Last();
            return last with
            {
                Reported = g.Sum(a => a.Reported),
                Registered = g.Sum(a => a.Registered),
                BySource = MonthlyEvaluationCalculator.Counts(g.SelectMany(a => a.BySource).Select(c => (c.Key, c.Name, c.Count))),
                ByCategory = MonthlyEvaluationCalculator.Counts(g.SelectMany(a => a.ByCategory).Select(c => (c.Key, c.Name, c.Count))),
                OnTimeClosure = Sum(g, a => a.OnTimeClosure),
                Closure = Sum(g, a => a.Closure),
                HouseholdsVisited = g.Sum(a => a.HouseholdsVisited),
                Visits = g.Sum(a => a.Visits),
                QuotaMet = Sum(g, a => a.QuotaMet),
                FullCoverageDays = g.Sum(a => a.FullCoverageDays),
                HazardsFixed = Sum(g, a => a.HazardsFixed),
            };
        }).OrderBy(a => areaOrder.IndexOf((a.Level, a.Key)) is var i and >= 0 ? i : int.MaxValue).ToList();
        return new EvaluationResults(first, months[^1].AsOf, EvaluationScoring.Workers(workers, rules), EvaluationScoring.Departments(departments, rules),
            dispatchers, areas);
    }

    private static Ratio Sum<T>(IEnumerable<T> items, Func<T, Ratio> ratio) => items.Aggregate(Ratio.Zero, (sum, item) => sum + ratio(item));
}
