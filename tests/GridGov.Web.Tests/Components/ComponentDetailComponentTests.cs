using System.Globalization;
using Bunit;
using GridGov.Application.Ledgers;
using GridGov.Domain.Ledgers;
using GridGov.Web.Components.Pages.Ledgers;
using GridGov.Web.Infrastructure;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace GridGov.Web.Tests.Components;

/// <summary>
/// The interactive component page (部件) with bUnit on the real application and database: the edit (code, state, owner,
/// place) carrying the version shown, and the removal asked again and versioned.
/// </summary>
public sealed class ComponentDetailComponentTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private Task<List<Component>> ComponentsAsync(int gridId, int skip, int take) => app.DbAsync(db => db.Components.AsNoTracking()
        .Where(c => c.GridId == gridId && c.RemovedAt == null).OrderBy(c => c.Id).Skip(skip).Take(take).ToListAsync());

    private Task<Component> ReloadAsync(int id) => app.DbAsync(db => db.Components.AsNoTracking().SingleAsync(c => c.Id == id));

    private static IRenderedComponent<ComponentDetail> Open(ComponentHarness harness, int id)
    {
        var page = harness.DetailPage<ComponentDetail>($"/ledgers/components/{id}", p => p.Add(c => c.Id, id));
        page.WaitForElement("[data-testid=component-code]");
        return page;
    }

    private static async Task SetCodeAsync(IRenderedComponent<ComponentDetail> page, Component code)
    {
        await page.ChooseAsync<ComponentDetail, ComponentClass>(code.MajorClass);
        page.Find("input#component-minor").Change(code.MinorClass.ToString("D2", CultureInfo.InvariantCulture));
        page.Find("input#component-serial").Change(code.Serial.ToString("D6", CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_component_state_change_is_recorded_and_a_code_in_use_is_refused()
    {
        var grid = await app.GridOfAsync("worker1");
        var components = await ComponentsAsync(grid.Id, skip: 0, take: 2);
        var (component, other) = (components[0], components[1]);
        var newState = component.State == ComponentState.Damaged ? ComponentState.Intact : ComponentState.Damaged;
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var page = Open(harness, component.Id);
        var state = page.FindComponent<MudRadioGroup<ComponentState>>();
        await page.InvokeAsync(() => state.Instance.ValueChanged.InvokeAsync(newState));

        await SetCodeAsync(page, other);
        page.Find("[data-testid=component-edit-submit]").Click();

        page.WaitForAssertion(() => Assert.Equal($"部件编码{other.Code}已被其他部件使用", page.ErrorFor("code")));
        Assert.Empty(await app.ChangesAsync(nameof(Component), component.Id));

        await SetCodeAsync(page, component);
        page.Find("[data-testid=component-edit-submit]").Click();

        page.WaitForAssertion(() => Assert.Equal(newState == ComponentState.Damaged ? "破损" : "完好", page.TestId("component-state")));
        var change = Assert.Single(await app.ChangesAsync(nameof(Component), component.Id));
        Assert.Contains($"\"State\": \"{newState}\"", change.After);
        Assert.Contains($"\"Code\": \"{component.Code}\"", change.After);
        Assert.Contains(harness.Snackbar.ShownSnackbars, s => s.Message == "已保存，变更已记入台账变更记录。");
    }

    [Fact]
    public async Task A_point_outside_the_street_is_refused_next_to_the_map_and_a_point_in_the_grid_moves_the_component()
    {
        var grid = await app.GridOfAsync("worker1");
        var component = (await ComponentsAsync(grid.Id, skip: 2, take: 1))[0];
        var (longitude, latitude) = await app.PointInGridAsync(grid.Id);
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var page = Open(harness, component.Id);
        var map = page.FindComponent<LedgerMap>();

        await page.InvokeAsync(() => map.Instance.PointPicked(116.397, 39.909));
        page.Find("[data-testid=component-edit-submit]").Click();
        page.WaitForAssertion(() => Assert.Contains("本街道范围之外", page.ErrorFor("location")));
        Assert.Empty(await app.ChangesAsync(nameof(Component), component.Id));

        await page.InvokeAsync(() => map.Instance.PointPicked(longitude, latitude));
        page.WaitForAssertion(() => Assert.Equal(grid.Code, page.Find("[data-testid=ledger-where]").GetAttribute("data-grid-code")));
        page.Find("[data-testid=component-edit-submit]").Click();

        await ComponentHarness.EventuallyAsync(async () => Assert.Single(await app.ChangesAsync(nameof(Component), component.Id)));
        var moved = await ReloadAsync(component.Id);
        Assert.InRange(moved.Location.X, longitude - 1e-6, longitude + 1e-6);
        Assert.InRange(moved.Location.Y, latitude - 1e-6, latitude + 1e-6);
    }

    [Fact]
    public async Task A_stale_edit_and_a_stale_removal_are_refused_naming_who_changed_the_component()
    {
        var grid = await app.GridOfAsync("worker1");
        var component = (await ComponentsAsync(grid.Id, skip: 3, take: 1))[0];
        var dispatcherName = await app.StaffNameAsync("dispatcher1");
        await using var worker = await ComponentHarness.SignedInAsync(app, "worker1");
        await using var dispatcher = await ComponentHarness.SignedInAsync(app, "dispatcher1");
        var page = Open(worker, component.Id);
        var edit = new ComponentEdit("先改部件", component.MajorClass, component.MinorClass, component.Serial, component.State, component.OwnerDepartmentId, null, null);
        await dispatcher.Context.Services.GetRequiredService<PageData>()
            .RunAsync<LedgerService>((ledgers, actor, token) => ledgers.UpdateComponentAsync(component.Id, component.Version, edit, actor, token));

        page.Find("input#component-name").Change("后改部件");
        page.Find("[data-testid=component-edit-submit]").Click();
        page.WaitForAssertion(() => Assert.Contains($"已被{dispatcherName}于", page.ErrorFor("general")));
        Assert.Equal("后改部件", page.Find("input#component-name").GetAttribute("value"));
        Assert.Equal("先改部件", page.TestId("component-title"));
        Assert.Equal("先改部件", (await ReloadAsync(component.Id)).Name);

        // The dispatcher changes it once more; the worker's removal carries the version the worker was last shown.
        var current = await ReloadAsync(component.Id);
        await dispatcher.Context.Services.GetRequiredService<PageData>()
            .RunAsync<LedgerService>((ledgers, actor, token) => ledgers.UpdateComponentAsync(component.Id, current.Version, edit with { Name = "再改部件" }, actor, token));
        page.Find("input#component-remove-reason").Change("已拆除");
        page.Find("[data-testid=component-remove-submit]").Click();
        worker.Answer("确定");

        page.WaitForAssertion(() => Assert.Contains($"已被{dispatcherName}于", page.ErrorUnder("component-remove-reason")));
        Assert.Null((await ReloadAsync(component.Id)).RemovedAt);
        page.WaitForAssertion(() => Assert.Equal("再改部件", page.TestId("component-title")));

        page.Find("[data-testid=component-remove-submit]").Click();
        worker.Answer("确定");

        page.WaitForAssertion(() => Assert.Contains("已拆除", page.TestId("removed-note")));
        Assert.Empty(page.FindAll("[data-testid=component-edit]"));
        var removed = await ReloadAsync(component.Id);
        Assert.Equal("已拆除", removed.RemovalReason);
        Assert.Equal(LedgerChangeKind.Removed, (await app.ChangesAsync(nameof(Component), component.Id)).Last().Kind);
    }

    [Fact]
    public async Task A_street_leader_reads_the_component_without_forms()
    {
        var grid = await app.GridOfAsync("worker1");
        var component = (await ComponentsAsync(grid.Id, skip: 4, take: 1))[0];
        await using var harness = await ComponentHarness.SignedInAsync(app, "streetleader1");

        var page = Open(harness, component.Id);

        Assert.Equal(component.Code, page.TestId("component-code"));
        Assert.Empty(page.FindAll("[data-testid=component-edit]"));
        Assert.Empty(page.FindAll("[data-testid=component-remove]"));
        Assert.Single(page.FindAll("[data-testid=component-map]"));
        Assert.Contains("您的角色可以查看台账，但不能修改。", page.Markup);
    }
}
