using GridGov.Application.Evaluation;
using GridGov.Domain.Evaluation;
using GridGov.Domain.Organisation;

namespace GridGov.Application.Tests.Evaluation;

/// <summary>Competition ranks (1, 2, 2, 4) and grades of a month's scores, in the order shown.</summary>
public sealed class EvaluationScoringTests
{
    [Fact]
    public void Equal_scores_share_a_rank_and_the_next_score_ranks_after_all_of_them()
    {
        // Every figure k out of 10 (missed reports the other way round): a score of 10 k.
        var workers = new[] { (1, "甲", 8), (2, "乙", 9), (3, "丙", 7), (4, "丁", 8), (5, "戊", 8) }
            .Select(w => Worker(w.Item1, w.Item2, w.Item3))
            .Append(Worker(6, "己", null))
            .ToList();

        var scored = EvaluationScoring.Workers(workers, ScoringRules.Default);

        Assert.Equal(["乙", "丁", "戊", "甲", "丙", "己"], scored.Select(w => w.Name));
        Assert.Equal<int?>([1, 2, 2, 2, 5, null], scored.Select(w => w.Score?.Rank));
        Assert.Equal<decimal?>([90m, 80m, 80m, 80m, 70m, null], scored.Select(w => w.Score?.Value));
        Assert.Equal(["A", "B", "B", "B", "C"], scored.Take(5).Select(w => w.Score!.Grade.ToString()));
    }

    private static WorkerResult Worker(int id, string name, int? tenths)
    {
        var good = tenths is { } k ? new Ratio(k, 10) : Ratio.Zero;
        var missed = tenths is { } m ? new Ratio(10 - m, 10) : Ratio.Zero;
        return new WorkerResult(id, name, StaffRole.GridWorker, 1, ["G1"], good, good, good, good, missed, good,
            HasQuota: true, HouseholdsVisited: 0, Visits: 0, OverdueHouseholds: 0, FullCoverageDays: 0, Reports: 0, Score: null);
    }
}
