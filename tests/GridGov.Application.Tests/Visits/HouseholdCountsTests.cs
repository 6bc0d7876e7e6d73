using GridGov.Application.Visits;
using GridGov.Domain.Calendar;
using GridGov.Infrastructure.Persistence;
using GridGov.TestSupport.GridGov;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Application.Tests.Visits;

/// <summary>
/// The overdue households counted in the database (<see cref="HouseholdSchedules.CountAsync"/>, what the reviews and
/// the evaluation use) are exactly those the domain rule finds household by household (<see cref="HouseholdSchedule.StatusOn"/>),
/// per grid and per last visitor, on the demo street's three months of visits, on days spread over the last year.
/// </summary>
public sealed class HouseholdCountsTests(DemoStreetDatabaseFixture fixture) : IClassFixture<DemoStreetDatabaseFixture>
{
    public static TheoryData<int> DaysBack => [0, 1, 17, 35, 63, 95, 400];

    [Theory]
    [MemberData(nameof(DaysBack))]
    public async Task The_counts_in_the_database_agree_with_the_rule_applied_to_each_household(int daysBack)
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
        var gridIds = await db.Grids.Where(g => g.ValidTo == null).Select(g => g.Id).ToListAsync();
        var day = WorkingCalendar.ChinaDate(DateTimeOffset.UtcNow).AddDays(-daysBack);
        var before = ChinaMonths.StartOf(day.AddDays(1));

        var schedules = await HouseholdSchedules.LoadAsync(db, gridIds, before, withAddresses: false, withLastVisitor: true, CancellationToken.None);
        var expected = schedules.Where(h => h.StatusOn(day).Overdue)
            .GroupBy(h => (h.GridId, h.LastVisitorStaffId))
            .ToDictionary(g => g.Key, g => g.Count());
        var sql = scope.ServiceProvider.GetRequiredService<IHouseholdVisitSql>();
        var counts = await HouseholdSchedules.CountAsync(sql, gridIds, before, day, withLastVisitor: true, CancellationToken.None);

        Assert.Equal(expected.OrderBy(e => e.Key), counts.Overdue.ToDictionary(o => (o.GridId, o.LastVisitorStaffId), o => o.Households).OrderBy(e => e.Key));
        Assert.Equal(schedules.GroupBy(h => h.GridId).ToDictionary(g => g.Key, g => g.Count()).OrderBy(e => e.Key), counts.HouseholdsPerGrid.OrderBy(e => e.Key));
        var perGrid = await HouseholdSchedules.CountAsync(sql, gridIds, before, day, withLastVisitor: false, CancellationToken.None);
        Assert.Equal(expected.Values.Sum(), perGrid.Overdue.Sum(o => o.Households));
        Assert.All(perGrid.Overdue, o => Assert.Null(o.LastVisitorStaffId));
        // A long list of grids (a city's) is read in one scan of the table: the same counts, other grids left out.
        var padded = gridIds.Concat(Enumerable.Range(1, 300).Select(i => -i)).ToList();
        var scanned = await HouseholdSchedules.CountAsync(sql, padded, before, day, withLastVisitor: true, CancellationToken.None);
        Assert.Equal(counts.Overdue, scanned.Overdue);
        Assert.Equal(counts.HouseholdsPerGrid.OrderBy(e => e.Key), scanned.HouseholdsPerGrid.OrderBy(e => e.Key));
        var someGrids = gridIds.Take(2).ToList();
        var two = await HouseholdSchedules.CountAsync(sql, someGrids.Concat(Enumerable.Range(1, 300).Select(i => -i)).ToList(), before, day, withLastVisitor: true, CancellationToken.None);
        Assert.Equal(counts.Overdue.Where(o => someGrids.Contains(o.GridId)), two.Overdue);
        Assert.Equal(someGrids.Order(), two.HouseholdsPerGrid.Keys.Order());
        // The demo street has households of every kind on both sides of the rule.
        Assert.InRange(expected.Values.Sum(), 1, schedules.Count - 1);
    }

    [Fact]
    public async Task A_months_visits_are_tallied_per_visitor_and_per_grid_as_counted_row_by_row()
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
        var sql = scope.ServiceProvider.GetRequiredService<IHouseholdVisitSql>();
        var gridIds = await db.Grids.Where(g => g.ValidTo == null).Select(g => g.Id).ToListAsync();
        var (start, end) = ChinaMonths.RangeOf(ChinaMonths.MonthOf(DateTimeOffset.UtcNow).AddMonths(-1));
        var visits = await db.Visits.Where(v => v.VisitedAt >= start && v.VisitedAt < end)
            .Select(v => new { v.GridId, v.VisitorStaffId, v.HouseholdId }).ToListAsync();
        var byVisitor = visits.GroupBy(v => (v.GridId, v.VisitorStaffId))
            .ToDictionary(g => g.Key, g => (g.Select(v => v.HouseholdId).Distinct().Count(), g.Count()));
        var perGrid = visits.GroupBy(v => v.GridId).ToDictionary(g => g.Key, g => g.Select(v => v.HouseholdId).Distinct().Count());

        foreach (var ids in new[] { gridIds, gridIds.Concat(Enumerable.Range(1, 300).Select(i => -i)).ToList() })
        {
            var tallies = await sql.TallyAsync(ids, start, end, CancellationToken.None);
            Assert.Equal(byVisitor.OrderBy(e => e.Key), tallies.ByVisitor.ToDictionary(t => (t.GridId, t.VisitorStaffId), t => (t.Households, t.Visits)).OrderBy(e => e.Key));
            Assert.Equal(perGrid.OrderBy(e => e.Key), tallies.HouseholdsPerGrid.OrderBy(e => e.Key));
        }
        // Not an empty comparison: last month has visits in most grids (a household visited by two people is
        // counted once for its grid: MonthlyReviewTests).
        Assert.True(perGrid.Count > gridIds.Count / 2, $"{perGrid.Count} of {gridIds.Count} grids visited");
    }
}
