using GridGov.Application.Common;
using GridGov.Application.Ledgers;
using GridGov.Domain.Audit;

namespace GridGov.Application.Audit;

/// <summary>
/// Writes the audit entries that are not a save of some row: reveals of personal numbers, exports, sign-ins. (Every
/// save is recorded by the database context itself.) The entry is saved at once, on its own.
/// </summary>
public sealed class AuditLog(IGridGovDbContext db, IAuditActor actor, TimeProvider clock)
{
    public Task RecordAsync(AuditAction action, string entityType, string? entityId, string detail, CancellationToken cancellationToken = default) =>
        RecordAsync(actor.Describe(), action, entityType, entityId, detail, cancellationToken);

    /// <summary>With someone other than the current actor (a person signing in is not signed in yet).</summary>
    public async Task RecordAsync(AuditActorInfo who, AuditAction action, string entityType, string? entityId, string detail, CancellationToken cancellationToken = default)
    {
        db.AuditEntries.Add(new AuditEntry(clock.GetUtcNow(), who, action, entityType, entityId, detail: detail));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>An export: which one, with which filter, how many rows.</summary>
    public Task ExportedAsync(string export, string filter, int rows, CancellationToken cancellationToken = default) =>
        RecordAsync(AuditAction.Export, export, null, $"{filter}；{rows}行", cancellationToken);
}
