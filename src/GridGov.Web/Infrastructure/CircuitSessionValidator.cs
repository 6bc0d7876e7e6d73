using System.Security.Claims;
using GridGov.Infrastructure.Identity;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace GridGov.Web.Infrastructure;

/// <summary>
/// An open circuit keeps the sign-in it started with; this checks it against the account's security stamp as often as
/// the cookie is checked (<see cref="SecurityOptions.SessionCheckSeconds"/>), so a reset password or a disabled account
/// (both renew the stamp) also ends the person's interactive pages: they fall back to the sign-in requirement.
/// </summary>
public sealed class CircuitSessionValidator(
    ILoggerFactory loggerFactory, IServiceScopeFactory scopes, IOptions<IdentityOptions> identity, IOptions<SecurityOptions> security)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(Math.Max(10, security.Value.SessionCheckSeconds));

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.GetUserAsync(state.User);
        if (user is null)
        {
            return false;
        }
        if (!users.SupportsUserSecurityStamp)
        {
            return true;
        }
        var stamp = state.User.FindFirstValue(identity.Value.ClaimsIdentity.SecurityStampClaimType);
        return stamp == await users.GetSecurityStampAsync(user);
    }
}
