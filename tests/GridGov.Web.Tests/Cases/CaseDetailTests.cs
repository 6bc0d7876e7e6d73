using System.Net;
using Bunit;
using System.Text.RegularExpressions;
using GridGov.Application.Cases;
using GridGov.Domain.Cases;
using GridGov.Infrastructure.Persistence;
using GridGov.TestSupport.GridGov;
using GridGov.Domain.Common;
using GridGov.Web.Tests.Components;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using static GridGov.Web.Tests.CaseList.CaseListData;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Web.Tests.Cases;

/// <summary>The case detail page: what it shows over real HTTP (the prerendered page), its actions driven in the circuit with bUnit.</summary>
public sealed class CaseDetailTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private async Task<Case> ReportAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
        var staffId = await db.Users.Where(u => u.UserName == "leader1").Select(u => u.StaffMemberId).SingleAsync();
        var grid = await db.GridAssignments.Where(a => a.StaffMemberId == staffId).Select(a => a.GridCode).FirstAsync();
        var point = await db.Database.SqlQuery<double>($"""
            SELECT unnest(ARRAY[ST_X(p), ST_Y(p)]) AS "Value" FROM (SELECT ST_PointOnSurface(boundary) AS p FROM grids WHERE code = {grid}) g
            """).ToListAsync();
        var category = await db.Categories.SingleAsync(c => c.Code == "0501");
        return await scope.ServiceProvider.GetRequiredService<CaseWorkflowService>().ReportAsync(new ReportCase(
            category.Id, "人行道上堆放建筑垃圾", point[0], point[1], "测试路1号", CaseSource.Resident, CasePriority.Normal, "王芳", "13700001111", []),
            CaseActor.Public("王芳"));
    }

    private async Task<CaseState> StateAsync(int caseId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<GridGovDbContext>().Cases.Where(c => c.Id == caseId).Select(c => c.State).SingleAsync();
    }

    private async Task<HttpClient> SignedInAsync(string userName)
    {
        var client = app.CreateClient();
        await client.SignInAsync(userName, DemoStreetDatabaseFixture.DemoPassword);
        return client;
    }

    [Fact]
    public async Task The_page_shows_the_case_its_timeline_and_only_the_actions_the_dispatcher_may_take()
    {
        var @case = await ReportAsync();
        using var client = await SignedInAsync("dispatcher1");

        var html = await client.GetStringAsync($"/cases/{@case.Number}");

        Assert.Contains($"data-testid=\"case-number\">{@case.Number}<", html);
        Assert.Contains("人行道上堆放建筑垃圾", html);
        Assert.Contains("data-action=\"Report\"", html);
        Assert.Contains("data-testid=\"submit-Register\"", html);
        Assert.Contains("data-testid=\"submit-Reject\"", html);
        Assert.DoesNotContain("data-testid=\"submit-Dispatch\"", html);
        Assert.DoesNotContain("data-testid=\"submit-Archive\"", html);
    }

    [Fact]
    public async Task The_header_says_whose_deadline_runs_and_the_reporter_line_gives_name_phone_and_source_apart()
    {
        var @case = await ReportAsync();
        using var client = await SignedInAsync("dispatcher1");

        var html = await client.GetStringAsync($"/cases/{@case.Number}");

        Assert.Contains("data-stage=\"Register\"", html);
        Assert.Contains("立案时限", html);
        Assert.Contains("data-testid=\"reporter-name\">王芳<", html);
        Assert.Contains("data-testid=\"reporter-phone\">137****1111<", html);
        Assert.Contains("data-testid=\"reporter-source\">", html);
    }

    [Fact]
    public async Task A_grid_worker_is_offered_nothing_on_a_reported_case_and_the_workflow_refuses_him_with_the_reason()
    {
        var @case = await ReportAsync();
        using var client = await SignedInAsync("worker1");
        var worker = await app.ActorAsync("worker1");

        var page = await client.GetStringAsync($"/cases/{@case.Number}");
        var refused = await Assert.ThrowsAsync<DomainException>(() => app.DoAsync(s => s.RegisterAsync(@case.Id, worker, null, null)));

        Assert.Contains("data-testid=\"no-actions\"", page);
        Assert.Contains("网格员无权执行“立案”", refused.Message);
        Assert.Equal(CaseState.Reported, await StateAsync(@case.Id));
    }

    [Fact]
    public async Task Registering_on_the_page_shows_the_filing_standard_says_done_and_then_offers_dispatch_with_the_suggested_department()
    {
        var @case = await ReportAsync();
        var standard = await app.DbAsync(db => db.Categories.Where(c => c.Id == @case.CategoryId).Select(c => c.FilingStandard).SingleAsync());
        await using var harness = await ComponentHarness.SignedInAsync(app, "dispatcher1");
        var page = harness.OpenCase(@case.Number);
        Assert.Contains(standard, page.Find("[data-testid=filing-standard]").TextContent);

        page.Submit(harness, "Register");

        page.WaitForDone();
        Assert.Equal(CaseState.Registered, await StateAsync(@case.Id));
        Assert.Contains("（建议）", page.Find("[data-testid=dispatch-department]").OuterHtml);
        Assert.False(page.Offers("Register"));
        Assert.Contains(harness.Snackbar.ShownSnackbars, s => s.Message?.Contains("立案", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task A_refused_merge_asks_first_keeps_what_the_user_typed_and_says_why()
    {
        var @case = await ReportAsync();
        await using var harness = await ComponentHarness.SignedInAsync(app, "dispatcher1");
        var page = harness.OpenCase(@case.Number);

        page.Type("Merge", "original", "2026abc");
        page.Submit(harness, "Merge");

        Assert.Contains("案件编号应为14位数字", page.WaitForRefusal("Merge"));
        Assert.Equal("2026abc", page.Find("#merge-original").GetAttribute("value"));
        Assert.Equal(CaseState.Reported, await StateAsync(@case.Id));
    }

    [Fact]
    public async Task Voiding_asks_for_confirmation_and_a_cancel_changes_nothing()
    {
        var @case = await ReportAsync();
        await using var harness = await ComponentHarness.SignedInAsync(app, "dispatcher1");
        var page = harness.OpenCase(@case.Number);
        page.Type("Void", "reason", "测试数据");

        page.Submit(harness, "Void", confirm: false);
        Assert.Equal(CaseState.Reported, await StateAsync(@case.Id));
        page.Submit(harness, "Void");

        page.WaitForDone();
        Assert.Equal(CaseState.Voided, await StateAsync(@case.Id));
    }

    [Fact]
    public async Task An_open_case_page_that_someone_else_moves_on_refreshes_by_push_and_says_so()
    {
        var @case = await ReportAsync();
        var dispatcher = await app.ActorAsync("dispatcher1");
        await using var harness = await ComponentHarness.SignedInAsync(app, "dispatcher1");
        var page = harness.OpenCase(@case.Number);
        page.Type("Reject", "reason", "再次提交");
        Assert.Empty(page.FindAll("[data-testid=case-changed-elsewhere]"));

        await app.DoAsync(s => s.RejectAsync(@case.Id, dispatcher, "非城市管理问题")); // someone else, in another tab

        // Pushed after the commit: the page reads the case again, says why, and no longer offers what the state forbids.
        page.WaitForElement("[data-testid=case-changed-elsewhere]", TimeSpan.FromSeconds(5));
        page.WaitForAssertion(() => Assert.False(page.Offers("Reject")));
        Assert.Contains("非城市管理问题", page.Markup);
    }

    [Fact]
    public async Task The_pages_own_action_is_not_announced_as_someone_elses()
    {
        var @case = await ReportAsync();
        await using var harness = await ComponentHarness.SignedInAsync(app, "dispatcher1");
        var page = harness.OpenCase(@case.Number);

        page.Type("Reject", "reason", "非城市管理问题");
        page.Submit(harness, "Reject");
        page.WaitForDone();
        await Task.Delay(TimeSpan.FromSeconds(1)); // the push of this very change arrives (debounced 250 ms) and is read back

        Assert.Equal(CaseState.Rejected, await StateAsync(@case.Id));
        Assert.Empty(page.FindAll("[data-testid=case-changed-elsewhere]"));
        Assert.NotEmpty(page.FindAll("[data-testid=action-done]"));
    }

    [Fact]
    public async Task The_handler_submits_feedback_with_a_photo_on_the_page_and_the_photo_is_served_by_the_evidence_endpoint()
    {
        var @case = await ReportAsync();
        var dispatcher = await app.ActorAsync("dispatcher1");
        var handler = await app.ActorAsync("handler1");
        await app.DoAsync(s => s.RegisterAsync(@case.Id, dispatcher, null, null));
        await app.DoAsync(s => s.DispatchAsync(@case.Id, dispatcher, handler.DepartmentId!.Value));
        await app.DoAsync(s => s.AcceptAsync(@case.Id, handler));
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. Guid.NewGuid().ToByteArray()];
        await using var harness = await ComponentHarness.SignedInAsync(app, "handler1");
        var page = harness.OpenCase(@case.Number);

        page.Type("SubmitFeedback", "result", "已清运并冲洗");
        page.ChoosePhotos("SubmitFeedback", ("after.png", png));
        page.Submit(harness, "SubmitFeedback");

        page.WaitForDone();
        Assert.Equal(CaseState.FeedbackSubmitted, await StateAsync(@case.Id));
        using var client = await SignedInAsync("handler1");
        var html = await client.GetStringAsync($"/cases/{@case.Number}");
        var photoUrl = Regex.Match(html, "src=\"(/evidence/[0-9a-f]{64})\"").Groups[1].Value;
        var image = await client.GetAsync(photoUrl);
        Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
        Assert.Equal(png, await image.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task An_unknown_case_number_shows_the_chinese_not_found_page_with_status_404()
    {
        using var client = await SignedInAsync("dispatcher1");

        var response = await client.GetAsync("/cases/20990101000001");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("页面不存在", await response.Content.ReadAsStringAsync());
    }

}
