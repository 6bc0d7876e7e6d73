using GridGov.Domain.Cases;

namespace GridGov.Application.Dashboard;

/// <summary>An open case's point on the map, read with ST_X/ST_Y; <see cref="State"/> is the stored enum name.</summary>
public sealed record OpenCaseLocation(
    string Number,
    string State,
    string CategoryName,
    string GridCode,
    double Longitude,
    double Latitude,
    DateTimeOffset? CurrentDue,
    DateTimeOffset? WarningAt,
    bool IsSupervised);

/// <summary>The PostGIS questions of the dispatch center's dashboard (SQL in Infrastructure).</summary>
public interface IDashboardSpatialQueries
{
    /// <summary>
    /// Cases in <paramref name="states"/> with their coordinates, most urgent running clock first,
    /// at most <paramref name="limit"/>.
    /// </summary>
    Task<IReadOnlyList<OpenCaseLocation>> CaseLocationsAsync(IReadOnlyCollection<CaseState> states, int limit, CancellationToken cancellationToken = default);
}
