using GridGov.Application.Patrols;
using GridGov.Domain.Calendar;
using GridGov.Domain.Organisation;
using GridGov.Infrastructure.Persistence;
using GridGov.Infrastructure.Seeding;
using GridGov.TestSupport.GridGov;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Application.Tests.Patrols;

/// <summary>The demo street's visits and patrols (DemoGridWorkSeeder, run by the fixture relative to the real clock).</summary>
public sealed class DemoGridWorkTests(DemoStreetDatabaseFixture fixture) : IClassFixture<DemoStreetDatabaseFixture>
{
    private static DateOnly Today => WorkingCalendar.ChinaDate(DateTimeOffset.UtcNow);

    private static DateOnly LastMonth => new DateOnly(Today.Year, Today.Month, 1).AddMonths(-1);

    private async Task<T> QueryAsync<T>(Func<GridGovDbContext, Task<T>> query)
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<GridGovDbContext>());
    }

    private sealed record WorkerMonth(int StaffId, int Households);

    [Fact]
    public async Task Most_grid_workers_visited_20_to_30_households_last_month_and_a_few_fell_short()
    {
        var (from, to) = ChinaDays.MonthRange(LastMonth);
        var months = await QueryAsync(db => db.Database.SqlQuery<WorkerMonth>($"""
            SELECT a.staff_member_id AS "StaffId", count(DISTINCT v.household_id)::int AS "Households"
            FROM grid_assignments a
            LEFT JOIN visits v ON v.visitor_staff_id = a.staff_member_id AND v.visited_at >= {from} AND v.visited_at < {to}
            WHERE a.duty <> 'Leader'
            GROUP BY a.staff_member_id
            """).ToListAsync());

        Assert.True(months.Count > 100, $"{months.Count} workers");
        var meeting = months.Count(m => m.Households >= 20);
        Assert.True(meeting >= months.Count * 0.7, $"{meeting} of {months.Count} met the quota");
        Assert.Contains(months, m => m.Households is > 0 and < 20);
        Assert.All(months, m => Assert.InRange(m.Households, 5, 45));
    }

    [Fact]
    public async Task Elderly_living_alone_were_mostly_visited_last_month_and_a_few_were_not()
    {
        var (from, to) = ChinaDays.MonthRange(LastMonth);
        var (households, visited) = await QueryAsync(async db =>
        {
            var rows = await db.Database.SqlQuery<bool>($"""
                SELECT EXISTS (SELECT 1 FROM visits v WHERE v.household_id = h.id AND v.visited_at >= {from} AND v.visited_at < {to}) AS "Value"
                FROM households h
                WHERE h.removed_at IS NULL
                  AND EXISTS (SELECT 1 FROM residents r WHERE r.household_id = h.id AND r.removed_at IS NULL AND 'ElderlyLivingAlone' = ANY(r.groups))
                """).ToListAsync();
            return (rows.Count, rows.Count(v => v));
        });

        Assert.True(households > 50, $"{households} households of elderly living alone");
        Assert.InRange(visited, (int)(households * 0.85), households - 1);
    }

    [Fact]
    public async Task Nothing_is_dated_in_the_future_and_every_visit_is_by_a_worker_of_the_households_grid()
    {
        var now = DateTimeOffset.UtcNow;
        var (futureVisits, futurePatrols, strangers) = await QueryAsync(async db => (
            await db.Visits.CountAsync(v => v.VisitedAt > now),
            await db.Patrols.CountAsync(p => p.EndedAt > now),
            await db.Database.SqlQuery<int>($"""
                SELECT count(*)::int AS "Value" FROM visits v
                JOIN households h ON h.id = v.household_id
                JOIN grids g ON g.id = h.grid_id
                WHERE v.grid_id <> h.grid_id
                   OR NOT EXISTS (SELECT 1 FROM grid_assignments a WHERE a.grid_code = g.code AND a.staff_member_id = v.visitor_staff_id)
                """).SingleAsync()));

        Assert.Equal(0, futureVisits);
        Assert.Equal(0, futurePatrols);
        Assert.Equal(0, strangers);
    }

    [Fact]
    public async Task Full_time_workers_patrol_most_days_with_full_coverage_rounds_and_some_rounds_are_partial()
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
        var coverage = scope.ServiceProvider.GetRequiredService<IPatrolCoverage>();
        var gridIds = await db.Grids.Where(g => g.ValidTo == null).Select(g => g.Id).ToListAsync();
        var fullTime = await db.GridAssignments.Where(a => a.Duty == GridDuty.FullTimeWorker).Select(a => a.StaffMemberId).ToListAsync();

        var days = await coverage.FullCoverageDaysAsync(gridIds, LastMonth);
        var shares = await db.Patrols.Select(p => p.CoverageShare).ToListAsync();

        var daysInMonth = LastMonth.AddMonths(1).AddDays(-1).Day;
        var fullTimeDays = days.Where(d => fullTime.Contains(d.PatrollerStaffId)).Select(d => d.Days).ToList();
        Assert.True(fullTimeDays.Count >= gridIds.Count * 0.9, $"{fullTimeDays.Count} full-time workers patrolled");
        Assert.True(fullTimeDays.Average() >= daysInMonth * 0.4, $"average {fullTimeDays.Average():0.0} full-coverage days");
        Assert.All(fullTimeDays, d => Assert.InRange(d, 1, daysInMonth));
        Assert.True(shares.Count(s => s >= 0.9) > shares.Count * 0.6);
        Assert.Contains(shares, s => s is > 0.2 and < 0.7);
    }

    [Fact]
    public async Task Each_stored_coverage_is_the_coverage_postgis_computes_for_its_track_and_every_track_lies_in_its_grid()
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
        var coverage = scope.ServiceProvider.GetRequiredService<IPatrolCoverage>();
        var sample = await db.Patrols.AsNoTracking().OrderBy(p => p.Id).Where(p => p.Id % 97 == 0).Take(25).ToListAsync();

        Assert.NotEmpty(sample);
        foreach (var patrol in sample)
        {
            var fit = await coverage.FitAsync(patrol.GridId, patrol.Track, WorkingCalendar.ChinaDate(patrol.StartedAt));
            Assert.Equal(fit.Coverage, patrol.CoverageShare, 9);
            Assert.True(fit.ShareOfTrackInGrid > 0.99, $"patrol {patrol.Id}: {fit.ShareOfTrackInGrid:P1} in its grid");
        }
    }

    [Fact]
    public async Task Seeding_again_writes_nothing()
    {
        var before = await QueryAsync(async db => (await db.Visits.CountAsync(), await db.Patrols.CountAsync()));
        await using var scope = fixture.Services.CreateAsyncScope();

        var summary = await ActivatorUtilities.CreateInstance<DemoGridWorkSeeder>(scope.ServiceProvider).SeedAsync(new DemoGridWorkOptions(), CancellationToken.None);

        Assert.True(summary.VisitsAlreadySeeded);
        Assert.True(summary.PatrolsAlreadySeeded);
        Assert.Equal(before, await QueryAsync(async db => (await db.Visits.CountAsync(), await db.Patrols.CountAsync())));
    }

    [Fact]
    public async Task Seeding_three_months_of_visits_and_patrols_again_writes_the_same_work()
    {
        // This class's database is its own copy: empty both tables and seed again (same day, same seed: the same work).
        await using var scope = fixture.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
        var (visits, patrols) = (await db.Visits.CountAsync(), await db.Patrols.CountAsync());
        await db.Database.ExecuteSqlRawAsync("UPDATE visit_demands SET fulfilled_by_visit_id = NULL, fulfilled_at = NULL; DELETE FROM visits; DELETE FROM patrols");

        var summary = await ActivatorUtilities.CreateInstance<DemoGridWorkSeeder>(scope.ServiceProvider).SeedAsync(new DemoGridWorkOptions(), CancellationToken.None);

        // How long this takes is a benchmark's business (bench/), not a unit test's: on a shared machine it is noise.
        Assert.InRange((double)summary.Visits, visits * 0.98, visits * 1.02);
        Assert.InRange((double)summary.Patrols, patrols * 0.98, patrols * 1.02 + 5);
    }
}
