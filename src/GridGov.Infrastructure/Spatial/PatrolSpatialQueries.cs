using GridGov.Application.Patrols;
using GridGov.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NetTopologySuite.Geometries;

namespace GridGov.Infrastructure.Spatial;

/// <summary>
/// PostGIS SQL behind <see cref="IPatrolCoverage"/>. Coverage = area(grid ∩ ⋃ ST_Buffer(track::geography, d)) ÷ area(grid),
/// both areas on the spheroid (geography), the grid being the boundary in force on the patrol's China-time day.
/// </summary>
/// <remarks>
/// A day of one patrol has exactly that patrol's stored <c>coverage_share</c>, so the union is computed only for days
/// with several patrols; when one patrol of such a day already reached the threshold the day is full without it
/// (a union only adds area). Stored shares use the buffer distance in force when the patrol was recorded.
/// A month's full-coverage days read each patroller's day coverage stored in <c>patrol_days</c>, which the database
/// function <c>refresh_patrol_days</c> (migration PatrolDays) computes by the same definition when a patrol is recorded.
/// </remarks>
internal sealed class PatrolSpatialQueries(GridGovDbContext db, IOptions<PatrolOptions> options) : IPatrolCoverage
{
    private PatrolOptions Options => options.Value;

    public async Task<double> DailyCoverageAsync(int gridId, DateOnly day, int? patrollerStaffId = null, CancellationToken cancellationToken = default)
    {
        var from = ChinaDays.StartOf(day);
        var to = ChinaDays.StartOf(day.AddDays(1));
        var staff = patrollerStaffId ?? 0;
        var buffer = Options.BufferMeters;
        return await db.Database.SqlQuery<double>($"""
            WITH b AS (
                SELECT COALESCE((SELECT v.boundary FROM grid_boundary_versions v
                                 WHERE v.grid_id = g.id AND v.valid_from <= {day} AND v.valid_to > {day} LIMIT 1), g.boundary) AS boundary
                FROM grids g WHERE g.id = {gridId}
            ), day_patrols AS (
                SELECT p.track, p.coverage_share FROM patrols p
                WHERE p.grid_id = {gridId} AND p.started_at >= {from} AND p.started_at < {to}
                  AND ({staff} = 0 OR p.patroller_staff_id = {staff})
            ), u AS (
                SELECT count(*) AS n, max(coverage_share) AS only_share,
                       CASE WHEN count(*) > 1 THEN ST_Union(ST_Buffer(track::geography, {buffer})::geometry) END AS covered
                FROM day_patrols
            )
            SELECT CASE WHEN u.n = 0 THEN 0
                        WHEN u.n = 1 THEN u.only_share
                        ELSE LEAST(1, COALESCE(ST_Area(ST_CollectionExtract(ST_Intersection(b.boundary, u.covered), 3)::geography)
                                               / NULLIF(ST_Area(b.boundary::geography), 0), 0)) END AS "Value"
            FROM u LEFT JOIN b ON true
            """).SingleAsync(cancellationToken);
    }

    public async Task<IReadOnlyDictionary<int, int>> FullCoverageDaysByPatrollerAsync(int gridId, DateOnly month, CancellationToken cancellationToken = default)
    {
        var rows = await FullCoverageDaysAsync([gridId], month, cancellationToken);
        return rows.ToDictionary(r => r.PatrollerStaffId, r => r.Days);
    }

    public async Task RefreshDaysAsync(IReadOnlyCollection<int>? gridIds, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        var ids = gridIds?.Distinct().ToArray();
        var buffer = Options.BufferMeters;
        await db.Database.ExecuteSqlAsync($"SELECT refresh_patrol_days({ids}, {from}, {to}, {buffer})", cancellationToken);
    }

