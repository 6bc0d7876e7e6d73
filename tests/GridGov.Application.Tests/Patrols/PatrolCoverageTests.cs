using GridGov.Application.Patrols;
using GridGov.Domain.Calendar;
using GridGov.Domain.Patrols;
using GridGov.Infrastructure.Persistence;
using GridGov.TestSupport.GridGov;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NetTopologySuite.Geometries;
using static GridGov.Application.Tests.Patrols.SquareGrid;

namespace GridGov.Application.Tests.Patrols;

/// <summary>
/// Coverage computed by PostGIS on a 200 m square grid, against answers worked out by hand. The buffer is a
/// geodesic one and the square is drawn in degrees, so answers hold to a few tenths of a percentage point.
/// </summary>
public sealed class PatrolCoverageTests(MigratedDatabaseFixture fixture) : IClassFixture<MigratedDatabaseFixture>, IAsyncLifetime
{
    private const double Tolerance = 0.004;
    private int _gridId, _first, _second;

    public async Task InitializeAsync()
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
        var existing = await db.Grids.Where(g => g.Code == GridCode).Select(g => (int?)g.Id).SingleOrDefaultAsync();
        if (existing is { } id)
        {
            _gridId = id;
            var staff = await db.GridAssignments.Where(a => a.GridCode == GridCode).OrderBy(a => a.StaffMemberId).Select(a => a.StaffMemberId).ToListAsync();
            (_first, _second) = (staff[0], staff[1]);
            return;
        }
        (_gridId, _first, _second) = await CreateAsync(fixture.Services);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<TrackFit> FitAsync(LineString track, IServiceProvider? services = null)
    {
        await using var scope = (services ?? fixture.Services).CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IPatrolCoverage>().FitAsync(_gridId, track, new DateOnly(2026, 10, 1));
    }

