using System.Globalization;
using System.Security.Claims;
using GridGov.Infrastructure.Identity;
using GridGov.Web.Infrastructure;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace GridGov.Web.Endpoints.Api;

/// <summary>An access token as the token endpoint hands it out.</summary>
public sealed record IssuedToken(string AccessToken, DateTimeOffset ExpiresAt, int ExpiresIn, string UserName, string DisplayName, int? StaffMemberId,
    IReadOnlyList<string> Roles);

/// <summary>
/// Access tokens of the staff API: short-lived JWTs (HMAC-SHA256 with <c>Api:SigningKey</c>) carrying the person's user and
/// staff ids, roles and the server-side session the sign-in opened (<see cref="StaffSessions"/>). Every request checks that
/// session, exactly as a sign-in cookie's is checked, so a token stops working at once when its owner signs it out, an
/// administrator resets the password or disables the account.
/// </summary>
public sealed class ApiTokens(SignInManager<ApplicationUser> signIn, IOptions<ApiOptions> options, TimeProvider clock)
{
    public const string Scheme = JwtBearerDefaults.AuthenticationScheme;

    private const string SubjectClaim = "sub";
    private const string NameClaim = "name";
    private const string RoleClaim = "role";

    /// <summary>Null when the sign-in is refused (unknown user, wrong password, locked or disabled: one answer for all).</summary>
    public async Task<IssuedToken?> IssueAsync(string userName, string password)
    {
        var manager = (AuditingSignInManager)signIn;
        if (await manager.ApiSignInAsync(userName, password) is not var (user, session))
        {
            return null;
        }
        var roles = (await signIn.UserManager.GetRolesAsync(user)).Order(StringComparer.Ordinal).ToList();
        var now = clock.GetUtcNow();
        var lifetime = options.Value.AccessTokenLifetime;
        var expires = now + lifetime;
        var claims = new Dictionary<string, object>
        {
            [SubjectClaim] = user.Id,
            [NameClaim] = user.UserName ?? "",
            [RoleClaim] = roles.ToArray(),
            [GridGovClaimsPrincipalFactory.DisplayNameClaim] = user.DisplayName,
            [StaffSessions.ClaimType] = session.ToString(),
        };
        if (user.StaffMemberId is { } staffId)
        {
            claims[GridGovClaimsPrincipalFactory.StaffMemberClaim] = staffId.ToString(CultureInfo.InvariantCulture);
        }
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = ApiOptions.Issuer,
            Audience = ApiOptions.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(options.Value.KeyBytes), SecurityAlgorithms.HmacSha256),
        });
        return new IssuedToken(token, expires, (int)lifetime.TotalSeconds, user.UserName ?? "", user.DisplayName, user.StaffMemberId, roles);
    }

    /// <summary>How tokens are checked: our issuer, audience and key, HS256 only, and the lifetime with 30 s of skew.</summary>
    public static TokenValidationParameters ValidationParameters(ApiOptions api) => new()
    {
        ValidIssuer = ApiOptions.Issuer,
        ValidAudience = ApiOptions.Audience,
        IssuerSigningKey = new SymmetricSecurityKey(api.KeyBytes),
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        ValidateLifetime = true,
        ClockSkew = TimeSpan.FromSeconds(30),
        NameClaimType = NameClaim,
        RoleClaimType = RoleClaim,
    };

    /// <summary>
    /// The token's claims as the rest of the app reads a signed-in person (the claim types of the sign-in cookie), or null
    /// when the token lacks one the app needs.
    /// </summary>
    public static ClaimsPrincipal? PrincipalOf(ClaimsPrincipal token)
    {
        if (token.FindFirstValue(SubjectClaim) is not { Length: > 0 } userId || token.FindFirstValue(StaffSessions.ClaimType) is not { Length: > 0 } session)
        {
            return null;
        }
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, userId),
            new(ClaimTypes.Name, token.FindFirstValue(NameClaim) ?? ""),
            new(StaffSessions.ClaimType, session),
        };
        claims.AddRange(token.FindAll(RoleClaim).Select(role => new Claim(ClaimTypes.Role, role.Value)));
        foreach (var type in new[] { GridGovClaimsPrincipalFactory.DisplayNameClaim, GridGovClaimsPrincipalFactory.StaffMemberClaim })
        {
            if (token.FindFirstValue(type) is { } value)
            {
                claims.Add(new Claim(type, value));
            }
        }
        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme, ClaimTypes.Name, ClaimTypes.Role));
    }
}
