namespace GridGov.Domain.Audit;

/// <summary>
/// One line of the audit log (审计日志): who did what to which record, when and from where, with the record
/// before and after as JSON for changes. Written on every save (Infrastructure: AuditInterceptor) and on every
/// reveal and export; never edited or deleted (the database refuses both).
/// </summary>
public class AuditEntry
{
    public const int UserNameMaxLength = 256;
    public const int ActorNameMaxLength = 60;
    public const int ClientAddressMaxLength = 45;
    public const int UserAgentMaxLength = 120;
    public const int EntityTypeMaxLength = 80;
    public const int EntityIdMaxLength = 100;
    public const int DetailMaxLength = 500;

    private AuditEntry()
    {
        ActorName = EntityType = "";
    }

    public AuditEntry(DateTimeOffset at, AuditActorInfo actor, AuditAction action, string entityType, string? entityId,
        string? before = null, string? after = null, string? detail = null)
    {
        At = at;
        ActorStaffId = actor.StaffMemberId;
        ActorUserName = Cap(actor.UserName, UserNameMaxLength);
        ActorName = Cap(actor.Name, ActorNameMaxLength) ?? "";
        ClientAddress = Cap(actor.ClientAddress, ClientAddressMaxLength);
        UserAgent = Cap(actor.UserAgent, UserAgentMaxLength);
        Action = action;
        EntityType = Cap(entityType, EntityTypeMaxLength) ?? "";
        EntityId = Cap(entityId, EntityIdMaxLength);
        Before = before;
        After = after;
        Detail = Cap(detail, DetailMaxLength);
    }

    public long Id { get; private set; }
    public DateTimeOffset At { get; private set; }
    public int? ActorStaffId { get; private set; }
    /// <summary>The sign-in name (dispatcher1); null for the system.</summary>
    public string? ActorUserName { get; private set; }
    /// <summary>The display name (王芳), or 系统.</summary>
    public string ActorName { get; private set; }
    public string? ClientAddress { get; private set; }
    public string? UserAgent { get; private set; }
    public AuditAction Action { get; private set; }
    /// <summary>The entity's class name (Resident, Case, ApplicationUser…) or the export's name.</summary>
    public string EntityType { get; private set; }
    /// <summary>The key as text (composite keys joined with ","); null for exports.</summary>
    public string? EntityId { get; private set; }
    public string? Before { get; private set; }
    public string? After { get; private set; }
    public string? Detail { get; private set; }

    private static string? Cap(string? value, int length) =>
        value is null ? null : value.Length <= length ? value : value[..length];
}

public enum AuditAction
{
    Create,
    Update,
    /// <summary>A soft removal (a ledger row removed with a reason).</summary>
    Remove,
    Delete,
    Reveal,

    /// <summary>A search by a whole personal number (ID number, phone): the person typed it in full.</summary>
    Lookup,
    Export,
    SignIn,
    SignInFailed,
    SignOut,
}

/// <summary>Who acts, as the audit records them.</summary>
public sealed record AuditActorInfo(int? StaffMemberId, string? UserName, string Name, string? ClientAddress, string? UserAgent);
