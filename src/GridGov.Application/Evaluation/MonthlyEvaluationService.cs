using System.Text.Json;
using GridGov.Application.Cases;
using GridGov.Application.Common;
using GridGov.Application.Visits;
using GridGov.Domain.Calendar;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Evaluation;
using GridGov.Domain.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;

namespace GridGov.Application.Evaluation;

/// <summary>Where a month's figures come from.</summary>
public enum EvaluationStatus
{
    /// <summary>The running month, computed on each visit.</summary>
    Live,
    /// <summary>A closed month not frozen yet (the freeze runs on the first working day after the month); computed on each visit.</summary>
    Provisional,
    /// <summary>A closed month's stored snapshot.</summary>
    Frozen,
}

/// <summary>A snapshot as its history lists it.</summary>
public sealed record SnapshotInfo(long Id, DateTimeOffset ComputedAt, string? ComputedByName, string? Reason, string DefinitionsVersion, bool IsCurrent);

/// <summary>Saved scoring rules, as the administrator's page lists them.</summary>
public sealed record ScoringRulesEntry(int Id, DateOnly EffectiveFrom, ScoringRules Rules, DateTimeOffset ChangedAt, string? ChangedByName);

/// <summary>
/// The administrator's scoring-rules page: the running month, the rules in force in it and the saved rules, newest first.
/// </summary>
public sealed record ScoringRulesOverview(DateOnly CurrentMonth, ScoringRules InForce, IReadOnlyList<ScoringRulesEntry> History);

/// <summary>What the evaluation page shows for a month: the results within the viewer's scope and where they come from.</summary>
/// <param name="Period">The quarter or year of a roll-up; null for a month.</param>
/// <param name="Snapshots">The month's snapshots, newest first (the current one and those a recomputation superseded).</param>
public sealed record EvaluationView(
    DateOnly Month,
    EvaluationStatus Status,
    EvaluationResults Results,
    ScoringRules Rules,
    string DefinitionsVersion,
    IReadOnlyList<SnapshotInfo> Snapshots,
    bool CanRecompute,
    EvaluationPeriod? Period = null)
{
    /// <summary>A quarter or a year summed from its months, rather than one month.</summary>
    public bool IsRollUp => Period is { Kind: not EvaluationPeriodKind.Month };
}

