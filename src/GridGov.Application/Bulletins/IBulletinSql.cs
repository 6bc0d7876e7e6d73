namespace GridGov.Application.Bulletins;

/// <summary>
/// A case the bulletin may list, with what marks it and its place in each list (1-based; null when not in that list) and
/// each list's size. <see cref="StateAtEnd"/> is the case's state at the month's end (a <c>CaseState</c> name).
/// </summary>
public sealed record BulletinCaseRow(
    int CaseId,
    string Number,
    string Category,
    string Community,
    string Grid,
    string Address,
    string? Department,
    string StateAtEnd,
    DateTimeOffset ReportedAt,
    DateTimeOffset? DueAtEnd,
    bool Overdue,
    bool Supervised,
    bool Reworked,
    bool Whistled,
    bool Reopened,
    bool Urgent,
    int Points,
    long? OverdueRank,
    long? SupervisedRank,
    long NotableRank,
    long OverdueTotal,
    long SupervisedTotal,
    long NotableTotal);

/// <summary>The bulletin's case lists in one set-based query (Infrastructure, read-only).</summary>
public interface IBulletinSql
{
    /// <summary>
    /// The month's marked cases: overdue at <paramref name="asOf"/> (open, its running deadline passed), supervised (督办 in the
    /// month, or before and still open at <paramref name="asOf"/>), reworked, whistled (吹哨), reopened after dissatisfaction
    /// in the month; each list's first <paramref name="listed"/> (overdue: longest overdue first; supervised: last supervised
    /// first) and the first <paramref name="notable"/> by points (<see cref="BulletinCaseReasons.Points"/>).
    /// </summary>
    Task<IReadOnlyList<BulletinCaseRow>> CasesAsync(DateTimeOffset start, DateTimeOffset end, DateTimeOffset asOf, int listed, int notable,
        CancellationToken cancellationToken);
}
