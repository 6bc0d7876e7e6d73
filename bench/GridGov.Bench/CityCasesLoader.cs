using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace GridGov.Bench;

/// <summary>
/// Turns a seeded street (ideally <c>seed --scale 80</c>: 5,120 grids) into one with years of cases (issue 15: "≥ 2,000,000
/// cases spread over three years with their full history"). The demo seed drives its month of cases through the real
/// workflow service; those stories are the templates. Each copy of them is moved back in time by whole weeks (so working
/// days and deadlines stay on the same weekdays) plus a few minutes, and into other grids (a fixed rotation per copy), with
/// the templates' people replaced by the people holding the same duty there. The copies of the current month keep every
/// state (so about one case in seven is open, some of them yellow or overdue); older copies take only the finished
/// stories (archived, rejected, voided, merged into a finished case), because a case left open for two years is not what a
/// real street holds. Cases, history, whistles, extensions, satisfaction answers, photo metadata and co-handling all come
/// along; notifications stay behind (they would go out again).
/// <para>
/// Everything happens in the database, in one transaction: either the whole set lands or nothing does. Like a real bulk
/// load it drops the case tables' secondary indexes and foreign keys first and builds them again afterwards (exactly as
/// the migrations define them, read from the catalog), so the keys are validated once, set-based, instead of row by row;
/// then it analyzes the tables. Grids and assignments are back-dated to the first copied day, as if the street had had
/// these grids all along. Refuses to run twice.
/// </para>
/// </summary>
internal static class CityCasesLoader
{
    /// <summary>Generated case numbers start their daily sequence here, above anything the app hands out in a day.</summary>
    private const int SequenceBase = 100_000;

    /// <summary>The tables a copy writes to; their secondary indexes and foreign keys are rebuilt around the load.</summary>
    private static readonly string[] CaseTables =
        ["cases", "case_history", "whistles", "case_extensions", "case_satisfaction_answers", "case_evidence", "case_co_handlings"];

