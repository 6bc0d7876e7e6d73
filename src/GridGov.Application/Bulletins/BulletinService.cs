using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using GridGov.Application.Common;
using GridGov.Application.Evaluation;
using GridGov.Application.Visits;
using GridGov.Domain.Bulletins;
using GridGov.Domain.Calendar;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Evaluation;
using GridGov.Domain.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace GridGov.Application.Bulletins;

/// <summary>A bulletin as the list shows it.</summary>
public sealed record BulletinSummary(long Id, DateOnly Month, BulletinState State, string? IssueTitle, DateTimeOffset CreatedAt,
    DateTimeOffset? IssuedAt, string? IssuedByName);

/// <summary>One bulletin as its page shows it, with the version an edit carries back.</summary>
/// <param name="CanEdit">The viewer may edit and issue it (a writer, and it is a draft).</param>
/// <param name="SnapshotSuperseded">The month's evaluation was recomputed after the draft was generated (a draft may be generated again).</param>
public sealed record BulletinView(
    long Id,
    DateOnly Month,
    BulletinState State,
    string? IssueTitle,
    string? Foreword,
    string? ClosingNotes,
    BulletinContent Content,
    string? CreatedByName,
    DateTimeOffset CreatedAt,
    string? ChangedByName,
    DateTimeOffset ChangedAt,
    string? IssuedByName,
    DateTimeOffset? IssuedAt,
    uint Version,
    bool CanEdit,
    bool SnapshotSuperseded);

/// <summary>What the list page offers: the bulletins the viewer may read, and (to writers) the frozen months without one.</summary>
public sealed record BulletinIndex(IReadOnlyList<BulletinSummary> Bulletins, IReadOnlyList<DateOnly> MonthsToCreate, bool CanWrite);

/// <summary>
/// The monthly bulletin (网格化工作简报): a draft generated from a frozen month's evaluation, its foreword and closing notes
/// edited by the street office, then issued, numbered within its year and immutable. Street leaders, dispatchers (the
/// center) and administrators write and read drafts; department handlers read issued bulletins. Every save is audited by
/// the database context (Create/Update entries of <see cref="Bulletin"/>).
/// </summary>
public sealed class BulletinService(IGridGovDbContext db, IBulletinSql sql, TimeProvider clock, ILogger<BulletinService> logger)
{
    /// <summary>Rows of the overdue and supervised lists.</summary>
    public const int ListedCases = 20;
    /// <summary>Notable cases (重点案件) shown.</summary>
    public const int NotableCases = 10;
    /// <summary>Grid workers in the ranking (the best by score).</summary>
    public const int RankedWorkers = 10;
    /// <summary>Grids in the ranking (the best by on-time closure).</summary>
    public const int RankedGrids = 10;

    public const string StaleCode = "bulletin.stale";
    public const string StaleUnknownCode = "bulletin.stale-unknown";
    public const string NotFrozenCode = "bulletin.not-frozen";

    private const string UniqueViolation = "23505";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static bool CanWrite(StaffRole? role) => role is StaffRole.StreetLeader or StaffRole.Dispatcher or StaffRole.Administrator;

    public static bool CanRead(StaffRole? role) => CanWrite(role) || role == StaffRole.DepartmentHandler;

    public static bool IsStale(DomainException exception) => exception.Code is StaleCode or StaleUnknownCode;

    public async Task<BulletinIndex> IndexAsync(CaseActor actor, CancellationToken cancellationToken = default)
    {
        RequireReader(actor);
        var writer = CanWrite(actor.Role);
        var bulletins = await db.Bulletins.AsNoTracking()
            .Where(b => writer || b.State == BulletinState.Issued)
            .OrderByDescending(b => b.Month)
            .Select(b => new { b.Id, b.Month, b.State, b.IssueYear, b.IssueNumber, b.CreatedAt, b.IssuedAt,
                IssuedBy = db.StaffMembers.Where(s => s.Id == b.IssuedByStaffId).Select(s => s.Name).FirstOrDefault() })
            .ToListAsync(cancellationToken);
        IReadOnlyList<DateOnly> months = [];
        if (writer)
        {
            var taken = bulletins.Select(b => b.Month).ToHashSet();
            months = (await db.EvaluationSnapshots.AsNoTracking().Where(s => s.SupersededAt == null).Select(s => s.Month).ToListAsync(cancellationToken))
                .Where(m => !taken.Contains(m)).OrderDescending().ToList();
        }
        return new BulletinIndex(
            bulletins.Select(b => new BulletinSummary(b.Id, b.Month, b.State,
                b.IssueYear is { } y && b.IssueNumber is { } n ? Bulletin.Title(y, n) : null, b.CreatedAt, b.IssuedAt, b.IssuedBy)).ToList(),
            months, writer);
    }

