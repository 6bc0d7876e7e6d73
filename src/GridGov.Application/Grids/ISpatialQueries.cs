using NetTopologySuite.Geometries;

namespace GridGov.Application.Grids;

/// <summary>One part of a grid cut by a line, with its area in m².</summary>
public sealed record GridPart(Polygon Polygon, double SquareMeters);

/// <summary>What a record with a place is (the grid editor moves them by location).</summary>
public enum PlacedKind
{
    Unit,
    Component,
    Building,
    Compound,
    OpenCase,
}

/// <summary>A record whose place lies in a changed area and whose grid is no longer the one covering it; <see cref="ToGridId"/> null when no current grid covers it.</summary>
public sealed record PlacedMove(PlacedKind Kind, int Id, int? ToGridId);

public sealed record NearbyCase(int CaseId, string Number, string Description, string Address, DateTimeOffset ReportedAt, string State, double DistanceMeters);

/// <summary>
/// The PostGIS questions the product asks. Implemented in Infrastructure with SQL, so predicates run
/// in the database on the GiST indexes rather than on polygons loaded into memory.
/// </summary>
public interface ISpatialQueries
{
    /// <summary>
    /// THE way a point becomes a grid, used by every feature (cases, buildings, units, components).
    /// A point on an edge shared by two grids goes to the grid with the smaller code.
    /// </summary>
    Task<GridLocation> ResolveGridAsync(Point point, CancellationToken cancellationToken = default);

    /// <summary>Codes of current grids of the community whose overlap with <paramref name="boundary"/> exceeds the tolerance.</summary>
    Task<IReadOnlyList<string>> FindOverlappingGridsAsync(int communityId, Polygon boundary, int? exceptGridId, CancellationToken cancellationToken = default);

    /// <summary>Area in m² of <paramref name="boundary"/> that lies outside the community.</summary>
    Task<double> AreaOutsideCommunityAsync(int communityId, Polygon boundary, CancellationToken cancellationToken = default);

    /// <summary>Names of the street's other communities whose overlap with <paramref name="boundary"/> exceeds the tolerance.</summary>
    Task<IReadOnlyList<string>> FindOverlappingCommunitiesAsync(int streetId, Polygon boundary, int exceptCommunityId, CancellationToken cancellationToken = default);

    /// <summary>Codes of the community's current grids reaching more than the tolerance outside <paramref name="boundary"/>.</summary>
    Task<IReadOnlyList<string>> GridsOutsideAsync(int communityId, Polygon boundary, CancellationToken cancellationToken = default);

    /// <summary>Area in m² of <paramref name="boundary"/> that lies outside the street.</summary>
    Task<double> AreaOutsideStreetAsync(int streetId, Polygon boundary, CancellationToken cancellationToken = default);

    /// <summary>
    /// Open cases of a category within <paramref name="radiusMeters"/> of a point, reported since
    /// <paramref name="since"/>, nearest first: possible duplicates of a new report.
    /// </summary>
    Task<IReadOnlyList<NearbyCase>> FindNearbyOpenCasesAsync(int categoryId, Point point, int radiusMeters, DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>The polygons <paramref name="cut"/> splits <paramref name="boundary"/> into (PostGIS ST_Split), largest first.</summary>
    Task<IReadOnlyList<GridPart>> SplitAsync(Polygon boundary, LineString cut, CancellationToken cancellationToken = default);

    /// <summary>Two neighbouring boundaries as one polygon (snapped, so a hairline gap closes), or null when they are not one piece.</summary>
    Task<Polygon?> UnionAsync(Polygon first, Polygon second, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records placed in <paramref name="area"/> (active units, components, buildings, compounds and open cases) whose grid
    /// is no longer the one <see cref="ResolveGridAsync"/> gives for their place: the bulk form of the same rule (the
    /// current grid covering the point, the lower code on a shared edge), for the grid editor.
    /// </summary>
    Task<IReadOnlyList<PlacedMove>> PlacedMovesAsync(Geometry area, CancellationToken cancellationToken = default);

    /// <summary>One grid's boundary as a GeoJSON geometry (for small maps), or null.</summary>
    Task<string?> GridBoundaryGeoJsonAsync(int gridId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The grid map as it stood on <paramref name="day"/> (the grids in force that day, each with the boundary it had then),
    /// with the communities' outlines, as a GeoJSON FeatureCollection for the grid editor.
    /// </summary>
    Task<string> GridMapGeoJsonAsync(DateOnly day, CancellationToken cancellationToken = default);

    /// <summary>The current grids as a GeoJSON FeatureCollection with codes and named responsible people.</summary>
    Task<string> GridsGeoJsonAsync(CancellationToken cancellationToken = default);
}
