using GridGov.Domain.Evaluation;

namespace GridGov.Application.Evaluation;

/// <summary>Scores, grades and ranks of a period's subjects (a month, or a quarter or year summed from its months).</summary>
public static class EvaluationScoring
{
    /// <summary>Grid workers scored with <see cref="ScoringRules.Worker"/>, best first.</summary>
    public static IReadOnlyList<WorkerResult> Workers(IEnumerable<WorkerResult> workers, ScoringRules rules) =>
        Ranked(workers.Select(w => (Result: w, Score: ScoringRules.Score(rules.Worker, figure => RateOf(w, figure)))).ToList(),
                rules.Grades, (w, score) => w with { Score = score })
            .OrderBy(w => w.Score?.Rank ?? int.MaxValue).ThenBy(w => w.Name, StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// Departments scored with <see cref="ScoringRules.Department"/>, best first; local handling (no department id) is
    /// neither scored nor ranked and comes last.
    /// </summary>
    public static IReadOnlyList<DepartmentResult> Departments(IEnumerable<DepartmentResult> departments, ScoringRules rules)
    {
        var all = departments.ToList();
        var ranked = Ranked(all.Where(d => d.DepartmentId is not null)
                .Select(d => (Result: d with { Score = null }, Score: ScoringRules.Score(rules.Department, f => RateOf(d, f)))).ToList(),
            rules.Grades, (d, score) => d with { Score = score });
        return [.. ranked.OrderBy(d => d.Score?.Rank ?? int.MaxValue).ThenBy(d => d.DepartmentId), .. all.Where(d => d.DepartmentId is null)];
    }

    public static double? RateOf(WorkerResult worker, string figure) => RatioOf(worker, figure)?.Value;

    public static double? RateOf(DepartmentResult department, string figure) => RatioOf(department, figure)?.Value;

    /// <summary>A worker's figure by its key; null for a key that is not a worker's rate.</summary>
    public static Ratio? RatioOf(WorkerResult worker, string figure) => figure switch
    {
        EvaluationFigures.TimelyDiscovery => worker.TimelyDiscovery,
        EvaluationFigures.AccurateDiscovery => worker.AccurateDiscovery,
        EvaluationFigures.DiscoveryCoverage => worker.DiscoveryCoverage,
        EvaluationFigures.TimelyVerification => worker.TimelyVerification,
        EvaluationFigures.MissedReports => worker.MissedReports,
        EvaluationFigures.FiveMustOnTime => worker.FiveMustOnTime,
        _ => null,
    };

    /// <summary>A department's figure by its key; null for a key that is not a department's rate.</summary>
    public static Ratio? RatioOf(DepartmentResult department, string figure) => figure switch
    {
        EvaluationFigures.OnTimeClosure => department.OnTimeClosure,
        EvaluationFigures.Closure => department.Closure,
        EvaluationFigures.Rework => department.Rework,
        EvaluationFigures.Return => department.Return,
        EvaluationFigures.WhistleOnTime => department.WhistleOnTime,
        _ => null,
    };

    /// <summary>Grades and competition ranks (1, 2, 2, 4) by score; subjects without a score keep none.</summary>
    private static List<T> Ranked<T>(List<(T Result, decimal? Score)> scored, GradeBounds grades, Func<T, Score, T> with)
    {
        // A score's rank is one more than the number of higher scores: its first place in the descending order.
        var rankOf = new Dictionary<decimal, int>();
        var place = 0;
        foreach (var value in scored.Where(s => s.Score is not null).Select(s => s.Score!.Value).OrderByDescending(s => s))
        {
            place++;
            rankOf.TryAdd(value, place);
        }
        return scored.Select(s => s.Score is { } value
                ? with(s.Result, new Score(value, grades.GradeOf(value), rankOf[value]))
                : s.Result)
            .ToList();
    }
}
