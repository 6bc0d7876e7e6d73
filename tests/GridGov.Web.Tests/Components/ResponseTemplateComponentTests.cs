using System.Globalization;
using Bunit;
using GridGov.Application.Categories;
using GridGov.Domain.Cases;
using GridGov.Web.Components.Pages.Admin;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static GridGov.Web.Tests.Inbox.InboxCases;

namespace GridGov.Web.Tests.Components;

/// <summary>
/// Response templates (常用回复模板) with bUnit on the real application and database: the 常用语 picker on a case action's form
/// (offers the action's templates for the case's class or all classes; fills an empty box, appends to what was typed), the
/// administrator's page (new, edit, retire), and the bad inputs of its dialog.
/// </summary>
public sealed class ResponseTemplateComponentTests(WebAppFixture app, ITestOutputHelper output) : IClassFixture<WebAppFixture>
{
    private Task<int> CreateAsync(string title, string text, CaseAction action, int? categoryId) => app.WithAsync(async p =>
        await p.GetRequiredService<ResponseTemplateService>().CreateAsync(new ResponseTemplateInput(title, text, action, categoryId), await app.ActorAsync("admin1")));

    private static IReadOnlyList<string> Offered(ComponentHarness harness, IRenderedComponent<GridGov.Web.Components.Pages.Cases.CaseDetail> page, string testId)
    {
        var select = page.Find($"[data-testid={testId}]");
        (select.QuerySelector(".mud-input-control") ?? select.Closest(".mud-input-control") ?? select).MouseDown();
        harness.Popovers.WaitForAssertion(() => Assert.NotEmpty(harness.Popovers.FindAll(".mud-popover-open .mud-list-item")));
        var titles = harness.Popovers.FindAll(".mud-popover-open .mud-list-item").Select(i => i.TextContent.Trim()).ToList();
        harness.Popovers.FindAll(".mud-popover-open .mud-list-item").First().Click(); // closes the list; fills the box
        return titles;
    }

    [Fact]
    public async Task The_picker_offers_the_actions_templates_for_the_cases_class_fills_an_empty_box_and_appends_to_what_was_typed()
    {
        var @case = await app.ResidentReportAsync("0501");
        var other = await app.CategoryIdAsync("0301");
        await CreateAsync("A 已联系清运", "已通知保洁公司清运。", CaseAction.Register, @case.CategoryId);
        await CreateAsync("B 核实属实", "经核实，问题属实。", CaseAction.Register, null);
        await CreateAsync("C 果皮箱", "果皮箱已报修。", CaseAction.Register, other);
        await CreateAsync("D 非本街道", "经核实，不属于本街道管辖。", CaseAction.Reject, null);
        var retired = await CreateAsync("E 已停用", "不应出现。", CaseAction.Register, null);
        var version = await app.DbAsync(db => db.ResponseTemplates.Where(t => t.Id == retired).Select(t => t.Version).SingleAsync());
        await app.WithAsync(async p =>
        {
            await p.GetRequiredService<ResponseTemplateService>().SetActiveAsync(retired, version, false, await app.ActorAsync("admin1"));
            return true;
        });
        await using var harness = await ComponentHarness.SignedInAsync(app, "dispatcher1");
        var page = harness.OpenCase(@case.Number);

        // The first item (A) is clicked: the empty note takes its text.
        Assert.Equal(["A 已联系清运", "B 核实属实"], Offered(harness, page, "register-templates"));
        page.WaitForAssertion(() => Assert.Equal("已通知保洁公司清运。", page.Find("#register-note").GetAttribute("value")));
        Assert.Equal(["D 非本街道"], Offered(harness, page, "reject-templates"));
        page.WaitForAssertion(() => Assert.Equal("经核实，不属于本街道管辖。", page.Find("#reject-reason").GetAttribute("value")));

        // What the dispatcher typed stays; the template goes on a new line after it, and the box stays editable.
        page.Find("#register-note").Change("居民来电催办");
        page.Choose(harness, "register-templates", "B 核实属实");
        page.WaitForAssertion(() => Assert.Equal("居民来电催办\n经核实，问题属实。", page.Find("#register-note").GetAttribute("value")));
        page.Find("#register-note").Change("居民来电催办\n经核实，问题属实，已拍照。");
        page.Submit(harness, "Register");
        // What was sent is what the box held: the dispatcher's words, the template's on their own line, and the edit.
        await ComponentHarness.EventuallyAsync(async () => Assert.Equal("居民来电催办\n经核实，问题属实，已拍照。",
            await app.DbAsync(db => db.CaseHistory.Where(h => h.CaseId == @case.Id && h.Action == CaseAction.Register).Select(h => h.Note).SingleOrDefaultAsync())),
            TimeSpan.FromSeconds(20));
    }

