using GridGov.Application.Evaluation;
using GridGov.Application.Inbox;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Notifications;
using GridGov.Domain.Organisation;
using GridGov.Infrastructure.Persistence;
using GridGov.TestSupport.GridGov;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Application.Tests.Cases;

/// <summary>延期申请 and 未能按期说明 through the real workflow service, inbox and evaluation query, on PostGIS.</summary>
public sealed class CaseExtensionFlowTests(CaseScenario scenario) : IClassFixture<CaseScenario>
{
    private static readonly DateOnly November = new(2026, 11, 1);

    /// <summary>Dispatched on Monday 2026-11-23 09:00 (exposed rubbish: 1 working day, due Tuesday 09:00) and accepted.</summary>
    private async Task<(Case Case, CaseActor Dispatcher, CaseActor Handler)> AcceptedAsync()
    {
        scenario.Clock.Set(TestClock.China(2026, 11, 23, 9));
        var (@case, dispatcher, handler) = await scenario.DispatchedToHandler1Async();
        await scenario.DoAsync(s => s.AcceptAsync(@case.Id, handler));
        return (await scenario.ReloadAsync(@case.Id), dispatcher, handler);
    }

    private Task<DepartmentLoopFigures?> FiguresAsync(int departmentId) => scenario.WithAsync(async p =>
        (await p.GetRequiredService<DepartmentLoopFiguresQuery>().ForMonthAsync(November)).SingleOrDefault(f => f.DepartmentId == departmentId));

    private Task<IReadOnlyList<string>> InboxAsync(CaseActor actor, InboxSectionKind kind) => scenario.WithAsync(async p =>
        (IReadOnlyList<string>)(await p.GetRequiredService<InboxQuery>().ForAsync(actor)).Sections.Single(s => s.Kind == kind).Rows.Select(r => r.Number).ToList());

    private Task<List<CaseExtension>> ExtensionsAsync(int caseId) => scenario.WithAsync(p =>
        p.GetRequiredService<GridGovDbContext>().CaseExtensions.AsNoTracking().Where(e => e.CaseId == caseId).OrderBy(e => e.Id).ToListAsync());

    [Fact]
    public async Task The_dispatcher_sees_a_request_within_the_limit_approves_it_and_the_deadline_moves_and_is_counted()
    {
        var (accepted, dispatcher, handler) = await AcceptedAsync();
        var department = handler.DepartmentId!.Value;
        var approvedBefore = (await FiguresAsync(department))?.ExtensionsApproved ?? 0;
        var requestedDue = TestClock.China(2026, 11, 25, 9); // one working day more: within the category's own handling time

        scenario.Clock.Set(TestClock.China(2026, 11, 23, 14));
        await scenario.DoAsync(s => s.RequestExtensionAsync(accepted.Id, handler, "需协调物业清运车辆", requestedDue));
        Assert.Contains(accepted.Number, await InboxAsync(dispatcher, InboxSectionKind.DispatchExtensions));
        Assert.DoesNotContain(accepted.Number, await InboxAsync(await scenario.ActorAsync("streetleader1"), InboxSectionKind.StreetExtensions));
        await scenario.DoAsync(s => s.ApproveExtensionAsync(accepted.Id, dispatcher, "同意延期"));

        var @case = await scenario.ReloadAsync(accepted.Id);
        Assert.Equal(requestedDue, @case.HandleDue);
        Assert.Equal(requestedDue, @case.CurrentDue);
        Assert.True(@case.WarningAt < requestedDue && @case.WarningAt > scenario.Clock.GetUtcNow(), $"warning {@case.WarningAt}");
        Assert.Equal(1, @case.ExtensionCount);
        Assert.Equal([CaseAction.RequestExtension, CaseAction.ApproveExtension], @case.History.OrderBy(h => h.Id).TakeLast(2).Select(h => h.Action));
        var extension = Assert.Single(await ExtensionsAsync(accepted.Id));
        Assert.Equal((ExtensionStatus.Approved, StaffRole.Dispatcher, department), (extension.Status, extension.Approver, extension.DepartmentId!.Value));
        Assert.Equal(approvedBefore + 1, (await FiguresAsync(department))!.ExtensionsApproved);
        Assert.DoesNotContain(accepted.Number, await InboxAsync(dispatcher, InboxSectionKind.DispatchExtensions));
        var kinds = await scenario.WithAsync(p => p.GetRequiredService<GridGovDbContext>().Notifications.AsNoTracking()
            .Where(n => n.CaseId == accepted.Id && n.Kind == NotificationKind.Extension).Select(n => n.Body).ToListAsync());
        Assert.Contains(kinds, body => body.Contains("请审批"));
        Assert.Contains(kinds, body => body.Contains("延期已批准"));
    }

