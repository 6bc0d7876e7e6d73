using GridGov.Domain.Ledgers;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace GridGov.Web.Tests.Ledgers;

/// <summary>
/// The interactive ledger lists in Chromium: a choice in a filter changes the rows and the URL without a page load,
/// the back button returns to the last list, and the page raises no console error (its prerendered scope reaches the
/// circuit as persisted state).
/// </summary>
public sealed class LedgerListBrowserTests(WebAppFixture app, ChromiumFixture chromium) : IClassFixture<WebAppFixture>, IClassFixture<ChromiumFixture>
{
    private static readonly LocatorWaitForOptions Soon = new() { Timeout = 20_000 };

    [Fact]
    public async Task A_grid_worker_narrows_the_households_to_rentals_and_goes_back()
    {
        var grid = await app.GridOfAsync("worker1");
        var rentals = await app.DbAsync(db => db.Households.CountAsync(h => h.GridId == grid.Id && h.RemovedAt == null && h.Kind == HouseholdKind.Rental));
        var all = await app.DbAsync(db => db.Households.CountAsync(h => h.GridId == grid.Id && h.RemovedAt == null));
        var page = await chromium.SignedInPageAsync(app.BaseAddress, "worker1");
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        var rows = page.Locator("[data-testid=household-results] [data-household-id]");

        await page.GotoAsync("/ledgers/households");
        await page.Locator("[data-render=interactive]").WaitForAsync(Soon);
        await rows.First.WaitForAsync(Soon);
        await Assertions.Expect(page.Locator("[data-testid=ledger-count]")).ToContainTextAsync($"共 {all} 条");

        await page.Locator("[data-testid=household-kind]").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasTextString = "租房户" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=ledger-count]")).ToContainTextAsync($"共 {rentals} 条");
        Assert.Contains("kind=Rental", page.Url, StringComparison.Ordinal);
        Assert.Equal(Math.Min(rentals, 50), await rows.CountAsync());

        await page.GoBackAsync();
        await Assertions.Expect(page.Locator("[data-testid=ledger-count]")).ToContainTextAsync($"共 {all} 条");
        Assert.DoesNotContain("kind=", page.Url, StringComparison.Ordinal);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task The_export_button_downloads_the_filtered_list_as_a_file()
    {
        var grid = await app.GridOfAsync("worker1");
        var rentals = await app.DbAsync(db => db.Households.CountAsync(h => h.GridId == grid.Id && h.RemovedAt == null && h.Kind == HouseholdKind.Rental));
        var page = await chromium.SignedInPageAsync(app.BaseAddress, "worker1");
        await page.GotoAsync("/ledgers/households?kind=Rental");
        await page.Locator("[data-render=interactive]").WaitForAsync(Soon);
        await Assertions.Expect(page.Locator("[data-testid=ledger-count]")).ToContainTextAsync($"共 {rentals} 条");

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-testid=ledger-export-csv]").ClickAsync());
        var path = await download.PathAsync();
        var lines = (await File.ReadAllTextAsync(path)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.EndsWith(".csv", download.SuggestedFilename, StringComparison.Ordinal);
        Assert.Equal(rentals + 1, lines.Length);
        Assert.Contains("/ledgers/households", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_secretarys_grid_filter_starts_empty_and_narrows_the_units_to_the_grid_chosen()
    {
        var grid = await app.GridOfAsync("worker1");
        var gridName = await app.DbAsync(db => db.Grids.Where(g => g.Id == grid.Id).Select(g => g.Name).SingleAsync());
        var inGrid = await app.DbAsync(db => db.Units.CountAsync(u => u.GridId == grid.Id && u.RemovedAt == null));
        var page = await chromium.SignedInPageAsync(app.BaseAddress, "secretary1");
        await page.GotoAsync("/ledgers/units");
        await page.Locator("[data-render=interactive]").WaitForAsync(Soon);
        var filter = page.Locator("[data-testid=ledger-grid]");

        // No grid is chosen: the field shows its placeholder, not a value.
        Assert.Equal("", await filter.InputValueAsync());

        await filter.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasTextString = gridName }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=ledger-count]")).ToContainTextAsync($"共 {inGrid} 条");
        Assert.Contains($"grid={grid.Code}", page.Url, StringComparison.Ordinal);
        Assert.Equal(gridName, await filter.InputValueAsync());
    }
}
