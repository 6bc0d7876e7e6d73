using System.Text.RegularExpressions;
using GridGov.TestSupport.GridGov;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace GridGov.Web.Tests.Patrols;

/// <summary>Recording a patrol in Chromium: the route tapped out on the shared map (js/map.js), a problem pinned on it, the patrol's page.</summary>
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
        await page.Locator("[data-render=interactive]").WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        var map = page.Locator("[data-testid=patrol-draw-map][data-map-state=ready][data-focused='1']");
        await map.WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        // The worker's own grid, drawn stronger (weight 3) and zoomed to.
        var grid = (await page.Locator("[data-testid=patrol-draw-map] .leaflet-overlay-pane path[stroke-width='3']").First.BoundingBoxAsync())!;

        // Tap a zig-zag across the grid: each tap is one more point of the line.
        (double X, double Y)[] route = [(0.2, 0.2), (0.8, 0.2), (0.8, 0.5), (0.2, 0.5), (0.2, 0.8), (0.8, 0.8)];
        foreach (var (x, y) in route)
        {
            await page.Mouse.ClickAsync((float)(grid.X + (grid.Width * x)), (float)(grid.Y + (grid.Height * y)));
        }
        await Assertions.Expect(page.Locator("[data-testid=patrol-track-box]")).ToHaveAttributeAsync("data-track-points", "6");
        await Assertions.Expect(page.Locator("[data-testid=patrol-draw-map]")).ToHaveAttributeAsync("data-track-points", "6");

        await page.Locator("[data-testid=problem-category]").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").First.ClickAsync();
        await page.Locator("#problem-0-description").FillAsync("人行道上堆放建筑垃圾");
        await page.Locator("[data-testid=problem-pick]").First.ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=patrol-draw-map]")).ToHaveAttributeAsync("data-map-mode", "point");
        await page.Mouse.ClickAsync((float)(grid.X + (grid.Width * 0.5)), (float)(grid.Y + (grid.Height * 0.35)));
        await Assertions.Expect(page.Locator("[data-testid=problem-point]").First).ToHaveAttributeAsync("data-longitude", new Regex("^1[0-9]{2}\\.[0-9]{7}$"));
        await Assertions.Expect(page.Locator("[data-testid=patrol-draw-map]")).ToHaveAttributeAsync("data-markers", "1");
        await Assertions.Expect(page.Locator("[data-testid=patrol-track-box]")).ToHaveAttributeAsync("data-track-points", "6"); // the pin added no point

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
        await page.Locator("[data-render=interactive] [data-testid=patrol-draw-map][data-map-state=ready]").WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"the form is {overflow}px wider than the phone");
        Assert.Empty(errors);
    }
}
