using System.Security.Claims;
using GridGov.Infrastructure.Identity;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace GridGov.Web.Infrastructure;

/// <summary>
/// An open circuit keeps the sign-in it started with; this checks its session (<see cref="StaffSessions"/>) and the
/// account's security stamp every <see cref="SecurityOptions.SessionCheckSeconds"/>, so a sign-out elsewhere, a reset
/// password or a disabled account also ends the person's interactive pages: they fall back to the sign-in requirement.
/// </summary>
public sealed class CircuitSessionValidator(
    ILoggerFactory loggerFactory, IServiceScopeFactory scopes, IOptions<IdentityOptions> identity, IOptions<SecurityOptions> security)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(Math.Max(10, security.Value.SessionCheckSeconds));

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        if (!await scope.ServiceProvider.GetRequiredService<StaffSessions>().IsOpenAsync(state.User, cancellationToken))
        {
            return false;
        }
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
