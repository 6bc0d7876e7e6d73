using System.Net;
using GridGov.TestSupport.GridGov;
using GridGov.Web.Endpoints.Api;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Web.Tests.Security;

public sealed class AntiforgeryTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private static readonly string[] WriteMethods = [HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete];

    /// <summary>Endpoints that accept any method and change nothing: the health check.</summary>
    private static readonly string[] AnyMethodReadOnly = ["/health"];

    /// <summary>
    /// The Blazor Server hub takes no form and no token: a circuit needs the signed-in (SameSite) cookie, a request from
    /// the app's own origin (HubOriginTests) and the protected component descriptors of a page the app rendered.
    /// </summary>
    private static readonly string[] Hub = ["/_blazor", "/_blazor/negotiate", "/_blazor/disconnect/", "/_blazor/initializers/"];

    /// <summary>
    /// Posts of other systems that carry an API key in the form and never act on the sign-in cookie (Open311): a forged
    /// post from another site has no key, so there is no session to ride and nothing for a token to protect. The 12345
    /// hotline's webhook is signed with a shared secret (HMAC over the body): likewise no cookie and nothing to ride.
    /// </summary>
    private static readonly string[] KeyAuthenticated = ["/open311/v2/requests.{format}", "/hotline/v1/orders"];

    /// <summary>
    /// The staff API (/api/v1) authenticates by the bearer token in the Authorization header only and refuses the sign-in
    /// cookie (its policy names the JWT scheme alone), so a forged post from another site has no credential to ride. Its
    /// token endpoint takes the user name and password in a JSON body, which a cross-site form cannot send.
    /// </summary>
    private static bool BearerOnly(RouteEndpoint endpoint) =>
        endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy == ApiSetup.Policy)
        || "/" + endpoint.RoutePattern.RawText?.TrimStart('/') == TokenEndpoints.Pattern;

    private IReadOnlyList<RouteEndpoint> Endpoints() =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

    [Fact]
    public void Every_endpoint_that_takes_a_post_requires_the_antiforgery_token()
    {
        var endpoints = Endpoints();
        var writable = endpoints
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Intersect(WriteMethods, StringComparer.OrdinalIgnoreCase).Any() == true)
            .ToList();
        var bearerOnly = writable.Where(BearerOnly).ToList();
        Assert.Contains(bearerOnly, e => "/" + e.RoutePattern.RawText?.TrimStart('/') == TokenEndpoints.Pattern);
        Assert.True(bearerOnly.Count >= 5, $"only {bearerOnly.Count} staff API endpoints take posts");
        var unprotected = writable
            .Where(e => e.Metadata.GetMetadata<IAntiforgeryMetadata>() is not { RequiresValidation: true } && !BearerOnly(e))
            .Select(e => "/" + e.RoutePattern.RawText?.TrimStart('/'))
            .Except(Hub)
            .Except(KeyAuthenticated)
            .ToList();
        var anyMethod = endpoints
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>() is null or { HttpMethods.Count: 0 })
            .Select(e => "/" + e.RoutePattern.RawText?.TrimStart('/'))
            .Except(AnyMethodReadOnly)
            .Except(Hub)
            .ToList();

        // The sign-in, the sign-out, the language switch and every page form at least.
        Assert.Contains(writable, e => e.RoutePattern.RawText?.TrimStart('/') == "account/login");
        Assert.Contains(writable, e => e.RoutePattern.RawText?.TrimStart('/') == "account/logout");
        Assert.Contains(writable, e => e.RoutePattern.RawText?.TrimStart('/') == "culture");
        Assert.True(writable.Count >= 20, $"only {writable.Count} endpoints take posts");
        Assert.Empty(unprotected);
        Assert.Empty(anyMethod);
    }

    [Fact]
    public async Task Every_page_without_route_values_refuses_a_post_without_the_token()
    {
        using var client = await app.SignedInAsync("admin1");
        var posts = Endpoints()
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains(HttpMethods.Post) == true && e.RoutePattern.Parameters.Count == 0)
            .ToList();
        var bearerOnly = posts.Where(BearerOnly).Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/')).ToHashSet();
        var pages = posts
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .Where(path => path != "/account/logout" && !Hub.Contains(path))
            .ToList();
        Assert.NotEmpty(pages);

        foreach (var path in pages)
        {
            using var response = await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["_handler"] = "x", ["culture"] = "en" }));
            var status = (int)response.StatusCode;
            var refused = status == 400
                || (status == 302 && response.Headers.Location!.OriginalString.Contains("/error/403", StringComparison.Ordinal))
                || status == 403
                // A post of another system without its own credential (the hotline's signature) is refused by it.
                || (status == 401 && KeyAuthenticated.Contains(path))
                // The staff API ignores the sign-in cookie (401) and its token endpoint takes JSON only (415).
                || (status is 401 or 415 && bearerOnly.Contains(path));
            Assert.True(refused, $"POST {path} without a token: {status}");
        }
        Assert.True(await client.IsSignedInAsync());
    }

    [Fact]
    public async Task A_sign_in_without_the_token_gets_400_in_chinese_and_no_session()
    {
        using var client = app.CreateClient();
        using var page = await client.GetAsync("/account/login");

        using var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.UserName"] = "dispatcher1",
            ["Input.Password"] = DemoStreetDatabaseFixture.DemoPassword,
            ["_handler"] = "login",
        }));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("表单已失效", html);
        Assert.Contains("未做任何更改", html);
        Assert.DoesNotContain("antiforgery", html, StringComparison.OrdinalIgnoreCase);
        Assert.False(response.HasAuthCookie());
        Assert.False(await client.IsSignedInAsync());
    }

    [Fact]
    public async Task A_token_from_another_session_is_refused()
    {
        using var other = await app.SignedInAsync("worker1");
        var foreignToken = await other.TokenFromAsync("/");
        using var client = await app.SignedInAsync("admin1");
        var before = await app.DbAsync(db => db.Users.CountAsync());

        using var response = await client.PostAsync("/admin/users/new", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.UserName"] = "forged-account",
            ["Input.DisplayName"] = "伪造",
            ["Input.Role"] = "Administrator",
            ["Input.Password"] = "Forged@Pass2026",
            ["Input.Phone"] = "13800000000",
            ["__RequestVerificationToken"] = foreignToken,
            ["_handler"] = "user-new",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("表单已失效", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, await app.DbAsync(db => db.Users.CountAsync()));
    }

    [Fact]
    public async Task Sign_out_and_language_posts_without_the_token_change_nothing()
    {
        using var client = await app.SignedInAsync("dispatcher1");

        using var logout = await client.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string>()));
        using var culture = await client.PostAsync("/culture", new FormUrlEncodedContent(new Dictionary<string, string> { ["culture"] = "en" }));

        Assert.Equal(HttpStatusCode.BadRequest, logout.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, culture.StatusCode);
        Assert.False(culture.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(".AspNetCore.Culture", StringComparison.Ordinal)));
        Assert.True(await client.IsSignedInAsync());
        var home = await client.GetStringAsync("/");
        Assert.Contains("lang=\"zh-CN\"", home);
    }
}
