using GridGov.Application.Grids;
using GridGov.Infrastructure.Cases;
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

    public async Task<IReadOnlyList<string>> FindOverlappingCommunitiesAsync(int streetId, Polygon boundary, int exceptCommunityId, CancellationToken cancellationToken = default) =>
        await db.Database.SqlQuery<string>($"""
            SELECT c.name AS "Value"
            FROM communities c
            WHERE c.street_id = {streetId} AND c.id <> {exceptCommunityId}
              AND ST_Intersects(c.boundary, {boundary})
              AND ST_Area(ST_Intersection(c.boundary, {boundary})::geography) > {GridBoundaries.ToleranceSquareMeters}
            ORDER BY c.code
            """).ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<string>> GridsOutsideAsync(int communityId, Polygon boundary, CancellationToken cancellationToken = default) =>
        await db.Database.SqlQuery<string>($"""
            SELECT g.code AS "Value"
            FROM grids g
            WHERE g.community_id = {communityId} AND g.valid_to IS NULL
              AND ST_Area(ST_Difference(g.boundary, {boundary})::geography) > {GridBoundaries.ToleranceSquareMeters}
            ORDER BY g.code
            """).ToListAsync(cancellationToken);

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
        var open = CaseStateSql.TakesDuplicates;
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

    public async Task<IReadOnlyList<GridPart>> SplitAsync(Polygon boundary, LineString cut, CancellationToken cancellationToken = default)
    {
        var parts = await db.Database.SqlQuery<SplitRow>($"""
            SELECT d.geom AS "Polygon", ST_Area(d.geom::geography) AS "SquareMeters"
            FROM ST_Dump(ST_Split({boundary}, {cut})) d
            WHERE GeometryType(d.geom) = 'POLYGON'
            ORDER BY 2 DESC
            """).ToListAsync(cancellationToken);
        return parts.Select(p => new GridPart(p.Polygon, p.SquareMeters)).ToList();
    }

    public async Task<Polygon?> UnionAsync(Polygon first, Polygon second, CancellationToken cancellationToken = default)
    {
        // Snapped to within ~10 cm, so two boundaries drawn against each other become one piece; holes below the tolerance go.
        var union = await db.Database.SqlQuery<Geometry>($"""
            SELECT ST_MakeValid(ST_UnaryUnion(ST_Collect(ST_Snap({first}, {second}, 0.000001), {second}))) AS "Value"
            """).SingleAsync(cancellationToken);
        return union is Polygon polygon ? WithoutSlivers(polygon) : null;
    }

    public async Task<IReadOnlyList<PlacedMove>> PlacedMovesAsync(Geometry area, CancellationToken cancellationToken = default)
    {
        // Every state of an open case (a verified one too: it is not archived yet); a closed case keeps its grid.
        var open = CaseStateSql.Open;
        // One query per table keeps each on its own GiST index; the covering grid is THE rule of ResolveGridAsync.
        var rows = await db.Database.SqlQuery<PlacedMoveRow>($"""
            WITH placed AS (
                SELECT 'Unit' AS kind, u.id, u.grid_id, u.location FROM units u WHERE u.removed_at IS NULL AND ST_Intersects(u.location, {area})
                UNION ALL
                SELECT 'Component', c.id, c.grid_id, c.location FROM components c WHERE c.removed_at IS NULL AND ST_Intersects(c.location, {area})
                UNION ALL
                SELECT 'Building', b.id, b.grid_id, b.location FROM buildings b WHERE ST_Intersects(b.location, {area})
                UNION ALL
                SELECT 'Compound', p.id, p.grid_id, p.location FROM compounds p WHERE ST_Intersects(p.location, {area})
                UNION ALL
                SELECT 'OpenCase', k.id, k.grid_id, k.location FROM cases k WHERE k.state = ANY({open}) AND ST_Intersects(k.location, {area})
            )
            SELECT p.kind AS "Kind", p.id AS "Id", g.id AS "ToGridId"
            FROM placed p
            LEFT JOIN LATERAL (
                SELECT g.id FROM grids g WHERE g.valid_to IS NULL AND ST_Covers(g.boundary, p.location) ORDER BY g.code LIMIT 1
            ) g ON true
            WHERE g.id IS DISTINCT FROM p.grid_id
            ORDER BY 1, 2
            """).ToListAsync(cancellationToken);
        return rows.Select(r => new PlacedMove(Enum.Parse<PlacedKind>(r.Kind), r.Id, r.ToGridId)).ToList();
    }

    internal sealed record SplitRow(Polygon Polygon, double SquareMeters);

    internal sealed record PlacedMoveRow(string Kind, int Id, int? ToGridId);

    /// <summary>A union of two drawn boundaries can keep hairline holes where their shared edges did not meet exactly.</summary>
    private static Polygon WithoutSlivers(Polygon polygon)
    {
        if (polygon.NumInteriorRings == 0)
        {
            return polygon;
        }
        var holes = polygon.InteriorRings.Where(r => polygon.Factory.CreatePolygon((LinearRing)r).Area > 1e-9).Cast<LinearRing>().ToArray();
        var result = polygon.Factory.CreatePolygon((LinearRing)polygon.ExteriorRing, holes);
        result.SRID = polygon.SRID;
        return result;
    }

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

    public Task<string> GridMapGeoJsonAsync(DateOnly day, CancellationToken cancellationToken = default) =>
        db.Database.SqlQuery<string>($"""
            SELECT json_build_object('type', 'FeatureCollection', 'features', COALESCE(json_agg(f.feature ORDER BY f.kind, f.code), '[]'::json))::text AS "Value"
            FROM (
                SELECT 0 AS kind, c.code, json_build_object(
                    'type', 'Feature',
                    'geometry', ST_AsGeoJSON(c.boundary, 7)::json,
                    'properties', json_build_object('kind', 'community', 'code', c.code, 'name', c.name, 'communityId', c.id,
                                                    'colorIndex', (dense_rank() OVER (ORDER BY c.code) - 1) % 10)) AS feature
                FROM communities c
                UNION ALL
                SELECT 1, g.code, json_build_object(
                    'type', 'Feature',
                    'geometry', ST_AsGeoJSON(CASE WHEN g.boundary_valid_from <= {day} THEN g.boundary ELSE v.boundary END, 7)::json,
                    'properties', json_build_object('kind', 'grid', 'code', g.code, 'name', g.name, 'communityId', c.id,
                                                    'communityName', c.name, 'current', g.valid_to IS NULL,
                                                    'colorIndex', (dense_rank() OVER (ORDER BY c.code) - 1) % 10))
                FROM grids g
                JOIN communities c ON c.id = g.community_id
                -- the boundary in force that day: the current one, or the version whose span holds the day
                LEFT JOIN grid_boundary_versions v ON v.grid_id = g.id AND v.valid_from <= {day} AND v.valid_to > {day}
                WHERE g.valid_from <= {day} AND (g.valid_to IS NULL OR g.valid_to > {day})
                  AND (g.boundary_valid_from <= {day} OR v.id IS NOT NULL)
            ) f
            """).SingleAsync(cancellationToken);
}