    public static async Task<int> RunAsync(string[] args)
    {
        var target = int.Parse(Option(args, "--count") ?? "2000000", CultureInfo.InvariantCulture);
        var weeksBack = int.Parse(Option(args, "--weeks") ?? "156", CultureInfo.InvariantCulture);
        var currentCopies = int.Parse(Option(args, "--current-copies") ?? "16", CultureInfo.InvariantCulture);
        var connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__GridGov")
            ?? throw new InvalidOperationException("Set ConnectionStrings__GridGov to the database to load.");

        await using var dataSource = new NpgsqlDataSourceBuilder(connectionString) { ConnectionStringBuilder = { CommandTimeout = 0 } }.Build();
        await using var connection = await dataSource.OpenConnectionAsync();
        var total = Stopwatch.StartNew();
        await using var transaction = await connection.BeginTransactionAsync();

        var generated = await ScalarAsync<long>(connection, $"SELECT count(*) FROM cases WHERE substr(number, 9)::int >= {SequenceBase}");
        if (generated > 0)
        {
            await Console.Error.WriteLineAsync($"This database already holds {generated:N0} generated cases; load a fresh seed instead.");
            return 1;
        }
        var templates = await ScalarAsync<long>(connection, "SELECT count(*) FROM cases");
        if (templates == 0)
        {
            await Console.Error.WriteLineAsync("No cases to copy: seed the street first (seed --scale N writes a month of demo cases).");
            return 1;
        }

        await StepAsync(connection, "session settings", """
            SET LOCAL maintenance_work_mem = '1GB';
            SET LOCAL work_mem = '256MB';
            SET LOCAL max_parallel_maintenance_workers = 2;
            SET LOCAL synchronous_commit = off;
            """);
        await StepAsync(connection, "templates and rotation tables", """
            CREATE TEMP TABLE bench_grid ON COMMIT DROP AS
                SELECT (row_number() OVER (ORDER BY g.id) - 1)::int AS idx, g.id, g.code, g.community_id
                FROM grids g WHERE g.valid_to IS NULL;
            ALTER TABLE bench_grid ADD PRIMARY KEY (idx);
            CREATE UNIQUE INDEX ON bench_grid (id);

            -- 16 spread points inside each grid: where its copied cases are placed.
            CREATE TEMP TABLE bench_point ON COMMIT DROP AS
                SELECT b.idx, (d.path[1] - 1) AS n, d.geom
                FROM bench_grid b JOIN grids g ON g.id = b.id
                CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(g.boundary, 16, 20261207)) d;
            ALTER TABLE bench_point ADD PRIMARY KEY (idx, n);

            -- Who holds which duty in each grid (the grid's staff, and its community's secretary).
            CREATE TEMP TABLE bench_staff_kind ON COMMIT DROP AS
                SELECT a.staff_member_id AS staff_id, min(a.duty) AS kind FROM grid_assignments a GROUP BY a.staff_member_id
                UNION ALL
                SELECT s.id, 'Secretary' FROM staff_members s WHERE s.role = 'CommunitySecretary';
            ALTER TABLE bench_staff_kind ADD PRIMARY KEY (staff_id);
            CREATE TEMP TABLE bench_grid_staff ON COMMIT DROP AS
                SELECT DISTINCT ON (b.idx, a.duty) b.idx, a.duty AS kind, s.id AS staff_id, s.name
                FROM bench_grid b JOIN grid_assignments a ON a.grid_code = b.code JOIN staff_members s ON s.id = a.staff_member_id
                ORDER BY b.idx, a.duty, s.id;
            INSERT INTO bench_grid_staff
                SELECT DISTINCT ON (b.idx) b.idx, 'Secretary', s.id, s.name
                FROM bench_grid b JOIN staff_members s ON s.community_id = b.community_id AND s.role = 'CommunitySecretary'
                ORDER BY b.idx, s.id;
            -- A duty a grid lacks falls to the grid's full-time worker, so each (grid, duty) has exactly one person to look up.
            INSERT INTO bench_grid_staff
                SELECT b.idx, k.kind, fb.staff_id, fb.name
                FROM bench_grid b
                CROSS JOIN (SELECT DISTINCT kind FROM bench_staff_kind) k
                JOIN bench_grid_staff fb ON fb.idx = b.idx AND fb.kind = 'FullTimeWorker'
                WHERE NOT EXISTS (SELECT 1 FROM bench_grid_staff x WHERE x.idx = b.idx AND x.kind = k.kind);
            ALTER TABLE bench_grid_staff ADD PRIMARY KEY (idx, kind);

            CREATE TEMP TABLE bench_template ON COMMIT DROP AS
                SELECT c.*, b.idx AS grid_idx,
                       c.state IN ('Archived', 'Voided', 'Rejected')
                       OR (c.state = 'Merged' AND EXISTS (SELECT 1 FROM cases m WHERE m.id = c.merged_into_case_id AND m.state = 'Archived')) AS finished
                FROM cases c JOIN bench_grid b ON b.id = c.grid_id;
            ALTER TABLE bench_template ADD PRIMARY KEY (id);
            """);

        var (all, finished, stride) = await ReadTemplatesAsync(connection);
        var olderCopies = (int)Math.Max(0, Math.Ceiling((target - all * (1.0 + currentCopies)) / (finished * (weeksBack / 4.0))));
        await StepAsync(connection, "copy plan", $"""
            -- Copy 0 is the templates themselves. Copies 1..{currentCopies} share their month; older copies go back four weeks at a time.
            CREATE TEMP TABLE bench_copy ON COMMIT DROP AS
                SELECT n AS copy_no, make_interval(mins => -3 * n) AS shift, false AS finished_only
                FROM generate_series(1, {currentCopies}) n
                UNION ALL
                SELECT {currentCopies} + (k - 1) * {olderCopies} + c + 1, make_interval(days => -28 * k, mins => -3 * c), true
                FROM generate_series(1, {weeksBack / 4}) k, generate_series(0, {olderCopies} - 1) c;
            ALTER TABLE bench_copy ADD COLUMN grid_offset int;
            UPDATE bench_copy SET grid_offset = (copy_no * 389) % (SELECT count(*) FROM bench_grid);

            -- Each copied case: its new id, grid and moment.
            CREATE TEMP TABLE bench_case ON COMMIT DROP AS
                SELECT p.copy_no * {stride} + t.id AS id, t.id AS template_id, p.copy_no, p.shift,
                       (t.grid_idx + p.grid_offset) % (SELECT count(*) FROM bench_grid) AS grid_idx
                FROM bench_template t CROSS JOIN bench_copy p
                WHERE t.finished OR NOT p.finished_only;
            ALTER TABLE bench_case ADD PRIMARY KEY (id);
            ANALYZE bench_case;
            """);
        Console.WriteLine($"  {all:N0} template cases ({finished:N0} finished); {currentCopies} copies in the current month, {olderCopies} per four weeks over {weeksBack} weeks");

        var dropped = await DropIndexesAndKeysAsync(connection);

        await StepAsync(connection, "cases", $"""
            INSERT INTO cases (id, number, category_id, description, location, address, grid_id, grid_code, community_id, source, priority, level,
                               state, reporter_name, reporter_phone, reporter_staff_id, reported_at, assigned_department_id, assigned_staff_id,
                               co_handling_department_ids, current_due, warning_at, dispatched_at, handle_due, feedback_at, result, rework_count,
                               return_count, supervision_count, is_supervised, merged_into_case_id, closure_type, closed_at, satisfied,
                               satisfaction_comment, updated_at, submission_id, submission_purpose, extension_count, late_explanation, reopen_count,
                               verified_at, registered_at)
            SELECT m.id,
                   to_char((t.reported_at + m.shift) AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD')
                       || lpad(({SequenceBase} + row_number() OVER (PARTITION BY ((t.reported_at + m.shift) AT TIME ZONE 'Asia/Shanghai')::date ORDER BY t.reported_at + m.shift, m.id))::text, 6, '0'),
                   t.category_id, t.description, pt.geom, t.address, g.id, g.code, g.community_id, t.source, t.priority, t.level,
                   t.state, coalesce(reporter.name, t.reporter_name), t.reporter_phone,
                   CASE WHEN rk.staff_id IS NULL THEN t.reporter_staff_id ELSE reporter.staff_id END,
                   t.reported_at + m.shift, t.assigned_department_id,
                   CASE WHEN ak.staff_id IS NULL THEN t.assigned_staff_id ELSE assignee.staff_id END,
                   t.co_handling_department_ids, t.current_due + m.shift, t.warning_at + m.shift, t.dispatched_at + m.shift, t.handle_due + m.shift,
                   t.feedback_at + m.shift, t.result, t.rework_count, t.return_count, t.supervision_count, t.is_supervised,
                   m.copy_no * {stride} + t.merged_into_case_id, t.closure_type, t.closed_at + m.shift, t.satisfied, t.satisfaction_comment,
                   t.updated_at + m.shift, NULL, NULL, t.extension_count, t.late_explanation, t.reopen_count, t.verified_at + m.shift,
                   t.registered_at + m.shift
            FROM bench_case m
            JOIN bench_template t ON t.id = m.template_id
            JOIN bench_grid g ON g.idx = m.grid_idx
            JOIN bench_point pt ON pt.idx = m.grid_idx AND pt.n = (t.id + m.copy_no) % 16
            LEFT JOIN bench_staff_kind rk ON rk.staff_id = t.reporter_staff_id
            LEFT JOIN bench_grid_staff reporter ON reporter.idx = m.grid_idx AND reporter.kind = rk.kind
            LEFT JOIN bench_staff_kind ak ON ak.staff_id = t.assigned_staff_id
            LEFT JOIN bench_grid_staff assignee ON assignee.idx = m.grid_idx AND assignee.kind = ak.kind
            """);
        await StepAsync(connection, "case history", """
            INSERT INTO case_history (case_id, action, actor_staff_id, actor_name, actor_role, at, from_state, to_state, note, department_id, due_at)
            SELECT m.id, h.action,
                   CASE WHEN k.staff_id IS NULL THEN h.actor_staff_id ELSE actor.staff_id END,
                   CASE WHEN k.staff_id IS NULL THEN h.actor_name ELSE actor.name END,
                   h.actor_role, h.at + m.shift, h.from_state, h.to_state, h.note, h.department_id, h.due_at + m.shift
            FROM bench_case m
            JOIN case_history h ON h.case_id = m.template_id
            LEFT JOIN bench_staff_kind k ON k.staff_id = h.actor_staff_id
            LEFT JOIN bench_grid_staff actor ON actor.idx = m.grid_idx AND actor.kind = k.kind
            ORDER BY h.at + m.shift;
            """);
        await StepAsync(connection, "whistles, extensions, satisfaction, photos, co-handling", """
            INSERT INTO whistles (case_id, department_id, summoned_by_staff_id, summoned_at, respond_by, responded_at, response)
            SELECT m.id, w.department_id, w.summoned_by_staff_id, w.summoned_at + m.shift, w.respond_by + m.shift, w.responded_at + m.shift, w.response
            FROM bench_case m JOIN whistles w ON w.case_id = m.template_id;

            INSERT INTO case_extensions (case_id, department_id, requested_by_staff_id, requested_by_name, requested_at, reason, previous_due,
                                         requested_due, approver, status, decided_by_staff_id, decided_by_name, decided_at, decision_note)
            SELECT m.id, e.department_id, e.requested_by_staff_id, e.requested_by_name, e.requested_at + m.shift, e.reason, e.previous_due + m.shift,
                   e.requested_due + m.shift, e.approver, e.status, e.decided_by_staff_id, e.decided_by_name, e.decided_at + m.shift, e.decision_note
            FROM bench_case m JOIN case_extensions e ON e.case_id = m.template_id;

            INSERT INTO case_satisfaction_answers (case_id, satisfied, channel, comment, recorded_by_staff_id, recorded_by_name, recorded_by_role,
                                                   recorded_at, department_id, reopened)
            SELECT m.id, a.satisfied, a.channel, a.comment,
                   CASE WHEN k.staff_id IS NULL THEN a.recorded_by_staff_id ELSE who.staff_id END,
                   CASE WHEN k.staff_id IS NULL THEN a.recorded_by_name ELSE who.name END,
                   a.recorded_by_role, a.recorded_at + m.shift, a.department_id, a.reopened
            FROM bench_case m JOIN case_satisfaction_answers a ON a.case_id = m.template_id
            LEFT JOIN bench_staff_kind k ON k.staff_id = a.recorded_by_staff_id
            LEFT JOIN bench_grid_staff who ON who.idx = m.grid_idx AND who.kind = k.kind;

            INSERT INTO case_evidence (case_id, step, added_at, sha256, content_type, size_bytes, file_name)
            SELECT m.id, e.step, e.added_at + m.shift, e.sha256, e.content_type, e.size_bytes, e.file_name
            FROM bench_case m JOIN case_evidence e ON e.case_id = m.template_id;

            INSERT INTO case_co_handlings (case_id, department_id, accepted_at, accepted_by_staff_id, accepted_by_name, answered_at,
                                           answered_by_staff_id, answered_by_name, opinion, ended_at, end_reason)
            SELECT m.id, o.department_id, o.accepted_at + m.shift, o.accepted_by_staff_id, o.accepted_by_name, o.answered_at + m.shift,
                   o.answered_by_staff_id, o.answered_by_name, o.opinion, o.ended_at + m.shift, o.end_reason
            FROM bench_case m JOIN case_co_handlings o ON o.case_id = m.template_id;
            """);
        await StepAsync(connection, "numbers, identities and back-dated grids", $"""
            SELECT setval(pg_get_serial_sequence('cases', 'id'), (SELECT max(id) FROM cases));
            INSERT INTO case_number_counters (day, last)
                SELECT to_date(substr(number, 1, 8), 'YYYYMMDD'), max(substr(number, 9)::int) FROM cases GROUP BY 1
            ON CONFLICT (day) DO UPDATE SET last = greatest(case_number_counters.last, excluded.last);
            UPDATE grids SET valid_from = first.day
                FROM (SELECT ((min(reported_at) AT TIME ZONE 'Asia/Shanghai')::date - 1) AS day FROM cases) first
                WHERE grids.valid_from > first.day;
            UPDATE grid_assignments SET since = first.day
                FROM (SELECT ((min(reported_at) AT TIME ZONE 'Asia/Shanghai')::date - 1) AS day FROM cases) first
                WHERE grid_assignments.since > first.day;
            """);
        await RestoreIndexesAndKeysAsync(connection, dropped);
        await StepAsync(connection, "analyze", $"ANALYZE {string.Join(", ", CaseTables)}, grids, grid_assignments, case_number_counters;");
        var commit = Stopwatch.StartNew();
        await transaction.CommitAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"commit",-60} {commit.Elapsed.TotalSeconds,7:0.0} s"));

