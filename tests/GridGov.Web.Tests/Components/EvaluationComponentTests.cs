using System.Globalization;
using Bunit;
using GridGov.Application.Visits;
using GridGov.Domain.Evaluation;
using GridGov.Web.Components.Pages.Evaluation;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Visits;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace GridGov.Web.Tests.Components;

/// <summary>
/// The monthly evaluation page with bUnit on the real application and the demo street's last month: each viewer's
/// scope, a rate's drill-down listing exactly the cases its numerator and denominator count, the administrator's
/// recomputation with its reason (refused blank, then stored with the new snapshot), and English.
/// </summary>
public sealed class EvaluationComponentTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private static readonly DateOnly LastMonth = ChinaMonths.MonthOf(DateTimeOffset.UtcNow).AddMonths(-1);

    private static string Url(DateOnly month) => $"/evaluation?month={ChinaMonths.Format(month)}";

    [Fact]
    public async Task A_rates_drill_down_lists_the_cases_its_numerator_and_denominator_count()
    {
        await using var harness = await ComponentHarness.SignedInAsync(app, "streetleader1");
        var page = harness.Page<EvaluationPage>(Url(LastMonth));
        page.WaitForElement("[data-testid=evaluation-workers]", TimeSpan.FromSeconds(60));

        // The demo street's workers reported last month: some rate of valid reports has cases behind it.
        const string Cells = "[data-testid=evaluation-workers] .gg-rate[data-figure=accurate-discovery]";
        var index = page.FindAll(Cells).ToList().FindIndex(c => int.Parse(c.GetAttribute("data-denominator")!, CultureInfo.InvariantCulture) > 0);
        Assert.True(index >= 0, "some worker's reports of last month were decided");
        var cell = page.FindAll(Cells)[index];
        var numerator = int.Parse(cell.GetAttribute("data-numerator")!, CultureInfo.InvariantCulture);
        var denominator = int.Parse(cell.GetAttribute("data-denominator")!, CultureInfo.InvariantCulture);
        Assert.Contains($"{numerator}/{denominator}", cell.TextContent, StringComparison.Ordinal);
        // The grid may render once more after the first paint: click the cell as it is now.
        page.WaitForAssertion(() => page.FindAll(Cells)[index].QuerySelector(".mud-link")!.Click());

        var rows = harness.Dialogs.WaitForElements("[data-testid=drill-rows] tbody tr", TimeSpan.FromSeconds(30));
        Assert.Equal(denominator, rows.Count);
        Assert.Equal(numerator, rows.Count(r => r.GetAttribute("data-counted") == "true"));
        Assert.Equal($"计入分子 {numerator} 件，共 {denominator} 件", harness.Dialogs.Find("[data-testid=drill-summary]").TextContent.Trim());
        Assert.All(rows, r => Assert.Matches(@"^\d{14}$", r.GetAttribute("data-case")!));

        // Departments, dispatchers and the street's areas are on the street leader's page too, each rate with its definition.
        var tabs = page.FindAll(".mud-tab").Select(t => t.TextContent).ToList();
        Assert.Contains(tabs, t => t.Contains("职能部门", StringComparison.Ordinal));
        Assert.Contains(tabs, t => t.Contains("网格与社区", StringComparison.Ordinal));
        Assert.Contains(page.FindAll("[data-definition]"), d => d.GetAttribute("data-definition") == EvaluationFigures.MissedReports
                                                                 && d.TextContent.Contains("漏报率", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_quarter_shows_its_name_and_the_sums_of_its_months_without_drill_down()
    {
        var quarter = (LastMonth.Month - 1) / 3 + 1;
        await using var harness = await ComponentHarness.SignedInAsync(app, "streetleader1");
        var page = harness.Page<EvaluationPage>($"{Url(LastMonth)}&period=quarter");
        page.WaitForElement("[data-testid=evaluation-workers]", TimeSpan.FromSeconds(60));

        Assert.Equal($"{LastMonth.Year}年第{quarter}季度", page.Find("[data-testid=evaluation-period-name]").TextContent.Trim());
        Assert.NotEmpty(page.FindAll(".gg-rate"));
        Assert.Empty(page.FindAll(".gg-rate .mud-link"));
        Assert.Empty(page.FindAll("[data-testid=evaluation-recompute]"));
    }

    [Fact]
    public async Task A_grid_worker_sees_his_own_row_and_nothing_of_anyone_else()
    {
        var worker = await app.StaffActorAsync("worker1");
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var page = harness.Page<EvaluationPage>(Url(LastMonth));
        page.WaitForElement("[data-testid=evaluation-workers]", TimeSpan.FromSeconds(60));

        var staff = page.FindAll("[data-testid=evaluation-workers] [data-staff]").Select(e => e.GetAttribute("data-staff")).ToList();
        Assert.Equal([worker.StaffMemberId!.Value.ToString(CultureInfo.InvariantCulture)], staff);
        Assert.Empty(page.FindAll("[data-testid=evaluation-departments]"));
        Assert.Empty(page.FindAll("[data-testid=evaluation-dispatchers]"));
        Assert.Empty(page.FindAll("[data-area]"));
        Assert.Empty(page.FindAll("[data-testid=evaluation-recompute]"));
    }

    [Fact]
    public async Task The_administrator_recomputes_a_closed_month_only_with_a_reason_and_the_reason_is_kept_with_the_snapshot()
    {
        await using var harness = await ComponentHarness.SignedInAsync(app, "admin1");
        var page = harness.Page<EvaluationPage>(Url(LastMonth));
        page.WaitForElement("[data-testid=evaluation-workers]", TimeSpan.FromSeconds(60));
        var before = await app.DbAsync(db => db.EvaluationSnapshots.CountAsync(s => s.Month == LastMonth));

        page.Find("[data-testid=evaluation-recompute]").Click();
        harness.Dialogs.WaitForElement("[data-testid=evaluation-recompute-dialog]");
        harness.Dialogs.Find("[data-testid=recompute-confirm]").Click();
        // Refused: the dialog comes back with the message under the reason, and nothing is stored.
        harness.Dialogs.WaitForAssertion(() => Assert.Contains("请填写重新计算的原因", harness.Dialogs.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.Equal(before, await app.DbAsync(db => db.EvaluationSnapshots.CountAsync(s => s.Month == LastMonth)));

        harness.Dialogs.Find("textarea[data-testid=recompute-reason]").Input("部门反馈时间更正后重新计算");
        harness.Dialogs.Find("[data-testid=recompute-confirm]").Click();
        page.WaitForAssertion(() => Assert.Equal("Frozen", page.Find("[data-testid=evaluation-status]").GetAttribute("data-status")), TimeSpan.FromSeconds(60));
        Assert.Contains(harness.Snackbar.ShownSnackbars, s => s.Severity == Severity.Success && (s.Message ?? "").Contains("已重新计算", StringComparison.Ordinal));

        await ComponentHarness.EventuallyAsync(async () =>
        {
            var current = await app.DbAsync(db => db.EvaluationSnapshots.AsNoTracking().SingleAsync(s => s.Month == LastMonth && s.SupersededAt == null));
            Assert.Equal("部门反馈时间更正后重新计算", current.Reason);
            Assert.Equal(before + 1, await app.DbAsync(db => db.EvaluationSnapshots.CountAsync(s => s.Month == LastMonth)));
        });
        Assert.Contains(page.FindAll("[data-snapshot]"), s => s.GetAttribute("data-current") == "true" && s.TextContent.Contains("部门反馈时间更正后重新计算", StringComparison.Ordinal));
    }

    [Fact]
    public async Task In_English_the_figures_and_their_definitions_are_English()
    {
        await using var harness = await ComponentHarness.SignedInAsync(app, "streetleader1");
        var page = harness.Page<EvaluationPage>(Url(LastMonth));
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
        page = harness.Context.Render<EvaluationPage>();
        page.WaitForElement("[data-testid=evaluation-workers]", TimeSpan.FromSeconds(60));

        Assert.Contains("Accurate discovery (valid reports)", page.Find("[data-testid=evaluation-workers]").TextContent, StringComparison.Ordinal);
        var definitions = string.Join(" ", page.FindAll("[data-definition]").Select(d => d.TextContent));
        Assert.Contains("Missed reports", definitions, StringComparison.Ordinal);
        var headings = page.FindAll("[data-testid=evaluation-tabs] th, .mud-tab").Select(h => h.TextContent).ToList();
        Assert.NotEmpty(headings);
        Assert.DoesNotContain(headings, ComponentHarness.IsChinese);
    }
}
