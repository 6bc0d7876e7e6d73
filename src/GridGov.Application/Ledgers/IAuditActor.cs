namespace GridGov.Application.Ledgers;

/// <summary>
/// Who is changing the ledgers in this unit of work, for the change records (台账变更). The web app
/// answers with the signed-in staff member; seeding, commands and tests are the system.
/// </summary>
public interface IAuditActor
{
    int? StaffMemberId { get; }
    string Name { get; }
}

/// <summary>The default actor outside a signed-in request: recorded as 系统.</summary>
public sealed class SystemAuditActor : IAuditActor
{
    public const string SystemName = "系统";

    public int? StaffMemberId => null;
    public string Name => SystemName;
}