    /// <summary>Read from the stored day coverage (patrol_days, kept by <see cref="RefreshDaysAsync"/>): a count, however many grids.</summary>
    public async Task<IReadOnlyList<FullCoverageDays>> FullCoverageDaysAsync(IReadOnlyCollection<int> gridIds, DateOnly month, CancellationToken cancellationToken = default)
    {
        var ids = gridIds.Distinct().ToArray();
        if (ids.Length == 0)
        {
            return [];
        }
        var from = new DateOnly(month.Year, month.Month, 1);
        var to = from.AddMonths(1);
        var threshold = Options.FullCoverageShare;
        return await db.Database.SqlQuery<FullCoverageDays>($"""
            SELECT d.grid_id AS "GridId", d.patroller_staff_id AS "PatrollerStaffId", (count(*) FILTER (WHERE d.coverage >= {threshold}))::int AS "Days"
            FROM patrol_days d
            WHERE d.grid_id = ANY ({ids}) AND d.day >= {from} AND d.day < {to}
            GROUP BY d.grid_id, d.patroller_staff_id
            ORDER BY d.grid_id, d.patroller_staff_id
            """).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<PatrolDayCoverage>> DaysOfMonthAsync(int gridId, DateOnly month, int? patrollerStaffId = null, CancellationToken cancellationToken = default)
    {
        var (from, to) = ChinaDays.MonthRange(month);
        var staff = patrollerStaffId ?? 0;
        var buffer = Options.BufferMeters;
        var rows = await db.Database.SqlQuery<DayRow>($"""
            WITH days AS (
                SELECT ((p.started_at AT TIME ZONE 'UTC') + interval '8 hours')::date AS day,
                       count(*) AS n, max(p.coverage_share) AS best
                FROM patrols p
                WHERE p.grid_id = {gridId} AND p.started_at >= {from} AND p.started_at < {to}
                  AND ({staff} = 0 OR p.patroller_staff_id = {staff})
                GROUP BY 1
            )
            SELECT d.day AS "Day", d.n::int AS "Patrols",
                   CASE WHEN d.n = 1 THEN d.best ELSE (
                       SELECT LEAST(1, COALESCE(ST_Area(ST_CollectionExtract(ST_Intersection(b.boundary, u.covered), 3)::geography)
                                                / NULLIF(ST_Area(b.boundary::geography), 0), 0))
                       FROM (SELECT ST_Union(ST_Buffer(q.track::geography, {buffer})::geometry) AS covered
                             FROM patrols q
                             WHERE q.grid_id = {gridId} AND ({staff} = 0 OR q.patroller_staff_id = {staff})
                               AND q.started_at >= (d.day::timestamp - interval '8 hours') AT TIME ZONE 'UTC'
                               AND q.started_at < (d.day::timestamp + interval '16 hours') AT TIME ZONE 'UTC') u,
                            LATERAL (SELECT COALESCE((SELECT v.boundary FROM grid_boundary_versions v
                                                      WHERE v.grid_id = g.id AND v.valid_from <= d.day AND v.valid_to > d.day LIMIT 1),
                                                     g.boundary) AS boundary
                                     FROM grids g WHERE g.id = {gridId}) b)
                   END AS "Share"
            FROM days d
            ORDER BY d.day
            """).ToListAsync(cancellationToken);
        return rows.Select(r => new PatrolDayCoverage(r.Day, patrollerStaffId, r.Patrols, r.Share)).ToList();
    }

    public async Task<TrackFit> FitAsync(int gridId, LineString track, DateOnly day, CancellationToken cancellationToken = default)
    {
                var margin = Options.InGridMarginMeters;
        var buffer = Options.BufferMeters;
        return await db.Database.SqlQuery<TrackFit>($"""
            WITH b AS (
                SELECT COALESCE((SELECT v.boundary FROM grid_boundary_versions v
                                 WHERE v.grid_id = g.id AND v.valid_from <= {day} AND v.valid_to > {day} LIMIT 1), g.boundary) AS boundary
                FROM grids g WHERE g.id = {gridId}
            ), t AS (SELECT {track} AS track)
            SELECT LEAST(1, COALESCE(ST_Length(ST_CollectionExtract(ST_Intersection(t.track, ST_Buffer(b.boundary::geography, {margin})::geometry), 2)::geography)
                                     / NULLIF(ST_Length(t.track::geography), 0), 0)) AS "ShareOfTrackInGrid",
                   LEAST(1, COALESCE(ST_Area(ST_CollectionExtract(ST_Intersection(b.boundary, ST_Buffer(t.track::geography, {buffer})::geometry), 3)::geography)
                                     / NULLIF(ST_Area(b.boundary::geography), 0), 0)) AS "Coverage"
            FROM b, t
            """).SingleOrDefaultAsync(cancellationToken)
            ?? throw new Domain.Common.DomainException("patrol.grid-unknown", "网格不存在");
    }

    public async Task<string?> PatrolMapGeoJsonAsync(long patrolId, CancellationToken cancellationToken = default)
    {
        var buffer = Options.BufferMeters;
        return await db.Database.SqlQuery<string>($"""
            SELECT json_build_object('type', 'FeatureCollection', 'features', json_build_array(
                       json_build_object('type', 'Feature', 'properties', json_build_object('kind', 'grid', 'code', g.code, 'name', g.name),
                                         'geometry', ST_AsGeoJSON(b.boundary, 6)::json),
                       json_build_object('type', 'Feature', 'properties', json_build_object('kind', 'covered'),
                                         'geometry', ST_AsGeoJSON(ST_CollectionExtract(ST_Intersection(b.boundary, ST_Buffer(p.track::geography, {buffer})::geometry), 3), 6)::json),
                       json_build_object('type', 'Feature', 'properties', json_build_object('kind', 'track'),
                                         'geometry', ST_AsGeoJSON(p.track, 6)::json)))::text AS "Value"
            FROM patrols p
            JOIN grids g ON g.id = p.grid_id
            CROSS JOIN LATERAL (
                SELECT COALESCE((SELECT v.boundary FROM grid_boundary_versions v
                                 WHERE v.grid_id = g.id AND v.valid_from <= ((p.started_at AT TIME ZONE 'UTC') + interval '8 hours')::date
                                   AND v.valid_to > ((p.started_at AT TIME ZONE 'UTC') + interval '8 hours')::date LIMIT 1), g.boundary) AS boundary) b
            WHERE p.id = {patrolId}
            """).SingleOrDefaultAsync(cancellationToken);
    }

    private sealed record DayRow(DateOnly Day, int Patrols, double Share);
}

public static class PatrolRegistration
{
    /// <summary>The patrol feature: its PostGIS coverage queries, its service and its options (section "Patrols").</summary>
    public static IServiceCollection AddGridGovPatrols(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<PatrolOptions>(configuration.GetSection(PatrolOptions.Section));
        services.AddScoped<IPatrolCoverage, PatrolSpatialQueries>();
        services.AddScoped<PatrolService>();
        return services;
    }
}
