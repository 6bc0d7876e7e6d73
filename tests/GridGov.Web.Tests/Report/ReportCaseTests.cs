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

/// <summary>The report page (问题上报), its fragments and the done page, over real HTTP with multipart posts.</summary>
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

    /// <summary>The case number from the post-redirect-get to the done page.</summary>
    private string Number(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var path = new Uri(app.BaseAddress, response.Headers.Location!).AbsolutePath;
        Assert.StartsWith("/cases/report/done/", path);
        return path["/cases/report/done/".Length..];
    }

    [Fact]
    public async Task The_page_is_a_multipart_form_with_categories_grouped_by_major_class_and_the_worker_prefilled()
    {
        using var client = await SignedInAsync("worker1");

        var html = await client.GetStringAsync(ReportPosting.PageUrl);

        Assert.Contains("enctype=\"multipart/form-data\"", html);
        Assert.Contains("<optgroup label=\"01 公用设施\">", html);
        Assert.Contains("<optgroup label=\"08 街面秩序\">", html);
        Assert.Contains(">0801 占道经营</option>", html);
        Assert.Contains("capture=\"environment\"", html);
        Assert.Matches("name=\"Input.SubmissionId\" value=\"[0-9a-f-]{36}\"", html);
        Assert.Contains("<option value=\"GridWorkerPatrol\" selected>", html);
        Assert.Contains("data-testid=\"report-onspot\"", html);
        Assert.Contains("data-lock-reporter-on-patrol=\"true\"", html);
        Assert.Contains("data-report-map", html);
    }

    [Fact]
    public async Task A_dispatcher_gets_the_hotline_as_source_no_on_the_spot_option_and_is_told_that_attaching_merges()
    {
        using var client = await SignedInAsync("dispatcher1");

        var html = await client.GetStringAsync(ReportPosting.PageUrl);

        Assert.Contains("<option value=\"Hotline\" selected>", html);
        Assert.DoesNotContain("data-testid=\"report-onspot\"", html);
        Assert.Contains("由您直接合并到所选案件", html);
    }

    [Fact]
    public async Task A_grid_worker_reports_with_a_photo_and_the_done_page_shows_the_number_and_grid()
    {
        var point = await app.PointInGridOfAsync("worker1");
        var categoryId = await app.CategoryIdAsync("0801");
        var submission = Guid.NewGuid();
        using var client = await SignedInAsync("worker1");

        using var response = await client.PostReportAsync(
            ReportPosting.Fields(categoryId, point.Longitude, point.Latitude, "路口有流动摊贩占道经营，影响行人通行", submission),
            new ReportPhoto("现场.png", TestImages.Png()));
        var number = Number(response);
        var done = await client.GetStringAsync(response.Headers.Location);

        Assert.Matches("^[0-9]{14}$", number);
        Assert.Contains($"data-testid=\"done-number\">{number}<", done);
        Assert.Contains(point.GridCode, done);
        Assert.Contains(point.GridName, done);
        Assert.Contains($"href=\"/cases/{number}\"", done);
        var created = await CaseOfSubmissionAsync(submission);
        Assert.NotNull(created);
        Assert.Equal(number, created.Number);
        Assert.Equal(point.GridId, created.GridId);
        Assert.Equal(CaseState.Reported, created.State);
        Assert.Equal(CaseSource.GridWorkerPatrol, created.Source);
        var photo = Assert.Single(created.Evidence);
        Assert.Equal("image/png", photo.ContentType);
        Assert.Equal("现场.png", photo.FileName);
    }

    [Fact]
    public async Task A_point_outside_the_street_is_refused_with_a_chinese_message_next_to_the_map_and_no_case()
    {
        var (longitude, latitude) = await app.PointOutsideStreetAsync();
        var categoryId = await app.CategoryIdAsync("0801");
        var submission = Guid.NewGuid();
        using var client = await SignedInAsync("worker1");

        using var response = await client.PostReportAsync(
            ReportPosting.Fields(categoryId, longitude, latitude, "街道外的占道经营", submission), new ReportPhoto("a.png", TestImages.Png()));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-error-for=\"field-location\">上报位置不在本街道范围内，请在地图上重新选择<", html);
        Assert.Contains("街道外的占道经营</textarea>", html);
        Assert.Contains("data-testid=\"choose-photos-again\"", html);
        Assert.Equal(0, await CaseCountAsync(submission));
    }

    [Fact]
    public async Task A_text_file_named_jpg_is_refused_with_a_message_naming_the_file_and_no_case()
    {
        var point = await app.PointInGridOfAsync("worker1");
        var categoryId = await app.CategoryIdAsync("0801");
        var submission = Guid.NewGuid();
        using var client = await SignedInAsync("worker1");

        using var response = await client.PostReportAsync(
            ReportPosting.Fields(categoryId, point.Longitude, point.Latitude, "照片是文本文件", submission),
            new ReportPhoto("notes.jpg", Encoding.UTF8.GetBytes("this is not a photo"), "image/jpeg"));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-error-for=\"field-photos\">文件“notes.jpg”不是JPEG、PNG或WebP图片<", html);
        Assert.Equal(0, await CaseCountAsync(submission));
    }

    [Fact]
    public async Task A_photo_over_ten_megabytes_is_refused_before_anything_is_stored()
    {
        var point = await app.PointInGridOfAsync("worker1");
        var categoryId = await app.CategoryIdAsync("0801");
        var submission = Guid.NewGuid();
        using var client = await SignedInAsync("worker1");

        using var response = await client.PostReportAsync(
            ReportPosting.Fields(categoryId, point.Longitude, point.Latitude, "照片太大", submission),
            new ReportPhoto("big.png", TestImages.PngOfSize(11 * 1024 * 1024)));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("文件“big.png”超过10MB，请压缩后再上传", html);
        Assert.Equal(0, await CaseCountAsync(submission));
    }

    [Fact]
    public async Task Several_large_photos_beyond_the_server_default_body_limit_are_accepted()
    {
        var point = await app.PointInGridOfAsync("worker1");
        var categoryId = await app.CategoryIdAsync("0804");
        var submission = Guid.NewGuid();
        var photo = TestImages.PngOfSize(9 * 1024 * 1024);
        using var client = await SignedInAsync("worker1");

        // 4 × 9 MB = 36 MB: over Kestrel's 30 MB default, within the page's own limit.
        using var response = await client.PostReportAsync(
            ReportPosting.Fields(categoryId, point.Longitude, point.Latitude, "楼道堆放杂物，四张大照片", submission),
            Enumerable.Range(1, 4).Select(i => new ReportPhoto($"大图{i}.png", photo)).ToArray());

        Number(response);
        Assert.Equal(4, (await CaseOfSubmissionAsync(submission))!.Evidence.Count);
    }

    [Fact]
    public async Task A_missing_description_is_refused_with_a_message_and_what_was_typed_is_kept()
    {
        var point = await app.PointInGridOfAsync("worker1");
        var categoryId = await app.CategoryIdAsync("0801");
        var submission = Guid.NewGuid();
        var fields = ReportPosting.Fields(categoryId, point.Longitude, point.Latitude, "", submission);
        fields["Input.Address"] = "云帆路与白塔路交叉口";
        using var client = await SignedInAsync("worker1");

        using var response = await client.PostReportAsync(fields);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-error-for=\"field-description\">请填写问题描述<", html);
        Assert.Contains("value=\"云帆路与白塔路交叉口\"", html);
        Assert.Contains($"value=\"{categoryId}\" selected", html);
        Assert.Contains($"name=\"Input.SubmissionId\" value=\"{submission}\"", html);
        Assert.Equal(0, await CaseCountAsync(submission));
    }

    [Fact]
    public async Task A_missing_map_point_is_explained_next_to_the_map()
    {
        var categoryId = await app.CategoryIdAsync("0801");
        var fields = ReportPosting.Fields(categoryId, 0, 0, "只写了地址没有选点");
        fields["Input.Longitude"] = "";
        fields["Input.Latitude"] = "";
        using var client = await SignedInAsync("worker1");

        using var response = await client.PostReportAsync(fields);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-error-for=\"field-location\">请在地图上点击问题所在的位置。地址文字只作记录", html);
    }

    [Fact]
    public async Task The_same_submission_posted_twice_creates_one_case()
    {
        var point = await app.PointInGridOfAsync("worker1");
        var categoryId = await app.CategoryIdAsync("0302");
        var submission = Guid.NewGuid();
        var fields = ReportPosting.Fields(categoryId, point.Longitude, point.Latitude, "垃圾桶满溢（双击测试）", submission);
        using var client = await SignedInAsync("worker1");

        using var first = await client.PostReportAsync(fields, new ReportPhoto("a.png", TestImages.Png()));
        using var second = await client.PostReportAsync(fields, new ReportPhoto("a.png", TestImages.Png()));

        Assert.Equal(Number(first), Number(second));
        Assert.Equal(1, await CaseCountAsync(submission));
    }

    [Fact]
    public async Task A_department_handler_is_refused_the_page_the_post_and_the_fragments()
    {
        var point = await app.PointInGridOfAsync("worker1");
        var categoryId = await app.CategoryIdAsync("0801");
        using var client = await SignedInAsync("handler1");

        using var page = await client.GetAsync(ReportPosting.PageUrl);
        using var where = await client.GetAsync($"/cases/report/where?Input.Longitude={point.Longitude.ToString(CultureInfo.InvariantCulture)}&Input.Latitude={point.Latitude.ToString(CultureInfo.InvariantCulture)}");
        using var duplicates = await client.GetAsync($"/cases/report/duplicates?Input.CategoryId={categoryId}");

        foreach (var response in new[] { page, where, duplicates })
        {
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden
                || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("/error/403", StringComparison.Ordinal)),
                $"{response.RequestMessage!.RequestUri}: {(int)response.StatusCode} {response.Headers.Location}");
        }
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
    public async Task The_grid_fragment_names_the_community_and_grid_of_a_point_and_refuses_one_outside_the_street()
    {
        var point = await app.PointInGridOfAsync("worker1");
        var (outsideLongitude, outsideLatitude) = await app.PointOutsideStreetAsync();
        using var client = await SignedInAsync("worker1");

        var inside = await client.GetStringAsync(
            $"/cases/report/where?Input.Longitude={point.Longitude.ToString("R", CultureInfo.InvariantCulture)}&Input.Latitude={point.Latitude.ToString("R", CultureInfo.InvariantCulture)}");
        var outside = await client.GetStringAsync(
            $"/cases/report/where?Input.Longitude={outsideLongitude.ToString("R", CultureInfo.InvariantCulture)}&Input.Latitude={outsideLatitude.ToString("R", CultureInfo.InvariantCulture)}");
        var none = await client.GetStringAsync("/cases/report/where?Input.Longitude=&Input.Latitude=");

        var sequence = int.Parse(point.GridCode[^3..], CultureInfo.InvariantCulture);
        var community = point.GridName[..point.GridName.IndexOf('第', StringComparison.Ordinal)];
        Assert.Contains($"位于 {community} 第{sequence}网格", inside);
        Assert.Contains($"data-grid-code=\"{point.GridCode}\"", inside);
        Assert.Contains("不在本街道范围内", outside);
        Assert.Contains("data-testid=\"report-where-empty\"", none);
        Assert.DoesNotContain("<html", inside);
    }

    [Fact]
    public async Task The_duplicates_fragment_lists_a_nearby_open_case_of_the_same_category_only()
    {
        var point = await app.PointInGridOfAsync("worker1");
        var existing = await ExistingCaseAsync("0403", point, "绿化护栏倒伏（重复检测）");
        var sameCategory = await app.CategoryIdAsync("0403");
        var otherCategory = await app.CategoryIdAsync("0404");
        var nearby = $"Input.Longitude={(point.Longitude + 0.0001).ToString("R", CultureInfo.InvariantCulture)}&Input.Latitude={point.Latitude.ToString("R", CultureInfo.InvariantCulture)}";
        using var client = await SignedInAsync("worker1");

        var same = await client.GetStringAsync($"/cases/report/duplicates?Input.CategoryId={sameCategory}&{nearby}&Input.AttachTo={existing.Number}");
        var other = await client.GetStringAsync($"/cases/report/duplicates?Input.CategoryId={otherCategory}&{nearby}");
        var incomplete = await client.GetStringAsync($"/cases/report/duplicates?Input.CategoryId={sameCategory}");

        Assert.Contains($"data-case-number=\"{existing.Number}\"", same);
        Assert.Contains("这是同一问题，补充到该案件", same);
        Assert.Contains("绿化护栏倒伏（重复检测）", same);
        Assert.Contains($"name=\"Input.AttachTo\" value=\"{existing.Number}\" checked", same);
        Assert.DoesNotContain(existing.Number, other);
        Assert.Contains("data-testid=\"duplicates-pending\"", incomplete);
    }

    [Fact]
    public async Task The_duplicates_fragment_tells_a_grid_worker_only_that_a_case_outside_his_grids_exists_nearby()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
        var workerId = await db.Users.Where(u => u.UserName == "worker1").Select(u => u.StaffMemberId).SingleAsync();
        var ownGrids = await db.GridAssignments.Where(a => a.StaffMemberId == workerId).Select(a => a.GridCode).ToListAsync();
        var point = await db.Database.SqlQuery<GridPoint>($"""
            SELECT ST_X(p) AS "Longitude", ST_Y(p) AS "Latitude", id AS "GridId", code AS "GridCode", name AS "GridName"
            FROM (SELECT id, code, name, ST_PointOnSurface(boundary) AS p FROM grids WHERE valid_to IS NULL AND NOT (code = ANY({ownGrids.ToArray()}))
                  ORDER BY code DESC LIMIT 1) g
            """).SingleAsync();
        var elsewhere = await ExistingCaseAsync("0403", point, "别的网格的护栏倒伏（范围外）");
        var query = $"/cases/report/duplicates?Input.CategoryId={await app.CategoryIdAsync("0403")}"
                    + $"&Input.Longitude={point.Longitude.ToString("R", CultureInfo.InvariantCulture)}&Input.Latitude={point.Latitude.ToString("R", CultureInfo.InvariantCulture)}";
        using var worker = await SignedInAsync("worker1");
        using var dispatcher = await SignedInAsync("dispatcher1");

        var workerSees = await worker.GetStringAsync(query);
        var dispatcherSees = await dispatcher.GetStringAsync(query);

        Assert.DoesNotContain(elsewhere.Number, workerSees);
        Assert.DoesNotContain("别的网格的护栏倒伏", workerSees);
        Assert.DoesNotContain("云帆路1号", workerSees);
        Assert.Contains("data-testid=\"duplicates-elsewhere\"", workerSees);
        Assert.Contains("不在您的查看范围内", workerSees);
        Assert.Contains($"data-case-number=\"{elsewhere.Number}\"", dispatcherSees);
        Assert.Contains("别的网格的护栏倒伏（范围外）", dispatcherSees);
    }

    [Fact]
    public async Task A_dispatcher_attaching_a_hotline_call_merges_it_into_the_chosen_case()
    {
        var point = await app.PointInGridOfAsync("leader1");
        var existing = await ExistingCaseAsync("0506", point, "绿地里有动物尸体");
        var submission = Guid.NewGuid();
        var fields = ReportPosting.Fields(await app.CategoryIdAsync("0506"), point.Longitude, point.Latitude, "市民来电：草坪上有死猫", submission);
        fields["Input.Source"] = "Hotline";
        fields["Input.ReporterName"] = "周女士";
        fields["Input.ReporterPhone"] = "13655556666";
        fields["Input.AttachTo"] = existing.Number;
        using var client = await SignedInAsync("dispatcher1");

        using var response = await client.PostReportAsync(fields);
        var number = Number(response);
        var done = await client.GetStringAsync(response.Headers.Location);

        var created = await CaseOfSubmissionAsync(submission);
        Assert.Equal(CaseState.Merged, created!.State);
        Assert.Equal(existing.Id, created.MergedIntoCaseId);
        Assert.Equal("周女士", created.ReporterName);
        Assert.DoesNotContain("疑似与案件", created.Description);
        Assert.Contains($"已作为同一问题合并到案件{existing.Number}", done);
        Assert.Contains($"data-testid=\"done-number\">{number}<", done);
    }

    [Fact]
    public async Task A_grid_worker_attaching_leaves_the_case_number_in_the_description_for_the_dispatcher()
    {
        var point = await app.PointInGridOfAsync("worker1");
        var existing = await ExistingCaseAsync("0602", point, "电线杆上贴满小广告");
        var submission = Guid.NewGuid();
        var fields = ReportPosting.Fields(await app.CategoryIdAsync("0602"), point.Longitude, point.Latitude, "小广告又多了", submission);
        fields["Input.AttachTo"] = existing.Number;
        using var client = await SignedInAsync("worker1");

        using var response = await client.PostReportAsync(fields, new ReportPhoto("a.png", TestImages.Png()));
        Number(response);
        var done = await client.GetStringAsync(response.Headers.Location);

        var created = await CaseOfSubmissionAsync(submission);
        Assert.Equal(CaseState.Reported, created!.State);
        Assert.Null(created.MergedIntoCaseId);
        Assert.Equal($"小广告又多了（疑似与案件{existing.Number}重复）", created.Description);
        Assert.Contains($"已在描述中注明“疑似与案件{existing.Number}重复”", done);
    }

    [Fact]
    public async Task A_grid_worker_records_a_problem_handled_on_the_spot_with_its_result_and_photo()
    {
        var point = await app.PointInGridOfAsync("worker1");
        var submission = Guid.NewGuid();
        var fields = ReportPosting.Fields(await app.CategoryIdAsync("0806"), point.Longitude, point.Latitude, "共享单车堵住单元门口", submission);
        fields["Input.HandledOnSpot"] = "true";
        fields["Input.Result"] = "已将单车挪至停放区";
        using var client = await SignedInAsync("worker1");

        using var response = await client.PostReportAsync(fields, new ReportPhoto("after.png", TestImages.Png(red: 10)));
        Number(response);
        var done = await client.GetStringAsync(response.Headers.Location);

        var created = await CaseOfSubmissionAsync(submission);
        Assert.Equal(CaseState.HandledOnSpot, created!.State);
        Assert.Equal("已将单车挪至停放区", created.Result);
        Assert.Contains("现场处置已记录", done);
    }

    [Fact]
    public async Task Handled_on_the_spot_without_a_photo_or_result_is_refused_with_both_messages()
    {
        var point = await app.PointInGridOfAsync("worker1");
        var submission = Guid.NewGuid();
        var fields = ReportPosting.Fields(await app.CategoryIdAsync("0806"), point.Longitude, point.Latitude, "单车乱停", submission);
        fields["Input.HandledOnSpot"] = "true";
        using var client = await SignedInAsync("worker1");

        using var response = await client.PostReportAsync(fields);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Contains("data-error-for=\"field-photos\">现场处置的问题必须附上处置照片<", html);
        Assert.Contains("data-error-for=\"field-result\">已现场处置的，请填写处置结果<", html);
        Assert.Contains("id=\"report-onspot\" name=\"Input.HandledOnSpot\" value=\"true\" checked", html);
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