    private async Task StoreAsync(int staffId, DateTimeOffset start, LineString track)
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
        var fit = await scope.ServiceProvider.GetRequiredService<IPatrolCoverage>().FitAsync(_gridId, track, WorkingCalendar.ChinaDate(start));
        var patrol = new Patrol(_gridId, staffId, start.ToUniversalTime(), start.AddMinutes(40).ToUniversalTime(), track, null);
        patrol.SetCoverage(fit.Coverage);
        db.Patrols.Add(patrol);
        await db.SaveChangesAsync();
        var day = WorkingCalendar.ChinaDate(start);
        await scope.ServiceProvider.GetRequiredService<IPatrolCoverage>().RefreshDaysAsync([_gridId], day, day.AddDays(1));
    }

    private async Task<T> CoverageAsync<T>(Func<IPatrolCoverage, Task<T>> question)
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        return await question(scope.ServiceProvider.GetRequiredService<IPatrolCoverage>());
    }

    [Fact]
    public async Task A_track_along_one_edge_covers_a_30_metre_strip_that_is_15_percent_of_the_grid()
    {
        var fit = await FitAsync(Line((0, 0), (Side, 0)));

        Assert.InRange(fit.Coverage, 0.15 - Tolerance, 0.15 + Tolerance);
        Assert.Equal(1, fit.ShareOfTrackInGrid, 3);
    }

    [Fact]
    public async Task A_track_down_the_middle_covers_30_metres_on_each_side_that_is_30_percent()
    {
        var fit = await FitAsync(Line((Side / 2, 0), (Side / 2, Side)));

        Assert.InRange(fit.Coverage, 0.30 - Tolerance, 0.30 + Tolerance);
    }

    [Fact]
    public async Task A_lawnmower_round_with_sweeps_60_metres_apart_covers_the_whole_grid()
    {
        var fit = await FitAsync(Lawnmower());

        Assert.True(fit.Coverage >= 0.99, $"coverage {fit.Coverage:P2}");
        Assert.True(fit.Coverage <= 1);
    }

    [Fact]
    public async Task The_buffer_distance_is_configurable_and_a_50_metre_buffer_along_an_edge_covers_25_percent()
    {
        await using var services = GridGovServices.Create(fixture.ConnectionString,
            configure: s => s.Configure<PatrolOptions>(o => o.BufferMeters = 50));

        var fit = await FitAsync(Line((0, 0), (Side, 0)), services);

        Assert.InRange(fit.Coverage, 0.25 - Tolerance, 0.25 + Tolerance);
    }

    [Fact]
    public async Task The_share_of_a_track_in_the_grid_counts_the_length_within_the_grid_widened_by_50_metres()
    {
        // From the middle to 300 m east of the east edge: 150 of its 400 m lie within the grid and its 50 m margin.
        var halfOut = await FitAsync(Line((Side / 2, Side / 2), (Side + 300, Side / 2)));
        var farAway = await FitAsync(Line((Side + 500, 0), (Side + 700, 0)));

        Assert.InRange(halfOut.ShareOfTrackInGrid, 0.375 - 0.01, 0.375 + 0.01);
        Assert.Equal(0, farAway.ShareOfTrackInGrid, 6);
        Assert.Equal(0, farAway.Coverage, 6);
    }

    [Fact]
    public async Task A_days_coverage_is_the_union_of_its_tracks_and_can_be_asked_per_patroller()
    {
        var day = new DateOnly(2026, 10, 12);
        await StoreAsync(_first, TestClock.China(2026, 10, 12, 9), Line((0, 0), (Side, 0)));
        await StoreAsync(_first, TestClock.China(2026, 10, 12, 15), Line((0, Side), (Side, Side)));
        await StoreAsync(_second, TestClock.China(2026, 10, 12, 10), Line((Side / 2, 0), (Side / 2, Side)));

        var first = await CoverageAsync(c => c.DailyCoverageAsync(_gridId, day, _first));
        var second = await CoverageAsync(c => c.DailyCoverageAsync(_gridId, day, _second));
        var everyone = await CoverageAsync(c => c.DailyCoverageAsync(_gridId, day));
        var dayBefore = await CoverageAsync(c => c.DailyCoverageAsync(_gridId, day.AddDays(-1)));

        Assert.InRange(first, 0.30 - Tolerance, 0.30 + Tolerance);    // two edges, 15% each, no overlap
        Assert.InRange(second, 0.30 - Tolerance, 0.30 + Tolerance);
        // 6000 + 6000 + 12000 m², less the two 60 m × 30 m squares where the middle strip crosses the edge strips.
        Assert.InRange(everyone, 0.51 - Tolerance, 0.51 + Tolerance);
        Assert.Equal(0, dayBefore);
    }

    [Fact]
    public async Task A_patrol_counts_on_the_china_time_day_it_started()
    {
        // 23:30 on 20 October in China is 15:30 UTC the same date; 00:30 on the 21st is 16:30 UTC on the 20th.
        await StoreAsync(_second, TestClock.China(2026, 10, 20, 23, 30), Line((0, 0), (Side, 0)));
        await StoreAsync(_second, TestClock.China(2026, 10, 21, 0, 30), Line((0, Side), (Side, Side)));

        var twentieth = await CoverageAsync(c => c.DailyCoverageAsync(_gridId, new DateOnly(2026, 10, 20), _second));
        var twentyFirst = await CoverageAsync(c => c.DailyCoverageAsync(_gridId, new DateOnly(2026, 10, 21), _second));

        Assert.InRange(twentieth, 0.15 - Tolerance, 0.15 + Tolerance);
        Assert.InRange(twentyFirst, 0.15 - Tolerance, 0.15 + Tolerance);
    }

    [Fact]
    public async Task Full_coverage_days_are_counted_per_patroller_and_two_half_rounds_of_one_day_make_a_full_one()
    {
        // November 2026: the first patroller sweeps the grid on two days and walks one edge on a third;
        // the second walks the south half and later the north half on one day, and only the south half on another.
        await StoreAsync(_first, TestClock.China(2026, 11, 2, 9), Lawnmower());
        await StoreAsync(_first, TestClock.China(2026, 11, 3, 9), Lawnmower());
        await StoreAsync(_first, TestClock.China(2026, 11, 4, 9), Line((0, 0), (Side, 0)));
        await StoreAsync(_second, TestClock.China(2026, 11, 2, 9), SouthHalf());
        await StoreAsync(_second, TestClock.China(2026, 11, 2, 15), NorthHalf());
        await StoreAsync(_second, TestClock.China(2026, 11, 5, 9), SouthHalf());

        var days = await CoverageAsync(c => c.FullCoverageDaysByPatrollerAsync(_gridId, new DateOnly(2026, 11, 1)));
        var many = await CoverageAsync(c => c.FullCoverageDaysAsync([_gridId], new DateOnly(2026, 11, 1)));
        var october = await CoverageAsync(c => c.FullCoverageDaysByPatrollerAsync(_gridId, new DateOnly(2026, 10, 1)));
        var calendar = await CoverageAsync(c => c.DaysOfMonthAsync(_gridId, new DateOnly(2026, 11, 1), _second));

        Assert.Equal(2, days[_first]);
        Assert.Equal(1, days[_second]);
        Assert.Equal([new FullCoverageDays(_gridId, _first, 2), new FullCoverageDays(_gridId, _second, 1)], many.OrderBy(d => d.PatrollerStaffId));
        Assert.All(october.Values, d => Assert.Equal(0, d));
        Assert.Equal([new DateOnly(2026, 11, 2), new DateOnly(2026, 11, 5)], calendar.Select(d => d.Day));
        Assert.True(calendar[0].Share >= 0.99, $"union {calendar[0].Share:P2}");
        Assert.Equal(2, calendar[0].Patrols);
        Assert.InRange(calendar[1].Share, 0.6 - Tolerance, 0.6 + Tolerance);
    }

    [Fact]
    public async Task A_stored_patrols_map_holds_the_grid_the_covered_area_and_the_track()
    {
        await StoreAsync(_first, TestClock.China(2026, 9, 9, 9), Line((0, 0), (Side, 0)));
        await using var scope = fixture.Services.CreateAsyncScope();
        var id = await scope.ServiceProvider.GetRequiredService<GridGovDbContext>().Patrols
            .Where(p => p.StartedAt == TestClock.China(2026, 9, 9, 9).ToUniversalTime()).Select(p => p.Id).SingleAsync();

        var json = await scope.ServiceProvider.GetRequiredService<IPatrolCoverage>().PatrolMapGeoJsonAsync(id);
        var missing = await scope.ServiceProvider.GetRequiredService<IPatrolCoverage>().PatrolMapGeoJsonAsync(-1);

        using var document = System.Text.Json.JsonDocument.Parse(json!);
        var kinds = document.RootElement.GetProperty("features").EnumerateArray()
            .Select(f => (f.GetProperty("properties").GetProperty("kind").GetString(), f.GetProperty("geometry").GetProperty("type").GetString()))
            .ToList();
        Assert.Equal([("grid", "Polygon"), ("covered", "Polygon"), ("track", "LineString")], kinds);
        Assert.Null(missing);
    }
}
