using System.Security.Cryptography;
using GridGov.Application.Residents;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace GridGov.Web.Infrastructure;

/// <summary>
/// The residents' short-lived session: after the one-time code confirms a phone, a cookie carries that phone, protected
/// and time-limited by ASP.NET Data Protection (the same keys on every app instance), for
/// <see cref="ResidentOptions.SessionMinutes"/>. Report, look-up and rating read the phone only from here, never from a form.
/// Residents have no staff account and no circuit: their pages are static (the Blazor hub is for staff only).
/// </summary>
public sealed class ResidentSession(IDataProtectionProvider protection, IOptions<ResidentOptions> options, IOptions<SecurityOptions> security, TimeProvider clock)
{
    public const string CookieName = "gg-resident";
    public const string PathPrefix = "/r";

    private readonly ITimeLimitedDataProtector _protector = protection.CreateProtector("GridGov.ResidentSession.v1").ToTimeLimitedDataProtector();

    /// <summary>The resident pages (<c>/r</c>, <c>/r/…</c>): static, anonymous, the inline-style policy MudBlazor needs.</summary>
    public static bool IsResidentPath(PathString path) => path.StartsWithSegments(PathPrefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>The confirmed phone of this request, or null (no cookie, expired, tampered with).</summary>
    public string? Phone(HttpContext context)
    {
        if (!context.Request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value))
        {
            return null;
        }
        try
        {
            var phone = _protector.Unprotect(value, out var expires);
            return expires > clock.GetUtcNow() ? phone : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    public void SignIn(HttpContext context, string phone) =>
        context.Response.Cookies.Append(CookieName, CookieValue(phone), Cookie(options.Value.Session));

    /// <summary>The cookie's value for a confirmed phone, valid for <see cref="ResidentOptions.SessionMinutes"/> from now.</summary>
    public string CookieValue(string phone) => _protector.Protect(phone, clock.GetUtcNow() + options.Value.Session);

    public void SignOut(HttpContext context) => context.Response.Cookies.Delete(CookieName, Cookie(TimeSpan.Zero));

    private CookieOptions Cookie(TimeSpan maxAge) => new()
    {
        Path = PathPrefix,
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        Secure = security.Value.RequireHttps,
        IsEssential = true,
        MaxAge = maxAge > TimeSpan.Zero ? maxAge : null,
    };
}
