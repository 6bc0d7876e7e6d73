using System.Globalization;
using System.Text;
using System.Text.Json;
using GridGov.Domain.Ledgers;
using GridGov.TestSupport.GridGov;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace GridGov.Web.Tests.Browser;

/// <summary>
/// The ledger import page in Chromium, as a community secretary uses it: choose the ledger, upload a file, read the dry
/// run's counts, confirm, watch the progress bar run to its end, and find the rows in the ledger; a file that is not a
/// spreadsheet at all gets the Chinese message and writes nothing.
/// </summary>
public sealed class LedgerImportBrowserTests(WebAppFixture app, ChromiumFixture chromium) : IClassFixture<WebAppFixture>, IClassFixture<ChromiumFixture>
{
    private const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    private static int _sequence;

    [Fact]
    public async Task A_secretary_imports_units_after_the_dry_run_and_watches_the_progress_bar_reach_its_end()
    {
        var gridId = await SecretaryGridAsync();
        var (longitude, latitude) = await app.PointInGridAsync(gridId);
        const int Rows = 1200;
        var prefix = $"浏览器导入{Environment.ProcessId % 1000}-{Interlocked.Increment(ref _sequence)}-";
        var header = new object?[] { "单位名称", "单位类别", "经营地址", "负责人", "联系电话", "从业人数", "经度", "纬度" };
        var rows = Enumerable.Range(1, Rows)
            .Select(i => (IReadOnlyList<object?>)new object?[] { $"{prefix}{i}号店", "门店/商户", $"云帆街道浏览器测试路{i}号", "王店主", "13800001234", 2, longitude, latitude })
            .Prepend(header);
        var file = TestWorkbooks.Xlsx(rows);
        var before = await CountsAsync(prefix);

        var page = await chromium.SignedInPageAsync(app.BaseAddress, "secretary1");
        await page.GotoAsync("/ledgers/import");
        await page.Locator("[data-render=interactive]").WaitForAsync(new LocatorWaitForOptions { Timeout = 20_000 });
        await page.Locator("[data-testid=import-kind-Units]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=import-template]")).ToHaveAttributeAsync("href", "/ledgers/import/template/units.xlsx");
        await page.Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = "单位台账.xlsx", MimeType = XlsxType, Buffer = file });

        // The dry run: its counts, and nothing written.
        var preview = page.Locator("[data-testid=import-preview]");
        await preview.WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("[data-testid=count-created]")).ToHaveAttributeAsync("data-count", Rows.ToString(CultureInfo.InvariantCulture));
        await Assertions.Expect(page.Locator("[data-testid=count-refused]")).ToHaveAttributeAsync("data-count", "0");
        await Assertions.Expect(preview).ToContainTextAsync($"共 {Rows} 行");
        Assert.Equal(before, await CountsAsync(prefix));

        // Watch the progress bar from the moment of the click: every phase and percentage it shows, sampled in the page.
        await page.EvaluateAsync("""
            () => {
                window.__importSeen = [];
                const look = () => {
                    const bar = document.querySelector('[data-testid=import-progress]');
                    if (bar) {
                        const value = bar.querySelector('[aria-valuenow]');
                        const seen = `${bar.dataset.phase}|${bar.dataset.running}|${value ? value.getAttribute('aria-valuenow') : ''}`;
                        if (window.__importSeen[window.__importSeen.length - 1] !== seen) window.__importSeen.push(seen);
                    }
                };
                new MutationObserver(look).observe(document.body, { subtree: true, childList: true, attributes: true });
                window.__importTimer = setInterval(look, 5);
            }
            """);
        await page.Locator("[data-testid=import-confirm]").ClickAsync();

        var report = page.Locator("[data-testid=import-report]");
        await report.WaitForAsync(new LocatorWaitForOptions { Timeout = 120_000 });
        var bar = page.Locator("[data-testid=import-progress]");
        await Assertions.Expect(bar).ToHaveAttributeAsync("data-phase", "Done");
        await Assertions.Expect(bar).ToHaveAttributeAsync("data-running", "false");
        await Assertions.Expect(bar.Locator("[aria-valuenow]")).ToHaveAttributeAsync("aria-valuenow", "100");
        await Assertions.Expect(page.Locator("[data-testid=count-created]")).ToHaveAttributeAsync("data-count", Rows.ToString(CultureInfo.InvariantCulture));
        await Assertions.Expect(page.Locator("[data-testid=import-to-list]")).ToHaveAttributeAsync("href", "/ledgers/units");
        var seen = JsonSerializer.Deserialize<string[]>(await page.EvaluateAsync<string>("() => { clearInterval(window.__importTimer); return JSON.stringify(window.__importSeen); }"))!;
        Assert.True(seen.Any(s => s.Contains("|true|", StringComparison.Ordinal)), $"the bar ran while the import ran: {string.Join(" → ", seen)}");
        Assert.Equal("Done|false|100", seen[^1]);
        // After the click the bar ran (the dry run's finished bar may come first), then ended full.
        var firstRunning = Array.FindIndex(seen, s => s.Contains("|true|", StringComparison.Ordinal));
        Assert.True(firstRunning < seen.Length - 1);

        // The rows are in the ledger, in the secretary's grid, each with its change recorded as an import.
        var after = await CountsAsync(prefix);
        Assert.Equal((before.Units + Rows, before.Imports + 1), (after.Units, after.Imports));
        var grids = await app.DbAsync(db => db.Units.Where(u => u.Name.StartsWith(prefix)).Select(u => u.GridId).Distinct().ToListAsync());
        Assert.Equal([gridId], grids);
        Assert.Equal(Rows, await app.DbAsync(db => db.LedgerChanges.CountAsync(c =>
            c.EntityType == nameof(Unit) && c.ImportId != null && db.Units.Any(u => u.Id == c.EntityId && u.Name.StartsWith(prefix)))));
    }

    [Fact]
    public async Task A_file_that_is_not_a_spreadsheet_gets_the_Chinese_message_in_the_browser_and_writes_nothing()
    {
        var before = await CountsAsync("浏览器");
        var page = await chromium.SignedInPageAsync(app.BaseAddress, "secretary1");
        await page.GotoAsync("/ledgers/import?kind=components");
        await page.Locator("[data-render=interactive]").WaitForAsync(new LocatorWaitForOptions { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("[data-testid=import-template]")).ToHaveAttributeAsync("href", "/ledgers/import/template/components.xlsx");

        await page.Locator("input[type=file]").SetInputFilesAsync(new FilePayload
        {
            Name = "部件台账.xlsx", MimeType = XlsxType, Buffer = Encoding.UTF8.GetBytes("部件编码,部件名称\n3205080101000001,上水井盖\n"),
        });

        var error = page.Locator("[data-testid=import-error]");
        await Assertions.Expect(error).ToContainTextAsync("该文件不是Excel工作簿（.xlsx），无法导入", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("[data-testid=import-preview]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=import-confirm]")).ToHaveCountAsync(0);
        Assert.Equal(before, await CountsAsync("浏览器"));
    }

    /// <summary>The first current grid of secretary1's community.</summary>
    private Task<int> SecretaryGridAsync() => app.DbAsync(async db =>
    {
        var community = await db.Users.Where(u => u.UserName == "secretary1")
            .Join(db.StaffMembers, u => u.StaffMemberId, s => s.Id, (u, s) => s.CommunityId).SingleAsync();
        return await db.Grids.Where(g => g.CommunityId == community && g.ValidTo == null).OrderBy(g => g.Code).Select(g => g.Id).FirstAsync();
    });

    private Task<(int Units, int Components, int Imports, int Changes)> CountsAsync(string prefix) => app.DbAsync(async db =>
        (await db.Units.CountAsync(u => u.Name.StartsWith(prefix)), await db.Components.CountAsync(), await db.LedgerImports.CountAsync(), await db.LedgerChanges.CountAsync()));
}
