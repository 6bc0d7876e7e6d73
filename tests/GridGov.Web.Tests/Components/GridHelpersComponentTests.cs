using Bunit;
using GridGov.Domain.Ledgers;
using GridGov.Web.Components.Pages.Ledgers;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Web.Tests.Components;

/// <summary>
/// The local helpers (网格骨干) on a grid's ledger page with bUnit on the real application and database: a grid worker
/// enters one through the dialog, a refusal stays in the dialog under its field with what was typed, the saved helper is
/// listed under its part, and a street leader (who only reads) gets no button.
/// </summary>
public sealed class GridHelpersComponentTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private static string ErrorUnder(ComponentHarness harness, string inputId) =>
        harness.Dialogs.Find($"#{inputId}").Closest(".mud-input-control")?.QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent.Trim() ?? "";

    private static IRenderedComponent<GridLedger> Open(ComponentHarness harness, string gridCode) =>
        harness.DetailPage<GridLedger>($"/ledgers/grids/{gridCode}", p => p.Add(x => x.Code, gridCode));

    [Fact]
    public async Task A_worker_enters_a_helper_through_the_dialog_and_a_bad_phone_stays_in_the_dialog_under_the_phone()
    {
        var grid = await app.GridOfAsync("worker1");
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var page = Open(harness, grid.Code);
        page.WaitForElement("[data-testid=helper-add]");
        var before = await app.DbAsync(db => db.GridHelpers.CountAsync());

        page.Find("[data-testid=helper-add]").Click();
        harness.Dialogs.WaitForElement("[data-testid=grid-helper-dialog]");
        harness.Dialogs.Find("input#helper-name").Change("页面测试楼长");
        harness.Dialogs.Find("input#helper-phone").Change("1380000");
        harness.Dialogs.Find("input#helper-coverage").Change("7幢");
        harness.Dialogs.Find("[data-testid=grid-helper-save]").Click();

        harness.Dialogs.WaitForAssertion(() => Assert.StartsWith("骨干联系电话格式不正确", ErrorUnder(harness, "helper-phone"), StringComparison.Ordinal));
        Assert.Equal("页面测试楼长", harness.Dialogs.Find("input#helper-name").GetAttribute("value"));
        Assert.Equal(before, await app.DbAsync(db => db.GridHelpers.CountAsync()));

        harness.Dialogs.Find("input#helper-phone").Change("13800007777");
        harness.Dialogs.Find("[data-testid=grid-helper-save]").Click();

        page.WaitForAssertion(() => Assert.Contains(page.FindAll("[data-testid=helper-name]"), e => e.TextContent.Trim() == "页面测试楼长"));
        var item = page.FindAll("[data-testid=helper]").Single(e => e.TextContent.Contains("页面测试楼长", StringComparison.Ordinal));
        Assert.Equal("13800007777", item.QuerySelector("[data-testid=helper-phone]")!.TextContent.Trim());
        Assert.Equal(nameof(GridHelperRole.Liaison), item.Closest("ul")!.GetAttribute("data-role"));
        Assert.Contains(harness.Snackbar.ShownSnackbars, s => s.Message == "网格骨干已保存");
        var saved = await app.DbAsync(db => db.GridHelpers.AsNoTracking().SingleAsync(h => h.Name == "页面测试楼长"));
        Assert.Equal((grid.Id, "7幢", GridHelperRole.Liaison), (saved.GridId, saved.Coverage, saved.Role));
    }

    /// <summary>Name, phone, coverage, since, note typed, and the input whose message must show.</summary>
    private static IEnumerable<(string Name, string Phone, string Coverage, string Since, string Note, string Under)> Corpus()
    {
        var tomorrow = Domain.Calendar.WorkingCalendar.ChinaDate(DateTimeOffset.UtcNow).AddDays(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return
        [
            ("", "13800001234", "", "", "", "helper-name"),
            ("   ", "13800001234", "", "", "", "helper-name"),
            (new string('长', GridHelper.NameMaxLength + 1), "13800001234", "", "", "", "helper-name"),
            ("周\0楼长", "13800001234", "", "", "", "helper-name"),
            ("周楼长", "", "", "", "", "helper-phone"),
            ("周楼长", "123", "", "", "", "helper-phone"),
            ("周楼长", "1381234567a", "", "", "", "helper-phone"),
            ("周楼长", "<script>alert('gg')</script>", "", "", "", "helper-phone"),
            ("周楼长", "13800001234", new string('长', GridHelper.CoverageMaxLength + 1), "", "", "helper-coverage"),
            ("周楼长", "13800001234", "3幢\u001b", "", "", "helper-coverage"),
            ("周楼长", "13800001234", "", tomorrow, "", "helper-since"),
            ("周楼长", "13800001234", "", "1979-12-31", "", "helper-since"),
            ("周楼长", "13800001234", "", "", new string('长', GridHelper.NoteMaxLength + 1), "helper-note"),
        ];
    }

    [Fact]
    public async Task Bad_input_in_the_helper_dialog_is_refused_in_chinese_under_its_field_and_writes_nothing()
    {
        var grid = await app.GridOfAsync("worker1");
        var before = await app.DbAsync(async db => (await db.GridHelpers.CountAsync(), await db.LedgerChanges.CountAsync(c => c.EntityType == nameof(GridHelper))));
        var failures = new List<string>();
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        foreach (var (name, phone, coverage, since, note, under) in Corpus())
        {
            var page = Open(harness, grid.Code);
            page.WaitForElement("[data-testid=helper-add]");
            var label = $"{under}: {new string([.. (name + phone + coverage + since + note).Select(c => char.IsControl(c) ? '?' : c).Take(30)])}";
            page.Find("[data-testid=helper-add]").Click();
            harness.Dialogs.WaitForElement("[data-testid=grid-helper-dialog]");
            harness.Dialogs.Find("input#helper-name").Change(name);
            harness.Dialogs.Find("input#helper-phone").Change(phone);
            harness.Dialogs.Find("input#helper-coverage").Change(coverage);
            harness.Dialogs.Find("input#helper-since").Change(since);
            harness.Dialogs.Find("#helper-note").Change(note);
            harness.Dialogs.Find("[data-testid=grid-helper-save]").Click();
            try
            {
                harness.Dialogs.WaitForAssertion(() => Assert.NotEqual("", ErrorUnder(harness, under)), TimeSpan.FromSeconds(10));
                if (!ComponentHarness.IsChinese(ErrorUnder(harness, under)))
                {
                    failures.Add($"{label}: not Chinese: {ErrorUnder(harness, under)}");
                }
            }
            catch (Exception exception) when (exception is Xunit.Sdk.XunitException or Bunit.Extensions.WaitForHelpers.WaitForFailedException)
            {
                failures.Add($"{label}: no message under {under}");
            }
            harness.Dialogs.Find("[data-testid=grid-helper-cancel]").Click();
            page.Dispose();
        }

        Assert.Empty(failures);
        Assert.Equal(before, await app.DbAsync(async db => (await db.GridHelpers.CountAsync(), await db.LedgerChanges.CountAsync(c => c.EntityType == nameof(GridHelper)))));
        Assert.Empty(harness.Snackbar.ShownSnackbars);
    }

    [Fact]
    public async Task A_street_leader_reads_the_helpers_without_a_button_to_enter_or_change_one()
    {
        var grid = await app.GridOfAsync("worker1");
        await using var harness = await ComponentHarness.SignedInAsync(app, "streetleader1");
        var page = Open(harness, grid.Code);

        page.WaitForElement("[data-testid=helpers]");
        Assert.Empty(page.FindAll("[data-testid=helper-add]"));
        Assert.Empty(page.FindAll("[data-testid=helper-edit]"));
    }
}
