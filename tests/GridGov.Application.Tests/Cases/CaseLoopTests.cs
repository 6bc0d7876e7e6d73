using GridGov.Application.Cases;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Notifications;
using GridGov.Infrastructure.Persistence;
using GridGov.TestSupport.GridGov;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Application.Tests.Cases;

/// <summary>The six-step loop through the real workflow service, and what it refuses.</summary>
public sealed class CaseLoopTests(CaseScenario scenario) : IClassFixture<CaseScenario>
{
    private const string ExposedRubbish = "0501";

    private async Task<Case> ReportAsync(string gridCode, string? category = null, CasePriority priority = CasePriority.Normal, Guid? submission = null)
    {
        var (longitude, latitude) = await scenario.PointInGridAsync(gridCode);
        var categoryId = (await scenario.CategoryAsync(category ?? ExposedRubbish)).Id;
        return await scenario.DoAsync(s => s.ReportAsync(new ReportCase(categoryId, "路边有一堆生活垃圾无人清理", longitude, latitude,
            "云帆街道某路口", CaseSource.Resident, priority, "李明", "13912345678", [CaseScenario.Photo()], submission), CaseActor.Public("李明")));
    }

    private async Task<(Case Case, CaseActor Dispatcher, CaseActor Handler)> DispatchedToHandler1Async()
    {
        var dispatcher = await scenario.ActorAsync("dispatcher1");
        var handler = await scenario.ActorAsync("handler1");
        var @case = await ReportAsync(await scenario.GridOfAsync("leader1"));
        await scenario.DoAsync(s => s.RegisterAsync(@case.Id, dispatcher, null, null));
        await scenario.DoAsync(s => s.DispatchAsync(@case.Id, dispatcher, handler.DepartmentId!.Value));
        return (@case, dispatcher, handler);
    }

    private Task<int> CountAsync<T>() where T : class =>
        scenario.WithAsync(p => p.GetRequiredService<GridGovDbContext>().Set<T>().CountAsync());

    [Fact]
    public async Task A_case_goes_round_the_whole_loop_and_every_step_is_in_its_history()
    {
        scenario.Clock.Set(TestClock.China(2026, 11, 23, 9));
        var leaderGrid = await scenario.GridOfAsync("leader1");
        var (reported, dispatcher, handler) = await DispatchedToHandler1Async();
        var leader = await scenario.ActorAsync("leader1");

        await scenario.DoAsync(s => s.AcceptAsync(reported.Id, handler));
        await scenario.DoAsync(s => s.SubmitFeedbackAsync(reported.Id, handler, "已清运垃圾并冲洗路面", [CaseScenario.Photo("after.png")]));
        await scenario.DoAsync(s => s.VerifyAsync(reported.Id, leader, "现场核实已清理"));
        await scenario.DoAsync(s => s.ArchiveAsync(reported.Id, dispatcher));

        var @case = await scenario.ReloadAsync(reported.Id);
        Assert.Equal(CaseState.Archived, @case.State);
        Assert.Equal(ClosureType.Normal, @case.ClosureType);
        Assert.Null(@case.CurrentDue);
        Assert.Equal(leaderGrid, @case.GridCode);
        Assert.Matches("^20261123[0-9]{6}$", @case.Number);
        Assert.Equal(
            [CaseAction.Report, CaseAction.Register, CaseAction.Dispatch, CaseAction.Accept, CaseAction.SubmitFeedback, CaseAction.Verify, CaseAction.Archive],
            @case.History.OrderBy(h => h.Id).Select(h => h.Action));
        Assert.Equal(
            [null, CaseState.Reported, CaseState.Registered, CaseState.Dispatched, CaseState.InProgress, CaseState.FeedbackSubmitted, CaseState.Verified],
            @case.History.OrderBy(h => h.Id).Select(h => h.FromState));
        Assert.All(@case.History.Skip(1), h => Assert.NotNull(h.ActorStaffId));
        Assert.Equal(2, @case.Evidence.Count);
        var notifications = await scenario.WithAsync(p => p.GetRequiredService<GridGovDbContext>().Notifications.AsNoTracking()
            .Where(n => n.CaseId == reported.Id).Select(n => n.Kind).ToListAsync());
        Assert.Contains(NotificationKind.Assignment, notifications);
        Assert.Contains(NotificationKind.CaseClosed, notifications);
    }

