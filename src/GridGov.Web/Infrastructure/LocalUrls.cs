using GridGov.Domain.Organisation;

namespace GridGov.Web.Infrastructure;

/// <summary>
/// Whether a return URL stays on this site: ASP.NET Core's Url.IsLocalUrl rule ("/" or "/path", never "//host" or
/// "/\host", which browsers read as another host; "~/path"; no control characters), for the places that redirect to a
/// URL a request brought (sign-in, language switch). Anything else goes to "/".
/// </summary>
public static class LocalUrls
{
    public static bool IsLocal(string? url)
    {
        if (string.IsNullOrEmpty(url) || url.Any(char.IsControl))
        {
            return false;
        }
        if (url[0] == '/')
        {
            return url.Length == 1 || (url[1] != '/' && url[1] != '\\');
        }
        if (url[0] == '~' && url.Length > 1 && url[1] == '/')
        {
            return url.Length == 2 || (url[2] != '/' && url[2] != '\\');
        }
        return false;
    }

    /// <summary>The URL when it is local, else the home page.</summary>
    public static string OrHome(string? url) => IsLocal(url) ? url! : "/";

    /// <summary>
    /// Where a person's work is, for a sign-in that names no page: dispatchers and street leaders the dashboard,
    /// handlers, secretaries and grid staff their inbox, everyone else the street map.
    /// </summary>
    public static string LandingOf(StaffRole? role) => role switch
    {
        StaffRole.Dispatcher or StaffRole.StreetLeader => "/dashboard",
        StaffRole.DepartmentHandler or StaffRole.CommunitySecretary or StaffRole.GridLeader or StaffRole.GridWorker => "/inbox",
        _ => "/",
    };

    /// <summary>The page a sign-in goes to: the one it was sent from (when local and not the bare home page), else the person's landing.</summary>
    public static string AfterSignIn(string? returnUrl, StaffRole? role) =>
        IsLocal(returnUrl) && returnUrl != "/" && returnUrl != "~/" ? returnUrl! : LandingOf(role);
}
