using System.Globalization;
using System.Net;
using Bunit;
using GridGov.Application.Hotline;
using GridGov.Domain.Audit;
using GridGov.Domain.Hotline;
using GridGov.Web.Components.Pages.Admin;
using GridGov.Web.Tests.Components;
using GridGov.Web.Tests.Inbox;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace GridGov.Web.Tests.Hotline;

/// <summary>
/// The administrator's category mapping on /admin/hotline: a code mapped on the page sends the next order of that code to
/// the chosen class; the row can be changed and removed (asked first); each change is audited; bad input changes nothing.
/// </summary>
[Collection(HotlineCollection.Name)]
public sealed class HotlineMappingPageTests(HotlineFixture app)
{
    private async Task<(ComponentHarness Harness, IRenderedComponent<HotlinePage> Page)> OpenAsync()
    {
        var harness = await ComponentHarness.SignedInAsync(app, "admin1");
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-CN");
        harness.Navigation.NavigateTo("/admin/hotline");
        var page = harness.Context.Render<HotlinePage>();
        page.WaitForElement("[data-testid=hotline-mapping-form]");
        return (harness, page);
    }

    private static Task ChooseCategoryAsync(IRenderedComponent<HotlinePage> page, string code)
    {
        var autocomplete = page.FindComponent<MudAutocomplete<HotlineCategoryOption>>();
        return page.InvokeAsync(() => autocomplete.Instance.ValueChanged.InvokeAsync(page.Instance.Overview!.Categories.Single(c => c.Code == code)));
    }

    private static string NewHotlineCode() => "RX" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    private Task<List<AuditAction>> AuditOfAsync(int mappingId)
    {
        var id = mappingId.ToString(CultureInfo.InvariantCulture);
        return app.DbAsync(db => db.AuditEntries.AsNoTracking()
            .Where(e => e.EntityType == nameof(HotlineCategoryMapping) && e.EntityId == id && e.ActorUserName == "admin1")
            .OrderBy(e => e.Id).Select(e => e.Action).ToListAsync());
    }

