using NetTopologySuite.Geometries;

namespace GridGov.Application.Patrols;

/// <summary>One patroller's (or the whole grid's, when <see cref="PatrollerStaffId"/> is null) coverage of one China-time day.</summary>
public sealed record PatrolDayCoverage(DateOnly Day, int? PatrollerStaffId, int Patrols, double Share);

/// <summary>Days of a month on which one patroller's own tracks covered a grid fully.</summary>
public sealed record FullCoverageDays(int GridId, int PatrollerStaffId, int Days);

/// <summary>How a new track lies against its grid: the share of its length in the grid (with margin) and the share of the grid it covers.</summary>
public sealed record TrackFit(double ShareOfTrackInGrid, double Coverage);

/// <summary>
/// Patrol coverage questions answered in PostGIS (implemented in Infrastructure by the patrol feature).
/// Coverage of a day = share of the grid's area within the buffer distance of that day's tracks:
/// area(grid ∩ ⋃ buffer(track, d)) ÷ area(grid), areas on the spheroid, d = <see cref="PatrolOptions.BufferMeters"/>.
/// A patrol belongs to the China-time day on which it started; the grid's boundary is the one in force that day.
/// </summary>
public interface IPatrolCoverage
{
    /// <summary>Coverage (0–1) of one grid on one China-time day by all its patrols, or by one patroller's.</summary>
    Task<double> DailyCoverageAsync(int gridId, DateOnly day, int? patrollerStaffId = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Recomputes the stored coverage of each patroller's day (patrol_days) for the grids (all when null) and days
    /// [<paramref name="from"/>, <paramref name="to"/>): after a patrol is recorded, and after a bulk load of patrols.
    /// </summary>
    Task RefreshDaysAsync(IReadOnlyCollection<int>? gridIds, DateOnly from, DateOnly to, CancellationToken cancellationToken = default);

    /// <summary>
    /// For each patroller of the grid, the number of days of the month whose own tracks reached the
    /// full-coverage threshold.
    /// </summary>
    Task<IReadOnlyDictionary<int, int>> FullCoverageDaysByPatrollerAsync(int gridId, DateOnly month, CancellationToken cancellationToken = default);

    /// <summary>
    /// The same for many grids at once (a community's or the street's review), one round trip:
    /// only patrollers with at least one patrol in the month appear.
    /// </summary>
    Task<IReadOnlyList<FullCoverageDays>> FullCoverageDaysAsync(IReadOnlyCollection<int> gridIds, DateOnly month, CancellationToken cancellationToken = default);

    /// <summary>
    /// Coverage of each day of the month that has patrols: by everyone (patroller null) or by one patroller.
    /// Days without patrols are left out.
    /// </summary>
    Task<IReadOnlyList<PatrolDayCoverage>> DaysOfMonthAsync(int gridId, DateOnly month, int? patrollerStaffId = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// A track not yet stored, against the grid's boundary on <paramref name="day"/>: the share of its length within
    /// <see cref="PatrolOptions.InGridMarginMeters"/> of the grid, and its own coverage of the grid.
    /// </summary>
    Task<TrackFit> FitAsync(int gridId, LineString track, DateOnly day, CancellationToken cancellationToken = default);

    /// <summary>
    /// GeoJSON FeatureCollection for a stored patrol's map: the grid (kind "grid"), the area the track covers within
    /// the grid (kind "covered") and the track (kind "track"). Null when there is no such patrol.
    /// </summary>
    Task<string?> PatrolMapGeoJsonAsync(long patrolId, CancellationToken cancellationToken = default);
}
