using Bunit;
using GridGov.Application.Visits;
using GridGov.Web.Components.Pages.Visits;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Visits;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Web.Tests.Components;

/// <summary>
/// The interactive visits page with bUnit on the real application and database: a grid leader is shown no quota that
/// does not apply to him, a past month lists that month's must-visit households, and the must-visit list pages.
/// </summary>
public sealed class VisitsHomeComponentTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private static IReadOnlyList<int> MustVisitIds(IRenderedComponent<VisitsHome> page) =>
        [.. page.FindAll("[data-testid=must-visit] [data-household-id]").Select(e => int.Parse(e.GetAttribute("data-household-id")!, System.Globalization.CultureInfo.InvariantCulture))];

    private Task<IReadOnlyList<MustVisitRow>> MustVisitAsync(string userName, DateOnly? month) => app.InAppAsync(async provider =>
    {
        var staffId = (await app.StaffActorAsync(userName)).StaffMemberId!.Value;
        var db = provider.GetRequiredService<GridGov.Infrastructure.Persistence.GridGovDbContext>();
        var gridIds = await db.GridAssignments.Where(a => a.StaffMemberId == staffId)
            .Join(db.Grids, a => a.GridCode, g => g.Code, (a, g) => g.Id).Distinct().ToListAsync();
        return await provider.GetRequiredService<VisitQueries>().MustVisitAsync(gridIds, month);
    });

    [Fact]
    public async Task A_grid_leaders_own_page_shows_his_households_visited_but_no_quota()
    {
        await using var harness = await ComponentHarness.SignedInAsync(app, "leader1");

        var page = harness.Page<VisitsHome>("/visits");

        var count = page.WaitForElement("[data-testid=quota-count]");
        Assert.Null(count.GetAttribute("data-quota"));
        Assert.DoesNotContain("/", count.TextContent, StringComparison.Ordinal);
        page.Find("[data-testid=quota-not-applicable]");
        Assert.Empty(page.FindAll("[data-testid=quota-short], [data-testid=quota-met], .mud-progress-linear"));
        Assert.DoesNotContain("每名网格员每月至少走访", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_grid_worker_looked_at_by_his_leader_has_his_quota()
    {
        var worker = await app.StaffActorAsync("worker1");
        await using var harness = await ComponentHarness.SignedInAsync(app, "leader1");

        var page = harness.Page<VisitsHome>($"/visits?worker={worker.StaffMemberId}");

        Assert.Equal("20", page.WaitForElement("[data-testid=quota-count]").GetAttribute("data-quota"));
        Assert.Empty(page.FindAll("[data-testid=quota-not-applicable]"));
        Assert.Empty(page.FindAll("[data-testid=record-visit]"));
        Assert.Equal("true", page.Find($"[data-testid=visits-team] tr[data-staff-id='{worker.StaffMemberId}']").GetAttribute("aria-current"));
    }

    [Fact]
    public async Task A_past_month_lists_the_must_visit_households_that_month_left_unvisited()
    {
        var lastMonth = ChinaMonths.MonthOf(DateTimeOffset.UtcNow).AddMonths(-1);
        var expected = await MustVisitAsync("worker1", lastMonth);
        var current = await MustVisitAsync("worker1", null);
        Assert.NotEmpty(expected);
        Assert.All(expected, row => Assert.True(row.Overdue)); // as the month ended: every one of them missed
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");

        var page = harness.Page<VisitsHome>($"/visits?month={ChinaMonths.Format(lastMonth)}");

        page.WaitForAssertion(() => Assert.Equal(expected.Take(VisitQueries.MustVisitLimit).Select(r => r.HouseholdId), MustVisitIds(page)));
        Assert.Equal(expected.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), page.Find("[data-testid=must-visit-total]").TextContent.Trim());
        Assert.Contains($"{lastMonth.Year}年{lastMonth.Month}月未按期走访的住户", page.Find("[data-testid=must-visit]").TextContent, StringComparison.Ordinal);

        // Back to this month: this month's list.
        harness.Navigation.NavigateTo("/visits");
        // The heading first: early in a month the two months' first fifty households can be the same rows.
        page.WaitForAssertion(() => Assert.Contains("本月应访住户", page.Find("[data-testid=must-visit]").TextContent, StringComparison.Ordinal));
        Assert.Equal(current.Take(VisitQueries.MustVisitLimit).Select(r => r.HouseholdId), MustVisitIds(page));
    }

    [Fact]
    public async Task The_must_visit_households_page_past_the_first_fifty()
    {
        var all = await MustVisitAsync("worker1", null);
        Assert.True(all.Count > VisitQueries.MustVisitLimit, $"the demo worker has more than a page of must-visit households ({all.Count})");
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");

        var page = harness.Page<VisitsHome>("/visits");
        page.WaitForAssertion(() => Assert.Equal(all.Take(VisitQueries.MustVisitLimit).Select(r => r.HouseholdId), MustVisitIds(page)));
        page.Find("[data-testid=must-visit] button[aria-label='下一页']").Click();

        page.WaitForAssertion(() => Assert.Equal(all.Skip(VisitQueries.MustVisitLimit).Take(VisitQueries.MustVisitLimit).Select(r => r.HouseholdId), MustVisitIds(page)));
    }
}