    [Fact]
    public async Task A_code_mapped_on_the_page_routes_the_next_order_and_the_row_is_changed_and_removed_with_an_audit_trail()
    {
        var (harness, page) = await OpenAsync();
        await using var _ = harness;
        var categories = await app.DbAsync(db => db.Categories.AsNoTracking().Where(c => c.IsActive).OrderBy(c => c.Code).Select(c => c.Code).Take(2).ToListAsync());
        var (first, second) = (categories[0], categories[1]);
        var hotlineCode = NewHotlineCode();

        page.Find("#mapping-code").Change(hotlineCode);
        page.Find("#mapping-note").Change("市容环境-垃圾满溢");
        await ChooseCategoryAsync(page, first);
        page.Find("[data-testid=mapping-save]").Click();
        page.WaitForElement($"tr[data-mapping='{hotlineCode}']");
        var mapping = await app.DbAsync(db => db.HotlineCategoryMappings.AsNoTracking().SingleAsync(m => m.HotlineCode == hotlineCode));
        Assert.Equal("市容环境-垃圾满溢", mapping.Note);

        // The next order of that code goes to the mapped class.
        var (longitude, latitude) = await app.PointInGridAsync(await app.GridOfAsync("leader1"));
        var posted = await app.PostOrderAsync(HotlineFixture.Json(new
        {
            order_no = HotlineFixture.NewOrderNumber(), category_code = hotlineCode, content = "小区门口垃圾满溢", address = "云帆街道某小区", lng = longitude, lat = latitude,
        }));
        Assert.Equal(HttpStatusCode.Created, posted.Status);
        var number = posted.Json.GetProperty("case_number").GetString();
        Assert.Equal(first, await app.DbAsync(db => db.Cases.AsNoTracking().Where(c => c.Number == number).Join(db.Categories, c => c.CategoryId, k => k.Id, (c, k) => k.Code).SingleAsync()));

        // Changed from its row.
        page.Find($"tr[data-mapping='{hotlineCode}'] [data-action=edit]").Click();
        Assert.Equal(hotlineCode, page.Find("#mapping-code").GetAttribute("value"));
        await ChooseCategoryAsync(page, second);
        page.Find("[data-testid=mapping-save]").Click();
        page.WaitForAssertion(() => Assert.StartsWith(second, page.Find($"tr[data-mapping='{hotlineCode}'] td:nth-child(3)").TextContent.Trim(), StringComparison.Ordinal));

        // Removed, asked first: cancelled keeps it, confirmed takes it out.
        page.Find($"tr[data-mapping='{hotlineCode}'] [data-action=remove]").Click();
        harness.Dialogs.WaitForAssertion(() => Assert.Contains(hotlineCode, harness.Dialogs.Markup, StringComparison.Ordinal));
        harness.Dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "取消").Click();
        Assert.True(await app.DbAsync(db => db.HotlineCategoryMappings.AnyAsync(m => m.HotlineCode == hotlineCode)));
        page.Find($"tr[data-mapping='{hotlineCode}'] [data-action=remove]").Click();
        harness.Dialogs.WaitForAssertion(() => Assert.Contains(hotlineCode, harness.Dialogs.Markup, StringComparison.Ordinal));
        harness.Dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "确定").Click();
        page.WaitForAssertion(() => Assert.Empty(page.FindAll($"tr[data-mapping='{hotlineCode}']")));
        Assert.False(await app.DbAsync(db => db.HotlineCategoryMappings.AnyAsync(m => m.HotlineCode == hotlineCode)));

        Assert.Equal([AuditAction.Create, AuditAction.Update, AuditAction.Delete], await AuditOfAsync(mapping.Id));
    }

    /// <summary>The code and the hotline's name typed, whether a class is chosen, and the label the message must name.</summary>
    private static readonly (string Code, string Note, bool WithClass, string Named)[] Corpus =
    [
        ("", "", true, "热线分类代码"),
        ("   ", "", true, "热线分类代码"),
        (new string('码', HotlineOrder.CodeMaxLength + 1), "", true, "热线分类代码"),
        ("RX\01", "", true, "热线分类代码"),
        ("RX\u001b2", "", true, "热线分类代码"),
        ("RX-OK", new string('名', HotlineCategoryMapping.NoteMaxLength + 1), true, "热线分类名称"),
        ("RX-OK", "垃圾\0满溢", true, "热线分类名称"),
        ("RX-OK", "", false, "案件类别"),
    ];

    [Fact]
    public async Task Bad_input_on_the_mapping_form_is_refused_in_chinese_under_its_field_and_writes_nothing()
    {
        var (harness, page) = await OpenAsync();
        await using var _ = harness;
        var before = await app.DbAsync(async db => (await db.HotlineCategoryMappings.CountAsync(), await db.AuditEntries.CountAsync(e => e.EntityType == nameof(HotlineCategoryMapping))));
        var category = page.Instance.Overview!.Categories[0].Code;
        var autocomplete = page.FindComponent<MudAutocomplete<HotlineCategoryOption>>();
        var failures = new List<string>();

        foreach (var (code, note, withClass, named) in Corpus)
        {
            page.Find("#mapping-code").Change(code);
            page.Find("#mapping-note").Change(note);
            if (withClass)
            {
                await ChooseCategoryAsync(page, category);
            }
            else
            {
                await page.InvokeAsync(() => autocomplete.Instance.ValueChanged.InvokeAsync(null));
            }
            page.Find("[data-testid=mapping-save]").Click();
            try
            {
                page.WaitForAssertion(() => Assert.Contains(named, page.Find("[data-testid=hotline-mapping-form] .mud-input-control.mud-input-error").TextContent,
                    StringComparison.Ordinal), TimeSpan.FromSeconds(10));
                // What was typed stays for the administrator to correct (a control character aside, which HTML does not show).
                Assert.Equal(code.Trim().Length > 0, !string.IsNullOrWhiteSpace(page.Find("#mapping-code").GetAttribute("value")));
            }
            catch (Exception exception) when (exception is Xunit.Sdk.XunitException or Bunit.ElementNotFoundException or TimeoutException)
            {
                failures.Add($"{code.Length} chars / {note.Length} chars / class {withClass}: {exception.Message}");
            }
        }

        Assert.Empty(failures);
        Assert.Equal(before, await app.DbAsync(async db => (await db.HotlineCategoryMappings.CountAsync(), await db.AuditEntries.CountAsync(e => e.EntityType == nameof(HotlineCategoryMapping)))));
    }
}
