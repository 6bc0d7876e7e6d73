using GridGov.Domain.Common;

namespace GridGov.Domain.Ledgers;

/// <summary>
/// One recorded change to a ledger row (台账变更): who, when, and the row before and after, as JSON.
/// Written automatically on save (Infrastructure: AuditInterceptor); never edited.
/// </summary>
public class LedgerChange
{
    public const int EntityTypeMaxLength = 40;
    public const int ActorNameMaxLength = 30;

    private LedgerChange()
    {
        EntityType = ActorName = "";
    }

    public LedgerChange(string entityType, long entityId, LedgerChangeKind kind, DateTimeOffset at, int? actorStaffId, string actorName, string? before, string? after)
    {
        EntityType = entityType;
        EntityId = entityId;
        Kind = kind;
        At = at;
        ActorStaffId = actorStaffId;
        ActorName = actorName;
        Before = before;
        After = after;
    }

    public long Id { get; private set; }
    /// <summary>Resident, Household, Unit or Component.</summary>
    public string EntityType { get; private set; }
    public long EntityId { get; private set; }
    public LedgerChangeKind Kind { get; private set; }
    public DateTimeOffset At { get; private set; }
    public int? ActorStaffId { get; private set; }
    public string ActorName { get; private set; }
    public string? Before { get; private set; }
    public string? After { get; private set; }
    /// <summary>The import that made this change (<see cref="LedgerImport"/>); null for a change made in a form.</summary>
    public long? ImportId { get; private set; }
}

public enum LedgerChangeKind
{
    Created,
    Updated,
    Removed,
}

/// <summary>
/// A ledger row (household, resident, unit, component): versioned for optimistic concurrency, and removed softly with
/// a reason, so that the row and its history stay.
/// </summary>
public abstract class LedgerEntry : Entity
{
    public const int RemovalReasonMaxLength = 200;

    /// <summary>The row version (PostgreSQL xmin): an edit carries the version its author saw, and a stale one is refused.</summary>
    public uint Version { get; private set; }

    public DateTimeOffset? RemovedAt { get; private set; }
    public string? RemovalReason { get; private set; }

    /// <summary>Soft removal (moved out, died, closed…): the row and its history stay.</summary>
    public void Remove(string reason, DateTimeOffset at)
    {
        if (RemovedAt is not null)
        {
            throw new DomainException("ledger.already-removed", "该记录已注销");
        }
        RemovalReason = Text.Require(reason, RemovalReasonMaxLength, DomainFields.RemovalReason);
        RemovedAt = at;
    }

    /// <summary>A removed row is kept as it was: every change of it is refused.</summary>
    protected void EnsureActive()
    {
        if (RemovedAt is not null)
        {
            throw new DomainException("ledger.removed", "该记录已注销，不能再修改");
        }
    }
}
