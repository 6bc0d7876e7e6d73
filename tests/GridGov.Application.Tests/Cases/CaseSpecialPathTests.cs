using GridGov.Application.Cases;
using GridGov.Application.Notifications;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Notifications;
using GridGov.Domain.Organisation;
using GridGov.Infrastructure.Persistence;
using GridGov.TestSupport.GridGov;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Application.Tests.Cases;

/// <summary>On-the-spot and emergency fast paths, whistles, duplicates, satisfaction and concurrent edits.</summary>
public sealed class CaseSpecialPathTests(CaseScenario scenario) : IClassFixture<CaseScenario>
{
    [Fact]
    public async Task A_matter_handled_on_the_spot_goes_straight_to_archive_once_the_community_confirms()
    {
        var worker = await scenario.ActorAsync("worker1");
        var secretary = await scenario.ActorAsync("secretary1");
        var grid = await scenario.GridOfAsync("worker1");
        var (longitude, latitude) = await scenario.PointInGridAsync(grid);
        var category = await scenario.CategoryAsync(CaseTestData.ExposedRubbish);
        var command = new ReportHandledOnSpot(category.Id, "少量散落垃圾", longitude, latitude, "小区门口", "已现场清扫", [CaseScenario.Photo()]);

        var noPhoto = await Assert.ThrowsAsync<DomainException>(() => scenario.DoAsync(s => s.ReportHandledOnSpotAsync(command with { Photos = [] }, worker)));
        var @case = await scenario.DoAsync(s => s.ReportHandledOnSpotAsync(command, worker));
        await scenario.DoAsync(s => s.ConfirmOnSpotAsync(@case.Id, secretary));

        Assert.Equal("case.on-spot-evidence-required", noPhoto.Code);
        var stored = await scenario.ReloadAsync(@case.Id);
        Assert.Equal(CaseState.Archived, stored.State);
        Assert.Equal([CaseAction.ReportHandledOnSpot, CaseAction.ConfirmOnSpot], stored.History.OrderBy(h => h.Id).Select(h => h.Action));
        Assert.Single(stored.Evidence);
    }

    [Fact]
    public async Task An_emergency_goes_out_at_once_to_the_street_and_the_department_on_urgent_limits()
    {
        scenario.Clock.Set(TestClock.China(2026, 11, 24, 9));
        var category = await scenario.CategoryAsync(CaseTestData.ExposedRubbish);

        var @case = await scenario.ReportAsync(await scenario.GridOfAsync("leader1"), priority: CasePriority.Emergency);

        var stored = await scenario.ReloadAsync(@case.Id);
        Assert.Equal(CaseState.Dispatched, stored.State);
        Assert.Equal(CaseLevel.Street, stored.Level);
        Assert.Equal(category.DefaultDepartmentId, stored.AssignedDepartmentId);
        // Urgent handling of 暴露垃圾 is 4 working hours: 09:00–12:00 is 3 h, the last hour runs 13:30–14:30.
        Assert.Equal(TestClock.China(2026, 11, 24, 14, 30), stored.HandleDue);
        var notified = await scenario.WithAsync(p => p.GetRequiredService<GridGovDbContext>().Notifications
            .Where(n => n.CaseId == @case.Id && n.Kind == NotificationKind.Emergency)
            .Join(p.GetRequiredService<GridGovDbContext>().StaffMembers, n => n.RecipientStaffId, s => s.Id, (n, s) => s.Role)
            .Distinct().ToListAsync());
        Assert.Contains(StaffRole.StreetLeader, notified);
        Assert.Contains(StaffRole.Dispatcher, notified);
        Assert.Contains(StaffRole.DepartmentHandler, notified);
    }

