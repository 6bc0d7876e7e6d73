using System.Globalization;
using AngleSharp.Dom;
using Bunit;
using GridGov.Application.Categories;
using GridGov.Domain.Categories;
using GridGov.Web.Components.Pages.Admin;
using GridGov.Web.Tests.CaseList;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Web.Tests.Components;

/// <summary>The administrator's category pages (案件类别) with bUnit on the real application and database.</summary>
public sealed class CategoryEditComponentTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    internal static Task<Category> CategoryAsync(WebAppFixture app, string code) => app.DbAsync(db => db.Categories.AsNoTracking().SingleAsync(c => c.Code == code));

    internal static IRenderedComponent<CategoryEditPage> Open(ComponentHarness harness, int id)
    {
        // Chinese, as the app's default; set here (not in an async method, whose culture would not reach the test).
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-CN");
        harness.Navigation.NavigateTo($"/admin/categories/{id}");
        var page = harness.Context.Render<CategoryEditPage>(p => p.Add(x => x.Id, id));
        page.WaitForElement("[data-testid=category-form]");
        return page;
    }

    /// <summary>The message shown under the field whose input has this id ("" when none).</summary>
    internal static string ErrorUnder(IRenderedComponent<CategoryEditPage> page, string inputId) =>
        page.Find($"#{inputId}").Closest(".mud-input-control")?.QuerySelector(".mud-input-helper-text")?.TextContent.Trim() ?? "";

    [Fact]
    public async Task Refusals_show_under_their_fields_and_nothing_is_written()
    {
        var category = await CategoryAsync(app, "0201");
        await using var harness = await ComponentHarness.SignedInAsync(app, "admin1");
        var page = Open(harness, category.Id);

        page.Find("input#category-name").Change("");
        page.Find("input#limit-handle-amount").Change("0");
        page.Find("[data-testid=category-save]").Click();

        page.WaitForAssertion(() => Assert.Equal("请填写小类名称", ErrorUnder(page, "category-name")));
        page.Find("input#category-name").Change("交通信号灯故障");
        page.Find("[data-testid=category-save]").Click();
        page.WaitForAssertion(() => Assert.Equal("处置时限必须是1至80之间的整数（工作时）", ErrorUnder(page, "limit-handle-amount")));
        Assert.Equal("", ErrorUnder(page, "category-name"));
        Assert.Empty(page.FindAll("[data-testid=category-error]"));
        Assert.Equal("0", page.Find("input#limit-handle-amount").GetAttribute("value"));
        var stored = await CategoryAsync(app, "0201");
        Assert.Equal((category.Name, category.Limits, category.Version), (stored.Name, stored.Limits, stored.Version));
    }

    [Fact]
    public async Task A_good_edit_is_saved_with_a_snackbar_and_the_list_shows_it()
    {
        var category = await CategoryAsync(app, "0204");
        await using var harness = await ComponentHarness.SignedInAsync(app, "admin1");
        var page = Open(harness, category.Id);

        page.Find("input#category-name").Change("公交候车亭");
        page.Find("input#limit-handle-amount").Change("4");
        page.Find("input[data-testid=category-active], [data-testid=category-active] input").Change(false);
        page.Find("[data-testid=category-save]").Click();

        await ComponentHarness.EventuallyAsync(async () => Assert.Equal("公交候车亭", (await CategoryAsync(app, "0204")).Name));
        var stored = await CategoryAsync(app, "0204");
        Assert.Equal(new TimeLimit(4, category.Limits.Handle.Unit), stored.Limits.Handle);
        Assert.False(stored.IsActive);
        page.WaitForAssertion(() => Assert.Contains(harness.Snackbar.ShownSnackbars, s => s.Message == "案件类别已保存"));
        Assert.EndsWith("/admin/categories", harness.Navigation.Uri, StringComparison.Ordinal);

        var list = harness.Page<CategoryList>("/admin/categories?q=" + Uri.EscapeDataString("公交候车亭"));
        list.WaitForAssertion(() => Assert.Equal(["0204"], list.FindAll("[data-category]").Select(e => e.GetAttribute("data-category"))));
        Assert.Single(list.FindAll("[data-retired=\"0204\"]"));
    }

    [Fact]
    public async Task A_stale_save_names_who_changed_the_class_keeps_what_was_typed_and_saves_over_the_version_now_shown()
    {
        var category = await CategoryAsync(app, "0203");
        await using var harness = await ComponentHarness.SignedInAsync(app, "admin1");
        var page = Open(harness, category.Id);
        var shown = page.Find("[data-testid=category-form]").GetAttribute("data-version");
        // Someone else saves the class meanwhile.
        var admin = await app.ActorAsync("admin1");
        await app.WithAsync(async p =>
        {
            var l = category.Limits;
            await p.GetRequiredService<CategoryAdminService>().UpdateAsync(category.Id, category.Version, new CategoryEdit(category.Name, "他人修改过的立案标准",
                category.DefaultDepartmentId, StageLimitInput.From(l.Register), StageLimitInput.From(l.Dispatch), StageLimitInput.From(l.Handle),
                StageLimitInput.From(l.Verify), StageLimitInput.From(l.UrgentHandle), true), admin);
            return true;
        });

        page.Find("input#category-name").Change("护栏损坏");
        page.Find("[data-testid=category-save]").Click();

        page.WaitForAssertion(() => Assert.StartsWith("该案件类别已被", page.Find("[data-testid=category-error]").TextContent.Trim(), StringComparison.Ordinal));
        var message = page.Find("[data-testid=category-error]").TextContent;
        Assert.Matches(@"于\d{4}-\d{2}-\d{2} \d{2}:\d{2}修改，本次保存未生效", message);
        Assert.Equal("护栏损坏", page.Find("input#category-name").GetAttribute("value"));
        Assert.NotEqual(shown, page.Find("[data-testid=category-form]").GetAttribute("data-version"));
        Assert.Equal(category.Name, (await CategoryAsync(app, "0203")).Name);

        page.Find("[data-testid=category-save]").Click(); // over the version now shown
        await ComponentHarness.EventuallyAsync(async () => Assert.Equal("护栏损坏", (await CategoryAsync(app, "0203")).Name));
        // The form saved what it held, all of it: the filing standard it showed goes back in too.
        Assert.Equal(category.FilingStandard, (await CategoryAsync(app, "0203")).FilingStandard);
    }
}
