using System.Text.RegularExpressions;
using GridGov.TestSupport.GridGov;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace GridGov.Web.Tests.Patrols;

/// <summary>Recording a patrol in Chromium: the route drawn with leaflet-geoman, a problem pinned on the map, the patrol's page.</summary>
public sealed partial class PatrolBrowserTests(WebAppFixture app, ChromiumFixture chromium)
    : IClassFixture<WebAppFixture>, IClassFixture<ChromiumFixture>
{
    private Task<IPage> SignedInPageAsync(string userName, int width = 1366, int height = 900) => chromium.SignedInPageAsync(app.BaseAddress, userName, width, height);

    [Fact]
    public async Task A_worker_draws_the_route_pins_a_problem_and_lands_on_the_recorded_patrol()
    {
        var page = await SignedInPageAsync("worker1");
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        await page.GotoAsync("/patrols/new");
        var map = page.Locator("[data-patrol-draw][data-map-state=ready]");
        await map.WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        var grid = (await page.Locator("[data-testid=patrol-draw-map] .leaflet-overlay-pane path").First.BoundingBoxAsync())!;

        // Draw a zig-zag across the grid with geoman's line tool; clicking the last point again finishes the line.
        await page.Locator(".leaflet-pm-icon-polyline").ClickAsync();
        (double X, double Y)[] route = [(0.2, 0.2), (0.8, 0.2), (0.8, 0.5), (0.2, 0.5), (0.2, 0.8), (0.8, 0.8)];
        foreach (var (x, y) in route)
        {
            await page.Mouse.ClickAsync((float)(grid.X + (grid.Width * x)), (float)(grid.Y + (grid.Height * y)));
        }
        await page.Mouse.ClickAsync((float)(grid.X + (grid.Width * 0.8)), (float)(grid.Y + (grid.Height * 0.8)));
        await Assertions.Expect(page.Locator("#patrol-track")).ToHaveValueAsync(new Regex("^\\{\"type\":\"LineString\""));

        await page.Locator("[data-testid=problem-category]").First.SelectOptionAsync(new SelectOptionValue { Index = 1 });
        await page.Locator("[data-testid=problem-description]").First.FillAsync("人行道上堆放建筑垃圾");
        await page.Locator("[data-problem-pick]").First.ClickAsync();
        await page.Mouse.ClickAsync((float)(grid.X + (grid.Width * 0.5)), (float)(grid.Y + (grid.Height * 0.35)));
        await Assertions.Expect(page.Locator("[data-testid=problem-longitude]").First).ToHaveValueAsync(new Regex("^1[0-9]{2}\\.[0-9]{7}$"));

        await page.ClickAsync("[data-testid=patrol-submit]");
        await page.WaitForURLAsync(new Regex("/patrols/[0-9]+\\?recorded=true$"), ChromiumFixture.Arrived);
        await Assertions.Expect(page.Locator("[data-testid=patrol-recorded]")).ToBeVisibleAsync();
        await page.Locator("[data-patrol-map][data-map-state=ready]").WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("[data-testid=patrol-report]")).ToHaveCountAsync(1);
        Assert.True(await page.Locator("[data-testid=patrol-map] path.leaflet-interactive, [data-testid=patrol-map] .leaflet-overlay-pane path").CountAsync() >= 3);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task The_list_loads_the_month_calendar_and_fits_a_phone_screen()
    {
        var page = await SignedInPageAsync("worker1", 390, 844);
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);

        await page.GotoAsync($"/patrols?month={PatrolTracks.LastMonth()}");
        await page.Locator("[data-testid=patrol-days]").WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });

        Assert.True(await page.Locator(".patrol-day-full").CountAsync() > 0);
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"the page is {overflow}px wider than the phone");
        await page.GotoAsync("/patrols/new");
        await page.Locator("[data-patrol-draw][data-map-state=ready]").WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"the form is {overflow}px wider than the phone");
        Assert.Empty(errors);
    }
}