    /// <summary>The bulletin, or null when there is none with that id or the viewer may not read it (the same answer).</summary>
    public async Task<BulletinView?> GetAsync(long id, CaseActor actor, CancellationToken cancellationToken = default)
    {
        if (!CanRead(actor.Role))
        {
            return null;
        }
        var writer = CanWrite(actor.Role);
        var row = await db.Bulletins.AsNoTracking()
            .Where(b => b.Id == id && (writer || b.State == BulletinState.Issued))
            .Select(b => new
            {
                Bulletin = b,
                CreatedBy = db.StaffMembers.Where(s => s.Id == b.CreatedByStaffId).Select(s => s.Name).FirstOrDefault(),
                ChangedBy = db.StaffMembers.Where(s => s.Id == b.ChangedByStaffId).Select(s => s.Name).FirstOrDefault(),
                IssuedBy = db.StaffMembers.Where(s => s.Id == b.IssuedByStaffId).Select(s => s.Name).FirstOrDefault(),
                Superseded = db.EvaluationSnapshots.Where(s => s.Id == b.SnapshotId).Select(s => s.SupersededAt != null).FirstOrDefault(),
            })
            .SingleOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }
        var b = row.Bulletin;
        return new BulletinView(b.Id, b.Month, b.State, b.IssueTitle, b.Foreword, b.ClosingNotes, Deserialize(b.ContentJson),
            row.CreatedBy, b.CreatedAt, row.ChangedBy, b.ChangedAt, row.IssuedBy, b.IssuedAt, b.Version, writer && !b.IsIssued,
            !b.IsIssued && row.Superseded);
    }

    /// <summary>
    /// A draft for a closed month whose evaluation is frozen, generated from its current snapshot (and last month's, when
    /// frozen, for the changes). One bulletin per month.
    /// </summary>
    public async Task<long> CreateDraftAsync(DateOnly month, CaseActor actor, CancellationToken cancellationToken = default)
    {
        RequireWriter(actor);
        month = ChinaMonths.MonthOf(month);
        var snapshot = await CurrentSnapshotAsync(month, cancellationToken)
            ?? throw new DomainException(NotFrozenCode, $"{MonthText(month)}的考核尚未固化（月份结束后的第一个工作日固化），不能生成简报") { Arguments = [MonthText(month)] };
        if (await db.Bulletins.AnyAsync(b => b.Month == month, cancellationToken))
        {
            throw Exists(month);
        }
        var content = await ComposeAsync(snapshot, cancellationToken);
        var bulletin = new Bulletin(month, snapshot.Id, JsonSerializer.Serialize(content, Json), actor.StaffMemberId!.Value, clock.GetUtcNow());
        db.Bulletins.Add(bulletin);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.InnerException is DbException { SqlState: UniqueViolation })
        {
            // Another writer created the month's draft between the check and this save.
            throw Exists(month);
        }
        logger.LogInformation("Bulletin draft {BulletinId} of {Month} created by {Actor} from snapshot {Snapshot}",
            bulletin.Id, ChinaMonths.Format(month), actor.Name, snapshot.Id);
        return bulletin.Id;
    }

    /// <param name="version">The <see cref="Bulletin.Version"/> the writer saw; a bulletin changed since is refused (<see cref="StaleCode"/>).</param>
    public Task EditAsync(long id, uint version, string? foreword, string? closingNotes, CaseActor actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, version, actor, bulletin =>
        {
            bulletin.Edit(foreword, closingNotes, actor.StaffMemberId!.Value, clock.GetUtcNow());
            return Task.CompletedTask;
        }, "edited", cancellationToken);

    /// <summary>A draft generated again from the month's current evaluation (after an administrator's recomputation).</summary>
    public Task RegenerateAsync(long id, uint version, CaseActor actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, version, actor, async bulletin =>
        {
            var snapshot = await CurrentSnapshotAsync(bulletin.Month, cancellationToken)
                ?? throw new DomainException(NotFrozenCode, $"{MonthText(bulletin.Month)}的考核尚未固化（月份结束后的第一个工作日固化），不能生成简报") { Arguments = [MonthText(bulletin.Month)] };
            var content = await ComposeAsync(snapshot, cancellationToken);
            bulletin.Regenerate(snapshot.Id, JsonSerializer.Serialize(content, Json), actor.StaffMemberId!.Value, clock.GetUtcNow());
        }, "regenerated", cancellationToken);

    /// <summary>Issues the draft: the next number of its year, in order of issue; from then on it is immutable.</summary>
    public Task IssueAsync(long id, uint version, CaseActor actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, version, actor, async bulletin =>
        {
            var year = bulletin.Month.Year;
            var last = await db.Bulletins.Where(b => b.IssueYear == year).MaxAsync(b => b.IssueNumber, cancellationToken) ?? 0;
            bulletin.Issue(last + 1, actor.StaffMemberId!.Value, clock.GetUtcNow());
        }, "issued", cancellationToken);

    private async Task ChangeAsync(long id, uint version, CaseActor actor, Func<Bulletin, Task> change, string what, CancellationToken cancellationToken)
    {
        RequireWriter(actor);
        var bulletin = await db.Bulletins.SingleOrDefaultAsync(b => b.Id == id, cancellationToken)
            ?? throw new DomainException("bulletin.not-found", "简报不存在");
        // An issued bulletin answers as such (the domain refuses any change); a draft must be the version the writer saw.
        if (!bulletin.IsIssued && bulletin.Version != version)
        {
            throw await StaleAsync(id, cancellationToken);
        }
        await change(bulletin);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            logger.LogInformation("Bulletin {BulletinId}: save by {Actor} refused, changed by someone else between load and save", id, actor.Name);
            throw await StaleAsync(id, cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.InnerException is DbException { SqlState: UniqueViolation })
        {
            // Two bulletins of one year issued at the same moment took the same number: the later one tries again.
            throw new DomainException("bulletin.number-taken", "另一期简报刚刚印发，期号已被占用；请刷新后重新印发");
        }
        logger.LogInformation("Bulletin {BulletinId} of {Month} {What} by {Actor}", id, ChinaMonths.Format(bulletin.Month), what, actor.Name);
    }

    private async Task<BulletinContent> ComposeAsync(EvaluationSnapshot snapshot, CancellationToken cancellationToken)
    {
        var results = MonthlyEvaluationService.Deserialize(snapshot.ResultsJson);
        var previousMonth = snapshot.Month.AddMonths(-1);
        var previous = await CurrentSnapshotAsync(previousMonth, cancellationToken) is { } earlier ? MonthlyEvaluationService.Deserialize(earlier.ResultsJson) : null;
        var (start, end) = ChinaMonths.RangeOf(snapshot.Month);
        var cases = await sql.CasesAsync(start, end, results.AsOf, ListedCases, NotableCases, cancellationToken);
        int? previousSupervised = null;
        if (previous is not null)
        {
            // Only the total is needed: the lists of one row each.
            var (previousStart, previousEnd) = ChinaMonths.RangeOf(previousMonth);
            var earlierCases = await sql.CasesAsync(previousStart, previousEnd, previous.AsOf, 1, 1, cancellationToken);
            previousSupervised = (int)(earlierCases.FirstOrDefault()?.SupervisedTotal ?? 0);
        }
        return BulletinComposer.Compose(snapshot.Id, results, previous, cases, previousSupervised, RankedWorkers, RankedGrids, NotableCases, clock.GetUtcNow());
    }

    private Task<EvaluationSnapshot?> CurrentSnapshotAsync(DateOnly month, CancellationToken cancellationToken) =>
        db.EvaluationSnapshots.AsNoTracking().Where(s => s.Month == month && s.SupersededAt == null).SingleOrDefaultAsync(cancellationToken);

    public static BulletinContent Deserialize(string json) =>
        JsonSerializer.Deserialize<BulletinContent>(json, Json) ?? throw new InvalidOperationException("empty bulletin content");

    private static void RequireReader(CaseActor actor)
    {
        if (!CanRead(actor.Role))
        {
            throw new DomainException("bulletin.read-forbidden", "您无权查看工作简报");
        }
    }

    private static void RequireWriter(CaseActor actor)
    {
        if (!CanWrite(actor.Role) || actor.StaffMemberId is null)
        {
            throw new DomainException("bulletin.write-forbidden", "只有街道领导、指挥中心座席员和系统管理员可以编辑和印发工作简报");
        }
    }

    private static DomainException Exists(DateOnly month) =>
        new("bulletin.exists", $"{MonthText(month)}的工作简报已经生成，请在列表中打开它") { Arguments = [MonthText(month)] };

    private static string MonthText(DateOnly month) => month.ToString("yyyy年M月", CultureInfo.InvariantCulture);

    /// <summary>Names who saved the bulletin last and when (China time).</summary>
    private async Task<DomainException> StaleAsync(long id, CancellationToken cancellationToken)
    {
        var last = await db.Bulletins.AsNoTracking()
            .Where(b => b.Id == id)
            .Select(b => new { b.ChangedAt, Name = db.StaffMembers.Where(s => s.Id == b.ChangedByStaffId).Select(s => s.Name).FirstOrDefault() })
            .SingleOrDefaultAsync(cancellationToken);
        if (last is { Name: { } name })
        {
            var when = WorkingCalendar.ToChinaTime(last.ChangedAt).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
            return new DomainException(StaleCode, $"该简报已被{name}于{when}修改，本次保存未生效；请查看最新内容后重新操作") { Arguments = [name, when] };
        }
        return new DomainException(StaleUnknownCode, "该简报已被他人修改，本次保存未生效；请查看最新内容后重新操作");
    }
}
