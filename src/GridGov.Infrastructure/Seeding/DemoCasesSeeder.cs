using GridGov.Application.Cases;
using GridGov.Application.Grids;
using GridGov.Application.Visits;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GridGov.Infrastructure.Seeding;

/// <summary>What <see cref="DemoCasesSeeder"/> generates.</summary>
public sealed class DemoCasesOptions
{
    /// <summary>Cases per scale step of the demo street.</summary>
    public const int PerScale = 300;

    /// <summary>The reporting month before "now".</summary>
    public const int Days = 30;

    public const int MinCount = 30;

    /// <summary>Cases grow with the street up to this many scale steps, so a big street still seeds in minutes.</summary>
    public const int MaxScaleSteps = 10;

    public static int ForScale(int scale) => PerScale * Math.Clamp(scale, 1, MaxScaleSteps);

    /// <summary>How many cases (including merged duplicates and a few placed just before now).</summary>
    public int Count { get; set; } = PerScale;

    /// <summary>Seed of the pseudo-random generator: the same seed and street give the same stories.</summary>
    public int Seed { get; set; } = 20261122;
}

/// <summary>What the seeding did (or found, when cases existed already).</summary>
public sealed record DemoCasesSummary(
    bool AlreadySeeded,
    int Cases,
    IReadOnlyDictionary<CaseState, int> ByState,
    int Overdue,
    int Warning,
    int Steps,
    int FailedSteps,
    TimeSpan Elapsed);

