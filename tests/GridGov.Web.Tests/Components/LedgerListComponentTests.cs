using Bunit;
using GridGov.Domain.Ledgers;
using GridGov.Web.Components.Pages.Ledgers;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Web.Tests.Components;

/// <summary>
/// The interactive household, unit and component lists (MudDataGrid on server data), rendered with bUnit on the real
/// application and database: what each role's list holds, the filters from the URL, the paging and the bounded count.
/// </summary>
public sealed class LedgerListComponentTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private static IReadOnlyList<int> Ids<T>(IRenderedComponent<T> page, string attribute) where T : Microsoft.AspNetCore.Components.IComponent =>
        [.. page.FindAll($"[{attribute}]").Select(e => int.Parse(e.GetAttribute(attribute)!, System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>What the list says of <paramref name="count"/> matching rows (it stops counting at 1,000).</summary>
    private static string CountText(int count) => count > 1000 ? "超过 1000 条" : $"共 {count} 条";

    [Fact]
    public async Task A_grid_worker_lists_the_households_of_his_grids_only_a_page_at_a_time()
    {
        var grid = await app.GridOfAsync("worker1");
        var inGrid = await app.DbAsync(db => db.Households.Where(h => h.GridId == grid.Id && h.RemovedAt == null).OrderBy(h => h.Id).Select(h => h.Id).ToListAsync());
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");

        var page = harness.Page<HouseholdList>("/ledgers/households");
        page.WaitForElements("[data-household-id]");

        var first = Ids(page, "data-household-id");
        Assert.Equal(inGrid.Take(50), first);
        Assert.Contains(CountText(inGrid.Count), page.Find("[data-testid=ledger-count]").TextContent);
        page.Find("button[aria-label='下一页']").Click();
        page.WaitForAssertion(() => Assert.Equal(inGrid.Skip(50).Take(50), Ids(page, "data-household-id")));
    }

    [Fact]
    public async Task The_household_kind_and_address_come_from_the_url_and_narrow_the_rows()
    {
        var grid = await app.GridOfAsync("worker1");
        var rentals = await app.DbAsync(db => db.Households
            .Where(h => h.GridId == grid.Id && h.RemovedAt == null && h.Kind == HouseholdKind.Rental).OrderBy(h => h.Id).Select(h => h.Id).Take(50).ToListAsync());
        Assert.NotEmpty(rentals);
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");

        var page = harness.Page<HouseholdList>("/ledgers/households?kind=Rental");
        page.WaitForAssertion(() => Assert.Equal(rentals, Ids(page, "data-household-id")));

        harness.Navigation.NavigateTo("/ledgers/households?address=" + Uri.EscapeDataString("不存在的地址"));
        page.WaitForElement("[data-testid=ledger-empty]");
        Assert.Empty(page.FindAll("[data-household-id]"));
    }

    [Fact]
    public async Task Bad_filter_values_are_dropped_and_the_list_still_answers()
    {
        await using var harness = await ComponentHarness.SignedInAsync(app, "dispatcher1");

        var all = await app.DbAsync(db => db.Units.CountAsync(u => u.RemovedAt == null));
        foreach (var query in new[] { "kind=999", "community=abc", "grid=%3Cscript%3E", "removed=maybe", "after=-1" })
        {
            var page = harness.Page<UnitList>("/ledgers/units?" + query);
            page.WaitForAssertion(() => Assert.Contains(CountText(all), page.Find("[data-testid=ledger-count]").TextContent));
        }
        var long_ = harness.Page<UnitList>("/ledgers/units?q=" + new string('x', 1000));
        long_.WaitForElement("[data-testid=ledger-empty]");
        Assert.Equal(new string('x', 60), long_.Find("#unit-q").GetAttribute("value"));
    }

    [Fact]
    public async Task A_department_handler_lists_his_departments_components_and_no_households()
    {
        var department = await app.DbAsync(db => db.Users.Where(u => u.UserName == "handler1")
            .Join(db.StaffMembers, u => u.StaffMemberId, s => s.Id, (u, s) => s.DepartmentId).SingleAsync());
        var owned = await app.DbAsync(db => db.Components.Where(c => c.OwnerDepartmentId == department && c.RemovedAt == null).CountAsync());
        Assert.True(owned > 0);
        await using var harness = await ComponentHarness.SignedInAsync(app, "handler1");

        var components = harness.Page<ComponentList>("/ledgers/components");
        components.WaitForElements("[data-component-id]");
        var ids = Ids(components, "data-component-id");
        var owners = await app.DbAsync(db => db.Components.Where(c => ids.Contains(c.Id)).Select(c => c.OwnerDepartmentId).Distinct().ToListAsync());
        Assert.Equal([department!.Value], owners);
        Assert.Contains(CountText(owned), components.Find("[data-testid=ledger-count]").TextContent);

        var households = harness.Page<HouseholdList>("/ledgers/households");
        households.WaitForElement("[data-testid=ledger-no-scope]");
        Assert.Empty(households.FindAll("[data-household-id]"));
    }

    [Fact]
    public async Task A_unit_row_shows_the_contact_phone_masked()
    {
        var grid = await app.GridOfAsync("worker1");
        var unit = await app.DbAsync(db => db.Units.Where(u => u.GridId == grid.Id && u.RemovedAt == null).OrderBy(u => u.Id).FirstAsync());
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");

        var page = harness.Page<UnitList>($"/ledgers/units?grid={grid.Code}");
        page.WaitForElement($"[data-unit-id='{unit.Id}']");

        Assert.DoesNotContain(unit.ContactPhone, page.Markup);
        Assert.Contains(GridGov.Application.Ledgers.Masking.Phone(unit.ContactPhone)!, page.Markup);
    }

    [Theory]
    [InlineData("secretary1", true)]
    [InlineData("worker1", false)]
    public async Task The_tag_select_offers_sensitive_groups_only_to_roles_that_may_see_them(string userName, bool offered)
    {
        await using var harness = await ComponentHarness.SignedInAsync(app, userName);
        var page = harness.Page<ResidentList>("/ledgers/residents");
        page.WaitForElements("[data-resident-id]");

        var select = page.FindComponent<MudBlazor.MudSelect<GridGov.Domain.Ledgers.ResidentGroup?>>();
        await page.InvokeAsync(() => select.Instance.OpenMenu());

        page.WaitForAssertion(() => Assert.Contains("独居老人", harness.Popovers.Markup));
        Assert.Equal(offered, harness.Popovers.Markup.Contains("社区矫正", StringComparison.Ordinal));
        Assert.Equal(offered, harness.Popovers.Markup.Contains("吸毒人员", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Part_of_a_number_searches_nothing_and_says_why_a_name_prefix_pages_through_its_rows()
    {
        var grid = await app.GridOfAsync("worker1");
        var resident = await app.ResidentAsync(grid.Id, skip: 3);
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");

        var partial = harness.Page<ResidentList>("/ledgers/residents?q=" + resident.IdNumber[..10]);
        partial.WaitForElement("[data-testid=resident-whole-numbers]");
        Assert.Empty(partial.FindAll("[data-resident-id]"));

        var inGrid = await app.DbAsync(db => db.Residents.Where(r => r.GridId == grid.Id && r.RemovedAt == null).OrderBy(r => r.Id).Select(r => r.Id).ToListAsync());
        var list = harness.Page<ResidentList>($"/ledgers/residents?grid={grid.Code}");
        list.WaitForAssertion(() => Assert.Equal(inGrid.Take(50), Ids(list, "data-resident-id")));
        Assert.Empty(list.FindAll("[data-testid=resident-whole-numbers]"));
        list.Find("button[aria-label='下一页']").Click();
        list.WaitForAssertion(() => Assert.Equal(inGrid.Skip(50).Take(50), Ids(list, "data-resident-id")));
    }
}
