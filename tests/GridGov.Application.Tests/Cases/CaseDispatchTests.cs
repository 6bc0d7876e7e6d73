using GridGov.Application.Cases;
using GridGov.Application.Inbox;
using GridGov.Domain.Cases;
using GridGov.Domain.Categories;
using GridGov.Domain.Common;
using GridGov.Domain.Organisation;
using GridGov.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Application.Tests.Cases;

/// <summary>定责 routing, return and re-dispatch, rework, local handling and escalation.</summary>
public sealed class CaseDispatchTests(CaseScenario scenario) : IClassFixture<CaseScenario>
{
    private const string NeighbourDispute = "1001";

    [Fact]
    public async Task Routing_suggests_the_grid_override_then_the_community_override_then_the_category_default()
    {
        var category = await scenario.CategoryAsync(NeighbourDispute);
        var leaderGrid = await scenario.GridOfAsync("leader1");
        var (communityId, otherGrid, committee, police) = await scenario.WithAsync(async p =>
        {
            var db = p.GetRequiredService<GridGovDbContext>();
            var grid = await db.Grids.SingleAsync(g => g.Code == leaderGrid);
            var other = await db.Grids.Where(g => g.CommunityId == grid.CommunityId && g.Code != leaderGrid).Select(g => g.Code).FirstAsync();
            var departments = await db.Departments.Where(d => d.Id != category.DefaultDepartmentId).OrderBy(d => d.Id).Take(2).Select(d => d.Id).ToListAsync();
            return (grid.CommunityId, other, departments[0], departments[1]);
        });
        var inLeaderGrid = await scenario.ReportAsync(leaderGrid, NeighbourDispute);
        var inOtherGrid = await scenario.ReportAsync(otherGrid, NeighbourDispute);
        var suggest = (int caseId) => scenario.WithAsync(p => p.GetRequiredService<CaseWorkflowService>().SuggestDepartmentAsync(caseId));

        Assert.Equal(category.DefaultDepartmentId, await suggest(inLeaderGrid.Id));

        await scenario.WithAsync(async p =>
        {
            var db = p.GetRequiredService<GridGovDbContext>();
            db.DispatchRoutes.Add(new DispatchRoute(category.Id, committee, communityId, null));
            return await db.SaveChangesAsync();
        });
        Assert.Equal(committee, await suggest(inLeaderGrid.Id));
        Assert.Equal(committee, await suggest(inOtherGrid.Id));

        await scenario.WithAsync(async p =>
        {
            var db = p.GetRequiredService<GridGovDbContext>();
            db.DispatchRoutes.Add(new DispatchRoute(category.Id, police, null, leaderGrid));
            return await db.SaveChangesAsync();
        });
        Assert.Equal(police, await suggest(inLeaderGrid.Id));
        Assert.Equal(committee, await suggest(inOtherGrid.Id));
    }

    [Fact]
    public async Task A_wrongly_dispatched_case_is_returned_with_a_reason_counted_and_redispatched()
    {
        var (@case, dispatcher, handler) = await scenario.DispatchedToHandler1Async();
        var otherDepartment = await scenario.WithAsync(p => p.GetRequiredService<GridGovDbContext>().Departments
            .Where(d => d.Id != handler.DepartmentId).Select(d => d.Id).FirstAsync());

        await Assert.ThrowsAsync<DomainException>(() => scenario.DoAsync(s => s.ReturnAsync(@case.Id, handler, "")));
        await scenario.DoAsync(s => s.ReturnAsync(@case.Id, handler, "不属于本部门职责"));
        var returned = await scenario.ReloadAsync(@case.Id);
        Assert.Equal(CaseState.Returned, returned.State);
        Assert.Null(returned.AssignedDepartmentId);
        Assert.Equal(1, returned.ReturnCount);
        var counts = await scenario.WithAsync(p => p.GetRequiredService<CaseQueries>().ReturnCountsAsync());
        Assert.Contains(counts, c => c.DepartmentId == handler.DepartmentId && c.CategoryId == @case.CategoryId && c.Returns >= 1);

        await scenario.DoAsync(s => s.DispatchAsync(@case.Id, dispatcher, otherDepartment, note: "改派"));

        var redispatched = await scenario.ReloadAsync(@case.Id);
        Assert.Equal(CaseState.Dispatched, redispatched.State);
        Assert.Equal(otherDepartment, redispatched.AssignedDepartmentId);
    }

