using System.Net;
using Bunit;
using GridGov.Application.Audit;
using GridGov.Application.Ledgers;
using GridGov.Web.Components.Pages.Ledgers;
using GridGov.Web.Tests.Components;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using Microsoft.Playwright;

namespace GridGov.Web.Tests.Audit;

/// <summary>
/// The audit log page (审计日志), an interactive MudBlazor page, in Chromium: the administrator finds entries by the
/// filter in the URL and by the form, sees an edit's before and after with the numbers in it masked, and pages on.
/// </summary>
public sealed class AuditLogBrowserTests(WebAppFixture app, ChromiumFixture chromium) : IClassFixture<WebAppFixture>, IClassFixture<ChromiumFixture>
{
    private static readonly LocatorWaitForOptions Soon = new() { Timeout = 20_000 };

    /// <summary>The interactive resident page (bUnit, as the harness's person), where the audited reveal and edit happen.</summary>
    private static IRenderedComponent<ResidentDetail> OpenResident(ComponentHarness harness, int id)
    {
        var page = harness.DetailPage<ResidentDetail>($"/ledgers/residents/{id}", p => p.Add(c => c.Id, id));
        page.WaitForElement("[data-testid=resident-name]");
        return page;
    }

    private static ILocator Rows(IPage page) => page.Locator("[data-testid=audit-table] [data-audit-id]");

    [Fact]
    public async Task The_administrator_finds_a_reveal_by_actor_action_and_entity_and_nothing_outside_the_dates()
    {
        var grid = await app.GridOfAsync("worker1");
        var resident = await app.ResidentAsync(grid.Id, skip: 41);
        await using (var worker = await ComponentHarness.SignedInAsync(app, "worker1"))
        {
            var residentPage = OpenResident(worker, resident.Id);
            residentPage.Find("[data-testid=reveal-submit]").Click();
            residentPage.WaitForElement("[data-testid=revealed-note]");
        }
        var page = await chromium.SignedInPageAsync(app.BaseAddress, "admin1");

        await page.GotoAsync($"/admin/audit?actor=worker1&action=Reveal&type=Resident&id={resident.Id}");
        await Rows(page).First.WaitForAsync(Soon);
        Assert.Equal(1, await Rows(page).CountAsync());
        Assert.Equal("Reveal", await Rows(page).First.GetAttributeAsync("data-action"));
        Assert.Contains($"#{resident.Id}", await page.Locator("[data-testid=audit-entity]").First.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("查看完整号码", await page.Locator("[data-testid=audit-table]").InnerTextAsync(), StringComparison.Ordinal);

        // The same search with dates long past finds nothing, by the form this time (the URL follows it).
        await SetDateAsync(page, "audit-from", "2001-01-01");
        await SetDateAsync(page, "audit-to", "2001-01-02");
        await page.Locator("[data-testid=audit-search]").ClickAsync();
        await page.Locator("[data-testid=audit-empty]").WaitForAsync(Soon);
        Assert.Equal(0, await Rows(page).CountAsync());
        Assert.Contains("from=2001-01-01", page.Url, StringComparison.Ordinal);
        Assert.Contains("to=2001-01-02", page.Url, StringComparison.Ordinal);

        // A range the wrong way round is refused under the field and searches nothing.
        await SetDateAsync(page, "audit-from", "2001-02-01");
        await Assertions.Expect(page.Locator(".mud-input-control:has([data-testid=audit-to]) .mud-input-helper-text")).ToContainTextAsync("开始日期不能晚于结束日期");
        await Assertions.Expect(page.Locator("[data-testid=audit-search]")).ToBeDisabledAsync();
    }

    [Fact]
    public async Task The_administrator_sees_a_ledger_edit_with_before_and_after_and_the_numbers_in_it_masked()
    {
        var grid = await app.GridOfAsync("worker1");
        var resident = await app.ResidentAsync(grid.Id, skip: 42);
        await using (var worker = await ComponentHarness.SignedInAsync(app, "worker1"))
        {
            var residentPage = OpenResident(worker, resident.Id);
            residentPage.Find("input#edit-phone").Change("13766667777");
            residentPage.Find("[data-testid=edit-submit]").Click();
            residentPage.WaitForAssertion(() => Assert.Equal("137****7777", residentPage.TestId("resident-phone")));
        }
        var page = await chromium.SignedInPageAsync(app.BaseAddress, "admin1");

        await page.GotoAsync($"/admin/audit?type=Resident&id={resident.Id}&action=Update");
        await Rows(page).First.WaitForAsync(Soon);
        var table = await page.Locator("[data-testid=audit-table]").InnerHTMLAsync();

        Assert.Equal(1, await Rows(page).CountAsync());
        Assert.Contains(await app.StaffNameAsync("worker1"), await page.Locator("[data-testid=audit-actor]").First.InnerTextAsync(), StringComparison.Ordinal);
        var decoded = WebUtility.HtmlDecode(table);
        Assert.Contains("\"Phone\":\"137****7777\"", decoded, StringComparison.Ordinal);
        Assert.Contains($"\"Phone\":\"{Masking.Phone(resident.Phone)}\"", decoded, StringComparison.Ordinal);
        Assert.DoesNotContain("13766667777", decoded, StringComparison.Ordinal);
        Assert.DoesNotContain(resident.Phone!, decoded, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_pager_moves_to_older_entries_without_repeating_any()
    {
        var page = await chromium.SignedInPageAsync(app.BaseAddress, "admin1");
        await page.GotoAsync("/admin/audit");
        await Rows(page).First.WaitForAsync(Soon);
        var first = await IdsAsync(page);

        await page.Locator("[data-testid=audit-pager] button[aria-label='下一页']").ClickAsync();
        await Assertions.Expect(Rows(page).First).Not.ToHaveAttributeAsync("data-audit-id", first[0].ToString(System.Globalization.CultureInfo.InvariantCulture));
        var second = await IdsAsync(page);

        Assert.Equal(AuditSearchQuery.DefaultPageSize, first.Count);
        Assert.NotEmpty(second);
        Assert.Empty(first.Intersect(second));
    }

    /// <summary>Types a date into an editable MudDatePicker (the test id sits on its input) and leaves the field.</summary>
    private static async Task SetDateAsync(IPage page, string testId, string date)
    {
        var input = page.Locator($"[data-testid={testId}]");
        await input.FillAsync(date);
        await input.PressAsync("Tab");
    }

    private static async Task<List<long>> IdsAsync(IPage page) =>
        (await Rows(page).EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.auditId)"))
            .Select(id => long.Parse(id, System.Globalization.CultureInfo.InvariantCulture)).ToList();
}
