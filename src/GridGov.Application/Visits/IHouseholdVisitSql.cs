namespace GridGov.Application.Visits;

/// <summary>
/// The days since which a household of each frequency must have been visited not to be overdue
/// (<see cref="GridGov.Domain.Visits.VisitSchedule.OverdueUnlessVisitedSince"/>, as moments).
/// </summary>
public sealed record OverdueSince(DateTimeOffset Monthly, DateTimeOffset Quarterly, DateTimeOffset Yearly);

/// <summary>
/// Household visit figures counted in the database from <c>household_visit_status</c>, the table the database keeps
/// as residents and visits change (each household's visit frequency and last visit; see migration HouseholdVisitStatus).
/// </summary>
public interface IHouseholdVisitSql
{
    /// <summary>
    /// Current households per grid, and the overdue ones: no visit before <paramref name="visitsBefore"/> since the day
    /// their frequency asks for; grouped by who made their last visit when <paramref name="withLastVisitor"/>.
    /// </summary>
    Task<HouseholdCounts> CountAsync(IReadOnlyCollection<int> gridIds, DateTimeOffset visitsBefore, OverdueSince since, bool withLastVisitor,
        CancellationToken cancellationToken);
}