    [Fact]
    public async Task An_archived_case_is_read_only()
    {
        var (@case, dispatcher, handler) = await DispatchedToHandler1Async();
        var leader = await scenario.ActorAsync("leader1");
        await scenario.DoAsync(s => s.AcceptAsync(@case.Id, handler));
        await scenario.DoAsync(s => s.SubmitFeedbackAsync(@case.Id, handler, "已处理", [CaseScenario.Photo()]));
        await scenario.DoAsync(s => s.VerifyAsync(@case.Id, leader));
        await scenario.DoAsync(s => s.ArchiveAsync(@case.Id, dispatcher));
        var historyBefore = (await scenario.ReloadAsync(@case.Id)).History.Count;

        var voiding = await Assert.ThrowsAsync<DomainException>(() => scenario.DoAsync(s => s.VoidAsync(@case.Id, dispatcher, "误报")));
        var rework = await Assert.ThrowsAsync<DomainException>(() => scenario.DoAsync(s => s.ReworkAsync(@case.Id, dispatcher, "再看看")));

        Assert.Contains("已归档", voiding.Message);
        Assert.Contains("不能执行“返工”", rework.Message);
        Assert.Equal(historyBefore, (await scenario.ReloadAsync(@case.Id)).History.Count);
    }

    [Fact]
    public async Task An_illegal_transition_is_refused_in_chinese_and_changes_nothing()
    {
        var dispatcher = await scenario.ActorAsync("dispatcher1");
        var @case = await ReportAsync(await scenario.GridOfAsync("leader1"));

        var exception = await Assert.ThrowsAsync<DomainException>(() => scenario.DoAsync(s => s.ArchiveAsync(@case.Id, dispatcher)));

        Assert.Equal("case.illegal-transition", exception.Code);
        Assert.Equal("案件当前状态为“待立案”，不能执行“结案归档”", exception.Message);
        var stored = await scenario.ReloadAsync(@case.Id);
        Assert.Equal(CaseState.Reported, stored.State);
        Assert.Single(stored.History);
    }

    [Fact]
    public async Task A_grid_worker_may_not_register_a_case()
    {
        var worker = await scenario.ActorAsync("worker1");
        var @case = await ReportAsync(await scenario.GridOfAsync("worker1"));

        var exception = await Assert.ThrowsAsync<DomainException>(() => scenario.DoAsync(s => s.RegisterAsync(@case.Id, worker, null, null)));

        Assert.Equal("网格员无权执行“立案”", exception.Message);
        Assert.Equal(CaseState.Reported, (await scenario.ReloadAsync(@case.Id)).State);
    }

    [Fact]
    public async Task Only_a_handler_of_the_assigned_department_may_accept()
    {
        var (@case, _, _) = await DispatchedToHandler1Async();
        var otherHandler = await scenario.WithAsync(async p =>
        {
            var db = p.GetRequiredService<GridGovDbContext>();
            var handler1Department = await db.Users.Where(u => u.UserName == "handler1")
                .Join(db.StaffMembers, u => u.StaffMemberId, s => s.Id, (u, s) => s.DepartmentId).SingleAsync();
            var other = await db.StaffMembers.FirstAsync(s => s.Role == Domain.Organisation.StaffRole.DepartmentHandler && s.DepartmentId != handler1Department);
            return await p.GetRequiredService<CaseActors>().ForStaffAsync(other.Id);
        });

        var exception = await Assert.ThrowsAsync<DomainException>(() => scenario.DoAsync(s => s.AcceptAsync(@case.Id, otherHandler)));

        Assert.Equal("case.not-handler", exception.Code);
        Assert.Equal(CaseState.Dispatched, (await scenario.ReloadAsync(@case.Id)).State);
    }

    [Fact]
    public async Task A_secretary_acts_only_on_cases_of_her_own_community()
    {
        var secretary = await scenario.ActorAsync("secretary1");
        var otherCommunityGrid = await scenario.WithAsync(p => p.GetRequiredService<GridGovDbContext>().Grids
            .Where(g => g.CommunityId != secretary.CommunityId).Select(g => g.Code).FirstAsync());
        var @case = await ReportAsync(otherCommunityGrid);

        var exception = await Assert.ThrowsAsync<DomainException>(() => scenario.DoAsync(s => s.RegisterAsync(@case.Id, secretary, null, null)));

        Assert.Equal("该案件不在您负责的社区", exception.Message);
    }