    private static IRenderedComponent<ResponseTemplatesPage> OpenList(ComponentHarness harness)
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-CN");
        harness.Navigation.NavigateTo("/admin/response-templates");
        var page = harness.Context.Render<ResponseTemplatesPage>();
        page.WaitForElement("[data-testid=templates] tbody tr");
        return page;
    }

    private static string ErrorUnder(ComponentHarness harness, string inputId) =>
        harness.Dialogs.Find($"#{inputId}").Closest(".mud-input-control")?.QuerySelector(".mud-input-helper-text")?.TextContent.Trim() ?? "";

    [Fact]
    public async Task An_administrator_creates_edits_and_retires_a_template_on_the_page()
    {
        await using var harness = await ComponentHarness.SignedInAsync(app, "admin1");
        var page = OpenList(harness);

        await page.InvokeAsync(() => page.Find("[data-testid=template-new]").Click());
        harness.Dialogs.WaitForElement("#template-title");
        harness.Dialogs.Find("#template-title").Change("督办：请加快处置");
        harness.Dialogs.Find("#template-text").Change("该案件已临近时限，请加快处置并及时反馈。");
        harness.Dialogs.Choose(harness, "template-action", "督办");
        await harness.Dialogs.InvokeAsync(() => harness.Dialogs.Find("[data-testid=template-save]").Click());

        page.WaitForAssertion(() => Assert.Contains(page.FindAll("[data-template]"), r => r.TextContent.Contains("督办：请加快处置", StringComparison.Ordinal)));
        var stored = await app.DbAsync(db => db.ResponseTemplates.AsNoTracking().SingleAsync(t => t.Title == "督办：请加快处置"));
        Assert.Equal((CaseAction.Supervise, (int?)null, true), (stored.Action, stored.CategoryId, stored.IsActive));
        Assert.Contains(harness.Snackbar.ShownSnackbars, s => s.Message == "模板已保存");
        var id = stored.Id.ToString(CultureInfo.InvariantCulture);
        Assert.Contains("全部类别", page.Find($"[data-template=\"{id}\"]").TextContent, StringComparison.Ordinal);

        await page.InvokeAsync(() => page.Find($"[data-testid=template-edit-{id}]").Click());
        harness.Dialogs.WaitForElement("#template-title");
        Assert.Equal("督办：请加快处置", harness.Dialogs.Find("#template-title").GetAttribute("value"));
        harness.Dialogs.Find("#template-title").Change("督办：临近时限");
        await harness.Dialogs.InvokeAsync(() => harness.Dialogs.Find("[data-testid=template-save]").Click());
        await ComponentHarness.EventuallyAsync(async () => Assert.Equal("督办：临近时限", await app.DbAsync(db => db.ResponseTemplates.Where(t => t.Id == stored.Id).Select(t => t.Title).SingleAsync())));

        page.WaitForAssertion(() => Assert.Contains("督办：临近时限", page.Find($"[data-template=\"{id}\"]").TextContent, StringComparison.Ordinal));
        await page.InvokeAsync(() => page.Find($"[data-testid=template-toggle-{id}]").Click());
        page.WaitForAssertion(() => Assert.Equal("false", page.Find($"[data-template=\"{id}\"]").GetAttribute("data-active")));
        Assert.False(await app.DbAsync(db => db.ResponseTemplates.Where(t => t.Id == stored.Id).Select(t => t.IsActive).SingleAsync()));
    }

    [Fact]
    public async Task The_list_filters_by_action_and_by_class()
    {
        var lamps = await app.CategoryIdAsync("0301");
        var escalate = await CreateAsync("上报：跨部门", "涉及多个部门，请街道协调。", CaseAction.Escalate, lamps);
        var callBack = await CreateAsync("回访：满意", "居民表示满意。", CaseAction.CallBack, null);
        await using var harness = await ComponentHarness.SignedInAsync(app, "admin1");
        var page = OpenList(harness);
        string Id(int id) => id.ToString(CultureInfo.InvariantCulture);
        Assert.Single(page.FindAll($"[data-template=\"{Id(escalate)}\"]"));
        Assert.Single(page.FindAll($"[data-template=\"{Id(callBack)}\"]"));

        var byAction = page.FindComponents<MudBlazor.MudSelect<CaseAction?>>().Single(s => Equals(s.Instance.UserAttributes.GetValueOrDefault("data-testid"), "template-filter-action"));
        await page.InvokeAsync(() => byAction.Instance.ValueChanged.InvokeAsync(CaseAction.CallBack));
        page.WaitForAssertion(() => Assert.Empty(page.FindAll($"[data-template=\"{Id(escalate)}\"]")));
        Assert.All(page.FindAll("[data-template]"), r => Assert.Contains("回访", r.TextContent, StringComparison.Ordinal));
        Assert.Single(page.FindAll($"[data-template=\"{Id(callBack)}\"]"));

        await page.InvokeAsync(() => byAction.Instance.ValueChanged.InvokeAsync(null));
        var byClass = page.FindComponents<MudBlazor.MudSelect<int?>>().Single(s => Equals(s.Instance.UserAttributes.GetValueOrDefault("data-testid"), "template-filter-category"));
        await page.InvokeAsync(() => byClass.Instance.ValueChanged.InvokeAsync(lamps));
        page.WaitForAssertion(() => Assert.Equal([Id(escalate)], page.FindAll("[data-template]").Select(r => r.GetAttribute("data-template"))));
    }

    /// <summary>The dialog's inputs: what is typed into the title and the text (the action chosen as 督办), and the field whose message must show.</summary>
    private static readonly (string Title, string Text, bool ChooseAction, string ErrorUnder)[] Corpus =
    [
        ("", "坏输入语料：内容", true, "template-title"),
        ("   ", "坏输入语料：内容", true, "template-title"),
        (new string('长', 31), "坏输入语料：内容", true, "template-title"),
        ("标题\0", "坏输入语料：内容", true, "template-title"),
        ("标题\u001b", "坏输入语料：内容", true, "template-title"),
        ("<script>alert('gg')</script>", "", true, "template-text"),
        ("坏输入语料", "", true, "template-text"),
        ("坏输入语料", "   ", true, "template-text"),
        ("坏输入语料", new string('长', 501), true, "template-text"),
        ("坏输入语料", "内容\0", true, "template-text"),
        ("坏输入语料", "内容\u0007", true, "template-text"),
        ("坏输入语料", "坏输入语料：内容", false, "template-action"),
    ];

    [Fact]
    public async Task Bad_input_in_the_template_dialog_is_refused_in_chinese_under_its_field_and_writes_nothing()
    {
        var before = await app.DbAsync(async db => (await db.ResponseTemplates.CountAsync(), await db.AuditEntries.CountAsync(e => e.EntityType == "ResponseTemplate")));
        var failures = new List<string>();
        await using var harness = await ComponentHarness.SignedInAsync(app, "admin1");
        var page = OpenList(harness);
        foreach (var (title, text, chooseAction, under) in Corpus)
        {
            var label = $"{Printable(title)} / {Printable(text)} / action {chooseAction}";
            await page.InvokeAsync(() => page.Find("[data-testid=template-new]").Click());
            harness.Dialogs.WaitForElement("#template-title");
            harness.Dialogs.Find("#template-title").Change(title);
            harness.Dialogs.Find("#template-text").Change(text);
            if (chooseAction)
            {
                harness.Dialogs.Choose(harness, "template-action", "督办");
            }
            await harness.Dialogs.InvokeAsync(() => harness.Dialogs.Find("[data-testid=template-save]").Click());
            try
            {
                harness.Dialogs.WaitForAssertion(() => Assert.NotEqual("", ErrorUnder(harness, under)), TimeSpan.FromSeconds(10));
                if (!ComponentHarness.IsChinese(ErrorUnder(harness, under)))
                {
                    failures.Add($"{label}: not Chinese: {ErrorUnder(harness, under)}");
                }
                if (harness.Dialogs.FindAll("[data-testid=template-error]").Count > 0)
                {
                    failures.Add($"{label}: a general error besides the field's");
                }
            }
            catch (Exception exception) when (exception is Xunit.Sdk.XunitException or Bunit.Extensions.WaitForHelpers.WaitForFailedException)
            {
                failures.Add($"{label}: no message under {under}");
            }
            await harness.Dialogs.InvokeAsync(() => harness.Dialogs.Find("[data-testid=template-cancel]").Click());
            harness.Dialogs.WaitForAssertion(() => Assert.Empty(harness.Dialogs.FindAll("[data-testid=template-dialog]")));
        }

        Assert.Equal(before, await app.DbAsync(async db => (await db.ResponseTemplates.CountAsync(), await db.AuditEntries.CountAsync(e => e.EntityType == "ResponseTemplate"))));
        Console.WriteLine($"[bad-input-corpus] {nameof(Bad_input_in_the_template_dialog_is_refused_in_chinese_under_its_field_and_writes_nothing)}: {Corpus.Length} inputs tried, {failures.Count} failures");
        output.WriteLine(string.Join(Environment.NewLine, failures));
        Assert.Empty(failures);
    }

    private static string Printable(string text) =>
        string.Concat(text.Take(12).Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
}
