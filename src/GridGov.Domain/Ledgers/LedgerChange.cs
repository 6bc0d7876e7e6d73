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

/// <summary>A ledger row that is removed softly, with a reason, and keeps its history.</summary>
public interface ISoftRemovable
{
    DateTimeOffset? RemovedAt { get; }
    string? RemovalReason { get; }
    void Remove(string reason, DateTimeOffset at);
}