    [Fact]
    public async Task Whistled_departments_report_and_their_response_times_are_measured()
    {
        scenario.Clock.Set(TestClock.China(2026, 11, 25, 9));
        var (@case, dispatcher, handler) = await scenario.DispatchedToHandler1Async();
        var other = await scenario.WithAsync(p => p.GetRequiredService<GridGovDbContext>().Departments
            .Where(d => d.Id != handler.DepartmentId).Select(d => d.Id).FirstAsync());

        await scenario.DoAsync(s => s.WhistleAsync(@case.Id, dispatcher, [handler.DepartmentId!.Value, other]));
        scenario.Clock.Advance(TimeSpan.FromMinutes(30));
        await scenario.DoAsync(s => s.RespondToWhistleAsync(@case.Id, handler, "已派员到场"));
        var again = await Assert.ThrowsAsync<DomainException>(() => scenario.DoAsync(s => s.RespondToWhistleAsync(@case.Id, handler, "再次报到")));

        Assert.Equal("case.whistle-none", again.Code);
        var rows = await scenario.WithAsync(p => p.GetRequiredService<CaseQueries>().WhistleResponsesAsync());
        var mine = Assert.Single(rows, r => r.DepartmentId == handler.DepartmentId);
        Assert.Equal((1, 1, 1), (mine.Summoned, mine.Answered, mine.AnsweredInTime));
        Assert.Equal(30, mine.AverageResponseMinutes!.Value, 3);
        var silent = Assert.Single(rows, r => r.DepartmentId == other);
        Assert.Equal(0, silent.Answered);
    }

    [Fact]
    public async Task Nearby_recent_open_cases_of_the_same_category_are_offered_as_duplicates_and_can_be_merged()
    {
        scenario.Clock.Set(TestClock.China(2026, 11, 26, 9));
        var grid = await scenario.GridOfAsync("leader1");
        var (longitude, latitude) = await scenario.PointInGridAsync(grid);
        var category = await scenario.CategoryAsync(CaseTestData.ExposedRubbish);
        var original = await scenario.ReportAsync(grid, at: (longitude, latitude), phone: "13900000001");
        var metresPerDegreeLongitude = 111_320 * Math.Cos(latitude * Math.PI / 180);
        var dispatcherActor = await scenario.ActorAsync("dispatcher1");
        var duplicates = async (double east) => (await scenario.WithAsync(p => p.GetRequiredService<CaseQueries>()
            .PossibleDuplicatesAsync(category.Id, longitude + east / metresPerDegreeLongitude, latitude, dispatcherActor))).Cases;

        Assert.Contains(await duplicates(20), d => d.CaseId == original.Id && d.DistanceMeters is > 15 and < 25);
        Assert.DoesNotContain(await duplicates(100), d => d.CaseId == original.Id);
        scenario.Clock.Advance(TimeSpan.FromDays(CaseQueries.DuplicateWindowDays + 1));
        Assert.DoesNotContain(await duplicates(20), d => d.CaseId == original.Id);

        var dispatcher = await scenario.ActorAsync("dispatcher1");
        var duplicate = await scenario.ReportAsync(grid, at: (longitude, latitude), phone: "13900000002");
        await scenario.DoAsync(s => s.MergeAsync(duplicate.Id, original.Id, dispatcher));

        var merged = await scenario.ReloadAsync(duplicate.Id);
        Assert.Equal(CaseState.Merged, merged.State);
        Assert.Equal(original.Id, merged.MergedIntoCaseId);
        Assert.Contains((await scenario.ReloadAsync(original.Id)).Followers, f => f.Phone == "13900000002");
    }

