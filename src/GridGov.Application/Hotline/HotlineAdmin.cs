using GridGov.Application.Common;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Hotline;
using GridGov.Domain.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace GridGov.Application.Hotline;

/// <summary>One push as the admin page lists it.</summary>
public sealed record HotlinePushRow(long Id, string OrderNumber, string CaseNumber, CaseAction Action, CaseState ToState, HotlinePushStatus Status,
    int Attempts, DateTimeOffset CreatedAt, DateTimeOffset NextAttemptAt, DateTimeOffset? LastAttemptAt, string? LastError);

/// <summary>What the administrator's hotline page shows: the pushes not yet delivered, and the mapping of categories.</summary>
public sealed record HotlineOverview(IReadOnlyList<HotlinePushRow> Pending, IReadOnlyList<HotlinePushRow> DeadLettered, int DeliveredCount,
    HotlineMappingView Mapping, bool StatusUrlConfigured);

/// <summary>
/// The administrator's view of the 12345 link (/admin/hotline): pushes waiting or retrying, pushes dead-lettered, and the
/// category mapping; and the resend of a dead-lettered push. Only administrators; the resend is written to the audit log by
/// the database context like any other save.
/// </summary>
public sealed partial class HotlineAdmin(
    IGridGovDbContext db,
    HotlineCategories categories,
    Microsoft.Extensions.Options.IOptions<HotlineOptions> options,
    TimeProvider clock,
    ILogger<HotlineAdmin> logger)
{
    public const int ListLimit = 200;

    public static void RequireAdministrator(CaseActor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.Role != StaffRole.Administrator)
        {
            throw new DomainException("hotline.admin-only", "只有系统管理员可以查看和重发12345热线推送");
        }
    }

    public async Task<HotlineOverview> OverviewAsync(CaseActor actor, CancellationToken cancellationToken = default)
    {
        RequireAdministrator(actor);
        var pending = await RowsAsync(HotlinePushStatus.Pending, cancellationToken);
        var dead = await RowsAsync(HotlinePushStatus.DeadLettered, cancellationToken);
        var delivered = await db.HotlineStatusPushes.CountAsync(p => p.Status == HotlinePushStatus.Delivered, cancellationToken);
        return new HotlineOverview(pending, dead, delivered, await categories.ViewAsync(cancellationToken),
            Uri.TryCreate(options.Value.StatusUrl, UriKind.Absolute, out _));
    }

    /// <summary>A dead-lettered push goes back to pending with a fresh round of attempts, sent on the sender's next tick.</summary>
    public async Task ResendAsync(long pushId, CaseActor actor, CancellationToken cancellationToken = default)
    {
        RequireAdministrator(actor);
        var push = await db.HotlineStatusPushes.SingleOrDefaultAsync(p => p.Id == pushId, cancellationToken)
            ?? throw new DomainException("hotline.push-not-found", "该推送记录不存在");
        push.Resend(clock.GetUtcNow());
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new DomainException("hotline.push-stale", "该推送记录已被他人或系统更新，请刷新后重试");
        }
        LogResent(push.Id, push.OrderNumber, actor.Name);
    }

    private async Task<List<HotlinePushRow>> RowsAsync(HotlinePushStatus status, CancellationToken cancellationToken) =>
        await db.HotlineStatusPushes.AsNoTracking().Where(p => p.Status == status)
            .OrderBy(p => p.Id).Take(ListLimit)
            .Select(p => new HotlinePushRow(p.Id, p.OrderNumber, p.CaseNumber, p.Action, p.ToState, p.Status, p.Attempts, p.CreatedAt, p.NextAttemptAt,
                p.LastAttemptAt, p.LastError))
            .ToListAsync(cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hotline push {PushId} of order {OrderNumber} resent by {Actor}")]
    private partial void LogResent(long pushId, string orderNumber, string actor);
}
