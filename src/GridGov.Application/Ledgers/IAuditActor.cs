using GridGov.Domain.Audit;

namespace GridGov.Application.Ledgers;

/// <summary>
/// Who is changing the data in this unit of work, for the change records (台账变更) and the audit log
/// (审计日志). The web app answers with the signed-in staff member and where the request came from;
/// seeding, commands and tests are the system.
/// </summary>
public interface IAuditActor
{
    int? StaffMemberId { get; }
    string Name { get; }

    /// <summary>The sign-in name, when someone is signed in.</summary>
    string? UserName => null;

    /// <summary>The client's IP address, when the change comes from a request.</summary>
    string? ClientAddress => null;

    /// <summary>The client's user agent (shortened by the audit entry).</summary>
    string? UserAgent => null;
}

public static class AuditActorExtensions
{
    public static AuditActorInfo Describe(this IAuditActor actor) =>
        new(actor.StaffMemberId, actor.UserName, actor.Name, actor.ClientAddress, actor.UserAgent);
}

/// <summary>The default actor outside a signed-in request: recorded as 系统.</summary>
public sealed class SystemAuditActor : IAuditActor
{
    public const string SystemName = "系统";

    public int? StaffMemberId => null;
    public string Name => SystemName;
}
