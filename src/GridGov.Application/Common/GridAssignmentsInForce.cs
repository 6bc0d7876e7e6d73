using GridGov.Domain.Calendar;
using GridGov.Domain.Organisation;

namespace GridGov.Application.Common;

/// <summary>
/// Who works in a grid is who holds an assignment in force today (China date): ended assignments are history and one
/// dated ahead has not begun. Every query that asks for grid people or grid scopes starts here.
/// </summary>
public static class GridAssignmentsInForce
{
    public static IQueryable<GridAssignment> InForceOn(this IQueryable<GridAssignment> assignments, DateOnly day) =>
        assignments.Where(GridAssignment.InForceOn(day));

    /// <summary>The assignments in force on today's China date.</summary>
    public static IQueryable<GridAssignment> AssignmentsInForce(this IGridGovDbContext db, TimeProvider clock) =>
        db.GridAssignments.InForceOn(WorkingCalendar.ChinaDate(clock.GetUtcNow()));
}