    [Fact]
    public async Task A_failed_verification_sends_the_case_back_for_rework_to_the_same_handler_with_a_new_deadline()
    {
        var (@case, _, handler) = await scenario.DispatchedToHandler1Async();
        var leader = await scenario.ActorAsync("leader1");
        await scenario.DoAsync(s => s.AcceptAsync(@case.Id, handler));
        await scenario.DoAsync(s => s.SubmitFeedbackAsync(@case.Id, handler, "已清理", [CaseScenario.Photo()]));
        var firstDue = (await scenario.ReloadAsync(@case.Id)).HandleDue;
        scenario.Clock.Advance(TimeSpan.FromHours(1));

        await scenario.DoAsync(s => s.ReworkAsync(@case.Id, leader, "现场仍有垃圾残留"));

        var reworked = await scenario.ReloadAsync(@case.Id);
        Assert.Equal(CaseState.InProgress, reworked.State);
        Assert.Equal(1, reworked.ReworkCount);
        Assert.Equal(handler.DepartmentId, reworked.AssignedDepartmentId);
        Assert.NotNull(firstDue);
        Assert.True(reworked.HandleDue > firstDue);
        Assert.Equal(reworked.HandleDue, reworked.CurrentDue);
        await scenario.DoAsync(s => s.SubmitFeedbackAsync(@case.Id, handler, "已彻底清理", [CaseScenario.Photo()]));
        Assert.Equal(CaseState.FeedbackSubmitted, (await scenario.ReloadAsync(@case.Id)).State);
    }

    [Fact]
    public async Task Co_handling_departments_are_kept_but_may_not_include_the_lead()
    {
        var dispatcher = await scenario.ActorAsync("dispatcher1");
        var @case = await scenario.ReportAsync(await scenario.GridOfAsync("leader1"));
        await scenario.DoAsync(s => s.RegisterAsync(@case.Id, dispatcher, null, null));
        var departments = await scenario.WithAsync(p => p.GetRequiredService<GridGovDbContext>().Departments.OrderBy(d => d.Id).Select(d => d.Id).Take(3).ToListAsync());

        await Assert.ThrowsAsync<DomainException>(() => scenario.DoAsync(s => s.DispatchAsync(@case.Id, dispatcher, departments[0], [departments[0]])));
        await scenario.DoAsync(s => s.DispatchAsync(@case.Id, dispatcher, departments[0], [departments[1], departments[2]]));

        Assert.Equal([departments[1], departments[2]], (await scenario.ReloadAsync(@case.Id)).CoHandlingDepartmentIds);
    }

    [Fact]
    public async Task The_community_assigns_a_grid_worker_of_the_case_grid_for_local_handling()
    {
        var secretary = await scenario.ActorAsync("secretary1");
        var workerGrid = await scenario.GridOfAsync("worker1");
        var worker = await scenario.ActorAsync("worker1");
        var @case = await scenario.ReportAsync(workerGrid, "1001");
        await scenario.DoAsync(s => s.RegisterAsync(@case.Id, secretary, null, null));
        var outsider = await scenario.WithAsync(p => p.GetRequiredService<GridGovDbContext>().GridAssignments
            .Where(a => a.GridCode != workerGrid && a.Duty != GridDuty.Leader).Select(a => a.StaffMemberId).FirstAsync());

        var wrong = await Assert.ThrowsAsync<DomainException>(() => scenario.DoAsync(s => s.AssignLocallyAsync(@case.Id, secretary, outsider)));
        Assert.Equal("case.assignee-scope", wrong.Code);

        await scenario.DoAsync(s => s.AssignLocallyAsync(@case.Id, secretary, worker.StaffMemberId!.Value));
        await scenario.DoAsync(s => s.AcceptAsync(@case.Id, worker));
        await scenario.DoAsync(s => s.SubmitFeedbackAsync(@case.Id, worker, "已调解，双方达成一致", [CaseScenario.Photo()]));

        var stored = await scenario.ReloadAsync(@case.Id);
        Assert.Equal(CaseState.FeedbackSubmitted, stored.State);
        Assert.Equal(worker.StaffMemberId, stored.AssignedStaffId);
    }