        await using var read = dataSource.CreateCommand("""
            SELECT count(*), count(*) FILTER (WHERE state NOT IN ('Archived', 'Voided', 'Rejected', 'Merged')),
                   min(reported_at)::date, max(reported_at)::date,
                   (SELECT count(*) FROM case_history), (SELECT count(*) FROM case_evidence), (SELECT count(*) FROM whistles),
                   (SELECT count(*) FROM case_satisfaction_answers)
            FROM cases
            """);
        await using var reader = await read.ExecuteReaderAsync();
        await reader.ReadAsync();
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Loaded in {total.Elapsed.TotalSeconds:0} s: {reader.GetInt64(0):N0} cases ({reader.GetInt64(1):N0} open) from {reader.GetDateTime(2):yyyy-MM-dd} to {reader.GetDateTime(3):yyyy-MM-dd}; {reader.GetInt64(4):N0} history rows, {reader.GetInt64(5):N0} photos, {reader.GetInt64(6):N0} whistles, {reader.GetInt64(7):N0} satisfaction answers"));
        return 0;
    }

    private static async Task<(long All, long Finished, int Stride)> ReadTemplatesAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("SELECT count(*), count(*) FILTER (WHERE finished), max(id) FROM bench_template", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var maxId = reader.GetInt32(2);
        // Copy n of template id t gets id n·stride + t: a power of ten above every template id keeps them apart.
        var stride = (int)Math.Pow(10, Math.Ceiling(Math.Log10(maxId + 1.0)));
        return (reader.GetInt64(0), reader.GetInt64(1), stride);
    }

    /// <summary>Drops the case tables' foreign keys and secondary indexes, returning the statements that recreate them.</summary>
    private static async Task<List<string>> DropIndexesAndKeysAsync(NpgsqlConnection connection)
    {
        var tables = string.Join(", ", CaseTables.Select(t => $"'{t}'::regclass"));
        var recreate = new List<string>();
        var drop = new List<string>();
        await using (var command = new NpgsqlCommand($"""
            SELECT format('ALTER TABLE %s ADD CONSTRAINT %I %s', conrelid::regclass, conname, pg_get_constraintdef(oid)),
                   format('ALTER TABLE %s DROP CONSTRAINT %I', conrelid::regclass, conname)
            FROM pg_constraint WHERE contype = 'f' AND (conrelid IN ({tables}) OR confrelid IN ({tables}))
            UNION ALL
            SELECT pg_get_indexdef(i.indexrelid), format('DROP INDEX %s', i.indexrelid::regclass)
            FROM pg_index i WHERE i.indrelid IN ({tables}) AND NOT i.indisprimary
            """, connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                recreate.Add(reader.GetString(0));
                drop.Add(reader.GetString(1));
            }
        }
        // Keys first (an index may back none of them, but a key must go before the index it uses).
        await StepAsync(connection, $"drop {drop.Count} secondary indexes and foreign keys", string.Join(";\n", drop.OrderBy(s => s.StartsWith("DROP INDEX", StringComparison.Ordinal))) + ";");
        return recreate;
    }

    private static async Task RestoreIndexesAndKeysAsync(NpgsqlConnection connection, List<string> recreate)
    {
        // Indexes first, then the keys validated against them.
        var ordered = recreate.OrderBy(s => s.StartsWith("ALTER TABLE", StringComparison.Ordinal)).ToList();
        await StepAsync(connection, $"rebuild {recreate.Count} indexes and foreign keys", string.Join(";\n", ordered) + ";");
    }

    private static async Task StepAsync(NpgsqlConnection connection, string title, string sql)
    {
        var watch = Stopwatch.StartNew();
        await using var command = new NpgsqlCommand(sql, connection);
        var rows = await command.ExecuteNonQueryAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {title,-60} {watch.Elapsed.TotalSeconds,7:0.0} s{(rows > 0 ? $"  ({rows:N0} rows)" : "")}"));
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
