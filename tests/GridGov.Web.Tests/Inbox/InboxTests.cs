using System.Net;
using GridGov.Infrastructure.Persistence;
using GridGov.TestSupport.GridGov;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Web.Tests.Inbox;

public sealed class InboxTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private async Task<string> InboxAsync(string userName)
    {
        using var client = app.CreateClient();
        await client.SignInAsync(userName, DemoStreetDatabaseFixture.DemoPassword);
        var response = await client.GetAsync("/inbox");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task A_case_dispatched_to_handler1s_department_is_in_handler1s_inbox_and_not_in_another_departments()
    {
        var @case = await app.DispatchedToHandler1Async();
        var handler1 = await app.ActorAsync("handler1");
        var otherHandler = await app.HandlerOfAnotherDepartmentAsync(handler1.DepartmentId!.Value);

        var mine = InboxCases.Section(await InboxAsync("handler1"), "DepartmentAssigned");
        var theirs = await InboxAsync(otherHandler);

        Assert.Contains(@case.Number, InboxCases.Numbers(mine));
        Assert.Contains($"href=\"/cases/{@case.Number}\"", mine);
        Assert.Contains("data-state=\"Dispatched\"", mine);
        Assert.DoesNotContain(@case.Number, theirs);
    }

    [Fact]
    public async Task The_department_inbox_is_sorted_by_deadline_whatever_the_dispatch_order()
    {
        // 15 working days dispatched first, 4 working hours second: the second is due first.
        var slow = await app.DispatchedToHandler1Async(InboxCases.IllegalConstruction);
        var fast = await app.DispatchedToHandler1Async(InboxCases.StreetOccupyingBusiness);

        var numbers = InboxCases.Numbers(InboxCases.Section(await InboxAsync("handler1"), "DepartmentAssigned"));

        Assert.True(numbers.ToList().IndexOf(fast.Number) < numbers.ToList().IndexOf(slow.Number),
            $"{fast.Number} (due {fast.CurrentDue}) should come before {slow.Number} (due {slow.CurrentDue})");
    }

    [Fact]
    public async Task An_overdue_case_comes_first_with_a_red_deadline_badge()
    {
        var overdue = await app.DispatchedToHandler1Async(InboxCases.IllegalConstruction);
        await app.WithAsync(provider => provider.GetRequiredService<GridGovDbContext>().Cases.Where(c => c.Id == overdue.Id)
            // Earlier than any overdue demo case, so it must come first.
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.CurrentDue, DateTimeOffset.UtcNow.AddDays(-365))
                .SetProperty(c => c.WarningAt, DateTimeOffset.UtcNow.AddDays(-366))));
        await app.DispatchedToHandler1Async(InboxCases.StreetOccupyingBusiness);

        var section = InboxCases.Section(await InboxAsync("handler1"), "DepartmentAssigned");
        var numbers = InboxCases.Numbers(section);
        var overdueRow = section[section.IndexOf($"data-case-number=\"{overdue.Number}\"", StringComparison.Ordinal)..];

        Assert.Equal(overdue.Number, numbers[0]);
        Assert.Contains("data-warning=\"Red\"", overdueRow[..overdueRow.IndexOf("</a>", StringComparison.Ordinal)]);
        Assert.Equal(numbers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), InboxCases.Count(section));
    }

    [Fact]
    public async Task A_report_by_worker1_is_under_worker1s_own_reports_and_not_under_leader1s()
    {
        var worker = await app.ActorAsync("worker1");
        var (longitude, latitude) = await app.PointInGridAsync(await app.GridOfAsync("worker1"));
        var categoryId = await app.CategoryIdAsync(InboxCases.ExposedRubbish);
        var @case = await app.DoAsync(s => s.ReportAsync(new Application.Cases.ReportCase(categoryId, "井盖缺失，有安全隐患", longitude, latitude,
            "云帆街道某小区门口", Domain.Cases.CaseSource.GridWorkerPatrol, Domain.Cases.CasePriority.Normal, worker.Name, null, []), worker));

        var workerInbox = await InboxAsync("worker1");
        var leaderReports = InboxCases.Section(await InboxAsync("leader1"), "MyReports");

        Assert.Contains(@case.Number, InboxCases.Numbers(InboxCases.Section(workerInbox, "MyReports")));
        Assert.Contains("data-section=\"AssignedToMe\"", workerInbox);
        Assert.Contains("data-section=\"ToVerifyInMyGrids\"", workerInbox);
        Assert.DoesNotContain(@case.Number, leaderReports);
    }

    [Fact]
    public async Task A_case_handled_on_the_spot_in_community_001_waits_for_secretary1_to_confirm_and_not_for_another_secretary()
    {
        var worker = await app.ActorAsync("worker1");
        var (longitude, latitude) = await app.PointInGridAsync(await app.GridOfAsync("worker1"));
        var categoryId = await app.CategoryIdAsync(InboxCases.ExposedRubbish);
        var @case = await app.DoAsync(s => s.ReportHandledOnSpotAsync(new Application.Cases.ReportHandledOnSpot(categoryId, "楼道杂物堆放", longitude, latitude,
            "云帆街道某小区3幢", "已督促住户清理完毕", [InboxCases.Photo()]), worker));
        var secretary1 = await app.ActorAsync("secretary1");
        var otherSecretary = await app.SecretaryOfAnotherCommunityAsync(secretary1.CommunityId!.Value);

        var toConfirm = InboxCases.Section(await InboxAsync("secretary1"), "CommunityToConfirm");
        var theirs = await InboxAsync(otherSecretary);

        Assert.Contains(@case.Number, InboxCases.Numbers(toConfirm));
        Assert.Contains("data-state=\"HandledOnSpot\"", toConfirm);
        Assert.DoesNotContain(@case.Number, theirs);
    }

    [Fact]
    public async Task A_community_case_moves_from_to_register_to_to_assign_to_the_assigned_workers_inbox()
    {
        var secretary = await app.ActorAsync("secretary1");
        var worker = await app.ActorAsync("worker1");
        var @case = await app.ResidentReportAsync();

        Assert.Contains(@case.Number, InboxCases.Numbers(InboxCases.Section(await InboxAsync("secretary1"), "CommunityToRegister")));

        await app.DoAsync(s => s.RegisterAsync(@case.Id, secretary, null, null));
        var registered = await InboxAsync("secretary1");
        Assert.Contains(@case.Number, InboxCases.Numbers(InboxCases.Section(registered, "CommunityToAssign")));
        Assert.DoesNotContain(@case.Number, InboxCases.Section(registered, "CommunityToRegister"));

        await app.DoAsync(s => s.AssignLocallyAsync(@case.Id, secretary, worker.StaffMemberId!.Value));
        Assert.Contains(@case.Number, InboxCases.Numbers(InboxCases.Section(await InboxAsync("secretary1"), "CommunityAssignedLocally")));
        Assert.Contains(@case.Number, InboxCases.Numbers(InboxCases.Section(await InboxAsync("worker1"), "AssignedToMe")));
        Assert.DoesNotContain(@case.Number, InboxCases.Section(await InboxAsync("leader1"), "AssignedToMe"));
    }

    [Fact]
    public async Task Feedback_from_the_department_waits_for_verification_by_the_grid_worker_and_the_dispatcher()
    {
        var @case = await app.DispatchedToHandler1Async();
        var handler = await app.ActorAsync("handler1");
        await app.DoAsync(s => s.AcceptAsync(@case.Id, handler));
        await app.DoAsync(s => s.SubmitFeedbackAsync(@case.Id, handler, "垃圾已清运，现场已清扫", [InboxCases.Photo()]));

        Assert.Contains(@case.Number, InboxCases.Numbers(InboxCases.Section(await InboxAsync("worker1"), "ToVerifyInMyGrids")));
        Assert.Contains(@case.Number, InboxCases.Numbers(InboxCases.Section(await InboxAsync("dispatcher1"), "DispatchToVerify")));
        Assert.DoesNotContain(@case.Number, InboxCases.Section(await InboxAsync("handler1"), "DepartmentAssigned"));
    }

    [Fact]
    public async Task The_dispatcher_sees_new_reports_to_register_registered_cases_to_dispatch_and_returned_ones()
    {
        var dispatcher = await app.ActorAsync("dispatcher1");
        var handler = await app.ActorAsync("handler1");
        var reported = await app.ResidentReportAsync();
        var registered = await app.ResidentReportAsync();
        await app.DoAsync(s => s.RegisterAsync(registered.Id, dispatcher, null, null));
        var returned = await app.DispatchedToHandler1Async();
        await app.DoAsync(s => s.ReturnAsync(returned.Id, handler, "不属于本部门职责"));

        var html = await InboxAsync("dispatcher1");

        Assert.Contains(reported.Number, InboxCases.Numbers(InboxCases.Section(html, "DispatchToRegister")));
        Assert.Contains(registered.Number, InboxCases.Numbers(InboxCases.Section(html, "DispatchToDispatch")));
        Assert.Contains(returned.Number, InboxCases.Numbers(InboxCases.Section(html, "DispatchReturned")));
        Assert.DoesNotContain(returned.Number, InboxCases.Section(html, "DispatchToDispatch"));
    }

    [Fact]
    public async Task The_street_leader_sees_overdue_and_supervised_cases()
    {
        var leader = await app.ActorAsync("streetleader1");
        var overdue = await app.DispatchedToHandler1Async();
        await app.WithAsync(provider => provider.GetRequiredService<GridGovDbContext>().Cases.Where(c => c.Id == overdue.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.CurrentDue, DateTimeOffset.UtcNow.AddMinutes(-5))));
        var supervised = await app.DispatchedToHandler1Async(InboxCases.IllegalConstruction);
        await app.DoAsync(s => s.SuperviseAsync(supervised.Id, leader, "请加快处置进度"));

        var html = await InboxAsync("streetleader1");

        Assert.Contains(overdue.Number, InboxCases.Numbers(InboxCases.Section(html, "Overdue")));
        Assert.DoesNotContain(supervised.Number, InboxCases.Section(html, "Overdue"));
        Assert.Contains(supervised.Number, InboxCases.Numbers(InboxCases.Section(html, "Supervised")));
    }

    [Fact]
    public async Task An_empty_section_says_so_in_chinese()
    {
        // Nobody summons departments in this class's tests, so the whistle section is empty.
        var section = InboxCases.Section(await InboxAsync("handler1"), "DepartmentWhistles");

        Assert.Contains("暂无待办", section);
        Assert.Equal("0", InboxCases.Count(section));
    }

    [Fact]
    public async Task A_whistle_summoning_the_department_waits_for_its_report()
    {
        var secretary = await app.ActorAsync("secretary1");
        var handler = await app.ActorAsync("handler1");
        var @case = await app.ResidentReportAsync();
        await app.DoAsync(s => s.RegisterAsync(@case.Id, secretary, null, null));
        var otherDepartment = await app.WithAsync(provider => provider.GetRequiredService<GridGovDbContext>().Departments
            .Where(d => d.Id != handler.DepartmentId).Select(d => d.Id).FirstAsync());
        await app.DoAsync(s => s.WhistleAsync(@case.Id, secretary, [handler.DepartmentId!.Value, otherDepartment]));

        var section = InboxCases.Section(await InboxAsync("handler1"), "DepartmentWhistles");
        Assert.Contains(@case.Number, InboxCases.Numbers(section));

        await app.DoAsync(s => s.RespondToWhistleAsync(@case.Id, handler, "已到现场，配合社区处置"));
        Assert.DoesNotContain(@case.Number, InboxCases.Section(await InboxAsync("handler1"), "DepartmentWhistles"));
    }

    [Fact]
    public async Task An_administrator_has_no_case_inbox()
    {
        var html = await InboxAsync("admin1");

        Assert.Contains("data-testid=\"inbox-no-role\"", html);
        Assert.DoesNotContain("data-section=", html);
    }

    [Fact]
    public async Task An_anonymous_visitor_is_sent_to_sign_in()
    {
        using var client = app.CreateClient();

        var response = await client.GetAsync("/inbox");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith("/account/login", location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString);
        Assert.Contains("ReturnUrl=%2Finbox", location.OriginalString);
    }
}
