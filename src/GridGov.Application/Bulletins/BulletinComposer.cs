using GridGov.Application.Evaluation;
using GridGov.Domain.Cases;

namespace GridGov.Application.Bulletins;

/// <summary>
/// Turns a frozen month's evaluation (and last month's, for the changes) and the month's marked cases into a bulletin's
/// content. Every figure is the evaluation's own; nothing is counted again here.
/// </summary>
public static class BulletinComposer
{
    public static class Headlines
    {
        public const string Reported = "reported";
        public const string Registered = "registered";
        public const string Closure = "closure";
        public const string OnTimeClosure = "on-time-closure";
        public const string OpenAtEnd = "open-at-end";
        public const string OverdueAtEnd = "overdue-at-end";
        public const string Supervised = "supervised";
        public const string HazardsFound = "hazards-found";
        public const string HazardsFixed = "hazards-fixed";
        public const string HouseholdsVisited = "households-visited";
        public const string QuotaMet = "quota-met";
        public const string FullCoverageDays = "full-coverage-days";
    }

    /// <param name="previousSupervised">Last month's supervised cases (its list's total), when last month is frozen.</param>
    public static BulletinContent Compose(long snapshotId, EvaluationResults month, EvaluationResults? previous, IReadOnlyList<BulletinCaseRow> cases,
        int? previousSupervised, int listedWorkers, int listedGrids, int notableCases, DateTimeOffset generatedAt)
    {
        var street = StreetOf(month);
        var before = previous is null ? null : StreetOf(previous);
        var supervised = (int)(cases.FirstOrDefault()?.SupervisedTotal ?? 0);
        var headlines = new List<BulletinHeadline>
        {
            Count(Headlines.Reported, street.Reported, before?.Reported),
            Count(Headlines.Registered, street.Registered, before?.Registered),
            Rate(Headlines.Closure, street.Closure, before?.Closure),
            Rate(Headlines.OnTimeClosure, street.OnTimeClosure, before?.OnTimeClosure),
            Count(Headlines.OpenAtEnd, street.OpenAtEnd, before?.OpenAtEnd),
            Count(Headlines.OverdueAtEnd, street.OverdueAtEnd, before?.OverdueAtEnd),
            Count(Headlines.Supervised, supervised, previous is null ? null : previousSupervised ?? 0),
            Count(Headlines.HazardsFound, street.HazardsFixed.Denominator, before?.HazardsFixed.Denominator),
            Rate(Headlines.HazardsFixed, street.HazardsFixed, before?.HazardsFixed),
            Count(Headlines.HouseholdsVisited, street.HouseholdsVisited, before?.HouseholdsVisited),
            Rate(Headlines.QuotaMet, street.QuotaMet, before?.QuotaMet),
            Count(Headlines.FullCoverageDays, street.FullCoverageDays, before?.FullCoverageDays),
        };

        var scored = month.Workers.Where(w => w.Score is not null).OrderBy(w => w.Score!.Rank).ThenBy(w => w.Name, StringComparer.Ordinal).ToList();
        var communities = Ranked(month.Areas.Where(a => a.Level == AreaLevel.Community));
        var grids = Ranked(month.Areas.Where(a => a.Level == AreaLevel.Grid)).Where(g => g.Rank is not null).Take(listedGrids).ToList();

        return new BulletinContent(month.Month, month.AsOf, snapshotId, previous?.Month, generatedAt, headlines,
            scored.Count, scored.Take(listedWorkers).ToList(),
            month.Departments.Where(d => d.DepartmentId is not null).ToList(),
            communities, grids, street,
            List(cases.Where(c => c.OverdueRank is not null).OrderBy(c => c.OverdueRank), cases.FirstOrDefault()?.OverdueTotal),
            List(cases.Where(c => c.SupervisedRank is not null).OrderBy(c => c.SupervisedRank), cases.FirstOrDefault()?.SupervisedTotal),
            List(cases.Where(c => c.NotableRank <= notableCases).OrderBy(c => c.NotableRank), cases.FirstOrDefault()?.NotableTotal));
    }

    /// <summary>
    /// Communities and grids ranked by on-time closure (按期结案率), then closure (结案率); equal rates share a rank, and an
    /// area with nothing due in the month is not ranked and comes last.
    /// </summary>
    public static IReadOnlyList<BulletinArea> Ranked(IEnumerable<AreaResult> areas)
    {
        var all = areas.ToList();
        var due = all.Where(a => a.OnTimeClosure.Denominator > 0)
            .OrderByDescending(a => a.OnTimeClosure.Value).ThenByDescending(a => a.Closure.Value).ThenBy(a => a.Key, StringComparer.Ordinal)
            .ToList();
        var ranked = due.Select(a => new BulletinArea(
            due.FindIndex(o => o.OnTimeClosure.Value == a.OnTimeClosure.Value && o.Closure.Value == a.Closure.Value) + 1, a));
        return [.. ranked, .. all.Where(a => a.OnTimeClosure.Denominator == 0).OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => new BulletinArea(null, a))];
    }

    private static AreaResult StreetOf(EvaluationResults results) =>
        results.Areas.SingleOrDefault(a => a.Level == AreaLevel.Street)
        ?? new AreaResult(AreaLevel.Street, MonthlyEvaluationCalculator.StreetKey, "全街道", null, 0, 0, [], [], 0, 0, Ratio.Zero, Ratio.Zero, 0, 0, Ratio.Zero, 0, Ratio.Zero);

    private static BulletinHeadline Count(string key, int count, int? previous) => new(key, count, null, previous, null);

    private static BulletinHeadline Rate(string key, Ratio rate, Ratio? previous) => new(key, null, rate, null, previous);

    private static BulletinCaseList List(IEnumerable<BulletinCaseRow> rows, long? total) => new((int)(total ?? 0), rows.Select(Case).ToList());

    private static BulletinCase Case(BulletinCaseRow row)
    {
        var reasons = new (bool Marked, string Reason)[]
            {
                (row.Supervised, BulletinCaseReasons.Supervised), (row.Overdue, BulletinCaseReasons.Overdue), (row.Whistled, BulletinCaseReasons.Whistled),
                (row.Reworked, BulletinCaseReasons.Reworked), (row.Reopened, BulletinCaseReasons.Reopened), (row.Urgent, BulletinCaseReasons.Urgent),
            }
            .Where(r => r.Marked).Select(r => r.Reason).ToList();
        return new BulletinCase(row.CaseId, row.Number, row.Category, row.Community, row.Grid, row.Address, row.Department,
            Enum.Parse<CaseState>(row.StateAtEnd), row.ReportedAt, row.DueAtEnd, reasons, row.Points);
    }
}
