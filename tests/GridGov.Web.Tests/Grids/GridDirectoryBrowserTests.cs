using System.Text;
using System.Text.RegularExpressions;
using GridGov.Infrastructure.Persistence;
using GridGov.TestSupport.GridGov;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace GridGov.Web.Tests.Grids;

public sealed partial class GridDirectoryBrowserTests(WebAppFixture app, ChromiumFixture chromium)
    : IClassFixture<WebAppFixture>, IClassFixture<ChromiumFixture>
{
    /// <summary>Screenshots and the notice PDF, kept with the test results (TestResults/ is git-ignored).</summary>
    private static readonly string Artifacts = Path.Combine(RepositoryPaths.Root, "TestResults", "screenshots");

    private Task<IPage> SignedInPageAsync(string userName, int width = 1366, int height = 768) => chromium.SignedInPageAsync(app.BaseAddress, userName, width, height);

    private async Task<string> Leader1GridAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
        return await db.Users.Where(u => u.UserName == "leader1")
            .Join(db.GridAssignments, u => u.StaffMemberId, a => a.StaffMemberId, (u, a) => a.GridCode)
            .SingleAsync();
    }

    [Fact]
    public async Task The_printed_notice_is_one_a4_page_with_the_sketch_map_and_without_the_navbar()
    {
        var gridCode = await Leader1GridAsync();
        // The printable area of A4 portrait inside print.css's page margins (184 mm × 275 mm at 96 dpi).
        var page = await SignedInPageAsync("dispatcher1", 695, 1039);
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        await page.GotoAsync($"/grids/{gridCode}/notice");
        await page.Locator("[data-render=interactive] [data-testid=grid-notice]").WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        Assert.True(await page.Locator(".mud-appbar").IsVisibleAsync());

        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        Directory.CreateDirectory(Artifacts);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, "grid-notice-print.png"), FullPage = true });
        var pdf = await page.PdfAsync(new PagePdfOptions { PreferCSSPageSize = true, PrintBackground = true });
        await File.WriteAllBytesAsync(Path.Combine(Artifacts, "grid-notice.pdf"), pdf);

        Assert.False(await page.Locator(".mud-appbar").IsVisibleAsync());
        Assert.False(await page.Locator(".mud-drawer").IsVisibleAsync());
        Assert.False(await page.Locator("[data-testid=print-notice]").IsVisibleAsync());
        Assert.True(await page.Locator("svg polygon.gg-notice-subject").IsVisibleAsync());
        await Assertions.Expect(page.Locator("[data-testid=notice-grid-code]")).ToHaveTextAsync(gridCode);
        await Assertions.Expect(page.Locator("[data-testid=notice-hotline]")).ToHaveTextAsync("12345");
        Assert.Single(PdfPages().Matches(Encoding.Latin1.GetString(pdf)));
        Assert.Empty(errors);
    }

    [GeneratedRegex(@"/Type\s*/Page(?![a-zA-Z])")]
    private static partial Regex PdfPages();

    [Fact]
    public async Task Show_on_map_zooms_the_directory_map_to_the_grid_and_shows_its_people()
    {
        var gridCode = await Leader1GridAsync();
        var page = await SignedInPageAsync("worker1");
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        await page.GotoAsync("/grids");
        await page.Locator("[data-render=interactive]").WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        var map = page.Locator("[data-testid=grid-directory-map][data-loaded-features]");
        await map.WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        Directory.CreateDirectory(Artifacts);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, "grid-directory.png") });

        await page.Locator($"[data-focus-grid='{gridCode}']").ClickAsync();

        var selected = page.Locator("[data-testid=grid-selected]");
        await Assertions.Expect(selected).ToHaveAttributeAsync("data-grid-code", gridCode);
        await Assertions.Expect(selected).ToContainTextAsync("网格长");
        await Assertions.Expect(map).ToHaveAttributeAsync("data-focused", "1"); // the grid drawn stronger and zoomed to
        Assert.Empty(errors);
    }

    [Fact]
    public async Task On_a_phone_filtering_by_community_lists_and_maps_only_its_grids()
    {
        var page = await SignedInPageAsync("worker1", 390, 844);
        await page.GotoAsync("/grids");
        await page.Locator("[data-render=interactive]").WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });

        await page.Locator("[data-testid=grid-community]").ClickAsync();
        var option = page.Locator(".mud-popover-open [data-community]").First;
        var firstCommunity = await option.GetAttributeAsync("data-community");
        await option.ClickAsync();
        await page.ClickAsync("[data-testid=grid-search-submit]");
        // The search goes into the address inside the circuit (history.pushState, not a page load).
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("community=" + firstCommunity));
        var rows = page.Locator("[data-testid=grid-row]");
        // Rows come by code: once the last one is of the community, the list is the filtered one.
        await Assertions.Expect(rows.Last).ToHaveAttributeAsync("data-grid-code", new Regex("^" + firstCommunity));
        var codes = await rows.EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.gridCode)");
        var map = page.Locator("[data-testid=grid-directory-map]");
        await Assertions.Expect(map).ToHaveAttributeAsync("data-loaded-features", codes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
            new LocatorAssertionsToHaveAttributeOptions { Timeout = 15_000 });
        Directory.CreateDirectory(Artifacts);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, "grid-directory-phone.png") });

        Assert.NotEmpty(codes);
        Assert.All(codes, code => Assert.StartsWith(firstCommunity!, code));
        Assert.Contains("community=", await map.GetAttributeAsync("data-geojson-url"), StringComparison.Ordinal);
        var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(width <= 390, $"the page scrolls sideways on a phone ({width}px)");
    }
}
