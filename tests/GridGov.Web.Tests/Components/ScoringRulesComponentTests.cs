using Bunit;
using GridGov.Application.Evaluation;
using GridGov.Application.Visits;
using GridGov.Domain.Evaluation;
using GridGov.Web.Components.Pages.Admin;
using GridGov.Web.Components.Pages.Evaluation;
using GridGov.Web.Tests.CaseList;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Web.Tests.Components;

/// <summary>The administrator's scoring rules (考核权重) with bUnit on the real application and database.</summary>
public sealed class ScoringRulesComponentTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private static readonly DateOnly ThisMonth = ChinaMonths.MonthOf(DateTimeOffset.UtcNow);

    private Task<int> SavedCountAsync() => app.DbAsync(db => db.ScoringRulesVersions.CountAsync());

    private static IRenderedComponent<ScoringRulesPage> Open(ComponentHarness harness)
    {
        var page = harness.Page<ScoringRulesPage>("/admin/scoring-rules");
        page.WaitForElement("[data-testid=rules-form]");
        return page;
    }

    private static string Value(IRenderedComponent<ScoringRulesPage> page, string inputId) => page.Find($"input#{inputId}").GetAttribute("value") ?? "";

    [Fact]
    public async Task The_form_starts_from_the_rules_in_force_and_the_default_is_marked_as_in_force_before_any_save()
    {
        await using var harness = await ComponentHarness.SignedInAsync(app, "admin1");
        var page = Open(harness);

        Assert.Equal("40", Value(page, "weight-accurate-discovery"));
        Assert.Equal("", Value(page, "weight-discovery-coverage"));
        Assert.Equal("40", Value(page, "weight-on-time-closure"));
        Assert.Equal(("90", "75", "60", "40"), (Value(page, "grade-A"), Value(page, "grade-B"), Value(page, "grade-C"), Value(page, "grade-D")));
        Assert.Contains("合计 100 分", page.Find("[data-testid=rules-sum-worker-weights]").TextContent);
        var inForce = page.Find("[data-testid=rules-in-force]").Closest("tr")!;
        Assert.Equal("default", inForce.GetAttribute("data-rules"));
        Assert.Equal($"{ThisMonth.Year}年{ThisMonth.Month}月", Value(page, "rules-from"));
    }

    [Fact]
    public async Task Weights_that_do_not_sum_to_100_and_crossed_grade_bounds_are_refused_under_their_part_and_nothing_is_saved()
    {
        var before = await SavedCountAsync();
        await using var harness = await ComponentHarness.SignedInAsync(app, "admin1");
        var page = Open(harness);

        page.Find("input#weight-accurate-discovery").Change("50");
        page.WaitForAssertion(() => Assert.Contains("合计 110 分", page.Find("[data-testid=rules-sum-worker-weights]").TextContent));
        page.Find("[data-testid=rules-save]").Click();
        page.WaitForAssertion(() => Assert.Equal("网格员各项权重之和须为100，现为110", page.Find("[data-error-for=worker-weights]").TextContent.Trim()));
        Assert.Empty(page.FindAll("[data-error-for=department-weights]"));

        page.Find("input#weight-accurate-discovery").Change("40");
        page.Find("input#weight-rework").Change("-5");
        page.Find("input#weight-closure").Change("40");
        page.Find("[data-testid=rules-save]").Click();
        page.WaitForAssertion(() => Assert.Equal("部门各项权重须在0到100之间，最多一位小数", page.Find("[data-error-for=department-weights]").TextContent.Trim()));
        Assert.Empty(page.FindAll("[data-error-for=worker-weights]"));

        page.Find("input#weight-rework").Change("15");
        page.Find("input#weight-closure").Change("20");
        page.Find("input#grade-A").Change("70");
        page.Find("[data-testid=rules-save]").Click();
        page.WaitForAssertion(() => Assert.Equal("等次分数线须满足 100 ≥ A > B > C > D > 0", page.Find("[data-error-for=grades]").TextContent.Trim()));
        Assert.Equal("70", Value(page, "grade-A")); // what was typed stays
        Assert.Equal(before, await SavedCountAsync());
        Assert.Empty(harness.Snackbar.ShownSnackbars);
    }

    [Fact]
    public async Task Rules_saved_from_next_month_are_recorded_with_who_saved_them_and_leave_this_month_scored_as_before()
    {
        await using var harness = await ComponentHarness.SignedInAsync(app, "admin1");
        var page = Open(harness);
        var next = ThisMonth.AddMonths(1);

        page.Choose(harness, "rules-from", $"{next.Year}年{next.Month}月");
        page.Find("input#weight-accurate-discovery").Change("30");
        page.Find("input#weight-discovery-coverage").Change("10");
        page.Find("input#grade-A").Change("92.5");
        page.Find("[data-testid=rules-save]").Click();

        page.WaitForAssertion(() => Assert.Contains(harness.Snackbar.ShownSnackbars, s => s.Message == $"考核权重已保存，自{next.Year}年{next.Month}月起生效"));
        var saved = await app.DbAsync(db => db.ScoringRulesVersions.AsNoTracking().OrderByDescending(v => v.Id).FirstAsync());
        Assert.Equal(next, saved.EffectiveFrom);
        Assert.Equal(30, saved.Rules.Worker.Single(w => w.Figure == EvaluationFigures.AccurateDiscovery).Points);
        Assert.Equal(10, saved.Rules.Worker.Single(w => w.Figure == EvaluationFigures.DiscoveryCoverage).Points);
        Assert.DoesNotContain(saved.Rules.Worker, w => w.Figure == EvaluationFigures.FiveMustOnTime); // left blank: no weight
        Assert.Equal(92.5m, saved.Rules.Grades.A);
        Assert.Equal((await app.ActorAsync("admin1")).StaffMemberId, saved.ChangedByStaffId);

        var row = page.WaitForElement($"[data-testid=rules-history] tr[data-rules='{saved.Id}']");
        Assert.Contains(await AdminNameAsync(), row.TextContent, StringComparison.Ordinal);
        Assert.Contains("A ≥ 92.5", row.TextContent, StringComparison.Ordinal);
        // This month is still scored with the rules in force in it (the default), and next month with the new ones.
        Assert.Equal("default", page.Find("[data-testid=rules-in-force]").Closest("tr")!.GetAttribute("data-rules"));
        var (now, then) = await app.WithAsync(async p =>
        {
            var service = p.GetRequiredService<MonthlyEvaluationService>();
            return (await service.RulesForAsync(ThisMonth), await service.RulesForAsync(next));
        });
        Assert.Equal(ScoringRules.Default, now);
        Assert.Equal(saved.Rules, then);
    }

    [Theory]
    [InlineData("admin1", true)]
    [InlineData("streetleader1", false)]
    public async Task The_evaluation_pages_rules_lead_an_administrator_and_only_him_to_this_page(string userName, bool offered)
    {
        await using var harness = await ComponentHarness.SignedInAsync(app, userName);
        var page = harness.Page<EvaluationPage>($"/evaluation?month={ChinaMonths.Format(ThisMonth)}");
        page.WaitForElement("[data-testid=evaluation-rules]", TimeSpan.FromSeconds(60));
        page.Find("[data-testid=evaluation-rules] .mud-expand-panel-header").Click();

        page.WaitForAssertion(() => Assert.Contains("网格员得分", page.Find("[data-testid=evaluation-rules]").TextContent, StringComparison.Ordinal));
        Assert.Equal(offered ? ["/admin/scoring-rules"] : [], page.FindAll("[data-testid=evaluation-rules-edit]").Select(a => a.GetAttribute("href")));
    }

    private async Task<string> AdminNameAsync()
    {
        var actor = await app.ActorAsync("admin1");
        return await app.DbAsync(db => db.StaffMembers.Where(m => m.Id == actor.StaffMemberId).Select(m => m.Name).SingleAsync());
    }
}
