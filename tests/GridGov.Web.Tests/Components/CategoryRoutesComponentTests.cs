using Bunit;
using GridGov.Domain.Categories;
using GridGov.Web.Components.Pages.Admin;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using static GridGov.Web.Tests.Components.CategoryEditComponentTests;

namespace GridGov.Web.Tests.Components;

/// <summary>The dispatch routes (派遣规则) section of the category editor, with bUnit on the real application and database.</summary>
public sealed class CategoryRoutesComponentTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    /// <summary>A community with one of its grids (the first ones), and two departments other than the class's default.</summary>
    internal static Task<(int Community, string CommunityName, string Grid, string GridName, int Committee, string CommitteeName, int Police)> PlacesAsync(
        WebAppFixture app, Category category) => app.DbAsync(async db =>
    {
        var community = await db.Communities.OrderBy(c => c.Code).FirstAsync();
        var grid = await db.Grids.Where(g => g.CommunityId == community.Id && g.ValidTo == null).OrderBy(g => g.Code).FirstAsync();
        var departments = await db.Departments.Where(d => d.Id != category.DefaultDepartmentId).OrderBy(d => d.Id).Take(2).ToListAsync();
        return (community.Id, community.Name, grid.Code, grid.Name, departments[0].Id, departments[0].Name, departments[1].Id);
    });

    internal static async Task ChooseAsync(IRenderedComponent<CategoryEditPage> page, bool byGrid, string? scope, int? department)
    {
        var kind = page.FindComponent<MudRadioGroup<bool>>();
        await page.InvokeAsync(() => kind.Instance.ValueChanged.InvokeAsync(byGrid));
        var scopeSelect = page.FindComponents<MudSelect<string>>().Single(s => Equals(s.Instance.UserAttributes.GetValueOrDefault("data-testid"), "route-scope"));
        await page.InvokeAsync(() => scopeSelect.Instance.ValueChanged.InvokeAsync(scope));
        var departmentSelect = page.FindComponents<MudSelect<int?>>().Single(s => Equals(s.Instance.UserAttributes.GetValueOrDefault("data-testid"), "route-department"));
        await page.InvokeAsync(() => departmentSelect.Instance.ValueChanged.InvokeAsync(department));
    }

    internal static string Community(int id) => "community:" + id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task An_administrator_adds_a_community_and_a_grid_route_shown_by_name_and_removes_one_after_confirming()
    {
        var category = await CategoryAsync(app, "1001");
        var (community, communityName, grid, gridName, committee, committeeName, police) = await PlacesAsync(app, category);
        await using var harness = await ComponentHarness.SignedInAsync(app, "admin1");
        var page = Open(harness, category.Id);
        Assert.Single(page.FindAll("[data-testid=routes-none]"));
        page.Find("input#category-name").Change("邻里纠纷（未保存）");

        await ChooseAsync(page, byGrid: false, Community(community), committee);
        page.Find("[data-testid=route-add]").Click();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-route]")));
        var row = page.Find("[data-route]");
        Assert.Contains(communityName, row.TextContent, StringComparison.Ordinal);
        Assert.Contains(committeeName, row.TextContent, StringComparison.Ordinal);
        Assert.Contains(harness.Snackbar.ShownSnackbars, s => s.Message == $"已添加派遣规则：{communityName}的案件派往{committeeName}");

        await ChooseAsync(page, byGrid: true, grid, police);
        page.Find("[data-testid=route-add]").Click();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-route]").Count));
        Assert.Contains($"{communityName} · {gridName}", page.Find($"[data-scope=\"{grid}\"]").TextContent, StringComparison.Ordinal);
        var stored = await app.DbAsync(db => db.DispatchRoutes.AsNoTracking().Where(r => r.CategoryId == category.Id).OrderBy(r => r.Id).ToListAsync());
        Assert.Equal([(community, (string?)null, committee), (null, grid, police)], stored.Select(r => (r.CommunityId, r.GridCode, r.DepartmentId)));
        // What was typed in the class's own form stays: adding a route saves only the route.
        Assert.Equal("邻里纠纷（未保存）", page.Find("input#category-name").GetAttribute("value"));
        Assert.Equal(category.Name, (await CategoryAsync(app, "1001")).Name);

        var gridRoute = stored[1].Id;
        page.Find($"[data-testid=route-remove-{gridRoute}]").Click();
        harness.Dialogs.WaitForElement(".mud-message-box");
        Assert.Contains("确定删除吗", harness.Dialogs.Find(".mud-message-box").TextContent, StringComparison.Ordinal);
        harness.Dialogs.FindAll(".mud-message-box button").Single(b => b.TextContent.Trim() == "取消").Click();
        harness.Dialogs.WaitForAssertion(() => Assert.Empty(harness.Dialogs.FindAll(".mud-message-box")));
        Assert.Equal(2, await app.DbAsync(db => db.DispatchRoutes.CountAsync(r => r.CategoryId == category.Id)));

        page.Find($"[data-testid=route-remove-{gridRoute}]").Click();
        harness.Dialogs.WaitForElement(".mud-message-box");
        harness.Dialogs.FindAll(".mud-message-box button").Single(b => b.TextContent.Trim() == "删除").Click();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-route]")));
        Assert.Empty(page.FindAll($"[data-scope=\"{grid}\"]"));
        Assert.Equal([stored[0].Id], await app.DbAsync(db => db.DispatchRoutes.Where(r => r.CategoryId == category.Id).Select(r => r.Id).ToListAsync()));
    }

    [Fact]
    public async Task A_route_to_the_default_department_or_a_second_one_for_a_scope_is_refused_under_its_field()
    {
        var category = await CategoryAsync(app, "1002");
        var (community, communityName, _, _, committee, _, police) = await PlacesAsync(app, category);
        await using var harness = await ComponentHarness.SignedInAsync(app, "admin1");
        var page = Open(harness, category.Id);

        await ChooseAsync(page, byGrid: false, Community(community), category.DefaultDepartmentId);
        page.Find("[data-testid=route-add]").Click();
        page.WaitForAssertion(() => Assert.StartsWith("该类别默认即派往", ErrorUnder(page, "route-department"), StringComparison.Ordinal));
        Assert.Equal(0, await app.DbAsync(db => db.DispatchRoutes.CountAsync(r => r.CategoryId == category.Id)));

        await ChooseAsync(page, byGrid: false, Community(community), committee);
        page.Find("[data-testid=route-add]").Click();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-route]")));
        Assert.Equal("", ErrorUnder(page, "route-department"));

        await ChooseAsync(page, byGrid: false, Community(community), police);
        page.Find("[data-testid=route-add]").Click();
        page.WaitForAssertion(() => Assert.Equal($"该类别在「{communityName}」已有派遣规则，不能重复添加；如需改派其他部门，请先删除原规则", ErrorUnder(page, "route-scope")));
        Assert.Equal([committee], await app.DbAsync(db => db.DispatchRoutes.Where(r => r.CategoryId == category.Id).Select(r => r.DepartmentId).ToListAsync()));
        Assert.Single(page.FindAll("[data-route]"));
    }
}
