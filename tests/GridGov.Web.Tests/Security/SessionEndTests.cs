using System.Net;
using GridGov.TestSupport.GridGov;
using GridGov.Web.Tests.Admin;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Web.Tests.Security;

/// <summary>
/// Sessions end on the server (issue 11, hole 6): a sign-in cookie kept or copied after its sign-out, or after an
/// administrator reset the password or disabled the account, opens nothing, at once (the app runs with the default
/// 60 seconds between security-stamp checks); another session of the same person goes on.
/// </summary>
public sealed class SessionEndTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private const string AuthCookie = "gridgov.auth";

    /// <summary>Signs in with a cookie jar of its own and returns the client and its sign-in cookie.</summary>
    private async Task<(HttpClient Client, string Cookie)> SignInAsync(string userName)
    {
        var jar = new CookieContainer();
        var client = new HttpClient(new HttpClientHandler { CookieContainer = jar, AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = app.BaseAddress };
        await client.SignInAsync(userName, DemoStreetDatabaseFixture.DemoPassword);
        return (client, jar.GetCookies(app.BaseAddress)[AuthCookie]!.Value);
    }

    /// <summary>A request that carries only the given sign-in cookie, as someone who copied it would send it.</summary>
    private async Task<HttpResponseMessage> ReplayAsync(string cookie, string path)
    {
        using var replay = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", $"{AuthCookie}={cookie}");
        return await replay.SendAsync(request);
    }

    private static async Task SignOutAsync(HttpClient client)
    {
        var token = await client.TokenFromAsync("/inbox");
        using var response = await client.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    private async Task AssertEndedAsync(string cookie)
    {
        using var page = await ReplayAsync(cookie, "/inbox");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/account/login", page.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
        using var api = await ReplayAsync(cookie, "/api/map/grids");
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    [Fact]
    public async Task After_sign_out_the_old_cookie_gets_the_sign_in_page_and_the_api_401()
    {
        var (client, cookie) = await SignInAsync("dispatcher1");
        using (client)
        {
            using (var before = await ReplayAsync(cookie, "/inbox"))
            {
                Assert.Equal(HttpStatusCode.OK, before.StatusCode);
            }

            await SignOutAsync(client);

            await AssertEndedAsync(cookie);
        }
    }

    [Fact]
    public async Task Signing_out_ends_only_that_session_and_not_the_same_persons_other_one()
    {
        var (first, firstCookie) = await SignInAsync("streetleader1");
        var (second, secondCookie) = await SignInAsync("streetleader1");
        using (first)
        using (second)
        {
            await SignOutAsync(first);

            await AssertEndedAsync(firstCookie);
            using var other = await ReplayAsync(secondCookie, "/inbox");
            Assert.Equal(HttpStatusCode.OK, other.StatusCode);
            Assert.True(await second.IsSignedInAsync());
        }
    }

    [Theory]
    [InlineData("user-reset", "worker1")]
    [InlineData("user-disable", "leader1")]
    public async Task A_password_reset_or_a_disabled_account_ends_the_persons_sessions_at_once(string change, string userName)
    {
        var (person, cookie) = await SignInAsync(userName);
        using var admin = await app.SignedInAsync("admin1");
        var id = await app.DbAsync(db => db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync());
        using (person)
        {
            Assert.True(await person.IsSignedInAsync());
            var version = await app.VersionAsync(userName);

            // What the account page's reset and disable buttons send (the page itself: Admin/UserPagesComponentTests).
            var result = await app.AsAsync("admin1", (accounts, adminId) => change == "user-reset"
                ? accounts.ResetPasswordAsync(id, version, "Temp#Pass2026x")
                : accounts.DisableAsync(id, adminId, version));
            Assert.True(result.Succeeded);

            await AssertEndedAsync(cookie);
            Assert.False(await person.IsSignedInAsync());
            Assert.True(await admin.IsSignedInAsync());
        }
    }
}
