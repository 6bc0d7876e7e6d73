using System.Diagnostics;
using System.Globalization;
using GridGov.Infrastructure.Persistence;
using GridGov.TestSupport.GridGov;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace GridGov.Web.Tests.Report;

public sealed class ReportBrowserTests(WebAppFixture app, ChromiumFixture chromium, ITestOutputHelper output)
    : IClassFixture<WebAppFixture>, IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task A_grid_worker_on_a_phone_picks_a_category_clicks_the_map_attaches_a_photo_and_sees_the_case_number()
    {
        var point = await app.PointInGridOfAsync("worker1");
        var categoryId = (await app.CategoryIdAsync("0801")).ToString(CultureInfo.InvariantCulture);
        await using var context = await chromium.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            IsMobile = true,
            HasTouch = true,
            Locale = "zh-CN",
        });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        await page.GotoAsync("/account/login");
        await page.FillAsync("#username", "worker1");
        await page.FillAsync("#password", DemoStreetDatabaseFixture.DemoPassword);
        await page.ClickAsync("[data-testid=login-submit]");
        await page.WaitForURLAsync(url => url.EndsWith("/inbox", StringComparison.Ordinal), ChromiumFixture.Arrived); // a grid worker lands on the inbox

        var watch = Stopwatch.StartNew();
        await page.GotoAsync("/cases/report");
        await page.Locator("[data-render=interactive]").WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        var map = page.Locator("[data-testid=report-map][data-map-state=ready]");
        await map.WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        output.WriteLine($"Report page interactive with its map in {watch.ElapsedMilliseconds} ms");

        // The map opens on the worker's own grids: they are drawn and framed, the point's grid among them.
        Assert.True(int.Parse(await map.GetAttributeAsync("data-focused") ?? "0", CultureInfo.InvariantCulture) >= 1);
        Assert.Contains(point.GridCode, await map.GetAttributeAsync("data-own-grids") ?? "", StringComparison.Ordinal);
        Assert.True(await map.EvaluateAsync<bool>("(element, p) => element._map.getBounds().contains(L.latLng(p[1], p[0]))", new[] { point.Longitude, point.Latitude }),
            "the worker's grid is in view");

        // The category box filters as one types; the choice shows its filing standard.
        await page.ChooseCategoryAsync("report-category", "占道", categoryId);
        await Assertions.Expect(page.Locator("#field-category")).ToContainTextAsync("立案标准：");
        await page.FillAsync("#report-description", "小区门口有流动摊贩占道经营，堵住人行道");
        await page.FillAsync("#report-address", "云帆路12号小区北门");

        // Without a point the form explains itself next to the map and stays on the page.
        await page.ClickAsync("[data-testid=report-submit]");
        await Assertions.Expect(page.Locator("[data-error-for=field-location]")).ToBeVisibleAsync();
        Assert.EndsWith("/cases/report", new Uri(page.Url).AbsolutePath);

        await page.Locator("[data-testid=report-map]").EvaluateAsync(
            "(element, p) => element._map.fire('click', { latlng: L.latLng(p[1], p[0]) })",
            new[] { point.Longitude, point.Latitude });
        await Assertions.Expect(page.Locator($"[data-testid=report-where][data-grid-code='{point.GridCode}']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=report-outside-own]")).ToHaveCountAsync(0);
        await page.Locator("[data-testid=report-duplicates-box] [data-testid=no-duplicates], [data-testid=report-duplicates-box] [data-testid=duplicates]").First
            .WaitForAsync(new LocatorWaitForOptions { Timeout = 10_000 });

        // The photo streams to the server as soon as it is picked and comes back as a thumbnail.
        await page.SetInputFilesAsync("#report-photos", new FilePayload { Name = "现场.png", MimeType = "image/png", Buffer = TestImages.Png(8, 6) });
        await Assertions.Expect(page.Locator("[data-testid=report-preview] img")).ToHaveCountAsync(1);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling at 390 px");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifact("report-phone-390.png"), FullPage = true });

        await page.ClickAsync("[data-testid=report-submit]");
        await page.WaitForURLAsync("**/cases/report/done/**", ChromiumFixture.Arrived);
        var number = await page.Locator("[data-testid=done-number]").InnerTextAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifact("report-done-390.png"), FullPage = true });

        Assert.Matches("^[0-9]{14}$", number);
        await Assertions.Expect(page.Locator("[data-testid=done-grid]")).ToContainTextAsync(point.GridName);
        await Assertions.Expect(page.Locator("[data-testid=done-grid-code]")).ToHaveTextAsync(point.GridCode);
        await using var scope = app.Services.CreateAsyncScope();
        var created = await scope.ServiceProvider.GetRequiredService<GridGovDbContext>().Cases.AsNoTracking()
            .Include(c => c.Evidence).SingleAsync(c => c.Number == number);
        Assert.Equal(point.GridId, created.GridId);
        Assert.Single(created.Evidence);
        Assert.Empty(errors);
    }

    private string Artifact(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        output.WriteLine($"Screenshot: {path}");
        return path;
    }
}
