using System.Net;
using System.Text.RegularExpressions;

namespace GridGov.Web.Tests.Infrastructure;

/// <summary>
/// Posts a server-rendered form the way a browser does: with the antiforgery token from the page, and the row version an
/// edit form carries in a hidden field unless the test gives one.
/// </summary>
public static partial class FormPosting
{
    public static async Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string pageUrl, string formName, IDictionary<string, string> fields)
    {
        var page = await client.GetStringAsync(pageUrl);
        var token = AntiforgeryToken().Match(page);
        if (!token.Success)
        {
            throw new InvalidOperationException($"No antiforgery token on {pageUrl}");
        }
        var body = new Dictionary<string, string>(fields)
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
            ["_handler"] = formName,
        };
        foreach (Match version in RowVersion().Matches(page))
        {
            body.TryAdd(version.Groups[1].Value, version.Groups[2].Value);
        }
        return await client.PostAsync(pageUrl, new FormUrlEncodedContent(body));
    }

    public static async Task SignInAsync(this HttpClient client, string userName, string password)
    {
        using var response = await client.PostFormAsync("/account/login", "login", new Dictionary<string, string>
        {
            ["Input.UserName"] = userName,
            ["Input.Password"] = password,
        });
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Sign-in as {userName} failed: {(int)response.StatusCode}");
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    [GeneratedRegex("type=\"hidden\" name=\"((?:Edit|Input)\\.Version)\" value=\"([0-9]+)\"")]
    private static partial Regex RowVersion();
}
