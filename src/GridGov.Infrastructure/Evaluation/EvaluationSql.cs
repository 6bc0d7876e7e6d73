using GridGov.Application.Evaluation;
using GridGov.Domain.Evaluation;
using GridGov.Domain.Patrols;
using GridGov.Infrastructure.Cases;
using GridGov.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Infrastructure.Evaluation;

/// <summary>
/// The monthly evaluation's figures in SQL: one grouped query per kind of figure, over the month's rows only
/// (history by <c>(action, at)</c>, cases by <c>reported_at</c> and <c>handle_due</c>). Definitions are in
/// <see cref="EvaluationDefinitions"/>; this file is only how they are counted.
/// "Registered" everywhere means 立案, or a report settled on the spot and confirmed (一般性事项: ConfirmOnSpot): the case's
/// <c>registered_at</c>, which the workflow sets at either step. A report is "decided" once registered, rejected, merged or voided.
/// </summary>
internal sealed class EvaluationSql(GridGovDbContext db) : IEvaluationSql
{
    public async Task<IReadOnlyList<ReporterFigures>> ReportersAsync(DateTimeOffset start, DateTimeOffset end, TimeSpan grace, CancellationToken cancellationToken) =>
        await db.Database.SqlQuery<ReporterFigures>($"""
            SELECT c.reporter_staff_id AS "StaffMemberId",
                   count(*)::int AS "Reports",
                   count(*) FILTER (WHERE EXISTS (
                       SELECT 1 FROM patrols p
                       WHERE p.patroller_staff_id = c.reporter_staff_id AND p.grid_id = c.grid_id
                         AND c.reported_at >= p.started_at AND c.reported_at <= p.ended_at + {grace}
                         AND p.started_at >= c.reported_at - {Patrol.MaxDuration + grace}))::int AS "Timely",
                   count(*) FILTER (WHERE c.registered_at IS NOT NULL)::int AS "Registered",
                   count(*) FILTER (WHERE c.registered_at IS NOT NULL OR c.state = ANY({CaseStateSql.EndedUnhandled}))::int AS "Decided"
            FROM cases c
            WHERE c.reported_at >= {start} AND c.reported_at < {end} AND c.reporter_staff_id IS NOT NULL
            GROUP BY c.reporter_staff_id
            """).ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<VerifierFigures>> VerifiersAsync(DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken) =>
        await db.Database.SqlQuery<VerifierFigures>($"""
            SELECT h.actor_staff_id AS "StaffMemberId",
                   count(*)::int AS "Done",
                   count(*) FILTER (WHERE h.due_at IS NOT NULL)::int AS "WithDeadline",
                   count(*) FILTER (WHERE h.at <= h.due_at)::int AS "OnTime"
            FROM case_history h
            WHERE h.action = 'Verify' AND h.at >= {start} AND h.at < {end} AND h.actor_staff_id IS NOT NULL
            GROUP BY h.actor_staff_id
            """).ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<GridCaseFigures>> GridCasesAsync(DateTimeOffset start, DateTimeOffset end, string hazardMajorName, CancellationToken cancellationToken) =>
        await db.Database.SqlQuery<GridCaseFigures>($"""
            SELECT c.grid_id AS "GridId", c.source AS "Source", m.code AS "MajorCode", m.name AS "MajorName",
                   count(*)::int AS "Reported",
                   count(*) FILTER (WHERE c.registered_at IS NOT NULL)::int AS "Registered",
                   count(*) FILTER (WHERE c.registered_at IS NOT NULL AND m.name = {hazardMajorName})::int AS "HazardsFound",
                   count(*) FILTER (WHERE c.registered_at IS NOT NULL AND m.name = {hazardMajorName} AND c.state IN ('Verified', 'Archived')
                                      AND c.closure_type IS DISTINCT FROM 'Erroneous')::int AS "HazardsFixed"
            FROM cases c
            JOIN categories k ON k.id = c.category_id
            JOIN category_majors m ON m.id = k.major_id
            WHERE c.reported_at >= {start} AND c.reported_at < {end}
            GROUP BY c.grid_id, c.source, m.code, m.name
            """).ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<GridStateFigures>> GridStatesAsync(DateTimeOffset asOf, CancellationToken cancellationToken) =>
        // A case's state at asOf is the last history entry before it; the deadline running then is the one the next entry
        // recorded as running (due_at), or the case's current one when nothing happened since.
        // Only cases that can have been open at asOf are looked at, each kind found by an index: those open now (state),
        // those closed (archived or voided) but not yet at asOf (ix_cases_lifetime, migration CaseLifetimes), and those
        // rejected or merged at or after asOf (history by action and moment). A case finished before asOf and not reopened
        // since is in none of them, so years of finished cases are never read.
        await db.Database.SqlQuery<GridStateFigures>($"""
            WITH candidate AS (
                SELECT c.id, c.grid_id, c.current_due FROM cases c
                WHERE c.state = ANY({CaseStateSql.Open})
                  AND c.reported_at < {asOf}
                UNION
                SELECT c.id, c.grid_id, c.current_due FROM cases c
                WHERE tstzrange(c.reported_at, greatest(c.reported_at, c.closed_at), '[]') @> {asOf} AND c.closed_at IS NOT NULL AND c.reported_at < {asOf}
                UNION
                SELECT c.id, c.grid_id, c.current_due FROM case_history h JOIN cases c ON c.id = h.case_id
                WHERE h.action IN ('Reject', 'Merge') AND h.at >= {asOf} AND c.reported_at < {asOf})
            SELECT k.grid_id AS "GridId",
                   count(*)::int AS "OpenAtEnd",
                   count(*) FILTER (WHERE (CASE WHEN n.id IS NULL THEN k.current_due ELSE n.due_at END) < {asOf})::int AS "OverdueAtEnd"
            FROM candidate k
            CROSS JOIN LATERAL (
                SELECT h.to_state FROM case_history h
                WHERE h.case_id = k.id AND h.at < {asOf}
                ORDER BY h.at DESC, h.id DESC LIMIT 1) s
            LEFT JOIN LATERAL (
                SELECT h.id, h.due_at FROM case_history h
                WHERE h.case_id = k.id AND h.at >= {asOf}
                ORDER BY h.at, h.id LIMIT 1) n ON true
            WHERE s.to_state = ANY({CaseStateSql.Open})
            GROUP BY k.grid_id
            """).ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<ClosureFigures>> ClosuresAsync(DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken) =>
        await db.Database.SqlQuery<ClosureFigures>($"""
            SELECT coalesce(c.assigned_department_id, 0) AS "DepartmentId", c.grid_id AS "GridId",
                   count(*)::int AS "Due",
                   count(*) FILTER (WHERE c.state IN ('FeedbackSubmitted', 'Verified', 'Archived'))::int AS "Closed",
                   count(*) FILTER (WHERE c.state IN ('FeedbackSubmitted', 'Verified', 'Archived') AND c.feedback_at <= c.handle_due)::int AS "OnTime"
            FROM cases c
            WHERE c.handle_due >= {start} AND c.handle_due < {end} AND c.state <> 'Voided'
            GROUP BY 1, 2
            """).ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<DepartmentActionFigures>> DepartmentActionsAsync(DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken) =>
        await db.Database.SqlQuery<DepartmentActionFigures>($"""
            SELECT coalesce(h.department_id, 0) AS "DepartmentId",
                   count(*) FILTER (WHERE h.action IN ('Dispatch', 'AssignLocally'))::int AS "Dispatched",
                   count(*) FILTER (WHERE h.action = 'Return')::int AS "Returned",
                   count(*) FILTER (WHERE h.action = 'SubmitFeedback')::int AS "FedBack",
                   count(*) FILTER (WHERE h.action = 'Rework')::int AS "Reworked",
                   count(*) FILTER (WHERE h.action = 'Supervise')::int AS "Supervised"
            FROM case_history h
            WHERE h.at >= {start} AND h.at < {end}
              AND h.action IN ('Dispatch', 'AssignLocally', 'Return', 'SubmitFeedback', 'Rework', 'Supervise')
            GROUP BY 1
            """).ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<WhistleFigures>> WhistlesAsync(DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken) =>
        await db.Database.SqlQuery<WhistleFigures>($"""
            SELECT w.department_id AS "DepartmentId",
                   count(*)::int AS "Summoned",
                   count(*) FILTER (WHERE w.responded_at <= w.respond_by)::int AS "OnTime",
                   (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM w.responded_at - w.summoned_at) / 60))::float8 AS "MedianMinutes"
            FROM whistles w
            WHERE w.summoned_at >= {start} AND w.summoned_at < {end}
            GROUP BY w.department_id
            """).ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<DispatcherFigures>> DispatchersAsync(DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken) =>
        // A dispatch was wrong when the next routing step on the case (history ids grow with time) is the department's return;
        // a registration was wrong when the case was voided after it. Returns and voids are rare: those since the month began
        // are read once (by action and moment), and only dispatches followed by a return have their next step looked up.
        await db.Database.SqlQuery<DispatcherFigures>($"""
            WITH d AS (
                SELECT h.id, h.case_id, h.action, h.actor_staff_id, h.at, h.due_at FROM case_history h
                WHERE h.at >= {start} AND h.at < {end} AND h.action IN ('Dispatch', 'AssignLocally', 'Register') AND h.actor_staff_id IS NOT NULL),
            returns AS MATERIALIZED (SELECT h.case_id, h.id FROM case_history h WHERE h.action = 'Return' AND h.at >= {start}),
            voids AS MATERIALIZED (SELECT h.case_id, h.id FROM case_history h WHERE h.action = 'Void' AND h.at >= {start}),
            returned AS (
                SELECT c.id
                FROM (SELECT DISTINCT d.id, d.case_id FROM d JOIN returns r ON r.case_id = d.case_id AND r.id > d.id
                      WHERE d.action IN ('Dispatch', 'AssignLocally')) c
                CROSS JOIN LATERAL (
                    SELECT x.action FROM case_history x
                    WHERE x.case_id = c.case_id AND x.id > c.id AND x.action IN ('Dispatch', 'AssignLocally', 'Return', 'Escalate')
                    ORDER BY x.id LIMIT 1) n
                WHERE n.action = 'Return'),
            voided AS (
                SELECT DISTINCT d.id FROM d JOIN voids v ON v.case_id = d.case_id AND v.id > d.id
                WHERE d.action = 'Register')
            SELECT d.actor_staff_id AS "StaffMemberId",
                   count(*) FILTER (WHERE d.action IN ('Dispatch', 'AssignLocally'))::int AS "Dispatched",
                   count(*) FILTER (WHERE d.action IN ('Dispatch', 'AssignLocally') AND d.due_at IS NOT NULL)::int AS "DispatchWithDeadline",
                   count(*) FILTER (WHERE d.action IN ('Dispatch', 'AssignLocally') AND d.at <= d.due_at)::int AS "DispatchOnTime",
                   count(*) FILTER (WHERE d.id IN (SELECT id FROM returned))::int AS "DispatchReturned",
                   count(*) FILTER (WHERE d.action = 'Register')::int AS "Registered",
                   count(*) FILTER (WHERE d.action = 'Register' AND d.due_at IS NOT NULL)::int AS "RegisterWithDeadline",
                   count(*) FILTER (WHERE d.action = 'Register' AND d.at <= d.due_at)::int AS "RegisterOnTime",
                   count(*) FILTER (WHERE d.id IN (SELECT id FROM voided))::int AS "RegisterVoided"
            FROM d
            GROUP BY d.actor_staff_id
            """).ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<DrillDownCase>> DrillDownAsync(string figure, int subject, IReadOnlyCollection<int> gridIds, DateTimeOffset start,
        DateTimeOffset end, CancellationToken cancellationToken)
    {
        var grids = gridIds.ToArray();
        FormattableString? query = figure switch
        {
            EvaluationFigures.TimelyDiscovery => $"""
                SELECT c.id AS "CaseId", EXISTS (
                    SELECT 1 FROM patrols p
                    WHERE p.patroller_staff_id = c.reporter_staff_id AND p.grid_id = c.grid_id
                      AND c.reported_at >= p.started_at AND c.reported_at <= p.ended_at + {EvaluationDefinitions.DiscoveryGrace}
                      AND p.started_at >= c.reported_at - {Patrol.MaxDuration + EvaluationDefinitions.DiscoveryGrace}) AS "Counted"
                FROM cases c
                WHERE c.reporter_staff_id = {subject} AND c.reported_at >= {start} AND c.reported_at < {end}
                """,
            EvaluationFigures.AccurateDiscovery => $"""
                SELECT c.id AS "CaseId", c.registered_at IS NOT NULL AS "Counted"
                FROM cases c
                WHERE c.reporter_staff_id = {subject} AND c.reported_at >= {start} AND c.reported_at < {end}
                  AND (c.registered_at IS NOT NULL OR c.state = ANY({CaseStateSql.EndedUnhandled}))
                """,
            EvaluationFigures.TimelyVerification => $"""
                SELECT h.case_id AS "CaseId", h.at <= h.due_at AS "Counted"
                FROM case_history h
                WHERE h.action = 'Verify' AND h.actor_staff_id = {subject} AND h.due_at IS NOT NULL AND h.at >= {start} AND h.at < {end}
                """,
            EvaluationFigures.MissedReports => $"""
                SELECT c.id AS "CaseId", c.source <> 'GridWorkerPatrol' AS "Counted"
                FROM cases c
                WHERE c.grid_id IN (SELECT a.grid_id FROM grid_assignments ga JOIN grids a ON a.code = ga.grid_code AND a.valid_to IS NULL
                                    WHERE ga.staff_member_id = {subject}
                                      -- in force on some day of the month (China dates)
                                      AND ga.since < (({end} AT TIME ZONE 'UTC') + interval '8 hours')::date
                                      AND (ga.ended_on IS NULL OR ga.ended_on > (({start} AT TIME ZONE 'UTC') + interval '8 hours')::date))
                  AND c.reported_at >= {start} AND c.reported_at < {end} AND c.registered_at IS NOT NULL
                """,
            EvaluationFigures.OnTimeClosure or EvaluationFigures.Closure => $"""
                SELECT c.id AS "CaseId",
                       c.state IN ('FeedbackSubmitted', 'Verified', 'Archived') AND ({figure} = {EvaluationFigures.Closure} OR c.feedback_at <= c.handle_due) AS "Counted"
                FROM cases c
                WHERE c.handle_due >= {start} AND c.handle_due < {end} AND c.state <> 'Voided'
                  AND (coalesce(c.assigned_department_id, 0) = {subject} OR c.grid_id = ANY ({grids}))
                """,
            EvaluationFigures.Rework => $"""
                SELECT h.case_id AS "CaseId", bool_or(h.action = 'Rework') AS "Counted"
                FROM case_history h
                WHERE h.at >= {start} AND h.at < {end} AND h.action IN ('SubmitFeedback', 'Rework') AND coalesce(h.department_id, 0) = {subject}
                GROUP BY h.case_id
                """,
            EvaluationFigures.Return => $"""
                SELECT h.case_id AS "CaseId", bool_or(h.action = 'Return') AS "Counted"
                FROM case_history h
                WHERE h.at >= {start} AND h.at < {end} AND h.action IN ('Dispatch', 'AssignLocally', 'Return') AND coalesce(h.department_id, 0) = {subject}
                GROUP BY h.case_id
                """,
            EvaluationFigures.WhistleOnTime => $"""
                SELECT w.case_id AS "CaseId", coalesce(bool_and(w.responded_at <= w.respond_by), false) AS "Counted"
                FROM whistles w
                WHERE w.department_id = {subject} AND w.summoned_at >= {start} AND w.summoned_at < {end}
                GROUP BY w.case_id
                """,
            EvaluationFigures.OnTimeDispatch or EvaluationFigures.OnTimeRegistration => $"""
                SELECT h.case_id AS "CaseId", bool_and(h.at <= h.due_at) AS "Counted"
                FROM case_history h
                WHERE h.actor_staff_id = {subject} AND h.at >= {start} AND h.at < {end} AND h.due_at IS NOT NULL
                  AND (({figure} = {EvaluationFigures.OnTimeDispatch} AND h.action IN ('Dispatch', 'AssignLocally'))
                       OR ({figure} = {EvaluationFigures.OnTimeRegistration} AND h.action = 'Register'))
                GROUP BY h.case_id
                """,
            EvaluationFigures.AccurateDispatch => $"""
                SELECT h.case_id AS "CaseId", bool_and(n.action IS DISTINCT FROM 'Return') AS "Counted"
                FROM case_history h
                LEFT JOIN LATERAL (
                    SELECT x.action FROM case_history x
                    WHERE x.case_id = h.case_id AND x.id > h.id AND x.action IN ('Dispatch', 'AssignLocally', 'Return', 'Escalate')
                    ORDER BY x.id LIMIT 1) n ON true
                WHERE h.actor_staff_id = {subject} AND h.at >= {start} AND h.at < {end} AND h.action IN ('Dispatch', 'AssignLocally')
                GROUP BY h.case_id
                """,
            EvaluationFigures.AccurateRegistration => $"""
                SELECT h.case_id AS "CaseId", NOT EXISTS (
                    SELECT 1 FROM case_history v WHERE v.case_id = h.case_id AND v.action = 'Void' AND v.id > h.id) AS "Counted"
                FROM case_history h
                WHERE h.actor_staff_id = {subject} AND h.at >= {start} AND h.at < {end} AND h.action = 'Register'
                """,
            EvaluationFigures.HazardsFixed => $"""
                SELECT c.id AS "CaseId", c.state IN ('Verified', 'Archived') AND c.closure_type IS DISTINCT FROM 'Erroneous' AS "Counted"
                FROM cases c
                JOIN categories k ON k.id = c.category_id
                JOIN category_majors m ON m.id = k.major_id
                WHERE c.grid_id = ANY ({grids}) AND c.reported_at >= {start} AND c.reported_at < {end} AND m.name = {EvaluationDefinitions.HazardMajorName}
                  AND c.registered_at IS NOT NULL
                """,
            _ => null,
        };
        return query is null ? [] : await db.Database.SqlQuery<DrillDownCase>(query).ToListAsync(cancellationToken);
    }
}
