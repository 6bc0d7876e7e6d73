namespace GridGov.Application.Patrols;

/// <summary>
/// Patrol coverage questions answered in PostGIS (implemented in Infrastructure by the patrol feature).
/// Coverage of a day = share of the grid's area within the buffer distance of that day's tracks.
/// </summary>
public interface IPatrolCoverage
{
    /// <summary>Coverage (0–1) of one grid on one China-time day by all its patrols, or by one patroller's.</summary>
    Task<double> DailyCoverageAsync(int gridId, DateOnly day, int? patrollerStaffId = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// For each patroller of the grid, the number of days of the month whose own tracks reached the
    /// full-coverage threshold.
    /// </summary>
    Task<IReadOnlyDictionary<int, int>> FullCoverageDaysByPatrollerAsync(int gridId, DateOnly month, CancellationToken cancellationToken = default);
}