    [Fact]
    public async Task A_request_above_the_limit_waits_for_the_street_leader_the_dispatcher_cannot_decide_it_and_a_refusal_keeps_the_deadline()
    {
        var (accepted, dispatcher, handler) = await AcceptedAsync();
        var department = handler.DepartmentId!.Value;
        var refusedBefore = (await FiguresAsync(department))?.ExtensionsRefused ?? 0;
        var streetLeader = await scenario.ActorAsync("streetleader1");
        var due = accepted.HandleDue;

        await scenario.DoAsync(s => s.RequestExtensionAsync(accepted.Id, handler, "需等待区级审批", TestClock.China(2026, 11, 30, 9)));
        var refused = await Assert.ThrowsAsync<DomainException>(() => scenario.DoAsync(s => s.ApproveExtensionAsync(accepted.Id, dispatcher)));
        Assert.Equal(due, (await scenario.ReloadAsync(accepted.Id)).HandleDue);
        Assert.Contains(accepted.Number, await InboxAsync(streetLeader, InboxSectionKind.StreetExtensions));
        Assert.DoesNotContain(accepted.Number, await InboxAsync(dispatcher, InboxSectionKind.DispatchExtensions));
        await scenario.DoAsync(s => s.RefuseExtensionAsync(accepted.Id, streetLeader, "五个工作日过长，请先清运"));

        Assert.Equal("case.extension-street-leader", refused.Code);
        var @case = await scenario.ReloadAsync(accepted.Id);
        Assert.Equal(due, @case.HandleDue);
        Assert.Equal(0, @case.ExtensionCount);
        var extension = Assert.Single(await ExtensionsAsync(accepted.Id));
        Assert.Equal((ExtensionStatus.Refused, StaffRole.StreetLeader, "五个工作日过长，请先清运"), (extension.Status, extension.Approver, extension.DecisionNote));
        Assert.Equal(refusedBefore + 1, (await FiguresAsync(department))!.ExtensionsRefused);
    }

    [Fact]
    public async Task A_second_request_while_one_waits_is_refused_and_changes_nothing()
    {
        var (accepted, _, handler) = await AcceptedAsync();
        await scenario.DoAsync(s => s.RequestExtensionAsync(accepted.Id, handler, "第一次", TestClock.China(2026, 11, 25, 9)));
        var historyBefore = (await scenario.ReloadAsync(accepted.Id)).History.Count;

        var exception = await Assert.ThrowsAsync<DomainException>(() =>
            scenario.DoAsync(s => s.RequestExtensionAsync(accepted.Id, handler, "第二次", TestClock.China(2026, 11, 26, 9))));

        Assert.Equal("本案件已有一份延期申请等待审批，请等审批结果后再申请", exception.Message);
        Assert.Single(await ExtensionsAsync(accepted.Id));
        Assert.Equal(historyBefore, (await scenario.ReloadAsync(accepted.Id)).History.Count);
    }

    [Fact]
    public async Task Late_feedback_without_an_explanation_is_refused_and_with_one_it_is_kept_and_the_case_closes_overdue()
    {
        var (accepted, dispatcher, handler) = await AcceptedAsync();
        var leader = await scenario.ActorAsync("leader1");
        scenario.Clock.Set(TestClock.China(2026, 11, 25, 9)); // a day after the deadline

        var refused = await Assert.ThrowsAsync<DomainException>(() =>
            scenario.DoAsync(s => s.SubmitFeedbackAsync(accepted.Id, handler, "已清理", [CaseScenario.Photo()])));
        Assert.Equal(CaseState.InProgress, (await scenario.ReloadAsync(accepted.Id)).State);
        await scenario.DoAsync(s => s.SubmitFeedbackAsync(accepted.Id, handler, "已清理", [CaseScenario.Photo()], lateExplanation: "清运车辆故障，次日才到场"));
        await scenario.DoAsync(s => s.VerifyAsync(accepted.Id, leader));
        await scenario.DoAsync(s => s.ArchiveAsync(accepted.Id, dispatcher));

        Assert.Equal("case.late-explanation-required", refused.Code);
        var @case = await scenario.ReloadAsync(accepted.Id);
        Assert.Equal("清运车辆故障，次日才到场", @case.LateExplanation);
        Assert.Equal(ClosureType.Overdue, @case.ClosureType);
    }
}