/// <summary>
/// The monthly evaluation (月度考核): live for the running month, frozen once a month is over. The freeze stores the
/// month's results with the definitions version and scoring rules used (<see cref="FreezeAsync"/>, run by a scheduled
/// job); a recomputation is an administrator's audited act that keeps the earlier snapshot (<see cref="RecomputeAsync"/>).
/// </summary>
public sealed class MonthlyEvaluationService(
    IGridGovDbContext db,
    MonthlyEvaluationCalculator calculator,
    CaseDeadlines deadlines,
    IMemoryCache cache,
    TimeProvider clock,
    ILogger<MonthlyEvaluationService> logger)
{
    /// <summary>
    /// How long a computed month that is not frozen is reused: a page's prerender and its circuit, several viewers, a
    /// drill-down all read one computation; the figures shown are at most this old (the page shows their moment).
    /// </summary>
    public static readonly TimeSpan LiveReuse = TimeSpan.FromMinutes(1);

    public const string RecomputeReasonRequiredCode = "evaluation.reason-required";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public DateOnly CurrentMonth => ChinaMonths.MonthOf(clock.GetUtcNow());

    public async Task<EvaluationView> MonthAsync(DateOnly month, CaseActor actor, CancellationToken cancellationToken = default)
    {
        month = ChinaMonths.MonthOf(month);
        var scope = await EvaluationScope.ForAsync(db, actor, WorkingCalendar.ChinaDate(clock.GetUtcNow()), cancellationToken);
        var snapshots = await SnapshotsAsync(month, cancellationToken);
        var (status, results, rules, definitions) = await UnfilteredAsync(month, cancellationToken);
        return new EvaluationView(month, status, scope.Filter(results), rules, definitions, scope.IsStreet ? snapshots : [],
            actor.Role == StaffRole.Administrator && month < CurrentMonth);
    }

    /// <summary>
    /// A quarter's or a year's evaluation (季度、年度汇总) up to the running month: every figure's numerators and
    /// denominators summed over its months (each month frozen or live as the month view shows it), scored again with
    /// the rules in force in the period's last month. Medians (whistle response) do not add up and are left out.
    /// </summary>
    public async Task<EvaluationView> PeriodAsync(EvaluationPeriod period, CaseActor actor, CancellationToken cancellationToken = default)
    {
        var scope = await EvaluationScope.ForAsync(db, actor, WorkingCalendar.ChinaDate(clock.GetUtcNow()), cancellationToken);
        var months = period.Months.Where(m => m <= CurrentMonth).ToList();
        if (months.Count == 0)
        {
            var empty = await RulesForAsync(period.Months[0], cancellationToken);
            return new EvaluationView(period.Months[0], EvaluationStatus.Live, EvaluationResults.Empty(period.Months[0], clock.GetUtcNow()), empty,
                EvaluationDefinitions.Version, [], false, period);
        }
        var parts = new List<(EvaluationStatus Status, EvaluationResults Results, ScoringRules Rules, string Definitions)>();
        foreach (var month in months)
        {
            parts.Add(await UnfilteredAsync(month, cancellationToken));
        }
        var rules = parts[^1].Rules;
        var status = parts.All(p => p.Status == EvaluationStatus.Frozen) ? EvaluationStatus.Frozen
            : parts.Any(p => p.Status == EvaluationStatus.Live) ? EvaluationStatus.Live
            : EvaluationStatus.Provisional;
        var combined = EvaluationRollUp.Combine(months[0], parts.Select(p => p.Results).ToList(), rules);
        return new EvaluationView(months[0], status, scope.Filter(combined), rules, parts[^1].Definitions, [], false, period);
    }

    /// <summary>A month as everyone's results: the current snapshot when frozen, else computed (reused for <see cref="LiveReuse"/>).</summary>
    private async Task<(EvaluationStatus Status, EvaluationResults Results, ScoringRules Rules, string Definitions)> UnfilteredAsync(
        DateOnly month, CancellationToken cancellationToken)
    {
        var current = await db.EvaluationSnapshots.AsNoTracking().Where(s => s.Month == month && s.SupersededAt == null).SingleOrDefaultAsync(cancellationToken);
        if (current is not null)
        {
            return (EvaluationStatus.Frozen, Deserialize(current.ResultsJson), current.Rules, current.DefinitionsVersion);
        }
        var rules = await RulesForAsync(month, cancellationToken);
        var key = (nameof(MonthlyEvaluationService), month, rules);
        var results = await cache.GetOrCreateAsync(key, entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = LiveReuse;
            return calculator.ComputeAsync(month, rules, cancellationToken);
        }) ?? throw new InvalidOperationException("no evaluation computed");
        return (month >= CurrentMonth ? EvaluationStatus.Live : EvaluationStatus.Provisional, results, rules, EvaluationDefinitions.Version);
    }

    /// <summary>The scoring rules in force in the month: the latest saved from that month or before, else the default.</summary>
    public async Task<ScoringRules> RulesForAsync(DateOnly month, CancellationToken cancellationToken = default)
    {
        var version = await db.ScoringRulesVersions.AsNoTracking()
            .Where(v => v.EffectiveFrom <= month)
            .OrderByDescending(v => v.EffectiveFrom).ThenByDescending(v => v.Id)
            .FirstOrDefaultAsync(cancellationToken);
        return version?.Rules ?? ScoringRules.Default;
    }

    /// <summary>The saved scoring rules, newest first (the default applies before the first).</summary>
    public async Task<IReadOnlyList<ScoringRulesEntry>> RulesHistoryAsync(CancellationToken cancellationToken = default) =>
        await db.ScoringRulesVersions.AsNoTracking()
            .OrderByDescending(v => v.EffectiveFrom).ThenByDescending(v => v.Id)
            .Select(v => new ScoringRulesEntry(v.Id, v.EffectiveFrom, v.Rules, v.ChangedAt,
                db.StaffMembers.Where(m => m.Id == v.ChangedByStaffId).Select(m => m.Name).FirstOrDefault()))
            .ToListAsync(cancellationToken);

    /// <summary>What the administrator's scoring-rules page shows (<see cref="ScoringRulesOverview"/>).</summary>
    public async Task<ScoringRulesOverview> RulesOverviewAsync(CaseActor actor, CancellationToken cancellationToken = default)
    {
        RequireAdministrator(actor);
        var month = CurrentMonth;
        return new ScoringRulesOverview(month, await RulesForAsync(month, cancellationToken), await RulesHistoryAsync(cancellationToken));
    }

    private static void RequireAdministrator(CaseActor actor)
    {
        if (actor.Role != StaffRole.Administrator)
        {
            throw new DomainException("evaluation.rules-forbidden", "只有系统管理员可以修改考核权重");
        }
    }

    /// <summary>
    /// An administrator sets the scoring rules from a month on: the running month or a later one, never a closed month
    /// (those are scored with the rules in force then). The latest rules saved for a month win; earlier rows stay.
    /// </summary>
    public async Task SaveRulesAsync(DateOnly effectiveFrom, ScoringRules rules, CaseActor actor, CancellationToken cancellationToken = default)
    {
        RequireAdministrator(actor);
        effectiveFrom = ChinaMonths.MonthOf(effectiveFrom);
        if (effectiveFrom < CurrentMonth)
        {
            throw new DomainException("evaluation.rules-past", "已结束月份的考核按当时的权重计算，新权重只能从本月或以后月份起生效");
        }
        db.ScoringRulesVersions.Add(new ScoringRulesVersion(effectiveFrom, rules, actor.StaffMemberId, clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Scoring rules from {Month} saved by {Actor}", ChinaMonths.Format(effectiveFrom), actor.Name);
    }

    /// <summary>
    /// Freezes a month that is over, once: computes it with the rules in force then and stores the snapshot. Returns false
    /// when the month is not over or already frozen (another node may have done it first; the unique index decides).
    /// </summary>
    public async Task<bool> FreezeAsync(DateOnly month, CancellationToken cancellationToken = default)
    {
        month = ChinaMonths.MonthOf(month);
        if (month >= CurrentMonth || await db.EvaluationSnapshots.AnyAsync(s => s.Month == month && s.SupersededAt == null, cancellationToken))
        {
            return false;
        }
        var rules = await RulesForAsync(month, cancellationToken);
        var results = await calculator.ComputeAsync(month, rules, cancellationToken);
        db.EvaluationSnapshots.Add(new EvaluationSnapshot(month, EvaluationDefinitions.Version, rules, JsonSerializer.Serialize(results, Json),
            computedByStaffId: null, reason: null, clock.GetUtcNow()));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.InnerException?.Message.Contains("ix_evaluation_snapshots_month_current", StringComparison.Ordinal) == true)
        {
            logger.LogInformation("Evaluation of {Month} was frozen by another node", ChinaMonths.Format(month));
            return false;
        }
        logger.LogInformation("Evaluation of {Month} frozen: {Workers} workers, {Departments} departments, {Areas} areas",
            ChinaMonths.Format(month), results.Workers.Count, results.Departments.Count, results.Areas.Count);
        return true;
    }

    /// <summary>
    /// Whether the freeze of <paramref name="month"/> is due today: on the first working day after the month, or any
    /// later day if it was missed.
    /// </summary>
    public static bool FreezeDue(DateOnly month, DateOnly today, WorkingCalendar calendar)
    {
        var day = ChinaMonths.MonthOf(month).AddMonths(1);
        while (!calendar.IsWorkingDay(day) && day < today)
        {
            day = day.AddDays(1);
        }
        return today >= day && calendar.IsWorkingDay(day);
    }

    /// <summary>The scheduled job's step: freezes every closed month of the last year that has cases and is due and unfrozen.</summary>
    public async Task<IReadOnlyList<DateOnly>> FreezeDueMonthsAsync(CancellationToken cancellationToken = default)
    {
        var today = WorkingCalendar.ChinaDate(clock.GetUtcNow());
        var calendar = await deadlines.CalendarAsync(cancellationToken);
        var frozen = (await db.EvaluationSnapshots.Where(s => s.SupersededAt == null).Select(s => s.Month).ToListAsync(cancellationToken)).ToHashSet();
        var firstCase = await db.Cases.MinAsync(c => (DateTimeOffset?)c.ReportedAt, cancellationToken);
        if (firstCase is not { } first)
        {
            return [];
        }
        var done = new List<DateOnly>();
        var from = ChinaMonths.MonthOf(first);
        var earliest = CurrentMonth.AddMonths(-12);
        for (var month = from > earliest ? from : earliest; month < CurrentMonth; month = month.AddMonths(1))
        {
            if (!frozen.Contains(month) && FreezeDue(month, today, calendar) && await FreezeAsync(month, cancellationToken))
            {
                done.Add(month);
            }
        }
        return done;
    }

    /// <summary>
    /// An administrator recomputes a closed month (after a correction of its data): a new snapshot with today's definitions
    /// and the month's rules, the previous one kept and marked superseded. Audited by the save itself.
    /// </summary>
    public async Task<SnapshotInfo> RecomputeAsync(DateOnly month, string reason, CaseActor actor, CancellationToken cancellationToken = default)
    {
        month = ChinaMonths.MonthOf(month);
        if (actor.Role != StaffRole.Administrator)
        {
            throw new DomainException("evaluation.recompute-forbidden", "只有系统管理员可以重新计算已结束月份的考核");
        }
        if (month >= CurrentMonth)
        {
            throw new DomainException("evaluation.month-running", "本月尚未结束，考核按实时数据显示，无需重新计算");
        }
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainException(RecomputeReasonRequiredCode, "请填写重新计算的原因");
        }
        var rules = await RulesForAsync(month, cancellationToken);
        var results = await calculator.ComputeAsync(month, rules, cancellationToken);
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        var previous = await db.EvaluationSnapshots.Where(s => s.Month == month && s.SupersededAt == null).SingleOrDefaultAsync(cancellationToken);
        var next = new EvaluationSnapshot(month, EvaluationDefinitions.Version, rules, JsonSerializer.Serialize(results, Json),
            actor.StaffMemberId, reason.Trim(), clock.GetUtcNow());
        if (previous is not null)
        {
            // The unique index allows one current snapshot per month: the old one steps aside before the new one is added.
            previous.Supersede(clock.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
        }
        db.EvaluationSnapshots.Add(next);
        await db.SaveChangesAsync(cancellationToken);
        if (previous is not null)
        {
            previous.RecordSuccessor(next);
            await db.SaveChangesAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Evaluation of {Month} recomputed by {Actor}: snapshot {Snapshot} replaces {Previous}",
            ChinaMonths.Format(month), actor.Name, next.Id, previous?.Id);
        return new SnapshotInfo(next.Id, next.ComputedAt, actor.Name, next.Reason, next.DefinitionsVersion, true);
    }

    private async Task<IReadOnlyList<SnapshotInfo>> SnapshotsAsync(DateOnly month, CancellationToken cancellationToken) =>
        await db.EvaluationSnapshots.AsNoTracking()
            .Where(s => s.Month == month)
            .OrderByDescending(s => s.Id)
            .Select(s => new SnapshotInfo(s.Id, s.ComputedAt,
                db.StaffMembers.Where(m => m.Id == s.ComputedByStaffId).Select(m => m.Name).FirstOrDefault(),
                s.Reason, s.DefinitionsVersion, s.SupersededAt == null))
            .ToListAsync(cancellationToken);

    public static EvaluationResults Deserialize(string json) =>
        JsonSerializer.Deserialize<EvaluationResults>(json, Json) ?? throw new InvalidOperationException("empty evaluation snapshot");
}
