using Bunit;
using GridGov.Domain.Ledgers;
using GridGov.Web.Components.Pages.Ledgers;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Web.Tests.Components;

/// <summary>The interactive household page with bUnit on the real application and database: edit, its messages, the removal.</summary>
public sealed class HouseholdDetailComponentTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private static IRenderedComponent<HouseholdDetail> Open(ComponentHarness harness, int id)
    {
        var page = harness.DetailPage<HouseholdDetail>($"/ledgers/households/{id}", p => p.Add(c => c.Id, id));
        page.WaitForElement("[data-testid=household-address]");
        return page;
    }

    [Fact]
    public async Task Marking_a_household_as_renting_is_recorded_and_shown()
    {
        var grid = await app.GridOfAsync("worker1");
        var household = await app.DbAsync(db => db.Households.AsNoTracking()
            .Where(h => h.GridId == grid.Id && h.Kind == HouseholdKind.RegisteredAndResident && h.RemovedAt == null).OrderBy(h => h.Id).FirstAsync());
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var page = Open(harness, household.Id);

        await page.ChooseAsync(HouseholdKind.Rental);
        page.Find("[data-testid=household-edit-submit]").Click();

        page.WaitForAssertion(() => Assert.Equal("租房户", page.TestId("household-kind-badge")));
        var change = Assert.Single(await app.ChangesAsync(nameof(Household), household.Id));
        Assert.Contains("\"Kind\": \"RegisteredAndResident\"", change.Before);
        Assert.Contains("\"Kind\": \"Rental\"", change.After);
        Assert.Contains("人户一致", page.TestId("history-before"));
    }

    [Fact]
    public async Task An_empty_address_is_refused_under_the_field_and_nothing_changes()
    {
        var grid = await app.GridOfAsync("worker1");
        var household = await app.DbAsync(db => db.Households.AsNoTracking().Where(h => h.GridId == grid.Id && h.RemovedAt == null).OrderBy(h => h.Id).Skip(1).FirstAsync());
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var page = Open(harness, household.Id);

        page.Find("input#household-edit-address").Change(" ");
        page.Find("[data-testid=household-edit-submit]").Click();

        page.WaitForAssertion(() => Assert.Equal("请填写地址", page.ErrorUnder("household-edit-address")));
        Assert.Empty(await app.ChangesAsync(nameof(Household), household.Id));
    }

    [Fact]
    public async Task A_household_with_members_is_not_removed_and_the_message_says_why()
    {
        var grid = await app.GridOfAsync("worker1");
        var household = (await app.ResidentAsync(grid.Id, skip: 10)).HouseholdId!.Value;
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var page = Open(harness, household);

        page.Find("input#household-remove-reason").Change("全户已迁出");
        page.Find("[data-testid=household-remove-submit]").Click();
        harness.Answer("确定");

        page.WaitForAssertion(() => Assert.Contains("请先将成员迁出或注销", page.ErrorUnder("household-remove-reason")));
        Assert.Null((await app.DbAsync(db => db.Households.AsNoTracking().SingleAsync(h => h.Id == household))).RemovedAt);
    }

    [Fact]
    public async Task A_household_saved_by_someone_else_since_it_was_shown_is_refused_naming_them()
    {
        var grid = await app.GridOfAsync("worker1");
        var household = await app.DbAsync(db => db.Households.AsNoTracking().Where(h => h.GridId == grid.Id && h.RemovedAt == null).OrderBy(h => h.Id).Skip(2).FirstAsync());
        var dispatcherName = await app.StaffNameAsync("dispatcher1");
        await using var worker = await ComponentHarness.SignedInAsync(app, "worker1");
        await using var dispatcher = await ComponentHarness.SignedInAsync(app, "dispatcher1");
        var workerPage = Open(worker, household.Id);
        var dispatcherPage = Open(dispatcher, household.Id);

        dispatcherPage.Find("input#household-edit-dwelling").Change(household.Dwelling + "A");
        dispatcherPage.Find("[data-testid=household-edit-submit]").Click();
        dispatcherPage.WaitForAssertion(() => Assert.Single(dispatcher.Snackbar.ShownSnackbars));
        workerPage.Find("input#household-edit-address").Change(household.Address + "（后改）");
        workerPage.Find("[data-testid=household-edit-submit]").Click();

        workerPage.WaitForAssertion(() => Assert.Contains($"已被{dispatcherName}于", workerPage.ErrorFor("general")));
        Assert.Equal(household.Address + "（后改）", workerPage.Find("input#household-edit-address").GetAttribute("value"));
        var saved = await app.DbAsync(db => db.Households.AsNoTracking().SingleAsync(h => h.Id == household.Id));
        Assert.Equal(household.Address, saved.Address);
        Assert.Equal(household.Dwelling + "A", saved.Dwelling);
        Assert.Single(await app.ChangesAsync(nameof(Household), household.Id));
    }
}
