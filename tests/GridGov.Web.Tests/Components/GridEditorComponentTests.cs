using Bunit;
using GridGov.Web.Components.Pages.Admin;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Web.Tests.Components;

/// <summary>
/// The grid editor's inputs with bUnit on the real application and database: bad names, bad shapes and cut lines as a
/// browser could send them, and a bad date each get a Chinese message where the person looks, and nothing is written.
/// </summary>
public sealed class GridEditorComponentTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private static string ErrorUnder(IRenderedComponent<GridEditorPage> page, string testId) =>
        page.Find($"[data-testid={testId}]").Closest(".mud-input-control")?.QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent.Trim() ?? "";

    private async Task<(string Code, string Name)> FirstGridAsync() =>
        await app.DbAsync(db => db.Grids.Where(g => g.ValidTo == null).OrderBy(g => g.Code).Select(g => new ValueTuple<string, string>(g.Code, g.Name)).FirstAsync());

    private Task<(int Grids, int Versions, string Names)> MapStateAsync() => app.DbAsync(async db => (
        await db.Grids.CountAsync(),
        await db.GridBoundaryVersions.CountAsync(),
        string.Join(",", await db.Grids.OrderBy(g => g.Id).Select(g => g.Name).ToListAsync())));

    private static IRenderedComponent<GridEditorPage> Select(ComponentHarness harness, string code)
    {
        var page = harness.Page<GridEditorPage>("/admin/grids");
        page.WaitForElement($"[data-testid=editor-grid][data-grid-code='{code}']").Click();
        page.WaitForElement($"[data-testid=editor-detail][data-grid-code='{code}']");
        return page;
    }

    [Theory]
    [InlineData("", "网格名称")]
    [InlineData("   ", "网格名称")]
    [InlineData("长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长", "网格名称")]
    [InlineData("第一\u0000网格", "网格名称")]
    public async Task A_bad_new_name_gets_a_Chinese_message_under_the_name_and_changes_nothing(string name, string expected)
    {
        var (code, _) = await FirstGridAsync();
        var before = await MapStateAsync();
        await using var harness = await ComponentHarness.SignedInAsync(app, "admin1");
        var page = Select(harness, code);

        page.Find("[data-testid=editor-rename]").Click();
        page.WaitForElement("input[data-testid=editor-name]").Change(name);
        page.Find("[data-testid=editor-save]").Click();

        page.WaitForAssertion(() => Assert.StartsWith(expected, ErrorUnder(page, "editor-name"), StringComparison.Ordinal));
        Assert.Equal(before, await MapStateAsync());
    }

    /// <summary>Rings as a tampered browser could send them, and the start of the message that must show.</summary>
    public static TheoryData<double[][], string> BadRings()
    {
        var data = new TheoryData<double[][], string>
        {
            { [[120.6, 31.3], [120.61, 31.3]], "请在地图上画出网格边界" },
            { [[double.NaN, 31.3], [120.61, 31.3], [120.61, 31.31]], "网格坐标超出经纬度范围" },
            { [[200, 100], [201, 100], [201, 101]], "网格坐标超出经纬度范围" },
            { [[120.60, 31.30], [120.62, 31.32], [120.62, 31.30], [120.60, 31.32]], "网格边界不是有效的多边形（边界自相交）" },
            { [[116.39, 39.90], [116.40, 39.90], [116.40, 39.91]], "网格边界超出街道范围" },
        };
        return data;
    }

    [Theory]
    [MemberData(nameof(BadRings))]
    public async Task A_bad_shape_drawn_is_named_as_it_is_drawn_saving_stays_disabled_and_nothing_is_written(double[][] ring, string expected)
    {
        var before = await MapStateAsync();
        await using var harness = await ComponentHarness.SignedInAsync(app, "admin1");
        var page = harness.Page<GridEditorPage>("/admin/grids");
        page.WaitForElement("[data-testid=editor-grid]");
        page.Find("[data-testid=editor-draw]").Click();
        page.WaitForElement("[data-testid=editor-panel][data-mode=Draw]");

        await page.InvokeAsync(() => page.Instance.ShapeChanged(ring));

        page.WaitForAssertion(() => Assert.StartsWith(expected, page.Find("[data-testid=editor-problems]").TextContent.Trim(), StringComparison.Ordinal));
        Assert.True(page.Find("[data-testid=editor-save]").HasAttribute("disabled"));
        Assert.Equal(before, await MapStateAsync());
    }

    [Fact]
    public async Task A_cut_that_does_not_cross_the_grid_and_a_bad_day_get_messages_and_change_nothing()
    {
        var (code, _) = await FirstGridAsync();
        var before = await MapStateAsync();
        await using var harness = await ComponentHarness.SignedInAsync(app, "admin1");
        var page = Select(harness, code);

        page.Find("[data-testid=editor-split]").Click();
        page.WaitForElement("[data-testid=editor-panel][data-mode=Split]");
        await page.InvokeAsync(() => page.Instance.CutDrawn([[0, 0], [0.0001, 0]]));
        page.WaitForAssertion(() => Assert.StartsWith("分割线须从网格一侧穿到另一侧", page.Find("[data-testid=editor-problems]").TextContent.Trim(), StringComparison.Ordinal));
        Assert.True(page.Find("[data-testid=editor-save]").HasAttribute("disabled"));
        await page.InvokeAsync(() => page.Instance.CutDrawn([[double.PositiveInfinity, 31.3], [120.6, 31.3]]));
        page.WaitForAssertion(() => Assert.StartsWith("分割线坐标超出经纬度范围", page.Find("[data-testid=editor-problems]").TextContent.Trim(), StringComparison.Ordinal));
        page.Find("[data-testid=editor-cancel]").Click();

        page.Find("input[data-testid=editor-as-of]").Change("2026-02-30");
        page.Find("[data-testid=editor-show-day]").Click();
        page.WaitForAssertion(() => Assert.Equal("请输入有效日期", ErrorUnder(page, "editor-as-of")));
        Assert.Empty(page.FindAll("[data-testid=editor-history-notice]"));
        Assert.Equal(before, await MapStateAsync());
    }

    [Fact]
    public async Task A_rename_of_a_grid_another_administrator_changed_since_the_page_showed_it_is_refused_and_keeps_the_other_change()
    {
        // The last grid of the community the page opens with (the first one).
        var (code, name) = await app.DbAsync(db => db.Grids
            .Where(g => g.ValidTo == null && g.CommunityId == db.Communities.OrderBy(c => c.Code).Select(c => c.Id).First())
            .OrderByDescending(g => g.Code).Select(g => new ValueTuple<string, string>(g.Code, g.Name)).FirstAsync());
        await using var harness = await ComponentHarness.SignedInAsync(app, "admin1");
        var page = Select(harness, code);
        page.Find("[data-testid=editor-rename]").Click();
        page.WaitForElement("input[data-testid=editor-name]").Change("本页的新名");

        // Meanwhile another administrator renames the grid from another page.
        await using (var other = await ComponentHarness.SignedInAsync(app, "admin1"))
        {
            var elsewhere = Select(other, code);
            elsewhere.Find("[data-testid=editor-rename]").Click();
            elsewhere.WaitForElement("input[data-testid=editor-name]").Change("另一页的新名");
            elsewhere.Find("[data-testid=editor-save]").Click();
            elsewhere.WaitForElement("[data-testid=editor-result]");
        }
        page.Find("[data-testid=editor-save]").Click();

        page.WaitForAssertion(() => Assert.Equal($"网格{code}刚被他人修改，请查看它现在的边界后再操作", page.Find("[data-testid=editor-error]").TextContent.Trim()));
        Assert.Equal("另一页的新名", await app.DbAsync(db => db.Grids.Where(g => g.Code == code).Select(g => g.Name).SingleAsync()));
        // The card now shows the grid as it is, the typed name stays, and saving again on what the person now sees goes through.
        page.WaitForAssertion(() => Assert.Contains("另一页的新名", page.Find("[data-testid=editor-detail]").TextContent, StringComparison.Ordinal));
        Assert.Equal("本页的新名", page.Find("input[data-testid=editor-name]").GetAttribute("value"));
        page.Find("[data-testid=editor-save]").Click();
        page.WaitForElement("[data-testid=editor-result]");
        Assert.Equal("本页的新名", await app.DbAsync(db => db.Grids.Where(g => g.Code == code).Select(g => g.Name).SingleAsync()));
        await app.DbAsync(db => db.Grids.Where(g => g.Code == code).ExecuteUpdateAsync(u => u.SetProperty(g => g.Name, name)));
    }

    [Fact]
    public async Task A_community_is_renamed_from_the_editor_and_a_bad_name_stays_under_the_field()
    {
        await using var harness = await ComponentHarness.SignedInAsync(app, "admin1");
        var page = harness.Page<GridEditorPage>("/admin/grids");
        page.WaitForElement("[data-testid=editor-community-rename]").Click();
        page.WaitForElement("[data-testid=editor-panel][data-mode=CommunityRename]");
        var (id, name) = await app.DbAsync(db => db.Communities.OrderBy(c => c.Code).Select(c => new ValueTuple<int, string>(c.Id, c.Name)).FirstAsync());
        Assert.Equal(name, page.Find("input[data-testid=editor-name]").GetAttribute("value"));

        page.Find("input[data-testid=editor-name]").Change("新\u001b社区");
        page.Find("[data-testid=editor-save]").Click();
        page.WaitForAssertion(() => Assert.StartsWith("社区名称含有不可见的控制字符", ErrorUnder(page, "editor-name"), StringComparison.Ordinal));
        Assert.Equal(name, await app.DbAsync(db => db.Communities.Where(c => c.Id == id).Select(c => c.Name).SingleAsync()));

        page.Find("input[data-testid=editor-name]").Change("编辑器改名社区");
        page.Find("[data-testid=editor-save]").Click();

        page.WaitForAssertion(() => Assert.Contains("社区已改名为", page.Find("[data-testid=editor-result]").TextContent, StringComparison.Ordinal));
        Assert.Equal("编辑器改名社区", await app.DbAsync(db => db.Communities.Where(c => c.Id == id).Select(c => c.Name).SingleAsync()));
        Assert.Contains("编辑器改名社区", page.Find("[data-testid=editor-community-tools]").TextContent, StringComparison.Ordinal);
    }
}
