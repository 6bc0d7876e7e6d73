using System.Globalization;
using GridGov.Application.Common;
using GridGov.Application.Ledgers;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Notifications;
using GridGov.Domain.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace GridGov.Application.Notifications;

/// <summary>Whom a notice would reach: the chosen grids, or one compound.</summary>
public sealed record NoticeTargetInput(NoticeTarget Target, IReadOnlyList<int> GridIds, int? CompoundId);

/// <summary>A notice as the form sends it; <see cref="SubmissionId"/> makes a replay answer with the first notice.</summary>
public sealed record NoticeDraft(NoticeTargetInput Recipients, string? Text, Guid? SubmissionId);

public sealed record NoticeGridOption(int Id, string Code, string Name, string CommunityName);

public sealed record NoticeCompoundOption(int Id, string Name, string GridName);

/// <summary>A notice sent: its id and the phone numbers it went to.</summary>
public sealed record NoticeSent(long Id, int Recipients);

/// <summary>One notice on the list, with its messages counted by delivery status.</summary>
public sealed record NoticeRow(long Id, DateTimeOffset CreatedAt, string CreatedByName, NoticeTarget Target, string TargetName, string Text,
    int Recipients, int Sent, int Failed, int Capped, int Pending);

/// <summary>The recipients of a notice in SQL: residents with a phone in the grids or the compound, one per phone number.</summary>
public interface INoticeSql
{
    Task<int> CountRecipientsAsync(IReadOnlyCollection<int> gridIds, int? compoundId, CancellationToken cancellationToken = default);

    /// <summary>Writes one pending SMS per recipient for the notice (in the caller's transaction); answers how many.</summary>
    Task<int> EnqueueAsync(long noticeId, IReadOnlyCollection<int> gridIds, int? compoundId, string text, DateTimeOffset now, CancellationToken cancellationToken = default);
}

/// <summary>
/// Notices to residents (通知): a community secretary notifies grids or a compound of her community, the center
/// (dispatchers, administrators) any. The recipients are counted before sending (preview) and again when sending; the
/// notice is saved (audited) and its messages written to the outbox in one transaction.
/// </summary>
public sealed partial class Notices(IGridGovDbContext db, INoticeSql sql, LedgerScopes scopes, TimeProvider clock, ILogger<Notices> logger)
{
    public static readonly IReadOnlySet<StaffRole> Composers = new HashSet<StaffRole> { StaffRole.Dispatcher, StaffRole.Administrator, StaffRole.CommunitySecretary };

    public const int ListSize = 200;

