using System.Globalization;
using System.Text;
using Bunit;
using GridGov.Application.Cases;
using GridGov.Domain.Cases;
using GridGov.Infrastructure.Persistence;
using GridGov.Web.Components.Pages.Cases;
using ReportPage = GridGov.Web.Components.Pages.Cases.ReportCase;
using ReportCase = GridGov.Application.Cases.ReportCase;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using GridGov.Web.Tests.Report;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace GridGov.Web.Tests.Components;

/// <summary>
/// The interactive report page (问题上报) with bUnit on the real application and database: what the old multipart
/// posts proved (photos checked, bad input refused next to its field with nothing written, attach and merge, replay of
/// one submission), plus what the circuit adds: picked photos survive a refused form, and a point outside the worker's
/// own grids is confirmed before it is sent.
/// </summary>
public sealed class ReportCaseComponentTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private Task<int> CaseCountAsync(Guid submissionId) => app.DbAsync(db => db.Cases.CountAsync(c => c.SubmissionId == submissionId));

    private Task<Case> CaseOfAsync(Guid submissionId) =>
        app.DbAsync(db => db.Cases.AsNoTracking().Include(c => c.Evidence).SingleAsync(c => c.SubmissionId == submissionId));

    private async Task<Case> ExistingCaseAsync(string categoryCode, GridPoint point, string description)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var categoryId = await app.CategoryIdAsync(categoryCode);
        return await scope.ServiceProvider.GetRequiredService<CaseWorkflowService>().ReportAsync(new ReportCase(
            categoryId, description, point.Longitude, point.Latitude, "云帆路1号", CaseSource.Resident, CasePriority.Normal, "李秀英", "13900001111", []),
            CaseActor.Public("李秀英"));
    }

    private async Task<GridPoint> PointOutsideOwnGridsAsync(string userName)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
        var staffId = await db.Users.Where(u => u.UserName == userName).Select(u => u.StaffMemberId).SingleAsync();
        var ownGrids = await db.GridAssignments.Where(a => a.StaffMemberId == staffId).Select(a => a.GridCode).ToListAsync();
        return await db.Database.SqlQuery<GridPoint>($"""
            SELECT ST_X(p) AS "Longitude", ST_Y(p) AS "Latitude", id AS "GridId", code AS "GridCode", name AS "GridName"
            FROM (SELECT id, code, name, ST_PointOnSurface(boundary) AS p FROM grids WHERE valid_to IS NULL AND NOT (code = ANY({ownGrids.ToArray()}))
                  ORDER BY code DESC LIMIT 1) g
            """).SingleAsync();
    }

    [Fact]
    public async Task A_grid_worker_reports_with_a_photo_and_is_taken_to_the_done_page()
    {
        var point = await app.PointInGridOfAsync("worker1");
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var page = ReportForm.Open(harness);

        await page.ChooseCategoryAsync("占道", "0801");
        page.Describe("路口有流动摊贩占道经营，影响行人通行");
        page.Address("云帆路88号东侧人行道");
        await page.PickPointAsync(point.Longitude, point.Latitude);
        page.Page.WaitForAssertion(() => Assert.Equal(point.GridCode, page.Page.Find("[data-testid=report-where]").GetAttribute("data-grid-code")));
        page.PickPhotos(("现场.png", TestImages.Png()));
        page.Page.WaitForAssertion(() => Assert.Single(page.Page.FindAll("[data-testid=report-preview]")));
        page.Submit();

        var number = page.WaitForDone();
        var created = await CaseOfAsync(page.SubmissionId);
        Assert.Equal(number, created.Number);
        Assert.Equal(point.GridId, created.GridId);
        Assert.Equal(CaseState.Reported, created.State);
        Assert.Equal(CaseSource.GridWorkerPatrol, created.Source);
        // The reporter defaults to the worker himself.
        var worker = await app.DbAsync(db => db.Users.Where(u => u.UserName == "worker1").Join(db.StaffMembers, u => u.StaffMemberId, s => s.Id, (u, s) => s.Name).SingleAsync());
        Assert.Equal(worker, created.ReporterName);
        var photo = Assert.Single(created.Evidence);
        Assert.Equal("image/png", photo.ContentType);
        Assert.Equal("现场.png", photo.FileName);
        Assert.Contains(harness.Snackbar.ShownSnackbars, s => s.Message?.Contains(number, StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task A_point_outside_the_street_is_refused_next_to_the_map_and_the_typed_text_and_picked_photo_stay_for_the_next_try()
    {
        var (longitude, latitude) = await app.PointOutsideStreetAsync();
        var point = await app.PointInGridOfAsync("worker1");
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var page = ReportForm.Open(harness);

        await page.ChooseCategoryAsync("占道", "0801");
        page.Describe("街道外的占道经营");
        page.Address("云帆路88号");
        page.PickPhotos(("现场.png", TestImages.Png()));
        await page.PickPointAsync(longitude, latitude);
        page.Page.WaitForAssertion(() => Assert.Equal("outside", page.Page.Find("[data-testid=report-where]").GetAttribute("data-where")));
        page.Submit();

        page.Page.WaitForAssertion(() => Assert.Equal("上报位置不在本街道范围内，请在地图上重新选择", page.ErrorFor("location")));
        Assert.Equal(0, await CaseCountAsync(page.SubmissionId));
        Assert.Equal("街道外的占道经营", page.Page.Find("textarea#report-description").GetAttribute("value") ?? page.Page.Find("textarea#report-description").TextContent);
        Assert.Single(page.Page.FindAll("[data-testid=report-preview]"));

        // The same form, the point corrected: the photo picked before goes with it.
        await page.PickPointAsync(point.Longitude, point.Latitude);
        page.Submit();
        page.WaitForDone();
        var created = await CaseOfAsync(page.SubmissionId);
        Assert.Equal("现场.png", Assert.Single(created.Evidence).FileName);
    }

    [Fact]
    public async Task A_text_file_named_jpg_is_refused_when_picked_with_a_message_naming_the_file_and_no_case_is_made()
    {
        var point = await app.PointInGridOfAsync("worker1");
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var page = ReportForm.Open(harness);
        await page.FillAsync(point, "0801", "占道", "照片是文本文件");

        page.PickPhotos(("notes.jpg", Encoding.UTF8.GetBytes("this is not a photo")), ("ok.png", TestImages.Png()));

        page.Page.WaitForAssertion(() => Assert.Equal("文件“notes.jpg”不是JPEG、PNG或WebP图片", page.ErrorFor("photos")));
        Assert.Single(page.Page.FindAll("[data-testid=report-preview]")); // the good one is kept
        Assert.Equal(0, await CaseCountAsync(page.SubmissionId));
    }

    [Fact]
    public async Task A_photo_over_ten_megabytes_or_a_tenth_photo_is_refused_when_picked()
    {
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var page = ReportForm.Open(harness);

        page.PickPhotos(("big.png", TestImages.PngOfSize(11 * 1024 * 1024)));
        page.Page.WaitForAssertion(() => Assert.Equal("文件“big.png”超过10MB，请压缩后再上传", page.ErrorFor("photos")));
        Assert.Empty(page.Page.FindAll("[data-testid=report-preview]"));

        page.PickPhotos([.. Enumerable.Range(1, 10).Select(i => ($"p{i}.png", TestImages.Png(red: (byte)i)))]);
        page.Page.WaitForAssertion(() => Assert.Equal("一次最多上传9张照片（已选择10张）", page.ErrorFor("photos")));
        Assert.Equal(9, page.Page.FindAll("[data-testid=report-preview]").Count);
    }

    [Fact]
    public async Task Several_large_photos_stream_through_the_circuit_and_are_stored()
    {
        var point = await app.PointInGridOfAsync("worker1");
        var photo = TestImages.PngOfSize(9 * 1024 * 1024);
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var page = ReportForm.Open(harness);
        await page.FillAsync(point, "0804", "0804", "楼道堆放杂物，四张大照片");

        page.PickPhotos([.. Enumerable.Range(1, 4).Select(i => ($"大图{i}.png", photo))]);
        page.Page.WaitForAssertion(() => Assert.Equal(4, page.Page.FindAll("[data-testid=report-preview]").Count));
        page.Submit();

        page.WaitForDone();
        Assert.Equal(4, (await CaseOfAsync(page.SubmissionId)).Evidence.Count);
    }

    [Fact]
    public async Task Missing_fields_are_named_under_each_field_what_was_typed_stays_and_nothing_is_written()
    {
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var page = ReportForm.Open(harness);
        page.Address("云帆路与白塔路交叉口");
        var submission = page.SubmissionId;

        page.Submit();

        page.Page.WaitForAssertion(() => Assert.Equal("请填写问题描述", page.ErrorFor("description")));
        Assert.Equal("请选择问题类别", page.ErrorFor("category"));
        Assert.Equal("请在地图上点击问题所在的位置。地址文字只作记录，所属网格要根据地图上的点来确定。", page.ErrorFor("location"));
        Assert.Equal("云帆路与白塔路交叉口", page.Page.Find("input#report-address").GetAttribute("value"));
        Assert.Equal(submission, page.SubmissionId);
        Assert.NotNull(page.Page.Find("[data-testid=report-errors]"));
        Assert.Equal(0, await CaseCountAsync(submission));
    }

    [Fact]
    public async Task The_same_form_sent_twice_makes_one_case()
    {
        var point = await app.PointInGridOfAsync("worker1");
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var page = ReportForm.Open(harness);
        await page.FillAsync(point, "0302", "0302", "垃圾桶满溢（双击测试）");
        page.PickPhotos(("a.png", TestImages.Png()));
        page.Page.WaitForAssertion(() => Assert.Single(page.Page.FindAll("[data-testid=report-preview]")));

        page.Submit();
        var first = page.WaitForDone();
        harness.Navigation.NavigateTo("/cases/report");
        page.Submit();
        var second = page.WaitForDone();

        Assert.Equal(first, second);
        Assert.Equal(1, await CaseCountAsync(page.SubmissionId));
    }

    [Fact]
    public async Task The_grid_box_names_the_community_and_grid_of_a_point_and_says_when_it_is_outside_the_street()
    {
        var point = await app.PointInGridOfAsync("worker1");
        var (outsideLongitude, outsideLatitude) = await app.PointOutsideStreetAsync();
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var page = ReportForm.Open(harness);

        Assert.NotNull(page.Page.Find("[data-testid=report-where-empty]"));
        await page.PickPointAsync(point.Longitude, point.Latitude);
        var sequence = int.Parse(point.GridCode[^3..], CultureInfo.InvariantCulture);
        var community = point.GridName[..point.GridName.IndexOf('第', StringComparison.Ordinal)];
        page.Page.WaitForAssertion(() => Assert.Contains($"位于 {community} 第{sequence}网格", page.Page.Find("[data-testid=report-where]").TextContent));
        Assert.Equal("false", page.Page.Find("[data-testid=report-where]").GetAttribute("data-outside-own"));
        await page.PickPointAsync(outsideLongitude, outsideLatitude);
        page.Page.WaitForAssertion(() => Assert.Contains("不在本街道范围内", page.Page.Find("[data-testid=report-where]").TextContent));
    }

    [Fact]
    public async Task A_point_outside_the_worker_s_own_grids_is_flagged_and_confirmed_before_it_is_sent()
    {
        var elsewhere = await PointOutsideOwnGridsAsync("worker1");
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var page = ReportForm.Open(harness);
        await page.FillAsync(elsewhere, "0302", "0302", "别的网格的垃圾桶满溢");
        page.Page.WaitForAssertion(() => Assert.NotNull(page.Page.Find("[data-testid=report-outside-own]")));

        page.Submit();
        harness.Dialogs.WaitForAssertion(() => Assert.Contains("不在您负责的网格内", harness.Dialogs.Markup));
        harness.Dialogs.FindAll("button").Single(b => b.TextContent.Contains("取消", StringComparison.Ordinal)).Click();
        harness.Dialogs.WaitForAssertion(() => Assert.DoesNotContain("不在您负责的网格内", harness.Dialogs.Markup));
        Assert.Equal(0, await CaseCountAsync(page.SubmissionId));

        page.Submit();
        harness.Dialogs.WaitForAssertion(() => Assert.Contains("仍然上报", harness.Dialogs.Markup));
        harness.Dialogs.FindAll("button").Single(b => b.TextContent.Contains("仍然上报", StringComparison.Ordinal)).Click();
        page.WaitForDone();
        Assert.Equal(elsewhere.GridId, (await CaseOfAsync(page.SubmissionId)).GridId);
    }

    [Fact]
    public async Task Nearby_open_cases_of_the_same_category_are_listed_and_not_those_of_another_category()
    {
        var point = await app.PointInGridOfAsync("worker1");
        var existing = await ExistingCaseAsync("0403", point, "绿化护栏倒伏（重复检测）");
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var page = ReportForm.Open(harness);

        Assert.NotNull(page.Page.Find("[data-testid=duplicates-pending]"));
        await page.PickPointAsync(point.Longitude + 0.0001, point.Latitude);
        await page.ChooseCategoryAsync("0403", "0403");
        page.Page.WaitForAssertion(() => Assert.NotNull(page.Page.Find($"[data-testid=duplicate][data-case-number='{existing.Number}']")));
        Assert.Contains("这是同一问题，补充到该案件", page.Page.Markup);
        Assert.Contains("绿化护栏倒伏（重复检测）", page.Page.Markup);

        await page.ChooseCategoryAsync("0404", "0404");
        page.Page.WaitForAssertion(() => Assert.DoesNotContain(existing.Number, page.Page.Find("[data-testid=report-duplicates-box]").TextContent));
    }

    [Fact]
    public async Task A_grid_worker_is_told_only_that_a_case_outside_his_grids_exists_nearby_while_a_dispatcher_sees_it()
    {
        var point = await PointOutsideOwnGridsAsync("worker1");
        var elsewhere = await ExistingCaseAsync("0403", point, "别的网格的护栏倒伏（范围外）");

        await using (var harness = await ComponentHarness.SignedInAsync(app, "worker1"))
        {
            var page = ReportForm.Open(harness);
            await page.PickPointAsync(point.Longitude, point.Latitude);
            await page.ChooseCategoryAsync("0403", "0403");
            page.Page.WaitForAssertion(() => Assert.NotNull(page.Page.Find("[data-testid=duplicates-elsewhere]")));
            var box = page.Page.Find("[data-testid=report-duplicates-box]").TextContent;
            Assert.DoesNotContain(elsewhere.Number, box);
            Assert.DoesNotContain("别的网格的护栏倒伏", box);
            Assert.DoesNotContain("云帆路1号", box);
            Assert.Contains("不在您的查看范围内", box);
        }
        await using (var harness = await ComponentHarness.SignedInAsync(app, "dispatcher1"))
        {
            var page = ReportForm.Open(harness);
            await page.PickPointAsync(point.Longitude, point.Latitude);
            await page.ChooseCategoryAsync("0403", "0403");
            page.Page.WaitForAssertion(() => Assert.NotNull(page.Page.Find($"[data-testid=duplicate][data-case-number='{elsewhere.Number}']")));
            Assert.Contains("别的网格的护栏倒伏（范围外）", page.Page.Markup);
        }
    }

    [Fact]
    public async Task A_dispatcher_attaching_a_hotline_call_merges_it_into_the_chosen_case()
    {
        var point = await app.PointInGridOfAsync("leader1");
        var existing = await ExistingCaseAsync("0506", point, "绿地里有动物尸体");
        await using var harness = await ComponentHarness.SignedInAsync(app, "dispatcher1");
        var page = ReportForm.Open(harness);
        Assert.Contains("由您直接合并到所选案件", page.Page.Find("[data-testid=attach-explained]").TextContent);
        await page.FillAsync(point, "0506", "0506", "市民来电：草坪上有死猫");
        page.ReporterName("周女士");
        page.ReporterPhone("13655556666");

        page.ChooseDuplicate(existing.Number);
        page.Submit();

        var url = page.WaitForDoneUrl();
        Assert.EndsWith($"?attached={existing.Number}", url, StringComparison.Ordinal);
        var created = await CaseOfAsync(page.SubmissionId);
        Assert.Equal(CaseState.Merged, created.State);
        Assert.Equal(existing.Id, created.MergedIntoCaseId);
        Assert.Equal("周女士", created.ReporterName);
        Assert.Equal(CaseSource.Hotline, created.Source);
        Assert.DoesNotContain("疑似与案件", created.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_grid_worker_attaching_leaves_the_case_number_in_the_description_for_the_dispatcher()
    {
        var point = await app.PointInGridOfAsync("worker1");
        var existing = await ExistingCaseAsync("0602", point, "电线杆上贴满小广告");
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var page = ReportForm.Open(harness);
        Assert.Contains("合并由座席员研判办理", page.Page.Find("[data-testid=attach-explained]").TextContent);
        await page.FillAsync(point, "0602", "0602", "小广告又多了");

        page.ChooseDuplicate(existing.Number);
        page.Submit();

        page.WaitForDone();
        var created = await CaseOfAsync(page.SubmissionId);
        Assert.Equal(CaseState.Reported, created.State);
        Assert.Null(created.MergedIntoCaseId);
        Assert.Equal($"小广告又多了（疑似与案件{existing.Number}重复）", created.Description);
    }

    [Fact]
    public async Task Handled_on_the_spot_needs_a_result_and_a_photo_and_then_is_recorded()
    {
        var point = await app.PointInGridOfAsync("worker1");
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var page = ReportForm.Open(harness);
        await page.FillAsync(point, "0806", "0806", "共享单车堵住单元门口");

        page.HandledOnSpot();
        page.Submit();
        page.Page.WaitForAssertion(() => Assert.Equal("现场处置的问题必须附上处置照片", page.ErrorFor("photos")));
        Assert.Equal("已现场处置的，请填写处置结果", page.ErrorFor("result"));
        Assert.Equal(0, await CaseCountAsync(page.SubmissionId));

        page.Page.Find("textarea#report-result").Change("已将单车挪至停放区");
        page.PickPhotos(("after.png", TestImages.Png(red: 10)));
        page.Page.WaitForAssertion(() => Assert.Single(page.Page.FindAll("[data-testid=report-preview]")));
        page.Submit();

        page.WaitForDone();
        var created = await CaseOfAsync(page.SubmissionId);
        Assert.Equal(CaseState.HandledOnSpot, created.State);
        Assert.Equal("已将单车挪至停放区", created.Result);
    }
}

/// <summary>Drives the report page the way a person does: type, pick from lists, tap the map (its JS callback), pick photos.</summary>
internal sealed class ReportForm
{
    private readonly ComponentHarness _harness;

    private ReportForm(ComponentHarness harness, IRenderedComponent<ReportPage> page)
    {
        _harness = harness;
        Page = page;
    }

    public IRenderedComponent<ReportPage> Page { get; }

    public Guid SubmissionId => Guid.Parse(Page.Find("[data-testid=report-form]").GetAttribute("data-submission")!);

    public static ReportForm Open(ComponentHarness harness)
    {
        var page = harness.Page<ReportPage>("/cases/report");
        page.WaitForElement("[data-testid=report-form]");
        return new ReportForm(harness, page);
    }

    /// <summary>Types <paramref name="search"/> into the category box and picks the option whose code is <paramref name="code"/>.</summary>
    public Task ChooseCategoryAsync(string search, string code)
    {
        var option = Page.Instance.Form!.Categories.SelectMany(g => g.Minors).Single(o => o.Code == code);
        // Found again on each try: the page may re-render (the duplicates box) between finding and typing.
        Page.WaitForAssertion(() => Page.Find("input#report-category").Input(search));
        _harness.Popovers.WaitForAssertion(() => Assert.NotEmpty(_harness.Popovers.FindAll($"[data-category='{option.Id}']")));
        _harness.Popovers.Find($"[data-category='{option.Id}']").Click();
        Page.WaitForAssertion(() => Assert.Equal($"{option.Code} {option.Name}", Page.Find("input#report-category").GetAttribute("value")));
        return Task.CompletedTask;
    }

    public void Describe(string text) => Page.Find("textarea#report-description").Change(text);

    public void Address(string text) => Page.Find("input#report-address").Change(text);

    public void ReporterName(string text) => Page.Find("input#report-reporter-name").Change(text);

    public void ReporterPhone(string text) => Page.Find("input#report-reporter-phone").Change(text);

    /// <summary>What map.js does on a tap: calls the page back with the point.</summary>
    public Task PickPointAsync(double longitude, double latitude) => Page.InvokeAsync(() => Page.Instance.PointPicked(longitude, latitude));

    public async Task FillAsync(Report.GridPoint point, string categoryCode, string search, string description)
    {
        await ChooseCategoryAsync(search, categoryCode);
        Describe(description);
        Address("云帆路88号东侧人行道");
        await PickPointAsync(point.Longitude, point.Latitude);
        Page.WaitForAssertion(() => Assert.NotNull(Page.Find("[data-testid=report-where]")));
    }

    public void PickPhotos(params (string Name, byte[] Content)[] files) =>
        Page.FindComponents<InputFile>().Single(f => f.Find("input").Id == "report-photos")
            .UploadFiles([.. files.Select(f => InputFileContent.CreateFromBinary(f.Content, f.Name, contentType: f.Name.EndsWith(".png", StringComparison.Ordinal) ? "image/png" : "image/jpeg"))]);

    public void ChooseDuplicate(string number)
    {
        Page.WaitForAssertion(() => Assert.NotNull(Page.Find($"[data-testid=duplicate][data-case-number='{number}']")));
        Page.Find($"[data-testid=duplicate][data-case-number='{number}'] input[type=radio]").Click();
        Page.WaitForAssertion(() => Assert.Equal("true", Page.Find($"[data-testid=duplicate][data-case-number='{number}']").GetAttribute("data-chosen")));
    }

    public void HandledOnSpot()
    {
        var box = Page.Find("[data-testid=report-onspot]");
        var input = box.TagName == "INPUT" ? box : box.QuerySelector("input[type=checkbox]") ?? throw new InvalidOperationException(box.OuterHtml);
        input.Change(true);
        Page.WaitForElement("textarea#report-result");
    }

    /// <summary>Clicks the submit button once it is enabled (found again each try: the page re-renders while it works).</summary>
    public void Submit() => Page.WaitForAssertion(() =>
    {
        var button = Page.Find("button[data-testid=report-submit]");
        Assert.False(button.HasAttribute("disabled"));
        button.Click();
    });

    /// <summary>The message shown for a field (next to it), or null.</summary>
    public string? ErrorFor(string field)
    {
        var own = Page.FindAll($"[data-error-for='field-{field}']");
        if (own.Count > 0)
        {
            return own[0].TextContent.Trim();
        }
        var helper = Page.FindAll($"#field-{field} .mud-input-helper-text.mud-input-error");
        return helper.Count > 0 ? helper[0].TextContent.Trim() : null;
    }

    public string WaitForDoneUrl()
    {
        Page.WaitForAssertion(() => Assert.Contains("/cases/report/done/", _harness.Navigation.Uri, StringComparison.Ordinal));
        var url = _harness.Navigation.Uri;
        return url;
    }

    public string WaitForDone()
    {
        var url = WaitForDoneUrl();
        var path = new Uri(url).AbsolutePath;
        var number = path["/cases/report/done/".Length..];
        Assert.Matches("^[0-9]{14}$", number);
        return number;
    }
}
