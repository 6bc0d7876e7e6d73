using GridGov.Application.Evaluation;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Notifications;
using GridGov.Infrastructure.Persistence;
using GridGov.TestSupport.GridGov;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Application.Tests.Cases;

/// <summary>回访 by the dispatcher, 不满意重办 within the window, and their counts for evaluation, on PostGIS.</summary>
public sealed class CaseSatisfactionFlowTests(CaseScenario scenario) : IClassFixture<CaseScenario>
{
    private static readonly DateOnly November = new(2026, 11, 1);
    private static readonly DateOnly December = new(2026, 12, 1);

    /// <summary>Dispatched to handler1's department, fed back, verified by leader1 and archived on Monday 2026-11-23.</summary>
    private async Task<(Case Case, CaseActor Dispatcher, CaseActor Handler)> ArchivedAsync()
    {
        scenario.Clock.Set(TestClock.China(2026, 11, 23, 9));
        var (@case, dispatcher, handler) = await scenario.DispatchedToHandler1Async();
        await scenario.DoAsync(s => s.AcceptAsync(@case.Id, handler));
        await scenario.DoAsync(s => s.SubmitFeedbackAsync(@case.Id, handler, "已清理", [CaseScenario.Photo()]));
        await scenario.DoAsync(async s => await s.VerifyAsync(@case.Id, await scenario.ActorAsync("leader1")));
        await scenario.DoAsync(s => s.ArchiveAsync(@case.Id, dispatcher));
        return (@case, dispatcher, handler);
    }

    private Task<DepartmentLoopFigures?> FiguresAsync(DateOnly month, int departmentId) => scenario.WithAsync(async p =>
        (await p.GetRequiredService<DepartmentLoopFiguresQuery>().ForMonthAsync(month)).SingleOrDefault(f => f.DepartmentId == departmentId));

    [Fact]
    public async Task A_dissatisfied_call_back_within_seven_days_reopens_the_archived_case_for_its_department_and_is_counted()
    {
        var (@case, dispatcher, handler) = await ArchivedAsync();
        var department = handler.DepartmentId!.Value;
        var before = await FiguresAsync(November, department);

        scenario.Clock.Set(TestClock.China(2026, 11, 27, 10));
        await scenario.DoAsync(s => s.RecordCallBackAsync(@case.Id, dispatcher, satisfied: false, SatisfactionChannel.PhoneCallBack, "垃圾又堆起来了"));

        var stored = await scenario.ReloadAsync(@case.Id);
        Assert.Equal(CaseState.InProgress, stored.State);
        Assert.Equal(department, stored.AssignedDepartmentId);
        Assert.Equal(1, stored.ReopenCount);
        Assert.Null(stored.ClosureType);
        Assert.NotNull(stored.CurrentDue);
        Assert.Equal([CaseAction.CallBack, CaseAction.Reopen], stored.History.OrderBy(h => h.Id).TakeLast(2).Select(h => h.Action));
        var answer = Assert.Single(stored.SatisfactionAnswers);
        Assert.Equal((false, SatisfactionChannel.PhoneCallBack, "垃圾又堆起来了", true), (answer.Satisfied, answer.Channel, answer.Comment, answer.Reopened));
        var after = await FiguresAsync(November, department);
        Assert.Equal((before?.Dissatisfied ?? 0) + 1, after!.Dissatisfied);
        Assert.Equal((before?.Reopened ?? 0) + 1, after.Reopened);
        var notified = await scenario.WithAsync(p => p.GetRequiredService<GridGovDbContext>().Notifications.AsNoTracking()
            .Where(n => n.CaseId == @case.Id && n.Kind == NotificationKind.Rework).Select(n => n.Body).ToListAsync());
        Assert.Contains(notified, body => body.Contains("案件重办"));
        // The next round: handled again, verified, and a new answer may be recorded.
        await scenario.DoAsync(s => s.SubmitFeedbackAsync(@case.Id, handler, "已彻底清理并加装围挡", [CaseScenario.Photo()]));
        await scenario.DoAsync(s => s.VerifyAsync(@case.Id, dispatcher));
        await scenario.DoAsync(s => s.RecordCallBackAsync(@case.Id, dispatcher, satisfied: true, SatisfactionChannel.ResidentAnswer));
        Assert.Equal(2, (await scenario.ReloadAsync(@case.Id)).SatisfactionAnswers.Count);
    }

    [Fact]
    public async Task A_dissatisfied_answer_after_the_window_is_counted_but_does_not_reopen()
    {
        var (@case, dispatcher, handler) = await ArchivedAsync();
        var department = handler.DepartmentId!.Value;
        var before = await FiguresAsync(December, department);

        scenario.Clock.Set(TestClock.China(2026, 12, 1, 10)); // eight days after the verification
        await scenario.DoAsync(s => s.RecordCallBackAsync(@case.Id, dispatcher, satisfied: false, SatisfactionChannel.PhoneCallBack));

        var stored = await scenario.ReloadAsync(@case.Id);
        Assert.Equal(CaseState.Archived, stored.State);
        Assert.Equal(0, stored.ReopenCount);
        Assert.False(stored.Satisfied);
        var after = await FiguresAsync(December, department);
        Assert.Equal((before?.Dissatisfied ?? 0) + 1, after!.Dissatisfied);
        Assert.Equal(before?.Reopened ?? 0, after.Reopened);
    }

    [Fact]
    public async Task A_call_back_by_someone_other_than_the_dispatcher_is_refused_and_records_nothing()
    {
        var (@case, _, _) = await ArchivedAsync();
        var leader = await scenario.ActorAsync("leader1");

        var exception = await Assert.ThrowsAsync<DomainException>(() =>
            scenario.DoAsync(s => s.RecordCallBackAsync(@case.Id, leader, satisfied: false, SatisfactionChannel.PhoneCallBack)));

        Assert.Equal("网格长无权执行“回访”", exception.Message);
        var stored = await scenario.ReloadAsync(@case.Id);
        Assert.Empty(stored.SatisfactionAnswers);
        Assert.Equal(CaseState.Archived, stored.State);
    }
}