    public static void RequireComposer(CaseActor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.Role is not { } role || !Composers.Contains(role))
        {
            throw new DomainException("notice.not-allowed", "只有社区书记和指挥中心可以发送居民通知");
        }
    }

    /// <summary>The grids the person may notify.</summary>
    public async Task<IReadOnlyList<NoticeGridOption>> GridsAsync(CaseActor actor, CancellationToken cancellationToken = default)
    {
        var scope = await ScopeAsync(actor, cancellationToken);
        var ids = scope.GridIds.ToList();
        return await db.Grids.AsNoTracking()
            .Where(g => g.ValidTo == null && (scope.WholeStreet || ids.Contains(g.Id)))
            .OrderBy(g => g.Code)
            .Select(g => new NoticeGridOption(g.Id, g.Code, g.Name, g.Community!.Name))
            .ToListAsync(cancellationToken);
    }

    /// <summary>The compounds of one grid the person may notify (refused for a grid outside the person's scope).</summary>
    public async Task<IReadOnlyList<NoticeCompoundOption>> CompoundsAsync(int gridId, CaseActor actor, CancellationToken cancellationToken = default)
    {
        var scope = await ScopeAsync(actor, cancellationToken);
        if (!scope.Covers(gridId))
        {
            throw OutOfScope();
        }
        return await db.Compounds.AsNoTracking()
            .Where(c => c.GridId == gridId)
            .OrderBy(c => c.Name).ThenBy(c => c.Id)
            .Join(db.Grids, c => c.GridId, g => g.Id, (c, g) => new NoticeCompoundOption(c.Id, c.Name, g.Name))
            .ToListAsync(cancellationToken);
    }

    /// <summary>How many phone numbers a notice to <paramref name="recipients"/> would reach now.</summary>
    public async Task<int> PreviewAsync(NoticeTargetInput recipients, CaseActor actor, CancellationToken cancellationToken = default)
    {
        var target = await ResolveAsync(recipients, actor, cancellationToken);
        return await sql.CountRecipientsAsync(target.GridIds, target.CompoundId, cancellationToken);
    }

    public async Task<NoticeSent> SendAsync(NoticeDraft draft, CaseActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        RequireComposer(actor);
        var author = SubmissionKeys.Staff(actor);
        if (await db.FirstResultAsync(author, SubmissionPurpose.Notice, draft.SubmissionId, cancellationToken) is { } first)
        {
            return await SentAsync(first, cancellationToken);
        }
        var text = Notice.RequireText(draft.Text);
        var target = await ResolveAsync(draft.Recipients, actor, cancellationToken);
        return await db.CreateOnceAsync(author, SubmissionPurpose.Notice, draft.SubmissionId, async () =>
        {
            await using var transaction = await db.BeginTransactionAsync(cancellationToken);
            var now = clock.GetUtcNow();
            var count = await sql.CountRecipientsAsync(target.GridIds, target.CompoundId, cancellationToken);
            var notice = Notice.Compose(text, draft.Recipients.Target, target.GridIds, target.CompoundId, target.CommunityId, target.Name, count, actor, now);
            db.Notices.Add(notice);
            await db.SaveChangesAsync(cancellationToken);
            db.Remember(author, SubmissionPurpose.Notice, draft.SubmissionId, notice.Id, now);
            await db.SaveChangesAsync(cancellationToken);
            var written = await sql.EnqueueAsync(notice.Id, target.GridIds, target.CompoundId, notice.Text, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            LogSent(notice.Id, target.Name, written, actor.Name);
            return new NoticeSent(notice.Id, written);
        }, first => SentAsync(first, cancellationToken), cancellationToken);
    }

    /// <summary>The person's notices, newest first, each with its messages counted by status (one grouped query).</summary>
    public async Task<IReadOnlyList<NoticeRow>> ListAsync(CaseActor actor, CancellationToken cancellationToken = default)
    {
        RequireComposer(actor);
        var community = actor.Role == StaffRole.CommunitySecretary ? actor.CommunityId ?? -1 : (int?)null;
        var notices = await db.Notices.AsNoTracking()
            .Where(n => community == null || n.CommunityId == community)
            .OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id)
            .Take(ListSize)
            .Select(n => new { n.Id, n.CreatedAt, n.CreatedByName, n.Target, n.TargetName, n.Text, n.RecipientCount })
            .ToListAsync(cancellationToken);
        var ids = notices.Select(n => (long?)n.Id).ToList();
        var tallies = (await db.Notifications.AsNoTracking()
                .Where(m => ids.Contains(m.NoticeId))
                .GroupBy(m => new { m.NoticeId, m.Status })
                .Select(g => new { g.Key.NoticeId, g.Key.Status, Count = g.Count() })
                .ToListAsync(cancellationToken))
            .ToDictionary(t => (t.NoticeId!.Value, t.Status), t => t.Count);
        int Count(long id, DeliveryStatus status) => tallies.GetValueOrDefault((id, status));
        return notices.Select(n => new NoticeRow(n.Id, n.CreatedAt, n.CreatedByName, n.Target, n.TargetName, n.Text, n.RecipientCount,
            Count(n.Id, DeliveryStatus.Sent), Count(n.Id, DeliveryStatus.Failed), Count(n.Id, DeliveryStatus.Capped), Count(n.Id, DeliveryStatus.Pending))).ToList();
    }

    private sealed record ResolvedTarget(IReadOnlyList<int> GridIds, int? CompoundId, int? CommunityId, string Name);

    private async Task<LedgerScope> ScopeAsync(CaseActor actor, CancellationToken cancellationToken)
    {
        RequireComposer(actor);
        return await scopes.ForAsync(actor, cancellationToken);
    }

    /// <summary>The grids or compound checked: they exist and lie in the person's scope (a secretary: her community).</summary>
    private async Task<ResolvedTarget> ResolveAsync(NoticeTargetInput input, CaseActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var scope = await ScopeAsync(actor, cancellationToken);
        if (!Enum.IsDefined(input.Target))
        {
            throw NoTarget();
        }
        if (input.Target == NoticeTarget.Compound)
        {
            if (input.CompoundId is not { } compoundId)
            {
                throw NoTarget();
            }
            var compound = await db.Compounds.AsNoTracking().Where(c => c.Id == compoundId)
                .Join(db.Grids, c => c.GridId, g => g.Id, (c, g) => new { c.Id, c.Name, c.GridId, g.CommunityId })
                .SingleOrDefaultAsync(cancellationToken)
                ?? throw DomainException.For(DomainFields.NoticeTarget, "notice.compound-not-found", "所选小区不存在");
            if (!scope.Covers(compound.GridId))
            {
                throw OutOfScope();
            }
            return new ResolvedTarget([compound.GridId], compound.Id, compound.CommunityId, compound.Name);
        }
        var ids = (input.GridIds ?? []).Distinct().ToList();
        if (ids.Count == 0)
        {
            throw NoTarget();
        }
        if (ids.Count > Notice.MaxGrids)
        {
            throw DomainException.For(DomainFields.NoticeTarget, "notice.too-many-grids", $"一次最多通知{Notice.MaxGrids}个网格", Notice.MaxGrids);
        }
        var grids = await db.Grids.AsNoTracking().Where(g => ids.Contains(g.Id) && g.ValidTo == null)
            .OrderBy(g => g.Code).Select(g => new { g.Id, g.Name, g.CommunityId }).ToListAsync(cancellationToken);
        if (grids.Count != ids.Count)
        {
            throw DomainException.For(DomainFields.NoticeTarget, "notice.grid-not-found", "所选网格不存在");
        }
        if (grids.Any(g => !scope.Covers(g.Id)))
        {
            throw OutOfScope();
        }
        var communities = grids.Select(g => g.CommunityId).Distinct().ToList();
        return new ResolvedTarget(grids.Select(g => g.Id).ToList(), null, communities.Count == 1 ? communities[0] : null, string.Join("、", grids.Select(g => g.Name)));
    }

    private async Task<NoticeSent> SentAsync(string first, CancellationToken cancellationToken)
    {
        var id = long.Parse(first, CultureInfo.InvariantCulture);
        var count = await db.Notices.AsNoTracking().Where(n => n.Id == id).Select(n => n.RecipientCount).SingleAsync(cancellationToken);
        return new NoticeSent(id, count);
    }

    private static DomainException NoTarget() => DomainException.For(DomainFields.NoticeTarget, "notice.no-target", "请选择要通知的网格或小区");

    private static DomainException OutOfScope() =>
        DomainException.For(DomainFields.NoticeTarget, "notice.out-of-scope", "所选网格或小区不在您负责的范围内，不能发送通知");

    [LoggerMessage(Level = LogLevel.Information, Message = "Notice {NoticeId} to {Target}: {Recipients} messages queued by {Actor}")]
    private partial void LogSent(long noticeId, string target, int recipients, string actor);
}
