using System.Text.RegularExpressions;
using GridGov.Application.Grids;
using GridGov.Web.Components.Shared;
using GridGov.Web.Tests.Dashboard;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace GridGov.Web.Tests.Browser;

/// <summary>
/// The case list's grid filter (<see cref="GridPicker"/>) in Chromium: typing part of a name offers only the grids that
/// match (asked of the server as the person types: the page carries no list of grids), and the one chosen goes into the
/// address and the field, which names it again when the address is opened afresh.
/// </summary>
public sealed class GridPickerBrowserTests(WebAppFixture app, ChromiumFixture chromium) : IClassFixture<WebAppFixture>, IClassFixture<ChromiumFixture>
{
    private static readonly LocatorWaitForOptions Soon = new() { Timeout = 20_000 };

    [Fact]
    public async Task Typing_part_of_a_grid_name_offers_only_the_matching_grids_and_the_one_chosen_filters_the_list()
    {
        var grids = await app.DbAsync(db => db.Grids.Where(g => g.ValidTo == null)
            .Select(g => new { g.Code, g.Name, Community = g.Community!.Name }).ToListAsync());
        const string fragment = "第2网格";
        var matching = grids.Where(g => g.Name.Contains(fragment, StringComparison.Ordinal)).ToList();
        var chosen = matching.OrderBy(g => g.Code, StringComparer.Ordinal).Last();
        Assert.InRange(matching.Count, 2, GridChoices.MaxOffered);
        var page = await chromium.SignedInPageAsync(app.BaseAddress, "dispatcher1");
        await page.GotoAsync("/cases");
        await page.Locator("[data-render=interactive]").WaitForAsync(Soon);

        await page.Locator("[data-testid=case-more-filters] .mud-expand-panel-header").ClickAsync();

        var filter = page.Locator("input[data-testid=case-grid]");
        await filter.ClickAsync();
        await filter.FillAsync(fragment);
        var offered = page.Locator(".mud-popover-open .mud-list-item");
        await Assertions.Expect(offered).ToHaveCountAsync(matching.Count);
        Assert.All(await offered.AllTextContentsAsync(), text => Assert.Contains(fragment, text, StringComparison.Ordinal));
        await offered.Filter(new() { HasTextString = chosen.Code }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"grid={chosen.Code}"));
        Assert.Equal($"{chosen.Community} · {chosen.Name}", await filter.InputValueAsync());

        await page.ReloadAsync();
        await page.Locator("[data-render=interactive]").WaitForAsync(Soon);
        await page.Locator("[data-testid=case-more-filters] .mud-expand-panel-header").ClickAsync();
        await Assertions.Expect(page.Locator("input[data-testid=case-grid]")).ToHaveValueAsync($"{chosen.Community} · {chosen.Name}");
    }
}