    [Fact]
    public async Task A_dissatisfied_reporters_own_answer_within_the_window_reopens_the_verified_case_for_its_handler()
    {
        scenario.Clock.Set(TestClock.China(2026, 11, 23, 9));
        var (@case, dispatcher, handler) = await scenario.DispatchedToHandler1Async();
        var leader = await scenario.ActorAsync("leader1");
        await scenario.DoAsync(s => s.AcceptAsync(@case.Id, handler));
        await scenario.DoAsync(s => s.SubmitFeedbackAsync(@case.Id, handler, "已清理", [CaseScenario.Photo()]));
        await scenario.DoAsync(s => s.VerifyAsync(@case.Id, leader));

        var tooEarly = await Assert.ThrowsAsync<DomainException>(() => scenario.DoAsync(s => s.ReworkAsync(@case.Id, dispatcher, "复查")));
        var stranger = await Assert.ThrowsAsync<DomainException>(() => scenario.DoAsync(s => s.RecordSatisfactionAsync(@case.Number, "13000000000", false, "没清干净")));
        await scenario.DoAsync(s => s.RecordSatisfactionAsync(@case.Number, "13912345678", false, "没清干净"));

        Assert.Equal("case.rework-verified", tooEarly.Code);
        Assert.Equal("case.not-reporter", stranger.Code);
        var stored = await scenario.ReloadAsync(@case.Id);
        Assert.Equal(CaseState.InProgress, stored.State);
        Assert.Equal(handler.DepartmentId, stored.AssignedDepartmentId);
        Assert.Equal(1, stored.ReopenCount);
        Assert.Equal(0, stored.ReworkCount);
        Assert.Null(stored.Satisfied); // the next round gets its own answer
        var reopen = stored.History.OrderBy(h => h.Id).Last();
        Assert.Equal((CaseAction.Reopen, "系统"), (reopen.Action, reopen.ActorName));
        var answer = Assert.Single(stored.SatisfactionAnswers);
        Assert.Equal((false, SatisfactionChannel.ResidentAnswer, "没清干净", true), (answer.Satisfied, answer.Channel, answer.Comment, answer.Reopened));
    }

    [Fact]
    public async Task Two_people_acting_on_the_same_case_at_once_one_wins_and_the_other_is_told_and_changes_nothing()
    {
        var dispatcher = await scenario.ActorAsync("dispatcher1");
        var secretary = await scenario.ActorAsync("secretary1");
        var @case = await scenario.ReportAsync(await scenario.GridOfAsync("leader1"));
        await using var first = scenario.Services.CreateAsyncScope();
        await using var second = scenario.Services.CreateAsyncScope();
        var db1 = first.ServiceProvider.GetRequiredService<GridGovDbContext>();
        var db2 = second.ServiceProvider.GetRequiredService<GridGovDbContext>();
        // Both load the case before either saves: a real race on the row version.
        await db1.Cases.SingleAsync(c => c.Id == @case.Id);
        await db2.Cases.SingleAsync(c => c.Id == @case.Id);

        await first.ServiceProvider.GetRequiredService<CaseWorkflowService>().RegisterAsync(@case.Id, dispatcher, null, null);
        var loser = await Assert.ThrowsAsync<DomainException>(() =>
            second.ServiceProvider.GetRequiredService<CaseWorkflowService>().RejectAsync(@case.Id, secretary, "重复上报"));

        Assert.Equal(CaseWorkflowService.ConcurrencyMessage, loser.Message);
        var stored = await scenario.ReloadAsync(@case.Id);
        Assert.Equal(CaseState.Registered, stored.State);
        Assert.Equal([CaseAction.Report, CaseAction.Register], stored.History.OrderBy(h => h.Id).Select(h => h.Action));
    }

    [Fact]
    public async Task The_outbox_sends_pending_notifications_once()
    {
        await scenario.DispatchedToHandler1Async();

        var sent = await scenario.WithAsync(p => p.GetRequiredService<NotificationOutbox>().SendPendingAsync(batchSize: 10_000));
        var again = await scenario.WithAsync(p => p.GetRequiredService<NotificationOutbox>().SendPendingAsync(batchSize: 10_000));

        Assert.True(sent > 0);
        Assert.Equal(0, again);
        Assert.False(await scenario.WithAsync(p => p.GetRequiredService<GridGovDbContext>().Notifications.AnyAsync(n => n.SentAt == null || n.Status != DeliveryStatus.Sent)));
    }
}
