using System.Security.Claims;
using GridGov.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace GridGov.Web.Infrastructure;

/// <summary>Adds the person's display name and staff id to the sign-in cookie.</summary>
public sealed class GridGovClaimsPrincipalFactory(
    UserManager<ApplicationUser> userManager,
    RoleManager<IdentityRole> roleManager,
    IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<ApplicationUser, IdentityRole>(userManager, roleManager, options)
{
    public const string DisplayNameClaim = "display_name";
    public const string StaffMemberClaim = "staff_member_id";

    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(ApplicationUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(DisplayNameClaim, user.DisplayName));
        if (user.StaffMemberId is { } staffMemberId)
        {
            identity.AddClaim(new Claim(StaffMemberClaim, staffMemberId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        return identity;
    }
}
