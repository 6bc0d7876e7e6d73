namespace GridGov.Application.Visits;

/// <summary>
/// The days since which a household of each frequency must have been visited not to be overdue
/// (<see cref="GridGov.Domain.Visits.VisitSchedule.OverdueUnlessVisitedSince"/>, as moments).
/// </summary>
public sealed record OverdueSince(DateTimeOffset Monthly, DateTimeOffset Quarterly, DateTimeOffset Yearly);

/// <summary>
/// Household visit figures counted in the database: a month's visits tallied from <c>visits</c>, and overdue households
/// from <c>household_visit_status</c>, the table the database keeps as households, residents and visits change (each
/// household's visit frequency and last visit; see migration HouseholdVisitStatus).
/// </summary>
/// <summary>A month's visits in some grids: per grid and visitor (households visited, visits), and households per grid.</summary>
public sealed record VisitTallies(IReadOnlyList<VisitorTally> ByVisitor, IReadOnlyDictionary<int, int> HouseholdsPerGrid);

public sealed record VisitorTally(int GridId, int VisitorStaffId, int Households, int Visits);

public interface IHouseholdVisitSql
{
    /// <summary>The visits made in [<paramref name="start"/>, <paramref name="end"/>) in the grids, tallied in one pass.</summary>
    Task<VisitTallies> TallyAsync(IReadOnlyCollection<int> gridIds, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken);

    /// <summary>
    /// Current households per grid, and the overdue ones: no visit before <paramref name="visitsBefore"/> since the day
    /// their frequency asks for; grouped by who made their last visit when <paramref name="withLastVisitor"/>.
    /// </summary>
    Task<HouseholdCounts> CountAsync(IReadOnlyCollection<int> gridIds, DateTimeOffset visitsBefore, OverdueSince since, bool withLastVisitor,
        CancellationToken cancellationToken);
}
