using GridGov.TestSupport.GridGov;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace GridGov.Web.Tests.Ledgers;

/// <summary>The ledger pages in Chromium: the map click that places a unit, and the live list filters.</summary>
public sealed class LedgerBrowserTests(WebAppFixture app, ChromiumFixture chromium)
    : IClassFixture<WebAppFixture>, IClassFixture<ChromiumFixture>
{
    private Task<IPage> SignedInPageAsync(string userName, int width = 1366, int height = 768) => chromium.SignedInPageAsync(app.BaseAddress, userName, width, height);

    [Fact]
    public async Task A_grid_worker_registers_a_shop_by_clicking_its_place_on_the_map()
    {
        var grid = await app.GridOfAsync("worker1");
        var (longitude, latitude) = await app.PointInGridAsync(grid.Id);
        var page = await SignedInPageAsync("worker1");
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);

        await page.GotoAsync("/ledgers/units/new");
        await page.Locator("[data-render=interactive]").WaitForAsync(new LocatorWaitForOptions { Timeout = 20_000 });
        var map = page.Locator("[data-testid=unit-map][data-map-state=ready]");
        await map.WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        // Where the grid's inner point is on screen, from the map itself (js/map.js keeps the Leaflet map on the element).
        var at = await map.EvaluateAsync<double[]>(
            "(element, p) => { const pt = element._map.latLngToContainerPoint([p[1], p[0]]); return [pt.x, pt.y]; }",
            new[] { longitude, latitude });
        await map.ClickAsync(new LocatorClickOptions { Position = new Position { X = (float)at[0], Y = (float)at[1] } });

        await Assertions.Expect(page.Locator($"[data-testid=ledger-where][data-grid-code='{grid.Code}']")).ToBeVisibleAsync();
        await page.FillAsync("#unit-name", "小巷便利店");
        await page.Locator("[data-testid=unit-kind]").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasTextString = "门店/商户" }).ClickAsync();
        await page.FillAsync("#unit-address", "云帆街道小巷12号");
        await page.FillAsync("#unit-contact-name", "钱老板");
        await page.FillAsync("#unit-contact-phone", "13744445555");
        await page.FillAsync("#unit-employees", "3");
        await page.ClickAsync("[data-testid=unit-submit]");

        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/ledgers/units/[0-9]+$"), ChromiumFixture.Arrived);
        await Assertions.Expect(page.Locator("[data-testid=unit-grid]")).ToContainTextAsync(grid.Code);
        var unit = await app.DbAsync(db => db.Units.AsNoTracking().SingleAsync(u => u.Name == "小巷便利店"));
        Assert.Equal(grid.Id, unit.GridId);
        Assert.InRange(unit.Location.X, longitude - 0.0002, longitude + 0.0002);
        Assert.InRange(unit.Location.Y, latitude - 0.0002, latitude + 0.0002);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Choosing_a_tag_filters_the_resident_list_in_place_and_keeps_it_in_the_address()
    {
        var page = await SignedInPageAsync("worker1", 390, 844);

        await page.GotoAsync("/ledgers/residents");
        await page.Locator("[data-render=interactive]").WaitForAsync(new LocatorWaitForOptions { Timeout = 20_000 });
        await page.Locator("[data-testid=resident-tag]").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasTextString = "独居老人" }).ClickAsync();

        await page.WaitForURLAsync(url => url.Contains("tag=ElderlyLivingAlone", StringComparison.Ordinal), ChromiumFixture.Arrived);
        // The rows follow the URL: every row left carries the tag, and there are some.
        await Assertions.Expect(page.Locator("[data-testid=resident-results] tbody tr:has([data-resident-id]):not(:has([data-group=ElderlyLivingAlone]))"))
            .ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=resident-results] tbody tr:has([data-resident-id])").First).ToBeVisibleAsync();
        // On a phone the rows stack: nothing is wider than the screen.
        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.False(overflow, "the resident list is wider than a 390 px phone");
    }
}
