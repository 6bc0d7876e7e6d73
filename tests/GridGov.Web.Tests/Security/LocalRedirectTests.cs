using System.Net;
using GridGov.Web.Infrastructure;

namespace GridGov.Web.Tests.Security;

/// <summary>Issue 11, hole 8: a return URL that leaves the site (or is no URL at all) redirects home, never 500 or away.</summary>
[Collection(SecurityCollection.Name)]
public sealed class LocalRedirectTests(SecurityFixture app)
{
    [Theory]
    [InlineData("/", true)]
    [InlineData("/ledgers/residents?q=1", true)]
    [InlineData("~/inbox", true)]
    [InlineData("/\\evil.example", false)]
    [InlineData("//evil.example", false)]
    [InlineData("~//evil.example", false)]
    [InlineData("http://evil.example/", false)]
    [InlineData("/\tevil", false)]
    [InlineData("evil", false)]
    [InlineData("", false)]
    public void Local_urls_follow_the_frameworks_IsLocalUrl_rule(string url, bool local) => Assert.Equal(local, LocalUrls.IsLocal(url));

    [Theory]
    [InlineData("/\\evil.example", "/")]
    [InlineData("//evil.example", "/")]
    [InlineData("https://evil.example/x", "/")]
    [InlineData("/grids", "/grids")]
    public async Task The_language_switch_goes_back_only_to_a_page_of_this_site(string returnUrl, string expected)
    {
        using var client = app.CreateClient();
        var token = SecurityHttp.AntiforgeryToken(await client.GetStringAsync("/account/login"));

        using var response = await client.PostAsync("/culture", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token!,
            ["culture"] = "zh-CN",
            ["returnUrl"] = returnUrl,
        }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expected, response.Headers.Location!.OriginalString);
    }
}