/// <summary>
/// A month of cases for the demo street, so the dispatch center, case lists and inboxes show something true.
/// Each case is driven through the real <see cref="CaseWorkflowService"/> with a clock moved step by step, so
/// numbers, history, deadlines, evidence and notifications are exactly what the app itself would have made.
/// Deterministic for a seed (relative to "now"); a no-op when any case exists.
/// </summary>
public sealed partial class DemoCasesSeeder(
    GridGovDbContext db,
    ISpatialQueries spatial,
    ICaseNumbers numbers,
    IEvidenceStore evidenceStore,
    IOptions<VisitOptions> visitOptions,
    IOptions<SatisfactionOptions> satisfactionOptions,
    TimeProvider timeProvider,
    ILogger<DemoCasesSeeder> logger)
{
    /// <summary>Serialises concurrent seeders (two app instances starting on one database).</summary>
    private const long AdvisoryLockKey = 0x4772_6964_4361_7365; // "GridCase"

    public async Task<DemoCasesSummary> SeedAsync(DemoCasesOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Count, DemoCasesOptions.MinCount, nameof(options.Count));

        var started = timeProvider.GetTimestamp();
        // One connection for the whole run: the advisory lock is held by it, and no pool round trip per step.
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({AdvisoryLockKey})", ct);
            // Thousands of small commits: not waiting for each WAL flush makes seeding several times faster, and a
            // crash can at worst lose the last few steps (never corrupt anything).
            await db.Database.ExecuteSqlRawAsync("SET synchronous_commit TO off", ct);
            if (await db.Cases.AnyAsync(ct))
            {
                LogAlreadySeeded();
                return await SummariseAsync(alreadySeeded: true, steps: 0, failed: 0, started, ct);
            }
            if (!await db.Grids.AnyAsync(g => g.ValidTo == null, ct))
            {
                LogNoStreet();
                return await SummariseAsync(alreadySeeded: false, steps: 0, failed: 0, started, ct);
            }

            var now = timeProvider.GetUtcNow();
            var world = await DemoCasesWorld.LoadAsync(db, options.Seed, ct);
            var stories = new DemoCasesPlanner(world, new Random(options.Seed), now, DemoCasesOptions.Days).Plan(options.Count);
            var (steps, failed) = await RunAsync(stories, now, ct);
            await MarkNotificationsSentAsync(now, ct);

            var summary = await SummariseAsync(alreadySeeded: false, steps, failed, started, ct);
            LogSeeded(summary.Cases, summary.Steps, summary.Elapsed, string.Join("，", summary.ByState.Select(s => $"{s.Key.ChineseName()} {s.Value}")),
                summary.Overdue, summary.Warning);
            if (failed > 0)
            {
                LogFailures(failed);
            }
            return summary;
        }
        finally
        {
            await db.Database.ExecuteSqlRawAsync("RESET synchronous_commit", CancellationToken.None);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
            db.ChangeTracker.Clear();
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Every planned step of every story in time order, each with the clock set to its moment.</summary>
    private async Task<(int Steps, int Failed)> RunAsync(List<CaseStory> stories, DateTimeOffset now, CancellationToken ct)
    {
        var clock = new SeedingClock(now);
        // The workflow's own per-step log lines would bury the start-up log; the summary below says what happened.
        var fiveMust = new FiveMustDemands(db, visitOptions, clock, NullLogger<FiveMustDemands>.Instance);
        var workflow = new CaseWorkflowService(db, spatial, numbers, evidenceStore, new CaseDeadlines(db), fiveMust, clock, satisfactionOptions,
            SeedingNeedsNoAnnouncement.Instance, new Application.Residents.ResidentPointsLedger(db, Microsoft.Extensions.Options.Options.Create(new Application.Residents.ResidentOptions())),
            NullLogger<CaseWorkflowService>.Instance);
        var ordered = stories
            .SelectMany(story => story.Steps.Select(step => (Story: story, Step: step)))
            .OrderBy(x => x.Step.At).ThenBy(x => x.Story.Index).ThenBy(x => x.Step.Sequence)
            .ToList();
        var failed = 0;
        foreach (var (story, step) in ordered)
        {
            if (story.Failed)
            {
                continue;
            }
            clock.Set(step.At);
            var sw0 = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                var @case = await step.Run(workflow, story, ct);
                story.CaseId ??= @case.Id;
                story.Number ??= @case.Number;
            }
            catch (DomainException exception)
            {
                // A plan the rules refuse is a bug of the plan, not of the app: skip the rest of that story, say so.
                story.Failed = true;
                failed++;
                LogStepFailed(story.Index, story.Template.Code, step.Action, story.Number, exception.Code, exception.Message);
            }
            finally
            {
                db.ChangeTracker.Clear();
                var el = System.Diagnostics.Stopwatch.GetElapsedTime(sw0);
                Timing[step.Action] = Timing.GetValueOrDefault(step.Action) + el;
                Counts[step.Action] = Counts.GetValueOrDefault(step.Action) + 1;
            }
        }
        foreach (var (k, v) in Timing) Console.WriteLine($"{k}: {Counts[k]} steps, {v.TotalMilliseconds / Counts[k]:F1} ms each, {v.TotalSeconds:F1} s");
        return (ordered.Count, failed);
    }

    private static readonly Dictionary<CaseAction, TimeSpan> Timing = [];
    private static readonly Dictionary<CaseAction, int> Counts = [];

    /// <summary>The month's messages went out long ago: mark them sent, so the outbox does not replay them at start-up.</summary>
    private async Task MarkNotificationsSentAsync(DateTimeOffset now, CancellationToken ct) =>
        await db.Notifications
            .Where(n => n.Status == Domain.Notifications.DeliveryStatus.Pending && n.CaseId != null && n.CreatedAt <= now)
            .ExecuteUpdateAsync(n => n.SetProperty(x => x.SentAt, x => x.CreatedAt.AddSeconds(2)).SetProperty(x => x.Attempts, 1)
                .SetProperty(x => x.Status, Domain.Notifications.DeliveryStatus.Sent).SetProperty(x => x.SentBy, Domain.Notifications.NoticeSenderKind.Log), ct);

    private async Task<DemoCasesSummary> SummariseAsync(bool alreadySeeded, int steps, int failed, long started, CancellationToken ct)
    {
        var now = timeProvider.GetUtcNow();
        var byState = (await db.Cases.AsNoTracking().GroupBy(c => c.State).Select(g => new { State = g.Key, Count = g.Count() }).ToListAsync(ct))
            .OrderBy(s => s.State).ToDictionary(s => s.State, s => s.Count);
        return new DemoCasesSummary(
            alreadySeeded,
            byState.Values.Sum(),
            byState,
            Overdue: await db.Cases.CountAsync(c => c.CurrentDue != null && c.CurrentDue <= now, ct),
            Warning: await db.Cases.CountAsync(c => c.CurrentDue != null && c.CurrentDue > now && c.WarningAt <= now, ct),
            steps,
            failed,
            timeProvider.GetElapsedTime(started));
    }

    /// <summary>The clock the workflow sees while seeding: set to each step's moment in turn.</summary>
    private sealed class SeedingClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Set(DateTimeOffset moment) => _now = moment.ToUniversalTime();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo cases already exist; nothing seeded")]
    private partial void LogAlreadySeeded();

    [LoggerMessage(Level = LogLevel.Warning, Message = "No grids yet: load the demo street before the demo cases")]
    private partial void LogNoStreet();

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Seeded {Cases} demo cases ({Steps} workflow steps) in {Elapsed}: {StateCounts}; {Overdue} overdue, {Warning} in their yellow window")]
    private partial void LogSeeded(int cases, int steps, TimeSpan elapsed, string stateCounts, int overdue, int warning);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo case {Story} ({CategoryCode}, {CaseNumber}): {Action} refused ({ErrorCode}: {Error}); its story stops there")]
    private partial void LogStepFailed(int story, string categoryCode, CaseAction action, string? caseNumber, string errorCode, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Failed} demo case stories stopped early")]
    private partial void LogFailures(int failed);
}

/// <summary>
/// The demo history is written before any app node serves (and listens): thousands of steps need no announcement,
/// and each step still commits in its own transaction as in the app.
/// </summary>
internal sealed class SeedingNeedsNoAnnouncement : ICaseChangeFeed
{
    public static readonly SeedingNeedsNoAnnouncement Instance = new();

    public Task EnlistAsync(CaseChanged change, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
