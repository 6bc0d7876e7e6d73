using System.Globalization;
using System.Security.Claims;
using GridGov.Application.Cases;
using GridGov.Domain.Cases;
using GridGov.Domain.Organisation;

namespace GridGov.Web.Infrastructure;

/// <summary>The signed-in staff member of this request or circuit, as the application layer needs them.</summary>
public sealed class CurrentStaff(SignedInUser signedIn, CaseActors actors)
{
    private CaseActor? _actor;

    public ClaimsPrincipal User => signedIn.Principal;

    public int? StaffMemberId =>
        int.TryParse(User.FindFirstValue(GridGovClaimsPrincipalFactory.StaffMemberClaim), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    public StaffRole? Role =>
        Enum.GetValues<StaffRole>().Cast<StaffRole?>().FirstOrDefault(r => User.IsInRole(r!.Value.ToString()));

    public string DisplayName => User.FindFirstValue(GridGovClaimsPrincipalFactory.DisplayNameClaim) ?? User.Identity?.Name ?? "";

    /// <summary>The actor for workflow calls; throws when the account is not linked to a staff member.</summary>
    public async Task<CaseActor> ActorAsync(CancellationToken cancellationToken = default) =>
        _actor ??= await actors.ForStaffAsync(StaffMemberId ?? throw new Domain.Common.DomainException("staff.unlinked", "当前账号未关联工作人员，无法办理案件"), cancellationToken);
}

/// <summary>Authorization policies by role; pages and endpoints name one of these.</summary>
public static class Policies
{
    public const string Staff = nameof(Staff);
    public const string Dispatch = nameof(Dispatch);          // dispatchers and street leaders: the dashboard and all cases
    public const string Report = nameof(Report);              // anyone on staff who reports problems

    public static void Add(Microsoft.AspNetCore.Authorization.AuthorizationOptions options)
    {
        options.AddPolicy(Staff, policy => policy.RequireAuthenticatedUser().RequireClaim(GridGovClaimsPrincipalFactory.StaffMemberClaim));
        options.AddPolicy(Dispatch, policy => policy.RequireRole(nameof(StaffRole.Dispatcher), nameof(StaffRole.StreetLeader), nameof(StaffRole.Administrator)));
        options.AddPolicy(Report, policy => policy.RequireRole(
            nameof(StaffRole.Dispatcher), nameof(StaffRole.GridWorker), nameof(StaffRole.GridLeader), nameof(StaffRole.CommunitySecretary)));
    }
}
