using GridGov.Application.Bulletins;
using GridGov.Infrastructure.Cases;
using GridGov.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Infrastructure.Bulletins;

/// <summary>
/// The bulletin's case lists in one read-only query. Open and overdue at the month's end are judged as the evaluation
/// judges them (EvaluationSql.GridStatesAsync): the state then is the last history entry before it, the deadline running
/// then the one the next entry recorded as running, or the case's current one when nothing happened since.
/// </summary>
internal sealed class BulletinSql(GridGovDbContext db) : IBulletinSql
{
    public async Task<IReadOnlyList<BulletinCaseRow>> CasesAsync(DateTimeOffset start, DateTimeOffset end, DateTimeOffset asOf, int listed, int notable,
        CancellationToken cancellationToken) =>
        await db.Database.SqlQuery<BulletinCaseRow>($"""
            WITH open_at_end AS (
                SELECT c.id, CASE WHEN n.id IS NULL THEN c.current_due ELSE n.due_at END AS due_at_end
                FROM cases c
                CROSS JOIN LATERAL (
                    SELECT h.to_state FROM case_history h
                    WHERE h.case_id = c.id AND h.at < {asOf}
                    ORDER BY h.at DESC, h.id DESC LIMIT 1) s
                LEFT JOIN LATERAL (
                    SELECT h.id, h.due_at FROM case_history h
                    WHERE h.case_id = c.id AND h.at >= {asOf}
                    ORDER BY h.at, h.id LIMIT 1) n ON true
                WHERE c.reported_at < {asOf} AND (c.closed_at IS NULL OR c.closed_at >= {asOf})
                  AND s.to_state = ANY({CaseStateSql.Open})
            ),
            events AS (
                SELECT h.case_id,
                       bool_or(h.action = 'Supervise' AND h.at >= {start}) AS supervised_in_month,
                       bool_or(h.action = 'Supervise') AS ever_supervised,
                       max(h.at) FILTER (WHERE h.action = 'Supervise') AS last_supervised,
                       bool_or(h.action = 'Rework' AND h.at >= {start}) AS reworked,
                       bool_or(h.action = 'Reopen' AND h.at >= {start}) AS reopened
                FROM case_history h
                WHERE h.at < {end} AND h.action IN ('Supervise', 'Rework', 'Reopen')
                GROUP BY h.case_id
            ),
            whistled AS (
                SELECT DISTINCT w.case_id FROM whistles w WHERE w.summoned_at >= {start} AND w.summoned_at < {end}
            ),
            marked AS (
                SELECT c.id, c.reported_at, o.due_at_end, e.last_supervised,
                       -- Open at month end with no running clock (e.g. reported, not yet registered) is not overdue: never NULL.
                       coalesce(o.due_at_end < {asOf}, false) AS overdue,
                       (coalesce(e.supervised_in_month, false) OR (coalesce(e.ever_supervised, false) AND o.id IS NOT NULL)) AS supervised,
                       coalesce(e.reworked, false) AS reworked,
                       (w.case_id IS NOT NULL) AS whistled,
                       coalesce(e.reopened, false) AS reopened,
                       (c.priority <> 'Normal') AS urgent
                FROM (SELECT id FROM open_at_end UNION SELECT case_id FROM events UNION SELECT case_id FROM whistled) ids
                JOIN cases c ON c.id = ids.id
                LEFT JOIN open_at_end o ON o.id = c.id
                LEFT JOIN events e ON e.case_id = c.id
                LEFT JOIN whistled w ON w.case_id = c.id
            ),
            scored AS (
                SELECT m.*,
                       (CASE WHEN m.supervised THEN 3 ELSE 0 END + CASE WHEN m.whistled THEN 2 ELSE 0 END + CASE WHEN m.reworked THEN 2 ELSE 0 END
                        + CASE WHEN m.reopened THEN 2 ELSE 0 END + CASE WHEN m.overdue THEN 2 ELSE 0 END
                        + CASE WHEN m.urgent THEN 1 ELSE 0 END) AS points
                FROM marked m
                WHERE m.overdue OR m.supervised OR m.reworked OR m.whistled OR m.reopened
            ),
            ranked AS (
                SELECT s.*,
                       CASE WHEN s.overdue THEN row_number() OVER (PARTITION BY s.overdue ORDER BY s.due_at_end, s.id) END AS overdue_rank,
                       CASE WHEN s.supervised THEN row_number() OVER (PARTITION BY s.supervised ORDER BY s.last_supervised DESC, s.id) END AS supervised_rank,
                       row_number() OVER (ORDER BY s.points DESC, s.reported_at, s.id) AS notable_rank,
                       count(*) FILTER (WHERE s.overdue) OVER () AS overdue_total,
                       count(*) FILTER (WHERE s.supervised) OVER () AS supervised_total,
                       count(*) OVER () AS notable_total
                FROM scored s
            )
            SELECT c.id AS "CaseId", c.number AS "Number", k.name AS "Category", m.name AS "Community", g.name AS "Grid", c.address AS "Address",
                   d.name AS "Department", st.to_state AS "StateAtEnd", c.reported_at AS "ReportedAt", r.due_at_end AS "DueAtEnd",
                   r.overdue AS "Overdue", r.supervised AS "Supervised", r.reworked AS "Reworked", r.whistled AS "Whistled",
                   r.reopened AS "Reopened", r.urgent AS "Urgent", r.points AS "Points",
                   CASE WHEN r.overdue_rank <= {listed} THEN r.overdue_rank END AS "OverdueRank",
                   CASE WHEN r.supervised_rank <= {listed} THEN r.supervised_rank END AS "SupervisedRank",
                   r.notable_rank AS "NotableRank", r.overdue_total AS "OverdueTotal", r.supervised_total AS "SupervisedTotal",
                   r.notable_total AS "NotableTotal"
            FROM ranked r
            JOIN cases c ON c.id = r.id
            JOIN categories k ON k.id = c.category_id
            JOIN communities m ON m.id = c.community_id
            JOIN grids g ON g.id = c.grid_id
            LEFT JOIN departments d ON d.id = c.assigned_department_id
            CROSS JOIN LATERAL (
                SELECT h.to_state FROM case_history h
                WHERE h.case_id = c.id AND h.at < {asOf}
                ORDER BY h.at DESC, h.id DESC LIMIT 1) st
            WHERE r.overdue_rank <= {listed} OR r.supervised_rank <= {listed} OR r.notable_rank <= {notable}
            ORDER BY r.notable_rank
            """).ToListAsync(cancellationToken);
}