    [Fact]
    public async Task Rejecting_needs_a_reason_and_then_stops_the_clock()
    {
        var dispatcher = await scenario.ActorAsync("dispatcher1");
        var @case = await ReportAsync(await scenario.GridOfAsync("leader1"));

        var missing = await Assert.ThrowsAsync<DomainException>(() => scenario.DoAsync(s => s.RejectAsync(@case.Id, dispatcher, "  ")));
        Assert.Equal("不予立案理由不能为空", missing.Message);
        Assert.NotNull((await scenario.ReloadAsync(@case.Id)).CurrentDue);

        await scenario.DoAsync(s => s.RejectAsync(@case.Id, dispatcher, "不属于城市管理问题"));

        var stored = await scenario.ReloadAsync(@case.Id);
        Assert.Equal(CaseState.Rejected, stored.State);
        Assert.Null(stored.CurrentDue);
        Assert.Equal("不属于城市管理问题", stored.History.OrderBy(h => h.Id).Last().Note);
    }

    [Fact]
    public async Task Feedback_without_evidence_is_refused()
    {
        var (@case, _, handler) = await DispatchedToHandler1Async();
        await scenario.DoAsync(s => s.AcceptAsync(@case.Id, handler));

        var exception = await Assert.ThrowsAsync<DomainException>(() => scenario.DoAsync(s => s.SubmitFeedbackAsync(@case.Id, handler, "已处理", [])));

        Assert.Contains("必须附上", exception.Message);
        Assert.Equal(CaseState.InProgress, (await scenario.ReloadAsync(@case.Id)).State);
    }

    [Fact]
    public async Task A_file_that_is_not_an_image_is_refused_and_no_case_is_created()
    {
        var before = await CountAsync<Case>();
        var (longitude, latitude) = await scenario.PointInGridAsync(await scenario.GridOfAsync("leader1"));
        var categoryId = (await scenario.CategoryAsync(ExposedRubbish)).Id;
        var fake = new Application.Cases.EvidenceUpload("photo.jpg", new MemoryStream("<script>alert(1)</script>"u8.ToArray()));

        var exception = await Assert.ThrowsAsync<DomainException>(() => scenario.DoAsync(s => s.ReportAsync(new ReportCase(categoryId, "描述", longitude, latitude,
            "地址", CaseSource.Resident, CasePriority.Normal, "李明", null, [fake]), CaseActor.Public("李明"))));

        Assert.Equal("evidence.type", exception.Code);
        Assert.Contains("photo.jpg", exception.Message);
        Assert.Equal(before, await CountAsync<Case>());
    }

    [Fact]
    public async Task A_photo_over_10_mb_is_refused()
    {
        var big = new byte[EvidenceFiles.MaxBytes + 1];
        CaseScenario.TinyPng().CopyTo(big, 0);
        var store = scenario.Services.GetRequiredService<IEvidenceStore>();

        var exception = await Assert.ThrowsAsync<DomainException>(() => store.StoreAsync(new EvidenceUpload("big.png", new MemoryStream(big))));

        Assert.Equal("evidence.too-large", exception.Code);
    }

    [Fact]
    public async Task A_point_outside_the_street_is_refused_and_nothing_is_written()
    {
        var before = await CountAsync<Case>();
        var categoryId = (await scenario.CategoryAsync(ExposedRubbish)).Id;

        var exception = await Assert.ThrowsAsync<DomainException>(() => scenario.DoAsync(s => s.ReportAsync(new ReportCase(categoryId, "描述", 121.5, 31.2,
            "上海", CaseSource.Resident, CasePriority.Normal, "李明", null, []), CaseActor.Public("李明"))));

        Assert.Equal("case.outside-street", exception.Code);
        Assert.Equal(before, await CountAsync<Case>());
    }

    [Theory]
    [InlineData(999, 0, "case.source")]
    [InlineData(1, 99, "case.priority")]
    public async Task An_unknown_source_or_priority_is_refused_and_nothing_is_written(int source, int priority, string code)
    {
        var before = await CountAsync<Case>();
        var (longitude, latitude) = await scenario.PointInGridAsync(await scenario.GridOfAsync("leader1"));
        var categoryId = (await scenario.CategoryAsync(ExposedRubbish)).Id;

        var exception = await Assert.ThrowsAsync<DomainException>(() => scenario.DoAsync(s => s.ReportAsync(new ReportCase(categoryId, "描述", longitude, latitude,
            "云帆街道某路口", (CaseSource)source, (CasePriority)priority, "李明", null, []), CaseActor.Public("李明"))));

        Assert.Equal(code, exception.Code);
        Assert.Equal(before, await CountAsync<Case>());
    }

