using NetTopologySuite.Geometries;

namespace GridGov.Application.Grids;

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

    /// <summary>Area in m² of <paramref name="boundary"/> that lies outside the street.</summary>
    Task<double> AreaOutsideStreetAsync(int streetId, Polygon boundary, CancellationToken cancellationToken = default);

    /// <summary>
    /// Open cases of a category within <paramref name="radiusMeters"/> of a point, reported since
    /// <paramref name="since"/>, nearest first: possible duplicates of a new report.
    /// </summary>
    Task<IReadOnlyList<NearbyCase>> FindNearbyOpenCasesAsync(int categoryId, Point point, int radiusMeters, DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>One grid's boundary as a GeoJSON geometry (for small maps), or null.</summary>
    Task<string?> GridBoundaryGeoJsonAsync(int gridId, CancellationToken cancellationToken = default);

    /// <summary>The current grids as a GeoJSON FeatureCollection with codes and named responsible people.</summary>
    Task<string> GridsGeoJsonAsync(CancellationToken cancellationToken = default);
}
