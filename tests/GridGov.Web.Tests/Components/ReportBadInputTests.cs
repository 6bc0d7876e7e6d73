using System.Globalization;
using System.Text;
using Bunit;
using GridGov.Application.Cases;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Infrastructure.Persistence;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using GridGov.Web.Tests.Report;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace GridGov.Web.Tests.Components;

/// <summary>
/// The report form's share of the bad-input corpus (formerly multipart posts in Security/BadInputCorpusTests), now that the
/// page is interactive: what a person can type or pick goes through the page (bUnit), what only a forged circuit message
/// could carry (an unknown category id, an impossible point, an undefined priority) through the use case the page calls.
/// Each: a Chinese message, nothing written, never an unexpected exception.
/// </summary>
public sealed class ReportBadInputTests(WebAppFixture app, ITestOutputHelper output) : IClassFixture<WebAppFixture>
{
    private const string Script = "<script>alert('gg')</script>";
    private static readonly string[] BadPhones = ["123", "1381234567a", "+86 13812345678 ext"];
    private static readonly (double Lng, double Lat)[] BadPoints = [(116.397, 39.908), (200, 100), (double.NaN, 31.3), (double.NaN, double.PositiveInfinity), (0, 0)];
    private static readonly (string Label, string Character)[] ControlCharacters = [("NUL", "\0"), ("ESC", "\u001b")];

    private static readonly byte[] Jpeg = Convert.FromBase64String("/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AKp//2Q==");

    private static string Long(int length) => new('长', length);


    private Task<(int Cases, int History, int Notifications)> FingerprintAsync() => app.DbAsync(async db =>
        (await db.Cases.CountAsync(), await db.CaseHistory.CountAsync(), await db.Notifications.CountAsync()));

