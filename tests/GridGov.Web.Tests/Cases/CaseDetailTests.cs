using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using GridGov.Application.Cases;
using GridGov.Domain.Cases;
using GridGov.Infrastructure.Persistence;
using GridGov.TestSupport.GridGov;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Web.Tests.Cases;

/// <summary>The case detail page and its action forms, over real HTTP.</summary>
public sealed partial class CaseDetailTests(WebAppFixture app) : IClassFixture<WebAppFixture>
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
    public async Task A_grid_worker_is_offered_nothing_on_a_reported_case_and_a_forged_post_is_refused_with_the_reason()
    {
        var @case = await ReportAsync();
        using var client = await SignedInAsync("worker1");

        var page = await client.GetStringAsync($"/cases/{@case.Number}");
        var response = await client.PostFormAsync($"/cases/{@case.Number}", "case-Register", new Dictionary<string, string> { ["Input.Action"] = "Register" });
        var html = await response.Content.ReadAsStringAsync();

        Assert.Contains("data-testid=\"no-actions\"", page);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("网格员无权执行“立案”", html);
        Assert.Equal(CaseState.Reported, await StateAsync(@case.Id));
    }

    [Fact]
    public async Task Registering_redirects_back_to_the_page_which_then_offers_dispatch_with_the_suggested_department()
    {
        var @case = await ReportAsync();
        using var client = await SignedInAsync("dispatcher1");

        var response = await client.PostFormAsync($"/cases/{@case.Number}", "case-Register", new Dictionary<string, string>
        {
            ["Input.Action"] = "Register",
            ["Input.Category"] = @case.CategoryId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Input.Priority"] = "Normal",
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains($"/cases/{@case.Number}?done=Register", response.Headers.Location!.ToString());
        Assert.Equal(CaseState.Registered, await StateAsync(@case.Id));
        var html = await client.GetStringAsync(response.Headers.Location);
        Assert.Contains("data-testid=\"action-done\"", html);
        Assert.Matches(SuggestedOption(), html);
    }

    [Fact]
    public async Task A_refused_action_keeps_what_the_user_typed_and_says_why()
    {
        var @case = await ReportAsync();
        using var client = await SignedInAsync("dispatcher1");

        var response = await client.PostFormAsync($"/cases/{@case.Number}", "case-Merge", new Dictionary<string, string>
        {
            ["Input.Action"] = "Merge",
            ["Input.Original"] = "2026abc",
        });
        var html = await response.Content.ReadAsStringAsync();

        Assert.Contains("案件编号应为14位数字", html);
        Assert.Contains("value=\"2026abc\"", html);
        Assert.Equal(CaseState.Reported, await StateAsync(@case.Id));
    }

    [Fact]
    public async Task A_stale_page_posting_an_action_the_case_has_moved_past_gets_the_workflow_message_not_an_error_page()
    {
        var @case = await ReportAsync();
        using var client = await SignedInAsync("dispatcher1");
        await client.PostFormAsync($"/cases/{@case.Number}", "case-Reject", new Dictionary<string, string> { ["Input.Action"] = "Reject", ["Input.Text"] = "非城市管理问题" });

        var response = await client.PostFormAsync($"/cases/{@case.Number}", "case-Reject", new Dictionary<string, string> { ["Input.Action"] = "Reject", ["Input.Text"] = "再次提交" });
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("案件当前状态为“不予立案”，不能执行“不予立案”", html);
    }

    [Fact]
    public async Task The_handler_submits_feedback_with_a_photo_in_a_multipart_post_and_the_photo_is_served()
    {
        var @case = await ReportAsync();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var workflow = scope.ServiceProvider.GetRequiredService<CaseWorkflowService>();
            var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
            var actors = scope.ServiceProvider.GetRequiredService<CaseActors>();
            var dispatcher = await actors.ForStaffAsync((await db.Users.SingleAsync(u => u.UserName == "dispatcher1")).StaffMemberId!.Value);
            var handler = await actors.ForStaffAsync((await db.Users.SingleAsync(u => u.UserName == "handler1")).StaffMemberId!.Value);
            await workflow.RegisterAsync(@case.Id, dispatcher, null, null);
            await workflow.DispatchAsync(@case.Id, dispatcher, handler.DepartmentId!.Value);
            await workflow.AcceptAsync(@case.Id, handler);
        }
        using var client = await SignedInAsync("handler1");
        var page = await client.GetStringAsync($"/cases/{@case.Number}");
        var token = Token().Match(page).Groups[1].Value;
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. Guid.NewGuid().ToByteArray()];
        using var form = new MultipartFormDataContent
        {
            { new StringContent(WebUtility.HtmlDecode(token)), "__RequestVerificationToken" },
            { new StringContent("case-SubmitFeedback"), "_handler" },
            { new StringContent("SubmitFeedback"), "Input.Action" },
            { new StringContent("已清运并冲洗"), "Input.Text" },
        };
        var photo = new ByteArrayContent(png);
        photo.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(photo, "photos", "after.png");

        var response = await client.PostAsync($"/cases/{@case.Number}", form);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(CaseState.FeedbackSubmitted, await StateAsync(@case.Id));
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

    [GeneratedRegex("<option value=\"[0-9]+\" selected[^>]*>[^<]+（建议）</option>")]
    private static partial Regex SuggestedOption();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
