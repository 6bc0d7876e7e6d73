using GridGov.Application.Dashboard;
using GridGov.Domain.Cases;
using GridGov.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Infrastructure.Spatial;

/// <summary>PostGIS SQL behind <see cref="IDashboardSpatialQueries"/>.</summary>
internal sealed class DashboardSpatialQueries(GridGovDbContext db) : IDashboardSpatialQueries
{
    public async Task<IReadOnlyList<OpenCaseLocation>> CaseLocationsAsync(IReadOnlyCollection<CaseState> states, int limit, CancellationToken cancellationToken = default)
    {
        var names = states.Select(s => s.ToString()).ToArray();
        // state = ANY(...) runs on ix_cases_state_reported_at; the point's coordinates come straight from PostGIS.
        return await db.Database.SqlQuery<OpenCaseLocation>($"""
            SELECT c.number AS "Number", c.state AS "State", k.name AS "CategoryName", c.grid_code AS "GridCode",
                   ST_X(c.location) AS "Longitude", ST_Y(c.location) AS "Latitude",
                   c.current_due AS "CurrentDue", c.warning_at AS "WarningAt", c.is_supervised AS "IsSupervised"
            FROM cases c JOIN categories k ON k.id = c.category_id
            WHERE c.state = ANY({names})
            ORDER BY c.current_due NULLS LAST, c.reported_at DESC, c.id
            LIMIT {limit}
            """).ToListAsync(cancellationToken);
    }
}
