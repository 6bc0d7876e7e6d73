using GridGov.Application.Grids;
using GridGov.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace GridGov.Infrastructure.Spatial;

/// <summary>PostGIS SQL behind <see cref="ISpatialQueries"/>; every predicate can use the GiST indexes.</summary>
internal sealed class PostgisSpatialQueries(GridGovDbContext db) : ISpatialQueries
{
    /// <summary>
    /// Where a grid is resolved from a point: the current grid whose boundary covers it (a point on a shared edge goes
    /// to the lower code), else "uncovered" inside the street, else outside. ST_Covers on the boundary's GiST index.
    /// </summary>
    public async Task<GridLocation> ResolveGridAsync(Point point, CancellationToken cancellationToken = default)
    {
        var location = Domain.Common.Locations.Require(point, Domain.Common.DomainFields.Location);
        var hit = await (
                from g in db.Grids
                join c in db.Communities on g.CommunityId equals c.Id
                where g.ValidTo == null && g.Boundary.Covers(location)
                orderby g.Code
                select new GridLocation.InGrid(g.Id, g.Code, g.Name, c.Id, c.Code, c.Name))
            .FirstOrDefaultAsync(cancellationToken);
        if (hit is not null)
        {
            return hit;
        }
        var insideStreet = await db.Streets.AnyAsync(s => s.Boundary.Covers(location), cancellationToken);
        return insideStreet ? new GridLocation.Uncovered() : new GridLocation.OutsideStreet();
    }

    public async Task<IReadOnlyList<string>> FindOverlappingGridsAsync(int communityId, Polygon boundary, int? exceptGridId, CancellationToken cancellationToken = default)
    {
                var except = exceptGridId ?? 0;
        return await db.Database.SqlQuery<string>($"""
            SELECT g.code AS "Value"
            FROM grids g
            WHERE g.community_id = {communityId} AND g.valid_to IS NULL AND g.id <> {except}
              AND ST_Intersects(g.boundary, {boundary})
              AND ST_Area(ST_Intersection(g.boundary, {boundary})::geography) > {GridBoundaries.ToleranceSquareMeters}
            ORDER BY g.code
            """).ToListAsync(cancellationToken);
    }

    public Task<double> AreaOutsideCommunityAsync(int communityId, Polygon boundary, CancellationToken cancellationToken = default)
    {
                return db.Database.SqlQuery<double>($"""
            SELECT COALESCE(ST_Area(ST_Difference({boundary}, c.boundary)::geography), 0) AS "Value"
            FROM communities c WHERE c.id = {communityId}
            """).SingleAsync(cancellationToken);
    }

    public Task<double> AreaOutsideStreetAsync(int streetId, Polygon boundary, CancellationToken cancellationToken = default)
    {
                return db.Database.SqlQuery<double>($"""
            SELECT COALESCE(ST_Area(ST_Difference({boundary}, s.boundary)::geography), 0) AS "Value"
            FROM streets s WHERE s.id = {streetId}
            """).SingleAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<NearbyCase>> FindNearbyOpenCasesAsync(int categoryId, Point point, int radiusMeters, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        var location = Domain.Common.Locations.Require(point, Domain.Common.DomainFields.Location);
        var open = OpenStates;
        return await db.Database.SqlQuery<NearbyCase>($"""
            SELECT c.id AS "CaseId", c.number AS "Number", c.description AS "Description", c.address AS "Address",
                   c.reported_at AS "ReportedAt", c.state AS "State",
                   ST_Distance(c.location::geography, {location}::geography) AS "DistanceMeters"
            FROM cases c
            WHERE c.category_id = {categoryId} AND c.reported_at >= {since} AND c.state = ANY({open})
              AND ST_DWithin(c.location::geography, {location}::geography, {radiusMeters})
            ORDER BY 7, c.reported_at DESC
            LIMIT 10
            """).ToListAsync(cancellationToken);
    }

    private static readonly string[] OpenStates = Enum.GetValues<Domain.Cases.CaseState>()
        .Where(s => Domain.Cases.CaseWorkflow.IsOpen(s) && s != Domain.Cases.CaseState.Verified)
        .Select(s => s.ToString()).ToArray();

    public async Task<string?> GridBoundaryGeoJsonAsync(int gridId, CancellationToken cancellationToken = default) =>
        await db.Database.SqlQuery<string>($"""SELECT ST_AsGeoJSON(boundary, 6) AS "Value" FROM grids WHERE id = {gridId}""")
            .SingleOrDefaultAsync(cancellationToken);

    public Task<string> GridsGeoJsonAsync(CancellationToken cancellationToken = default) =>
        db.Database.SqlQuery<string>($"""
            SELECT json_build_object('type', 'FeatureCollection', 'features', COALESCE(json_agg(f.feature ORDER BY f.code), '[]'::json))::text AS "Value"
            FROM (
                SELECT g.code, json_build_object(
                    'type', 'Feature',
                    'geometry', ST_AsGeoJSON(g.boundary, 6)::json,
                    'properties', json_build_object(
                        'code', g.code,
                        'name', g.name,
                        'communityCode', c.code,
                        'communityName', c.name,
                        'colorIndex', (dense_rank() OVER (ORDER BY c.code) - 1) % 10,
                        'leader', (SELECT json_build_object('name', s.name, 'phone', s.phone)
                                   FROM grid_assignments a JOIN staff_members s ON s.id = a.staff_member_id
                                   WHERE a.grid_code = g.code AND a.duty = 'Leader'
                                     AND a.since <= t.today AND (a.ended_on IS NULL OR a.ended_on > t.today) LIMIT 1),
                        'workers', COALESCE((SELECT json_agg(json_build_object(
                                        'name', s.name, 'phone', s.phone,
                                        'duty', CASE a.duty WHEN 'FullTimeWorker' THEN '专职网格员'
                                                            WHEN 'ProfessionalWorker' THEN '专业网格员'
                                                            ELSE '辅助网格员' END) ORDER BY a.duty, s.name)
                                   FROM grid_assignments a JOIN staff_members s ON s.id = a.staff_member_id
                                   WHERE a.grid_code = g.code AND a.duty <> 'Leader'
                                     AND a.since <= t.today AND (a.ended_on IS NULL OR a.ended_on > t.today)), '[]'::json))) AS feature
                -- who is in force on today's China date
                FROM grids g JOIN communities c ON c.id = g.community_id
                     CROSS JOIN (SELECT ((now() AT TIME ZONE 'UTC') + interval '8 hours')::date AS today) t
                WHERE g.valid_to IS NULL
            ) f
            """).SingleAsync(cancellationToken);
}
