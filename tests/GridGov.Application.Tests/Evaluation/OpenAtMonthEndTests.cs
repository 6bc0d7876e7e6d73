using GridGov.Application.Evaluation;
using GridGov.Application.Tests.Cases;
using GridGov.Domain.Evaluation;
using GridGov.TestSupport.GridGov;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Application.Tests.Evaluation;

/// <summary>
/// "Open at month end" counts the cases open at that moment, whatever became of them later: the evaluation finds them by
/// their state now, by their closure after the month (archived or voided) and by a rejection after it. June 2026 on a copy
/// of the demo street of its own (the demo's cases lie months later).
/// </summary>
public sealed class OpenAtMonthEndTests(EvaluationScenario scenario) : IClassFixture<EvaluationScenario>
{
    private static readonly DateOnly June = new(2026, 6, 1);

    [Fact]
    public async Task A_case_archived_or_rejected_after_the_month_counts_as_open_at_its_end_and_one_finished_inside_it_does_not()
    {
        var dispatcher = await scenario.ActorAsync("dispatcher1");
        var handler = await scenario.ActorAsync("handler1");
        var worker = await scenario.ActorAsync("worker1");
        var grid = await scenario.GridOfAsync("worker1");
        var department = handler.DepartmentId!.Value;
        var at = scenario.Clock;

        // T: reported, handled and archived inside June. S: rejected inside June. Neither is open at its end.
        at.Set(TestClock.China(2026, 6, 10, 9, 0));
        var t = await scenario.ReportAsync(grid);
        var s = await scenario.ReportAsync(grid);
        await scenario.DoAsync(w => w.RejectAsync(s.Id, dispatcher, "不属于网格事项"));
        await HandleAsync(t.Id, dispatcher, handler, worker, department);
        at.Set(TestClock.China(2026, 6, 11, 9, 0));
        await scenario.DoAsync(w => w.ArchiveAsync(t.Id, dispatcher));

        // P: handled and verified in June, archived on 2 July. Q: reported on 29 June, rejected on 1 July. Both open at June's end.
        at.Set(TestClock.China(2026, 6, 15, 10, 0));
        var p = await scenario.ReportAsync(grid);
        await HandleAsync(p.Id, dispatcher, handler, worker, department);
        at.Set(TestClock.China(2026, 6, 29, 10, 0));
        var q = await scenario.ReportAsync(grid);
        at.Set(TestClock.China(2026, 7, 1, 9, 0));
        await scenario.DoAsync(w => w.RejectAsync(q.Id, dispatcher, "已自行处理，不予立案"));
        at.Set(TestClock.China(2026, 7, 2, 9, 0));
        await scenario.DoAsync(w => w.ArchiveAsync(p.Id, dispatcher));

        at.Set(TestClock.China(2026, 7, 10, 10, 0));
        var leader = await scenario.ActorAsync("streetleader1");
        var june = await scenario.WithAsync(provider => provider.GetRequiredService<MonthlyEvaluationService>().MonthAsync(June, leader));
        var july = await scenario.WithAsync(provider => provider.GetRequiredService<MonthlyEvaluationService>().MonthAsync(June.AddMonths(1), leader));

        var juneGrid = june.Results.Areas.Single(a => a.Level == AreaLevel.Grid && a.Key == grid);
        Assert.Equal(4, juneGrid.Reported);
        Assert.Equal(2, juneGrid.OpenAtEnd);       // P (verified, not archived) and Q (waiting to be registered)
        Assert.Equal(2, juneGrid.Registered);      // T and P; S and Q were rejected
        var julyGrid = july.Results.Areas.SingleOrDefault(a => a.Level == AreaLevel.Grid && a.Key == grid);
        Assert.Equal(0, julyGrid?.OpenAtEnd ?? 0); // everything finished by 10 July
    }

    /// <summary>Registers, dispatches and accepts the case, then has it fed back and verified, all at the clock's moment.</summary>
    private async Task HandleAsync(int caseId, Domain.Cases.CaseActor dispatcher, Domain.Cases.CaseActor handler, Domain.Cases.CaseActor worker, int department)
    {
        await scenario.DoAsync(w => w.RegisterAsync(caseId, dispatcher, null, null));
        await scenario.DoAsync(w => w.DispatchAsync(caseId, dispatcher, department));
        await scenario.DoAsync(w => w.AcceptAsync(caseId, handler));
        await scenario.DoAsync(w => w.SubmitFeedbackAsync(caseId, handler, "已处理", [CaseScenario.Photo()]));
        await scenario.DoAsync(w => w.VerifyAsync(caseId, worker));
    }
}
