using System.Globalization;
using System.Security.Claims;
using GridGov.Application.Ledgers;

namespace GridGov.Web.Infrastructure;

/// <summary>
/// The signed-in staff member as the author of changes, and where the request (or the circuit) came from. Reads the claims
/// directly: the database context depends on this (through the audit interceptor), so it must not depend on the context.
/// </summary>
public sealed class HttpAuditActor(SignedInUser signedIn) : IAuditActor
{
    private ClaimsPrincipal? User => signedIn.Principal is { Identity.IsAuthenticated: true } user ? user : null;

    public int? StaffMemberId =>
        int.TryParse(User?.FindFirstValue(GridGovClaimsPrincipalFactory.StaffMemberClaim), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    public string Name =>
        User is { } user
            ? user.FindFirstValue(GridGovClaimsPrincipalFactory.DisplayNameClaim) ?? user.Identity?.Name ?? SystemAuditActor.SystemName
            : SystemAuditActor.SystemName;

    public string? UserName => User?.Identity?.Name;

    // The connection's address; behind a reverse proxy, UseForwardedHeaders (when configured) rewrites it first.
    public string? ClientAddress => signedIn.ClientAddress;

    public string? UserAgent => signedIn.UserAgent;
}
