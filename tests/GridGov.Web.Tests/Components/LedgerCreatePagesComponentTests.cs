using Bunit;
using GridGov.Application.Ledgers;
using GridGov.Domain.Ledgers;
using GridGov.Web.Components.Pages.Ledgers;
using GridGov.Web.Infrastructure;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Web.Tests.Components;

/// <summary>
/// The household and component registrations (登记户, 登记部件) with bUnit on the real application and database: reached
/// from their lists, a point clicked on the map gives the grid, the row lands with its creation in the history, a second
/// one at the same address or with the same code is refused under the field, and a replayed submission answers with the
/// first row.
/// </summary>
public sealed class LedgerCreatePagesComponentTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    /// <summary>A click on the page's map, as map.js reports it.</summary>
    private static Task PickAsync<TPage>(IRenderedComponent<TPage> page, double longitude, double latitude) where TPage : class, Microsoft.AspNetCore.Components.IComponent
    {
        var map = page.FindComponent<LedgerMap>();
        return page.InvokeAsync(() => map.Instance.PointPicked(longitude, latitude));
    }

    [Fact]
    public async Task The_lists_offer_registration_to_those_who_keep_the_ledgers_and_the_forms_carry_a_submission_id()
    {
        using var worker = await app.SignedInAsync("worker1");
        using var leader = await app.SignedInAsync("streetleader1");

        Assert.Contains("data-testid=\"household-new\"", await worker.GetStringAsync("/ledgers/households"));
        Assert.Contains("data-testid=\"component-new\"", await worker.GetStringAsync("/ledgers/components"));
        Assert.DoesNotContain("data-testid=\"household-new\"", await leader.GetStringAsync("/ledgers/households"));
        Assert.DoesNotContain("data-testid=\"component-new\"", await leader.GetStringAsync("/ledgers/components"));
        Assert.Matches("data-submission=\"[0-9a-f-]{36}\"", await worker.GetStringAsync("/ledgers/households/new"));
        Assert.Matches("data-submission=\"[0-9a-f-]{36}\"", await worker.GetStringAsync("/ledgers/components/new"));
        Assert.Contains("data-testid=\"ledger-cannot-create\"", await leader.GetStringAsync("/ledgers/households/new"));
        Assert.Contains("data-testid=\"ledger-cannot-create\"", await leader.GetStringAsync("/ledgers/components/new"));
    }

    [Fact]
    public async Task A_household_is_registered_in_the_grid_of_its_point_and_a_second_at_its_address_is_refused_under_the_address()
    {
        var grid = await app.GridOfAsync("worker1");
        var (longitude, latitude) = await app.PointInGridAsync(grid.Id);
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        const string Address = "云帆街道页面测试苑3幢1单元502";

        async Task<IRenderedComponent<HouseholdNew>> FillAsync()
        {
            var page = harness.Page<HouseholdNew>("/ledgers/households/new");
            page.WaitForElement("input#household-address");
            page.Find("input#household-address").Change(Address);
            page.Find("input#household-dwelling").Change("1单元502");
            await page.ChooseAsync<HouseholdNew, HouseholdKind?>(HouseholdKind.Separated);
            await PickAsync(page, longitude, latitude);
            page.WaitForAssertion(() => Assert.Equal(grid.Code, page.Find("[data-testid=ledger-where]").GetAttribute("data-grid-code")));
            return page;
        }

        var first = await FillAsync();
        first.Find("[data-testid=household-submit]").Click();
        first.WaitForAssertion(() => Assert.Matches("/ledgers/households/[0-9]+$", harness.Navigation.Uri));
        var household = await app.DbAsync(db => db.Households.AsNoTracking().SingleAsync(h => h.Address == Address));
        Assert.EndsWith($"/ledgers/households/{household.Id}", harness.Navigation.Uri, StringComparison.Ordinal);
        var second = await FillAsync();
        second.Find("[data-testid=household-submit]").Click();

        second.WaitForAssertion(() => Assert.Contains("已登记为户", second.ErrorUnder("household-address")));
        Assert.Equal((grid.Id, "1单元502", HouseholdKind.Separated), (household.GridId, household.Dwelling, household.Kind));
        Assert.Equal(LedgerChangeKind.Created, Assert.Single(await app.ChangesAsync(nameof(Household), household.Id)).Kind);
        Assert.Equal(1, await app.DbAsync(db => db.Households.CountAsync(h => h.Address == Address)));
    }

    [Fact]
    public async Task A_component_is_registered_by_its_code_and_a_replay_answers_with_the_first_one()
    {
        var grid = await app.GridOfAsync("worker1");
        var (longitude, latitude) = await app.PointInGridAsync(grid.Id);
        var division = await app.DbAsync(db => db.Components.OrderBy(c => c.Id).Select(c => c.Code.Substring(0, 6)).FirstAsync());
        var code = division + "0598000777";
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var page = harness.Page<ComponentNew>("/ledgers/components/new");
        page.WaitForElement("input#component-code");
        var department = page.Instance.View!.Departments[0].Id;
        // The first click went through, but its answer never reached the tab (a dropped connection, say).
        var data = harness.Context.Services.GetRequiredService<PageData>();
        var submission = page.Instance.SubmissionId!.Value;
        var first = await data.RunAsync<LedgerService, int>((ledgers, actor, token) =>
            ledgers.CreateComponentAsync(new NewComponent(code, "页面测试路灯", ComponentState.Lost, department, longitude, latitude, submission), actor, token));

        page.Find("input#component-code").Change(code);
        page.Find("input#component-name").Change("页面测试路灯");
        await PickAsync(page, longitude, latitude);
        page.Find("[data-testid=component-submit]").Click();

        page.WaitForAssertion(() => Assert.EndsWith($"/ledgers/components/{first}", harness.Navigation.Uri, StringComparison.Ordinal));
        var component = await app.DbAsync(db => db.Components.AsNoTracking().SingleAsync(c => c.Code == code));
        Assert.Equal((first, grid.Id, ComponentClass.HousingLand, 98, ComponentState.Lost),
            (component.Id, component.GridId, component.MajorClass, component.MinorClass, component.State));
        Assert.Equal(LedgerChangeKind.Created, Assert.Single(await app.ChangesAsync(nameof(Component), first)).Kind);

        // Another form with the same code is refused under the code.
        var again = harness.Page<ComponentNew>("/ledgers/components/new");
        again.WaitForElement("input#component-code");
        again.Find("input#component-code").Change(code);
        again.Find("input#component-name").Change("页面测试路灯");
        await PickAsync(again, longitude, latitude);
        again.Find("[data-testid=component-submit]").Click();
        again.WaitForAssertion(() => Assert.Contains("已被其他部件使用", again.ErrorUnder("component-code")));
        Assert.Equal(1, await app.DbAsync(db => db.Components.CountAsync(c => c.Code == code)));
    }
}
