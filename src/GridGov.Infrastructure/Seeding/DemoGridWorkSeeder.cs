using System.Globalization;
using GridGov.Application.Patrols;
using GridGov.Domain.Calendar;
using GridGov.Domain.Ledgers;
using GridGov.Domain.Organisation;
using GridGov.Domain.Visits;
using GridGov.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace GridGov.Infrastructure.Seeding;

/// <summary>What <see cref="DemoGridWorkSeeder"/> generates.</summary>
public sealed class DemoGridWorkOptions
{
    /// <summary>Whole months before the current one that get visits and patrols (plus the current month so far).</summary>
    public int Months { get; set; } = 3;

    /// <summary>Seed of the pseudo-random generator: the same seed, street and day give the same work.</summary>
    public int Seed { get; set; } = 20261122;
}

/// <summary>What the seeding wrote (zero for a part that already had data).</summary>
public sealed record DemoGridWorkSummary(bool VisitsAlreadySeeded, bool PatrolsAlreadySeeded, int Visits, int Patrols, TimeSpan Elapsed);

/// <summary>
/// Grid work for the demo street, so the visit, patrol and review pages are not empty: for the months before "now"
/// (<see cref="TimeProvider"/>), household visits by every grid worker (most meet the 20-household quota, a few do
/// not; must-visit households mostly visited on schedule, a few overdue; households not seen in that time have a
/// visit the year before, as a street that kept its ledger would) and daily patrols (most days a round whose track
/// sweeps the whole grid, some days only part of it).
/// </summary>
/// <remarks>
/// Tracks are made by PostGIS from each grid's own boundary in a local UTM projection: a walk round the edge and
/// sweeps across it ~48 m apart (the lawnmower pattern), or partial rounds; a few metres of GPS wander included.
/// Each grid gets seven such templates whose coverage is computed once, set-based in SQL, with the same formula as
/// the app (<see cref="IPatrolCoverage"/>); every patrol takes one template's track and its exact coverage.
/// Visits go in with binary COPY, patrols with one INSERT … SELECT, all in one transaction. A part (visits,
/// patrols) is skipped when its table already has rows.
/// </remarks>
public sealed partial class DemoGridWorkSeeder(
    GridGovDbContext db,
    IOptions<PatrolOptions> patrolOptions,
    TimeProvider timeProvider,
    ILogger<DemoGridWorkSeeder> logger)
{
    private const long AdvisoryLockKey = 0x4772_6964_576f_726b; // "GridWork"
    private const int FullRoundKinds = 4;   // templates 0–3
    private const int TemplateKinds = 7;    // 4 perimeter, 5 southern part, 6 sparse sweeps

    /// <summary>
    /// How long one statement of the seed may take: at city scale (seed --scale 80) the visits' COPY and the households'
    /// aggregate run for minutes, far past Npgsql's 30 s default.
    /// </summary>
    private static readonly TimeSpan StatementTimeout = TimeSpan.FromMinutes(10);

    public async Task<DemoGridWorkSummary> SeedAsync(DemoGridWorkOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Months, 1, nameof(options.Months));
        var started = timeProvider.GetTimestamp();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            db.Database.SetCommandTimeout(StatementTimeout);
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", ct);
            var hasVisits = await db.Visits.AnyAsync(ct);
            var hasPatrols = await db.Patrols.AnyAsync(ct);
            if (hasVisits && hasPatrols)
            {
                LogAlreadySeeded();
                return new DemoGridWorkSummary(true, true, 0, 0, timeProvider.GetElapsedTime(started));
            }

            var world = await LoadAsync(ct);
            if (world.Teams.Count == 0)
            {
                LogNoStreet();
                return new DemoGridWorkSummary(hasVisits, hasPatrols, 0, 0, timeProvider.GetElapsedTime(started));
            }
            var now = timeProvider.GetUtcNow();
            var today = WorkingCalendar.ChinaDate(now);
            var firstDay = new DateOnly(today.Year, today.Month, 1).AddMonths(-options.Months);
            var random = new Random(options.Seed);

            var visits = 0;
            if (!hasVisits)
            {
                var plan = new VisitPlanner(world, random, firstDay, today, now).Plan();
                // In the order they were made, as a street's database holds them: a month's visits on neighbouring pages.
                await CopyVisitsAsync(connection, plan.OrderBy(v => v.VisitedAt).ToList(), ct);
                visits = plan.Count;
            }
            var patrols = 0;
            if (!hasPatrols)
            {
                await CreateTemplatesAsync(connection, options.Seed, ct);
                var plan = PlanPatrols(world, random, firstDay, today, now);
                patrols = await InsertPatrolsAsync(connection, plan, ct);
                await RefreshPatrolDaysAsync(connection, firstDay, today.AddDays(1), ct);
            }
            await transaction.CommitAsync(ct);
            await db.Database.ExecuteSqlRawAsync("ANALYZE visits; ANALYZE patrols", ct);
            var elapsed = timeProvider.GetElapsedTime(started);
            LogSeeded(visits, patrols, firstDay, today, elapsed);
            return new DemoGridWorkSummary(hasVisits, hasPatrols, visits, patrols, elapsed);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    // ---- The street as the seeder needs it ----

    private async Task<DemoWorld> LoadAsync(CancellationToken ct)
    {
        var grids = await db.Grids.AsNoTracking().Where(g => g.ValidTo == null).Select(g => new { g.Id, g.Code }).ToListAsync(ct);
        var assignments = await db.GridAssignments.AsNoTracking()
            .Join(db.StaffMembers, a => a.StaffMemberId, s => s.Id, (a, s) => new { a.GridCode, a.Duty, s.Id, s.Name, s.IsActive })
            .Where(a => a.IsActive)
            .ToListAsync(ct);
        var quarterly = VisitSchedule.QuarterlyGroups.Select(g => g.ToString()).ToArray();
        var elderly = ResidentGroup.ElderlyLivingAlone.ToString();
        var temporary = PopulationKind.Temporary.ToString();
        // 三必访 frequency from the members' tags, as VisitSchedule.FrequencyFor decides it: 2 monthly, 1 quarterly, 0 yearly.
        var households = await db.Database.SqlQuery<DemoHousehold>($"""
            SELECT h.id AS "Id", h.grid_id AS "GridId",
                   COALESCE(max(CASE WHEN {elderly} = ANY(r.groups) THEN 2
                                     WHEN r.population_kind = {temporary} OR r.groups && {quarterly} THEN 1
                                     ELSE 0 END), 0) AS "Frequency"
            FROM households h
            LEFT JOIN residents r ON r.household_id = h.id AND r.removed_at IS NULL
            WHERE h.removed_at IS NULL
            GROUP BY h.id, h.grid_id
            ORDER BY h.id
            """).ToListAsync(ct);
        var calendar = new WorkingCalendar(await db.CalendarDays.AsNoTracking().ToListAsync(ct));

        var byGrid = households.GroupBy(h => h.GridId).ToDictionary(g => g.Key, g => g.ToList());
        var teams = new List<DemoTeam>();
        foreach (var grid in grids.OrderBy(g => g.Code, StringComparer.Ordinal))
        {
            var people = assignments.Where(a => a.GridCode == grid.Code).OrderBy(a => a.Duty).ThenBy(a => a.Id).ToList();
            var workers = people.Where(a => a.Duty != GridDuty.Leader).Select(a => new DemoWorker(a.Id, a.Duty)).ToList();
            if (workers.Count == 0)
            {
                continue;
            }
            var leader = people.FirstOrDefault(a => a.Duty == GridDuty.Leader);
            teams.Add(new DemoTeam(grid.Id, leader?.Id, leader?.Name, workers, byGrid.GetValueOrDefault(grid.Id) ?? []));
        }
        return new DemoWorld(teams, calendar);
    }

    // ---- Visits ----

    private static async Task CopyVisitsAsync(NpgsqlConnection connection, List<PlannedVisit> visits, CancellationToken ct)
    {
        await using var importer = await connection.BeginBinaryImportAsync(
            "COPY visits (household_id, grid_id, visitor_staff_id, visited_at, findings, companions) FROM STDIN (FORMAT BINARY)", ct);
        importer.Timeout = StatementTimeout;
        foreach (var visit in visits)
        {
            await importer.StartRowAsync(ct);
            await importer.WriteAsync(visit.HouseholdId, NpgsqlDbType.Integer, ct);
            await importer.WriteAsync(visit.GridId, NpgsqlDbType.Integer, ct);
            await importer.WriteAsync(visit.VisitorStaffId, NpgsqlDbType.Integer, ct);
            await importer.WriteAsync(visit.VisitedAt, NpgsqlDbType.TimestampTz, ct);
            await importer.WriteAsync(visit.Findings, NpgsqlDbType.Varchar, ct);
            if (visit.Companions is null)
            {
                await importer.WriteNullAsync(ct);
            }
            else
            {
                await importer.WriteAsync(visit.Companions, NpgsqlDbType.Varchar, ct);
            }
        }
        await importer.CompleteAsync(ct);
    }

    // ---- Patrols ----

    /// <summary>The stored day coverage of every grid for the days seeded (what the app does after each recorded patrol).</summary>
    private async Task RefreshPatrolDaysAsync(NpgsqlConnection connection, DateOnly from, DateOnly to, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT refresh_patrol_days(NULL, $1, $2, $3)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = from });
        command.Parameters.Add(new NpgsqlParameter { Value = to });
        command.Parameters.Add(new NpgsqlParameter { Value = patrolOptions.Value.BufferMeters });
        command.CommandTimeout = (int)StatementTimeout.TotalSeconds;
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Seven track templates per grid and their coverage, in a temporary table dropped at commit.</summary>
    private async Task CreateTemplatesAsync(NpgsqlConnection connection, int seed, CancellationToken ct)
    {
        var buffer = patrolOptions.Value.BufferMeters.ToString(CultureInfo.InvariantCulture);
        var setSeed = ((seed % 1000) / 1000.0).ToString("0.000", CultureInfo.InvariantCulture);
        await using var command = new NpgsqlCommand($"""
            SELECT setseed({setSeed});
            CREATE TEMP TABLE demo_patrol_kinds ON COMMIT DROP AS
            WITH planar AS (
                SELECT id, utm, ST_Transform(boundary, utm) AS b
                FROM (SELECT id, boundary, 32600 + floor((ST_X(ST_Centroid(boundary)) + 180) / 6)::int + 1 AS utm
                      FROM grids WHERE valid_to IS NULL) g
            )
            -- kind: 0–3 full rounds (0 and 2 round the edge first; sweeps horizontal or vertical, two phases);
            -- 4 round the edge only; 5 the southern part only; 6 a few sparse vertical sweeps
            SELECT p.id, p.utm, p.b, k.kind, k.vertical, k.phase, k.perimeter, r.r, ST_Buffer(r.r, -8) AS inset
            FROM planar p
            CROSS JOIN (VALUES (0, false, 0.0, true), (1, false, 0.5, false), (2, true, 0.0, true), (3, true, 0.5, false),
                               (4, false, 0.0, true), (5, false, 0.0, false), (6, true, 0.0, false)) k(kind, vertical, phase, perimeter)
            CROSS JOIN LATERAL (SELECT CASE WHEN k.vertical THEN ST_Rotate(p.b, pi() / 2, ST_Centroid(p.b)) ELSE p.b END AS r) r;

            CREATE TEMP TABLE demo_patrol_templates ON COMMIT DROP AS
            WITH sweeps AS (
                SELECT k.id, k.kind, s,
                       ST_Intersection(k.inset, ST_SetSRID(ST_MakeLine(
                           ST_MakePoint(ST_XMin(k.r) - 10, ST_YMin(k.r) + 22 + (s + k.phase) * 48),
                           ST_MakePoint(ST_XMax(k.r) + 10, ST_YMin(k.r) + 22 + (s + k.phase) * 48)), k.utm)) AS seg
                FROM demo_patrol_kinds k, generate_series(0, 60) s
                WHERE ST_YMin(k.r) + 22 + (s + k.phase) * 48 < ST_YMax(k.r) - 8
                  AND k.kind <> 4
                  AND (k.kind <> 5 OR s < 3)
                  AND (k.kind <> 6 OR (s % 2 = 0 AND s < 6))
            ), points AS (
                SELECT k.id, k.kind, w.s AS part, e AS step,
                       CASE WHEN k.vertical THEN ST_Rotate(CASE WHEN (w.s % 2 = 0) = (e = 1) THEN ST_StartPoint(w.seg) ELSE ST_EndPoint(w.seg) END, -pi() / 2, ST_Centroid(k.b))
                            ELSE CASE WHEN (w.s % 2 = 0) = (e = 1) THEN ST_StartPoint(w.seg) ELSE ST_EndPoint(w.seg) END END AS p
                FROM sweeps w JOIN demo_patrol_kinds k USING (id, kind), (VALUES (1), (2)) v(e)
                WHERE GeometryType(w.seg) = 'LINESTRING'
                UNION ALL
                SELECT k.id, k.kind, -1, (k.d).path[1], (k.d).geom
                FROM (SELECT id, kind, ST_DumpPoints(ST_ExteriorRing(ST_GeometryN(ST_Buffer(b, -15), 1))) AS d
                      FROM demo_patrol_kinds WHERE perimeter) k
            ), lines AS (
                SELECT p.id, p.kind, ST_Segmentize(ST_MakeLine(ARRAY_AGG(p.p ORDER BY p.part, p.step)), 25) AS l
                FROM points p GROUP BY p.id, p.kind
            )
            -- A GPS track wanders a few metres.
            SELECT l.id AS grid_id, l.kind,
                   ST_Transform(ST_MakeLine(ARRAY(SELECT ST_Translate((d).geom, (random() - 0.5) * 5, (random() - 0.5) * 5)
                                                  FROM ST_DumpPoints(l.l) d ORDER BY (d).path[1])), 4326) AS track,
                   0::float8 AS share
            FROM lines l
            WHERE ST_NPoints(l.l) >= 2;

            UPDATE demo_patrol_templates t
            SET share = LEAST(1, COALESCE(ST_Area(ST_CollectionExtract(ST_Intersection(g.boundary, ST_Buffer(t.track::geography, {buffer})::geometry), 3)::geography)
                                          / NULLIF(ST_Area(g.boundary::geography), 0), 0))
            FROM grids g WHERE g.id = t.grid_id;
            """, connection);
        command.CommandTimeout = (int)StatementTimeout.TotalSeconds;
        await command.ExecuteNonQueryAsync(ct);
    }

    private static List<PlannedPatrol> PlanPatrols(DemoWorld world, Random random, DateOnly firstDay, DateOnly today, DateTimeOffset now)
    {
        var patrols = new List<PlannedPatrol>();
        foreach (var team in world.Teams)
        {
            var patrollers = team.Workers.Select(w => (w.StaffId, w.Duty, Diligence: random.NextDouble() < 0.2 ? 0.55 + (random.NextDouble() * 0.2) : 0.85 + (random.NextDouble() * 0.15))).ToList();
            if (team.LeaderId is { } leaderId)
            {
                patrollers.Add((leaderId, GridDuty.Leader, 1.0));
            }
            for (var day = firstDay; day <= today; day = day.AddDays(1))
            {
                var working = world.Calendar.IsWorkingDay(day);
                foreach (var (staffId, duty, diligence) in patrollers)
                {
                    var chance = duty switch
                    {
                        GridDuty.Leader => 0.08,
                        GridDuty.FullTimeWorker => working ? 0.97 : 0.6,
                        _ => working ? 0.7 : 0.25,
                    } * diligence;
                    if (random.NextDouble() >= chance)
                    {
                        continue;
                    }
                    var full = random.NextDouble() < 0.82;
                    var morning = random.NextDouble() < 0.6;
                    var start = At(day, morning ? 8 * 60 + 30 : 14 * 60, 90, random);
                    var minutes = full ? 50 + random.Next(35) : 20 + random.Next(25);
                    Add(patrols, team.GridId, staffId, start, minutes, full ? random.Next(FullRoundKinds) : FullRoundKinds + random.Next(TemplateKinds - FullRoundKinds), random, now);
                    if (random.NextDouble() < 0.06)
                    {
                        // A second, shorter walk the same afternoon: its day's coverage is the union of both tracks.
                        var again = At(day, 16 * 60, 60, random);
                        Add(patrols, team.GridId, staffId, again, 20 + random.Next(20), FullRoundKinds + random.Next(TemplateKinds - FullRoundKinds), random, now);
                    }
                }
            }
        }
        return patrols;

        static void Add(List<PlannedPatrol> patrols, int gridId, int staffId, DateTimeOffset start, int minutes, int kind, Random random, DateTimeOffset now)
        {
            var end = start.AddMinutes(minutes);
            if (end > now)
            {
                return;
            }
            var notes = random.NextDouble() < 0.35 ? DemoGridWorkTexts.PatrolNotes[random.Next(DemoGridWorkTexts.PatrolNotes.Length)] : null;
            patrols.Add(new PlannedPatrol(gridId, staffId, start, end, kind, notes));
        }
    }

    private static async Task<int> InsertPatrolsAsync(NpgsqlConnection connection, List<PlannedPatrol> patrols, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO patrols (grid_id, patroller_staff_id, started_at, ended_at, track, notes, coverage_share)
            SELECT v.grid_id, v.staff, v.started_at, v.ended_at, t.track, v.notes, t.share
            FROM unnest(@grids, @staff, @starts, @ends, @kinds, @notes) AS v(grid_id, staff, started_at, ended_at, kind, notes)
            JOIN demo_patrol_templates t ON t.grid_id = v.grid_id AND t.kind = v.kind
            ORDER BY v.started_at
            """, connection);
        command.CommandTimeout = (int)StatementTimeout.TotalSeconds;
        command.Parameters.Add(new NpgsqlParameter<int[]>("grids", patrols.Select(p => p.GridId).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<int[]>("staff", patrols.Select(p => p.StaffId).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>("starts", patrols.Select(p => p.StartedAt).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>("ends", patrols.Select(p => p.EndedAt).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<int[]>("kinds", patrols.Select(p => p.Kind).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string?[]>("notes", patrols.Select(p => p.Notes).ToArray()));
        return await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>A China-time moment on <paramref name="day"/>, <paramref name="fromMinute"/> plus up to <paramref name="spreadMinutes"/>, in UTC.</summary>
    internal static DateTimeOffset At(DateOnly day, int fromMinute, int spreadMinutes, Random random) =>
        new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), WorkingCalendar.ChinaOffset)
            .AddMinutes(fromMinute + random.Next(spreadMinutes))
            .AddSeconds(random.Next(60))
            .ToUniversalTime();

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo grid work: visits and patrols exist already; nothing seeded")]
    private partial void LogAlreadySeeded();

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo grid work: no street with grid staff; nothing seeded")]
    private partial void LogNoStreet();

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo grid work: {Visits} visits and {Patrols} patrols from {FirstDay} to {LastDay} in {Elapsed}")]
    private partial void LogSeeded(int visits, int patrols, DateOnly firstDay, DateOnly lastDay, TimeSpan elapsed);

    private sealed record PlannedPatrol(int GridId, int StaffId, DateTimeOffset StartedAt, DateTimeOffset EndedAt, int Kind, string? Notes);
}

internal sealed record DemoWorker(int StaffId, GridDuty Duty);

internal sealed record DemoTeam(int GridId, int? LeaderId, string? LeaderName, IReadOnlyList<DemoWorker> Workers, IReadOnlyList<DemoHousehold> Households);

/// <summary>A household and its 三必访 frequency: 0 yearly, 1 quarterly, 2 monthly.</summary>
internal sealed record DemoHousehold(int Id, int GridId, int Frequency);

internal sealed record DemoWorld(IReadOnlyList<DemoTeam> Teams, WorkingCalendar Calendar);

internal sealed record PlannedVisit(int HouseholdId, int GridId, int VisitorStaffId, DateTimeOffset VisitedAt, string Findings, string? Companions);