    private async Task<CaseActor> WorkerAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
        var staffId = await db.Users.Where(u => u.UserName == "worker1").Select(u => u.StaffMemberId!.Value).SingleAsync();
        return await scope.ServiceProvider.GetRequiredService<CaseActors>().ForStaffAsync(staffId);
    }

    [Fact]
    public async Task Bad_input_sent_through_the_report_use_case_is_refused_in_chinese_and_writes_nothing()
    {
        var point = await app.PointInGridOfAsync("worker1");
        var categoryId = await app.CategoryIdAsync("0801");
        var worker = await WorkerAsync();
        ReportRequest Baseline() => new(categoryId, "井盖缺失，需尽快处理", point.Longitude, point.Latitude, "测试路3号", CaseSource.GridWorkerPatrol,
            CasePriority.Normal, "孙上报", "13611114444", [new EvidenceUpload("photo.jpg", new MemoryStream(Jpeg))], Guid.NewGuid());
        var corpus = new List<(string Name, Func<ReportRequest> Request, string? Expect)>
        {
            ("description empty", () => Baseline() with { Description = "" }, "问题描述"),
            ("description over-long", () => Baseline() with { Description = Long(3000) }, "问题描述"),
            ("script description without a category", () => Baseline() with { Description = Script, CategoryId = 0 }, "类别"),
            ("address over-long", () => Baseline() with { Address = Long(500) }, "地址"),
            ("category 99999999", () => Baseline() with { CategoryId = 99_999_999 }, "类别"),
            ("category -1", () => Baseline() with { CategoryId = -1 }, "类别"),
            ("priority Bogus", () => Baseline() with { Priority = (CasePriority)999 }, null),
            ("priority -1", () => Baseline() with { Priority = (CasePriority)(-1) }, null),
            ("source 999", () => Baseline() with { Source = (CaseSource)999 }, null),
            ("reporter name missing", () => Baseline() with { ReporterName = "" }, "上报人"),
            ("reporter name over-long", () => Baseline() with { ReporterName = Long(300) }, "上报人"),
            ("attach to abc with no description", () => Baseline() with { AttachTo = "abc", Description = "" }, "重复案件"),
            ("a text file named .jpg", () => Baseline() with { Photos = [new("photo.jpg", new MemoryStream(Encoding.UTF8.GetBytes("this is not a picture")))] }, "图片"),
            ("an HTML file named .png", () => Baseline() with { Photos = [new("photo.png", new MemoryStream(Encoding.UTF8.GetBytes("<html><script>alert(1)</script></html>")))] }, "图片"),
            ("an empty file", () => Baseline() with { Photos = [new("photo.jpg", new MemoryStream())] }, "空文件"),
            ("a photo over 10 MB", () => Baseline() with { Photos = [new("big.jpg", new MemoryStream([.. Jpeg, .. new byte[11 * 1024 * 1024]]))] }, "10MB"),
            ("ten photos", () => Baseline() with { Photos = [.. Enumerable.Range(0, 10).Select(i => new EvidenceUpload($"p{i}.jpg", new MemoryStream(Jpeg)))] }, "9张"),
            ("handled on the spot with no photo or result", () => Baseline() with { HandledOnSpot = true, Photos = [] }, null),
        };
        foreach (var phone in BadPhones)
        {
            corpus.Add(($"reporter phone {phone}", () => Baseline() with { ReporterPhone = phone }, "电话"));
        }
        foreach (var (lng, lat) in BadPoints)
        {
            corpus.Add(($"point {lng.ToString(CultureInfo.InvariantCulture)},{lat.ToString(CultureInfo.InvariantCulture)}", () => Baseline() with { Longitude = lng, Latitude = lat }, null));
        }

        var failures = new List<string>();
        foreach (var (name, request, expect) in corpus)
        {
            var before = await FingerprintAsync();
            string? message = null;
            try
            {
                await using var scope = app.Services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<CaseReporting>().ReportAsync(request(), worker);
                failures.Add($"{name}: accepted");
            }
            catch (DomainException exception)
            {
                message = exception.Message;
            }
#pragma warning disable CA1031 // every other exception is what this test looks for
            catch (Exception exception)
#pragma warning restore CA1031
            {
                failures.Add($"{name}: {exception.GetType().Name} {exception.Message}");
            }
            if (!ComponentHarness.IsChinese(message))
            {
                failures.Add($"{name}: no Chinese message ({message})");
            }
            if (expect is not null && message?.Contains(expect, StringComparison.Ordinal) != true)
            {
                failures.Add($"{name}: message does not say '{expect}' ({message})");
            }
            if (before != await FingerprintAsync())
            {
                failures.Add($"{name}: wrote");
            }
            output.WriteLine($"{name} → {message}");
        }
        output.WriteLine($"Report use case bad inputs: {corpus.Count}; failures: {failures.Count}");

        Assert.True(corpus.Count >= 25, $"only {corpus.Count} inputs");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Impossible_points_and_categories_give_no_grid_and_no_duplicates_never_an_error()
    {
        var worker = await WorkerAsync();
        var categoryId = await app.CategoryIdAsync("0801");
        await using var scope = app.Services.CreateAsyncScope();
        var reporting = scope.ServiceProvider.GetRequiredService<CaseReporting>();

        foreach (var (lng, lat) in BadPoints.Append((1000, 1000)).Append((double.NegativeInfinity, -1000)))
        {
            var place = await reporting.PlaceAsync(lng, lat, worker);
            Assert.NotEqual(ReportPlaceKind.InGrid, place.Kind);
            Assert.False(place.OutsideOwnGrids);
            var nearby = await reporting.DuplicatesAsync(categoryId, lng, lat, worker);
            Assert.True(nearby is null || nearby.Cases.Count == 0, $"{lng},{lat}");
        }
        Assert.Null(await reporting.DuplicatesAsync(99_999_999, 120.6, 31.3, worker));
        Assert.Null(await reporting.DuplicatesAsync(-1, 120.6, 31.3, worker));
        Assert.Null(await reporting.DuplicatesAsync(null, 120.6, 31.3, worker));
    }

    [Fact]
    public async Task Bad_input_typed_or_picked_on_the_page_is_refused_next_to_its_field_and_writes_nothing()
    {
        var point = await app.PointInGridOfAsync("worker1");
        var failures = new List<string>();
        var tried = 0;

        async Task TryAsync(string name, string field, string? expect, Func<ReportForm, Task> spoil, bool photo = true, bool category = true)
        {
            tried++;
            await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
            var page = ReportForm.Open(harness);
            if (category)
            {
                await page.FillAsync(point, "0801", "0801", "井盖缺失，需尽快处理");
            }
            else
            {
                page.Describe("井盖缺失，需尽快处理");
                page.Address("测试路3号");
                await page.PickPointAsync(point.Longitude, point.Latitude);
            }
            if (photo)
            {
                page.PickPhotos(("photo.jpg", Jpeg));
                page.Page.WaitForAssertion(() => Assert.Single(page.Page.FindAll("[data-testid=report-preview]")));
            }
            var before = await FingerprintAsync();
            await spoil(page);
            page.Submit();
            string? message = null;
            try
            {
                page.Page.WaitForAssertion(() => Assert.NotNull(page.ErrorFor(field)), TimeSpan.FromSeconds(10));
                message = page.ErrorFor(field);
            }
            catch (Bunit.Extensions.WaitForHelpers.WaitForFailedException)
            {
                failures.Add($"{name}: no message under {field} (at {harness.Navigation.Uri})");
            }
            if (message is not null && !ComponentHarness.IsChinese(message))
            {
                failures.Add($"{name}: not Chinese ({message})");
            }
            if (message is not null && expect is not null && !message.Contains(expect, StringComparison.Ordinal))
            {
                failures.Add($"{name}: message does not say '{expect}' ({message})");
            }
            if (message?.Contains("<script>", StringComparison.Ordinal) == true && page.Page.Markup.Contains(Script, StringComparison.Ordinal))
            {
                failures.Add($"{name}: script unescaped");
            }
            if (before != await FingerprintAsync())
            {
                failures.Add($"{name}: wrote");
            }
            output.WriteLine($"{name} → {message}");
        }

        await TryAsync("description empty", "description", "问题描述", page => { page.Describe(""); return Task.CompletedTask; });
        await TryAsync("address empty", "address", "地址", page => { page.Address(" "); return Task.CompletedTask; });
        await TryAsync("reporter name missing", "reportername", "上报人", page =>
        {
            page.Page.Find("input#report-reporter-name").Change(""); // read-only on patrol: a hotline call makes it editable
            return Task.CompletedTask;
        });
        foreach (var typed in new[] { "abc", "99999999", "-1" })
        {
            await TryAsync($"category typed '{typed}' and nothing picked", "category", "类别", page =>
            {
                page.Page.Find("input#report-category").Input(typed);
                page.Page.Find("input#report-category").Blur();
                return Task.CompletedTask;
            }, category: false);
        }
        foreach (var (lng, lat) in BadPoints.Where(p => double.IsFinite(p.Lng) && double.IsFinite(p.Lat)))
        {
            await TryAsync($"point {lng.ToString(CultureInfo.InvariantCulture)},{lat.ToString(CultureInfo.InvariantCulture)}", "location", null,
                page => page.PickPointAsync(lng, lat));
        }
        foreach (var (field, input, value) in new[]
                 {
                     ("description", "textarea#report-description", "井盖缺失"), ("address", "input#report-address", "测试路3号"),
                     ("reportername", "input#report-reporter-name", "孙上报"), ("reporterphone", "input#report-reporter-phone", "13611114444"),
                 })
        {
            foreach (var (label, control) in ControlCharacters)
            {
                await TryAsync($"control character {label} in {field}", field, "控制字符", page =>
                {
                    page.Page.Find(input).Change(value + control + "x");
                    return Task.CompletedTask;
                });
            }
        }
        foreach (var (name, file, bytes, expect) in new[]
                 {
                     ("a text file named .jpg", "photo.jpg", Encoding.UTF8.GetBytes("this is not a picture"), "图片"),
                     ("an HTML file named .png", "photo.png", Encoding.UTF8.GetBytes("<html><script>alert(1)</script></html>"), "图片"),
                     ("an empty file", "photo.jpg", Array.Empty<byte>(), "空文件"),
                     ("a photo over 10 MB", "big.jpg", [.. Jpeg, .. new byte[11 * 1024 * 1024]], "10MB"),
                 })
        {
            tried++;
            await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
            var page = ReportForm.Open(harness);
            page.PickPhotos((file, bytes));
            page.Page.WaitForAssertion(() => Assert.NotNull(page.ErrorFor("photos")));
            var message = page.ErrorFor("photos")!;
            if (!message.Contains(expect, StringComparison.Ordinal) || page.Page.FindAll("[data-testid=report-preview]").Count != 0)
            {
                failures.Add($"{name}: {message}");
            }
            output.WriteLine($"{name} (picked) → {message}");
        }
        output.WriteLine($"Report page bad inputs: {tried}; failures: {failures.Count}");

        Assert.True(tried >= 18, $"only {tried} inputs");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
