using System.Data.Common;
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
    HotlineMappingView Mapping, bool StatusUrlConfigured, IReadOnlyList<HotlineCategoryOption> Categories);

/// <summary>An active minor class a hotline code can be mapped to.</summary>
public sealed record HotlineCategoryOption(string Code, string Name);

/// <summary>What the administrator types to map a hotline category code: the code, the hotline's name of it, our minor class's code.</summary>
public sealed record HotlineMappingInput(string? HotlineCode, string? Note, string? CategoryCode);

/// <summary>
/// The administrator's view of the 12345 link (/admin/hotline): pushes waiting or retrying, pushes dead-lettered, and the
/// category mapping; the resend of a dead-lettered push, and the mapping's rows added, changed and removed. Only
/// administrators; every change is written to the audit log by the database context like any other save.
/// </summary>
public sealed partial class HotlineAdmin(
    IGridGovDbContext db,
    HotlineCategories categories,
    Microsoft.Extensions.Options.IOptions<HotlineOptions> options,
    TimeProvider clock,
    ILogger<HotlineAdmin> logger)
{
    public const int ListLimit = 200;

    private const string UniqueViolation = "23505";

    public static void RequireAdministrator(CaseActor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.Role != StaffRole.Administrator)
        {
            throw new DomainException("hotline.admin-only", "只有系统管理员可以管理12345热线对接");
        }
    }

    public async Task<HotlineOverview> OverviewAsync(CaseActor actor, CancellationToken cancellationToken = default)
    {
        RequireAdministrator(actor);
        var pending = await RowsAsync(HotlinePushStatus.Pending, cancellationToken);
        var dead = await RowsAsync(HotlinePushStatus.DeadLettered, cancellationToken);
        var delivered = await db.HotlineStatusPushes.CountAsync(p => p.Status == HotlinePushStatus.Delivered, cancellationToken);
        var choices = await db.Categories.AsNoTracking().Where(c => c.IsActive).OrderBy(c => c.Code)
            .Select(c => new HotlineCategoryOption(c.Code, c.Name)).ToListAsync(cancellationToken);
        return new HotlineOverview(pending, dead, delivered, await categories.ViewAsync(cancellationToken),
            Uri.TryCreate(options.Value.StatusUrl, UriKind.Absolute, out _), choices);
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

    /// <summary>Maps a hotline code to an active minor class: a new row, or the code's row changed. Orders already in keep their class.</summary>
    public async Task SaveMappingAsync(HotlineMappingInput input, CaseActor actor, CancellationToken cancellationToken = default)
    {
        RequireAdministrator(actor);
        ArgumentNullException.ThrowIfNull(input);
        var hotlineCode = Text.Require(input.HotlineCode, HotlineOrder.CodeMaxLength, DomainFields.HotlineCategoryCode);
        var categoryCode = Text.Require(input.CategoryCode, HotlineOrder.CodeMaxLength, DomainFields.Category);
        var categoryId = await db.Categories.Where(c => c.Code == categoryCode && c.IsActive).Select(c => (int?)c.Id).FirstOrDefaultAsync(cancellationToken)
            ?? throw new DomainException("hotline.mapping-category-unknown", $"本街道没有代码为“{categoryCode}”的在用案件小类")
            {
                Field = DomainFields.Category.Name, Arguments = [categoryCode],
            };
        var mapping = await db.HotlineCategoryMappings.SingleOrDefaultAsync(m => m.HotlineCode == hotlineCode, cancellationToken);
        if (mapping is null)
        {
            db.HotlineCategoryMappings.Add(new HotlineCategoryMapping(hotlineCode, categoryId, input.Note));
        }
        else
        {
            mapping.Change(categoryId, input.Note);
        }
        await SaveMappingChangeAsync(cancellationToken);
        LogMappingSaved(hotlineCode, categoryCode, actor.Name);
    }

    /// <summary>Removes a code's row: its later orders go by the rule for unmapped codes again.</summary>
    public async Task RemoveMappingAsync(string hotlineCode, CaseActor actor, CancellationToken cancellationToken = default)
    {
        RequireAdministrator(actor);
        var mapping = await db.HotlineCategoryMappings.SingleOrDefaultAsync(m => m.HotlineCode == hotlineCode, cancellationToken)
            ?? throw new DomainException("hotline.mapping-not-found", "该热线分类代码的对应关系不存在或已被删除，请刷新后查看");
        db.HotlineCategoryMappings.Remove(mapping);
        await SaveMappingChangeAsync(cancellationToken);
        LogMappingRemoved(hotlineCode, actor.Name);
    }

    private async Task SaveMappingChangeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception is DbUpdateConcurrencyException || exception.InnerException is DbException { SqlState: UniqueViolation })
        {
            throw new DomainException("hotline.mapping-stale", "该热线分类代码的对应关系刚被他人修改，请刷新后重试");
        }
    }

    private async Task<List<HotlinePushRow>> RowsAsync(HotlinePushStatus status, CancellationToken cancellationToken) =>
        await db.HotlineStatusPushes.AsNoTracking().Where(p => p.Status == status)
            .OrderBy(p => p.Id).Take(ListLimit)
            .Select(p => new HotlinePushRow(p.Id, p.OrderNumber, p.CaseNumber, p.Action, p.ToState, p.Status, p.Attempts, p.CreatedAt, p.NextAttemptAt,
                p.LastAttemptAt, p.LastError))
            .ToListAsync(cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hotline push {PushId} of order {OrderNumber} resent by {Actor}")]
    private partial void LogResent(long pushId, string orderNumber, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hotline category {HotlineCode} mapped to {CategoryCode} by {Actor}")]
    private partial void LogMappingSaved(string hotlineCode, string categoryCode, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hotline category {HotlineCode} mapping removed by {Actor}")]
    private partial void LogMappingRemoved(string hotlineCode, string actor);
}