    [Fact]
    public async Task Whoever_accepted_or_fed_back_a_locally_assigned_case_may_not_verify_it_another_of_the_grid_staff_does()
    {
        var secretary = await scenario.ActorAsync("secretary1");
        var workerGrid = await scenario.GridOfAsync("worker1");
        var worker = await scenario.ActorAsync("worker1");
        var leader = await scenario.ActorAsync("leader1");
        Assert.Contains(workerGrid, leader.GridCodes);
        var @case = await scenario.ReportAsync(workerGrid, "1001");
        await scenario.DoAsync(s => s.RegisterAsync(@case.Id, secretary, null, null));
        await scenario.DoAsync(s => s.AssignLocallyAsync(@case.Id, secretary, worker.StaffMemberId!.Value));
        await scenario.DoAsync(s => s.AcceptAsync(@case.Id, worker));
        await scenario.DoAsync(s => s.SubmitFeedbackAsync(@case.Id, worker, "已调解，双方达成一致", [CaseScenario.Photo()]));

        var ownWork = await Assert.ThrowsAsync<DomainException>(() => scenario.DoAsync(s => s.VerifyAsync(@case.Id, worker)));
        Assert.Equal("case.four-eyes", ownWork.Code);
        Assert.Contains("不能核查", ownWork.Message);
        Assert.Equal(CaseState.FeedbackSubmitted, (await scenario.ReloadAsync(@case.Id)).State);

        // The page and the inbox offer exactly what the workflow allows.
        var workerView = await scenario.WithAsync(p => p.GetRequiredService<CaseDetailQuery>().GetAsync(@case.Number, worker));
        var leaderView = await scenario.WithAsync(p => p.GetRequiredService<CaseDetailQuery>().GetAsync(@case.Number, leader));
        Assert.DoesNotContain(CaseAction.Verify, workerView!.Actions);
        Assert.Contains(CaseAction.Verify, leaderView!.Actions);
        var workerInbox = await scenario.WithAsync(p => p.GetRequiredService<InboxQuery>().ForAsync(worker));
        var leaderInbox = await scenario.WithAsync(p => p.GetRequiredService<InboxQuery>().ForAsync(leader));
        Assert.DoesNotContain(@case.Id, workerInbox.Sections.Single(x => x.Kind == InboxSectionKind.ToVerifyInMyGrids).Rows.Select(r => r.CaseId));
        Assert.Contains(@case.Id, leaderInbox.Sections.Single(x => x.Kind == InboxSectionKind.ToVerifyInMyGrids).Rows.Select(r => r.CaseId));

        await scenario.DoAsync(s => s.VerifyAsync(@case.Id, leader, "网格长现场核实"));
        Assert.Equal(CaseState.Verified, (await scenario.ReloadAsync(@case.Id)).State);
    }

    [Fact]
    public async Task Escalation_climbs_one_level_at_a_time_and_is_recorded_with_its_reason()
    {
        var worker = await scenario.ActorAsync("worker1");
        var secretary = await scenario.ActorAsync("secretary1");
        var dispatcher = await scenario.ActorAsync("dispatcher1");
        var @case = await scenario.ReportAsync(await scenario.GridOfAsync("worker1"), "1001");
        await scenario.DoAsync(s => s.RegisterAsync(@case.Id, secretary, null, null));

        await scenario.DoAsync(s => s.EscalateAsync(@case.Id, worker, "网格内无法调解"));
        var fromGridAgain = await Assert.ThrowsAsync<DomainException>(() => scenario.DoAsync(s => s.EscalateAsync(@case.Id, worker, "再上报")));
        await scenario.DoAsync(s => s.EscalateAsync(@case.Id, secretary, "涉及多个部门"));

        var stored = await scenario.ReloadAsync(@case.Id);
        Assert.Equal(CaseLevel.Street, stored.Level);
        Assert.Equal(CaseState.Registered, stored.State);
        Assert.Equal("case.escalate-level", fromGridAgain.Code);
        var escalations = stored.History.Where(h => h.Action == CaseAction.Escalate).OrderBy(h => h.Id).Select(h => h.Note).ToList();
        Assert.Equal(["由网格上报至社区：网格内无法调解", "由社区上报至街道：涉及多个部门"], escalations);
        await scenario.DoAsync(s => s.EscalateAsync(@case.Id, dispatcher, "需区级部门处置"));
        Assert.Equal(CaseLevel.District, (await scenario.ReloadAsync(@case.Id)).Level);
    }

    [Fact]
    public async Task A_street_leader_supervises_an_overdue_case_and_the_handler_is_notified()
    {
        var (@case, _, _) = await scenario.DispatchedToHandler1Async();
        var leader = await scenario.ActorAsync("streetleader1");
        var dispatcher = await scenario.ActorAsync("dispatcher1");

        await Assert.ThrowsAsync<DomainException>(() => scenario.DoAsync(s => s.SuperviseAsync(@case.Id, dispatcher, "请加快")));
        await scenario.DoAsync(s => s.SuperviseAsync(@case.Id, leader, "请于今日内处置完毕"));

        var stored = await scenario.ReloadAsync(@case.Id);
        Assert.True(stored.IsSupervised);
        Assert.Equal(1, stored.SupervisionCount);
        Assert.True(await scenario.WithAsync(p => p.GetRequiredService<GridGovDbContext>().Notifications
            .AnyAsync(n => n.CaseId == @case.Id && n.Kind == Domain.Notifications.NotificationKind.Supervision)));
    }
}
