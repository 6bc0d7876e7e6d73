using System.Globalization;
using System.Net;
using System.Text;
using GridGov.Application.Cases;
using GridGov.Domain.Cases;
using GridGov.Infrastructure.Persistence;
using GridGov.TestSupport.GridGov;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Web.Tests.Report;

/// <summary>
/// The report page (问题上报) and the done page over real HTTP: what the prerender shows, who may open them, and that a
/// forged post makes nothing. Filling in and sending the form is in Components/ReportCaseComponentTests (bUnit).
/// </summary>
public sealed class ReportCaseTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private async Task<HttpClient> SignedInAsync(string userName)
    {
        var client = app.CreateClient();
        await client.SignInAsync(userName, DemoStreetDatabaseFixture.DemoPassword);
        return client;
    }

    private async Task<Case?> CaseOfSubmissionAsync(Guid submissionId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<GridGovDbContext>().Cases.AsNoTracking()
            .Include(c => c.Evidence).SingleOrDefaultAsync(c => c.SubmissionId == submissionId);
    }

    private async Task<int> CaseCountAsync(Guid submissionId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<GridGovDbContext>().Cases.CountAsync(c => c.SubmissionId == submissionId);
    }

    /// <summary>An open case reported straight through the workflow service, for the duplicate tests.</summary>
    private async Task<Case> ExistingCaseAsync(string categoryCode, GridPoint point, string description)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var categoryId = await app.CategoryIdAsync(categoryCode);
        return await scope.ServiceProvider.GetRequiredService<CaseWorkflowService>().ReportAsync(new ReportCase(
            categoryId, description, point.Longitude, point.Latitude, "云帆路1号", CaseSource.Resident, CasePriority.Normal, "李秀英", "13900001111", []),
            CaseActor.Public("李秀英"));
    }

    /// <summary>A report made through the use case the page calls, as <paramref name="userName"/>.</summary>
    private async Task<ReportOutcome> ReportAsync(string userName, ReportRequest request)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
        var staffId = await db.Users.Where(u => u.UserName == userName).Select(u => u.StaffMemberId!.Value).SingleAsync();
        var actor = await scope.ServiceProvider.GetRequiredService<CaseActors>().ForStaffAsync(staffId);
        return await scope.ServiceProvider.GetRequiredService<CaseReporting>().ReportAsync(request, actor);
    }

    private static ReportRequest Request(int categoryId, GridPoint point, string description, IReadOnlyList<EvidenceUpload>? photos = null) =>
        new(categoryId, description, point.Longitude, point.Latitude, "云帆路88号东侧人行道", CaseSource.GridWorkerPatrol, CasePriority.Normal,
            "张建国", "13812345678", photos ?? [], Guid.NewGuid());

    [Fact]
    public async Task The_page_prerenders_the_form_with_the_worker_s_own_grids_on_the_map_and_the_on_the_spot_option()
    {
        using var client = await SignedInAsync("worker1");
        var point = await app.PointInGridOfAsync("worker1");

        var html = await client.GetStringAsync(ReportPosting.PageUrl);

        Assert.Contains("data-testid=\"report-form\"", html);
        Assert.Matches("data-submission=\"[0-9a-f-]{36}\"", html);
        Assert.Contains("id=\"report-category\"", html);
        Assert.Contains("capture=\"environment\"", html);
        Assert.Contains("data-testid=\"report-onspot\"", html);
        Assert.Contains("data-testid=\"report-map\"", html);
        Assert.Matches($"data-own-grids=\"[^\"]*{point.GridCode}", html);
        Assert.Contains("网格员巡查", html); // the source a grid worker starts with
        Assert.Contains("合并由座席员研判办理", html);
        Assert.DoesNotContain("multipart/form-data", html); // nothing posts: the circuit sends the report and its photos
    }

    [Fact]
    public async Task A_dispatcher_gets_the_hotline_as_source_no_on_the_spot_option_no_own_grids_and_is_told_that_attaching_merges()
    {
        using var client = await SignedInAsync("dispatcher1");

        var html = await client.GetStringAsync(ReportPosting.PageUrl);

        Assert.Contains("12345热线", html);
        Assert.DoesNotContain("data-testid=\"report-onspot\"", html);
        Assert.Contains("data-own-grids=\"\"", html);
        Assert.Contains("由您直接合并到所选案件", html);
    }

    [Fact]
    public async Task The_done_page_shows_the_number_grid_and_a_link_to_the_case()
    {
        var point = await app.PointInGridOfAsync("worker1");
        var outcome = await ReportAsync("worker1", Request(await app.CategoryIdAsync("0801"), point, "路口有流动摊贩占道经营，影响行人通行"));
        using var client = await SignedInAsync("worker1");

        var done = await client.GetStringAsync($"/cases/report/done/{outcome.Number}");

        Assert.Contains($"data-testid=\"done-number\">{outcome.Number}<", done);
        Assert.Contains(point.GridCode, done);
        Assert.Contains(point.GridName, done);
        Assert.Contains($"href=\"/cases/{outcome.Number}\"", done);
    }

    [Fact]
    public async Task The_done_page_says_a_merge_a_note_or_an_on_the_spot_record()
    {
        var point = await app.PointInGridOfAsync("leader1");
        var workerPoint = await app.PointInGridOfAsync("worker1");
        var original = await ExistingCaseAsync("0506", point, "绿地里有动物尸体");
        var noted = await ExistingCaseAsync("0602", workerPoint, "电线杆上贴满小广告");
        var merged = await ReportAsync("dispatcher1", Request(await app.CategoryIdAsync("0506"), point, "市民来电：草坪上有死猫") with
            { Source = CaseSource.Hotline, AttachTo = original.Number });
        var note = await ReportAsync("worker1", Request(await app.CategoryIdAsync("0602"), workerPoint, "小广告又多了") with { AttachTo = noted.Number });
        var onSpot = await ReportAsync("worker1", Request(await app.CategoryIdAsync("0806"), workerPoint, "共享单车堵住单元门口",
            [new EvidenceUpload("after.png", new MemoryStream(TestImages.Png(red: 10)))]) with { HandledOnSpot = true, Result = "已将单车挪至停放区" });
        using var dispatcher = await SignedInAsync("dispatcher1");
        using var worker = await SignedInAsync("worker1");

        var mergedPage = await dispatcher.GetStringAsync($"/cases/report/done/{merged.Number}?attached={original.Number}");
        var notedPage = await worker.GetStringAsync($"/cases/report/done/{note.Number}?attached={noted.Number}");
        var failedPage = await worker.GetStringAsync($"/cases/report/done/{note.Number}?attached={noted.Number}&mergeFailed=true");
        var onSpotPage = await worker.GetStringAsync($"/cases/report/done/{onSpot.Number}");

        Assert.Contains($"已作为同一问题合并到案件{original.Number}", mergedPage);
        Assert.Contains($"已在描述中注明“疑似与案件{noted.Number}重复”", notedPage);
        Assert.Contains($"未能合并到案件{noted.Number}", failedPage);
        Assert.Contains("现场处置已记录", onSpotPage);
    }

    [Fact]
    public async Task A_department_handler_is_refused_the_page()
    {
        using var client = await SignedInAsync("handler1");

        using var response = await client.GetAsync(ReportPosting.PageUrl);

        Assert.True(response.StatusCode == HttpStatusCode.Forbidden
            || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("/error/403", StringComparison.Ordinal)),
            $"{(int)response.StatusCode} {response.Headers.Location}");
    }

    [Fact]
    public async Task A_forged_post_by_a_department_handler_creates_nothing()
    {
        var point = await app.PointInGridOfAsync("worker1");
        var categoryId = await app.CategoryIdAsync("0801");
        var submission = Guid.NewGuid();
        using var client = await SignedInAsync("handler1");
        // The handler cannot open the page, so the token comes from the home page of the same session.
        var home = await client.GetStringAsync("/");
        var token = System.Text.RegularExpressions.Regex.Match(home, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        using var content = new MultipartFormDataContent();
        content.Add(new StringContent(WebUtility.HtmlDecode(token)), "__RequestVerificationToken");
        content.Add(new StringContent("report"), "_handler");
        foreach (var (name, value) in ReportPosting.Fields(categoryId, point.Longitude, point.Latitude, "伪造的上报", submission))
        {
            content.Add(new StringContent(value), name);
        }

        using var response = await client.PostAsync(ReportPosting.PageUrl, content);

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("/cases/report/done", response.Headers.Location?.OriginalString ?? "", StringComparison.Ordinal);
        Assert.Equal(0, await CaseCountAsync(submission));
    }

    [Fact]
    public async Task A_post_of_the_old_form_by_a_grid_worker_creates_nothing_now_that_the_page_is_interactive()
    {
        var point = await app.PointInGridOfAsync("worker1");
        var submission = Guid.NewGuid();
        using var client = await SignedInAsync("worker1");

        using var response = await client.PostReportAsync(ReportPosting.Fields(await app.CategoryIdAsync("0801"), point.Longitude, point.Latitude, "旧表单的提交", submission),
            new ReportPhoto("a.png", TestImages.Png()));

        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{(int)response.StatusCode}");
        Assert.Equal(0, await CaseCountAsync(submission));
    }

    [Fact]
    public async Task The_done_page_of_a_case_someone_else_reported_is_not_found()
    {
        var point = await app.PointInGridOfAsync("worker1");
        var existing = await ExistingCaseAsync("0503", point, "路面油污");
        using var client = await SignedInAsync("worker1");

        using var response = await client.GetAsync($"/cases/report/done/{existing.Number}");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("页面不存在", html);
        Assert.DoesNotContain("data-testid=\"done-number\"", html);
        Assert.DoesNotContain("路面油污", html);
    }
}
