using GridGov.Application.Visits;
using GridGov.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Infrastructure.Visits;

/// <summary>
/// A month's visits in one grouped pass over <c>visits</c> (its moment index). Overdue households from <c>household_visit_status</c> (each household's grid, frequency — 0 yearly, 1 quarterly,
/// 2 monthly — and last visit): one scan of that table whatever the number of residents and visits. Where the last visit
/// is at or after <c>visitsBefore</c> (a past month looked at later), its prior visit (the last before the month of its
/// last visit) answers when it is before <c>visitsBefore</c>; only otherwise are that household's visits read.
/// </summary>
internal sealed class HouseholdVisitSql(GridGovDbContext db) : IHouseholdVisitSql
{
    public async Task<VisitTallies> TallyAsync(IReadOnlyCollection<int> gridIds, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        var (ids, scanAll) = GridSelection.Of(gridIds);
        // Both groupings in one pass over the month's visits: a household visited by two people counts once for the grid.
        var rows = await db.Database.SqlQuery<TallyRow>($"""
            SELECT v.grid_id AS "GridId",
                   CASE WHEN GROUPING(v.visitor_staff_id) = 0 THEN v.visitor_staff_id END AS "VisitorStaffId",
                   count(DISTINCT v.household_id)::int AS "Households", count(*)::int AS "Visits"
            FROM visits v
            WHERE v.visited_at >= {start.ToUniversalTime()} AND v.visited_at < {end.ToUniversalTime()} AND ({scanAll} OR v.grid_id = ANY ({ids}))
            GROUP BY GROUPING SETS ((v.grid_id, v.visitor_staff_id), (v.grid_id))
            """).ToListAsync(cancellationToken);
        rows = GridSelection.Keep(ids, scanAll, rows, r => r.GridId);
        return new VisitTallies(
            rows.Where(r => r.VisitorStaffId is not null).Select(r => new VisitorTally(r.GridId, r.VisitorStaffId!.Value, r.Households, r.Visits)).ToList(),
            rows.Where(r => r.VisitorStaffId is null).ToDictionary(r => r.GridId, r => r.Households));
    }

    public async Task<HouseholdCounts> CountAsync(IReadOnlyCollection<int> gridIds, DateTimeOffset visitsBefore, OverdueSince since, bool withLastVisitor,
        CancellationToken cancellationToken)
    {
        var (ids, scanAll) = GridSelection.Of(gridIds);
        var before = visitsBefore.ToUniversalTime();
        var (monthly, quarterly, yearly) = (since.Monthly.ToUniversalTime(), since.Quarterly.ToUniversalTime(), since.Yearly.ToUniversalTime());
        // Two parts. Most households are counted from their row alone: by their last visit when it is before the moment
        // asked (looking at today, all of them), and otherwise by their prior visit (the last one before the month of their
        // last visit, kept by the same triggers) when that is before the moment and the moment is not inside the month of the last visit: it is then their last visit
        // before it. That
        // answers the month just ended, whatever was visited since. Only a household whose prior visit is itself after the
        // moment (a month two or more back) has its last visit before the moment looked up. Overdue when there is none or it
        // is older than the household's period start, and then its visitor is the one answerable.
        var rows = await db.Database.SqlQuery<Row>($"""
            WITH s AS NOT MATERIALIZED (
                SELECT s.household_id, s.grid_id,
                       CASE WHEN s.last_visited_at >= {before} THEN s.prior_visited_at ELSE s.last_visited_at END AS visited_at,
                       CASE WHEN s.last_visited_at >= {before} THEN s.prior_visitor_staff_id ELSE s.last_visitor_staff_id END AS visitor_staff_id,
                       (s.last_visited_at >= {before} AND NOT ({before} <= china_month_start(s.last_visited_at)
                            AND (s.prior_visited_at IS NULL OR s.prior_visited_at < {before}))) IS TRUE AS look_up,
                       CASE s.frequency WHEN 2 THEN {monthly} WHEN 1 THEN {quarterly} ELSE {yearly} END AS since
                FROM household_visit_status s
                WHERE NOT s.removed AND ({scanAll} OR s.grid_id = ANY ({ids}))
            )
            SELECT s.grid_id AS "GridId", CASE WHEN {withLastVisitor} THEN s.visitor_staff_id END AS "LastVisitorStaffId",
                   count(*)::int AS "Households",
                   (count(*) FILTER (WHERE s.visited_at IS NULL OR s.visited_at < s.since))::int AS "Overdue"
            FROM s
            WHERE NOT s.look_up
            GROUP BY s.grid_id, 2
            UNION ALL
            SELECT l.grid_id,
                   CASE WHEN {withLastVisitor} AND (p.visited_at IS NULL OR p.visited_at < l.since) THEN p.visitor_staff_id END,
                   1,
                   CASE WHEN p.visited_at IS NULL OR p.visited_at < l.since THEN 1 ELSE 0 END
            FROM s l
            LEFT JOIN LATERAL (
                SELECT v.visited_at, v.visitor_staff_id FROM visits v
                WHERE v.household_id = l.household_id AND v.visited_at < {before}
                ORDER BY v.visited_at DESC, v.id DESC LIMIT 1) p ON true
            WHERE l.look_up
            """).ToListAsync(cancellationToken);

        rows = GridSelection.Keep(ids, scanAll, rows, r => r.GridId);
        var perGrid = rows.GroupBy(r => r.GridId).ToDictionary(g => g.Key, g => g.Sum(r => r.Households));
        var overdue = rows.Where(r => r.Overdue > 0)
            .GroupBy(r => (r.GridId, r.LastVisitorStaffId))
            .Select(g => new OverdueCount(g.Key.GridId, g.Key.LastVisitorStaffId, g.Sum(r => r.Overdue)))
            .OrderBy(r => r.GridId).ThenBy(r => r.LastVisitorStaffId)
            .ToList();
        return new HouseholdCounts(perGrid, overdue);
    }

    /// <summary>
    /// Many grids (the whole street, a city) are read in one scan of the table and the other grids' rows dropped after:
    /// looking each grid up in the index costs more than reading them all.
    /// </summary>
    private static class GridSelection
    {
        private const int ScanAllAbove = 200;

        public static (int[] Ids, bool ScanAll) Of(IReadOnlyCollection<int> gridIds)
        {
            var ids = gridIds.Distinct().ToArray();
            return (ids, ids.Length > ScanAllAbove);
        }

        public static List<T> Keep<T>(int[] ids, bool scanAll, List<T> rows, Func<T, int> gridOf)
        {
            if (!scanAll)
            {
                return rows;
            }
            var wanted = ids.ToHashSet();
            return rows.Where(r => wanted.Contains(gridOf(r))).ToList();
        }
    }

    private sealed record TallyRow(int GridId, int? VisitorStaffId, int Households, int Visits);

    private sealed record Row(int GridId, int? LastVisitorStaffId, int Households, int Overdue);
}
