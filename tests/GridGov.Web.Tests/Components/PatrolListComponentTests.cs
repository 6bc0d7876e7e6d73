using Bunit;
using GridGov.Web.Components.Pages.Patrols;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using Microsoft.EntityFrameworkCore;
using static GridGov.Web.Tests.Patrols.PatrolTracks;

namespace GridGov.Web.Tests.Components;

/// <summary>The interactive patrol list with bUnit on the real application and database: the calendar per person, the paging.</summary>
public sealed class PatrolListComponentTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    [Fact]
    public async Task A_grid_leader_opens_a_workers_month_as_a_calendar_and_the_row_of_the_person_shown_is_marked()
    {
        var grid = await GridOfAsync(app.Services, "worker1");
        await using var harness = await ComponentHarness.SignedInAsync(app, "leader1");

        var page = harness.Page<PatrolList>($"/patrols?grid={grid.GridCode}&month={LastMonth()}");
        page.WaitForElement($"[data-testid=patroller-row][data-staff='{grid.StaffId}'] [data-testid=show-days]").Click();

        page.WaitForAssertion(() => Assert.Equal(grid.StaffId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            page.Find("[data-testid=patrol-days]").GetAttribute("data-patroller")));
        Assert.NotEmpty(page.FindAll(".patrol-day-full"));
        Assert.Equal("true", page.Find($"[data-testid=patroller-row][data-staff='{grid.StaffId}']").GetAttribute("aria-current"));
        Assert.Single(page.FindAll("[data-testid=patroller-row][aria-current]"));
    }

    [Fact]
    public async Task The_street_leader_pages_through_the_months_patrols_newest_first()
    {
        var month = LastMonth();
        var from = DateOnly.ParseExact(month + "-01", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var (start, end) = GridGov.Application.Patrols.ChinaDays.MonthRange(from);
        var ids = await app.DbAsync(db => db.Patrols.Where(p => p.StartedAt >= start && p.StartedAt < end)
            .OrderByDescending(p => p.StartedAt).ThenByDescending(p => p.Id).Select(p => p.Id).Take(60).ToListAsync());
        Assert.True(ids.Count > 30, "the demo street has more than a page of patrols last month");
        await using var harness = await ComponentHarness.SignedInAsync(app, "streetleader1");

        var page = harness.Page<PatrolList>($"/patrols?month={month}");
        page.WaitForAssertion(() => Assert.Equal(ids.Take(30), PatrolIds(page)));
        page.Find("button[aria-label='下一页']").Click();

        page.WaitForAssertion(() => Assert.Equal(ids.Skip(30).Take(30), PatrolIds(page)));
    }

    private static IReadOnlyList<long> PatrolIds(IRenderedComponent<PatrolList> page) =>
        [.. page.FindAll("[data-patrol-id]").Select(e => long.Parse(e.GetAttribute("data-patrol-id")!, System.Globalization.CultureInfo.InvariantCulture))];
}