    [Fact]
    public async Task The_same_submission_sent_twice_creates_one_case()
    {
        var submission = Guid.NewGuid();
        var grid = await scenario.GridOfAsync("leader1");

        var first = await ReportAsync(grid, submission: submission);
        var second = await ReportAsync(grid, submission: submission);

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(1, await scenario.WithAsync(p => p.GetRequiredService<GridGovDbContext>().Cases.CountAsync(c => c.SubmissionId == submission)));
    }

    [Fact]
    public async Task Someone_elses_submission_id_is_refused_and_never_hands_over_their_case()
    {
        var grid = await scenario.GridOfAsync("worker1");
        var (longitude, latitude) = await scenario.PointInGridAsync(grid);
        var categoryId = (await scenario.CategoryAsync(ExposedRubbish)).Id;
        var worker = await scenario.ActorAsync("worker1");
        var leader = await scenario.ActorAsync("leader1");
        var submission = Guid.NewGuid();
        ReportCase Report(string description) => new(categoryId, description, longitude, latitude, "云帆街道某路口",
            CaseSource.GridWorkerPatrol, CasePriority.Normal, "网格员", null, [CaseScenario.Photo()], submission);

        var own = await scenario.DoAsync(s => s.ReportAsync(Report("井盖缺失"), worker));
        var again = await scenario.DoAsync(s => s.ReportAsync(Report("井盖缺失"), worker));
        var before = await CountAsync<Case>();
        var clash = await Assert.ThrowsAsync<DomainException>(() => scenario.DoAsync(s => s.ReportAsync(Report("另一个问题"), leader)));

        Assert.Equal(own.Id, again.Id);
        Assert.Equal("submission.foreign", clash.Code);
        Assert.Contains("他人", clash.Message);
        Assert.DoesNotContain(own.Number, clash.Message);
        Assert.Equal(before, await CountAsync<Case>());
    }

    [Fact]
    public async Task The_report_forms_race_fallback_finds_only_the_authors_own_case()
    {
        var grid = await scenario.GridOfAsync("worker1");
        var (longitude, latitude) = await scenario.PointInGridAsync(grid);
        var categoryId = (await scenario.CategoryAsync(ExposedRubbish)).Id;
        var worker = await scenario.ActorAsync("worker1");
        var leader = await scenario.ActorAsync("leader1");
        var submission = Guid.NewGuid();
        var own = await scenario.DoAsync(s => s.ReportAsync(new ReportCase(categoryId, "井盖缺失", longitude, latitude, "云帆街道某路口",
            CaseSource.GridWorkerPatrol, CasePriority.Normal, "网格员", null, [CaseScenario.Photo()], submission), worker));

        Task<string?> NumberForAsync(CaseActor reporter) => scenario.WithAsync(p =>
            p.GetRequiredService<ReportFormQuery>().NumberForSubmissionAsync(submission, reporter.StaffMemberId!.Value));

        Assert.Equal(own.Number, await NumberForAsync(worker));
        Assert.Null(await NumberForAsync(leader));
    }

    [Fact]
    public async Task Case_numbers_are_unique_and_count_up_within_the_day()
    {
        var grid = await scenario.GridOfAsync("leader1");
        var first = await ReportAsync(grid);
        var second = await ReportAsync(grid);

        Assert.Equal(first.Number[..8], second.Number[..8]);
        Assert.Equal(long.Parse(first.Number, System.Globalization.CultureInfo.InvariantCulture) + 1,
            long.Parse(second.Number, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task History_rows_cannot_be_changed_or_deleted_even_in_sql()
    {
        var @case = await ReportAsync(await scenario.GridOfAsync("leader1"));

        var update = await Assert.ThrowsAnyAsync<Exception>(() => scenario.WithAsync(p =>
            p.GetRequiredService<GridGovDbContext>().Database.ExecuteSqlAsync($"UPDATE case_history SET note = 'x' WHERE case_id = {@case.Id}")));
        var delete = await Assert.ThrowsAnyAsync<Exception>(() => scenario.WithAsync(p =>
            p.GetRequiredService<GridGovDbContext>().Database.ExecuteSqlAsync($"DELETE FROM case_history WHERE case_id = {@case.Id}")));

        Assert.Contains("append-only", update.Message);
        Assert.Contains("append-only", delete.Message);
        Assert.Single((await scenario.ReloadAsync(@case.Id)).History);
    }
}
