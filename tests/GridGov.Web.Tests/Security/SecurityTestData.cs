using System.Net;
using System.Text.RegularExpressions;
using GridGov.Web.Tests.Infrastructure;

namespace GridGov.Web.Tests.Security;

/// <summary>Helpers for the security tests: raw sign-in posts and a token taken from any page of the session.</summary>
internal static partial class SecurityTestData
{
    /// <summary>Posts the sign-in form once (with its token) and returns the page or the redirect.</summary>
    public static Task<HttpResponseMessage> TrySignInAsync(this HttpClient client, string userName, string password) =>
        client.PostFormAsync("/account/login", "login", new Dictionary<string, string>
        {
            ["Input.UserName"] = userName,
            ["Input.Password"] = password,
        });

    /// <summary>The antiforgery token of this client's session, from a page that carries a form.</summary>
    public static async Task<string> TokenFromAsync(this HttpClient client, string pageUrl)
    {
        var page = await client.GetStringAsync(pageUrl);
        var match = Token().Match(page);
        Assert.True(match.Success, $"no antiforgery token on {pageUrl}");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    public static bool HasAuthCookie(this HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies)
        && cookies.Any(c => c.StartsWith("gridgov.auth=", StringComparison.Ordinal) && !c.StartsWith("gridgov.auth=;", StringComparison.Ordinal));

    /// <summary>True when the request reaches a signed-in page, false when it is sent to sign in.</summary>
    public static async Task<bool> IsSignedInAsync(this HttpClient client)
    {
        using var response = await client.GetAsync("/inbox");
        if (response.StatusCode == HttpStatusCode.OK)
        {
            return true;
        }
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/login", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        return false;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
