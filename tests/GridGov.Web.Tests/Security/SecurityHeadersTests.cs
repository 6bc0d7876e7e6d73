using System.Net;
using GridGov.TestSupport.GridGov;
using GridGov.Web.Infrastructure;
using GridGov.Web.Tests.Infrastructure;

namespace GridGov.Web.Tests.Security;

public sealed class SecurityHeadersTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    public static TheoryData<string> AnonymousUrls => new()
    {
        "/account/login",          // a page
        "/css/static.css",         // a static file
        "/lib/leaflet/leaflet.js", // a library file
        "/no-such-page",           // the 404 page
        "/error/500",              // the error page
        "/health",                 // the health check
        "/api/map/grids",          // an API refused to anonymous visitors
    };

    [Theory]
    [MemberData(nameof(AnonymousUrls))]
    public async Task Every_response_carries_the_security_headers(string url)
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(url);

        AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task Signed_in_pages_and_fragments_carry_them_too()
    {
        using var client = app.CreateClient();
        await client.SignInAsync("dispatcher1", DemoStreetDatabaseFixture.DemoPassword);

        foreach (var url in new[] { "/", "/dashboard", "/api/dashboard/cases", "/api/map/grids", "/cases/export.csv" })
        {
            using var response = await client.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode}");
            AssertSecurityHeaders(response);
        }
    }

    [Fact]
    public async Task The_policy_allows_only_the_apps_own_scripts_and_styles_and_no_framing()
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/account/login");
        var policy = Directives(response);

        Assert.Equal("'self'", policy["default-src"]);
        Assert.Equal("'self'", policy["script-src"]);
        Assert.Equal("'none'", policy["script-src-attr"]);
        Assert.Equal("'self'", policy["style-src"]);
        Assert.Equal("'none'", policy["style-src-attr"]);
        Assert.Equal("'self' data: blob:", policy["img-src"]);
        Assert.Equal("'self'", policy["connect-src"]);
        Assert.Equal("'none'", policy["object-src"]);
        Assert.Equal("'self'", policy["base-uri"]);
        Assert.Equal("'self'", policy["form-action"]);
        Assert.Equal("'none'", policy["frame-ancestors"]);
        Assert.DoesNotContain(policy.Values, v => v.Contains("unsafe-eval", StringComparison.Ordinal));
        Assert.DoesNotContain("unsafe-inline", policy["script-src"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://t{s}.tianditu.gov.cn/vec_w/wmts?tk=KEY&x={x}", "https://*.tianditu.gov.cn")]
    [InlineData("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png", "https://*.tile.openstreetmap.org")]
    [InlineData("http://tiles.example.cn:8080/{z}/{x}/{y}.png", "http://tiles.example.cn:8080")]
    [InlineData("", null)]
    [InlineData("javascript:alert(1)", null)]
    [InlineData("https://evil.example; script-src *", null)]
    public void The_map_tile_host_is_added_to_img_src_and_nothing_else(string tileUrl, string? expected)
    {
        Assert.Equal(expected, SecurityHeaders.TileSource(tileUrl));
        var policy = SecurityHeaders.ContentSecurityPolicy(SecurityHeaders.TileSource(tileUrl), requireHttps: false);
        Assert.Equal(expected is null ? "'self' data: blob:" : $"'self' data: blob: {expected}",
            policy.Split("; ").Single(d => d.StartsWith("img-src ", StringComparison.Ordinal))["img-src ".Length..]);
    }

    [Fact]
    public async Task The_sign_in_and_antiforgery_cookies_are_http_only_and_same_site()
    {
        using var client = app.CreateClient();

        using var login = await client.GetAsync("/account/login");
        var antiforgery = Cookies(login).Single(c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));
        using var signIn = await client.TrySignInAsync("dispatcher1", DemoStreetDatabaseFixture.DemoPassword);
        var auth = Cookies(signIn).Single(c => c.StartsWith("gridgov.auth=", StringComparison.Ordinal));

        Assert.Contains("httponly", antiforgery, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", antiforgery, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", auth, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", auth, StringComparison.OrdinalIgnoreCase);
        // Plain http on localhost (run.sh, tests): Secure follows the request unless Security:RequireHttps.
        Assert.DoesNotContain("secure", auth.Replace("httponly", "", StringComparison.OrdinalIgnoreCase), StringComparison.OrdinalIgnoreCase);
        // A session cookie (no persistent sign-in): it ends with the browser.
        Assert.DoesNotContain("expires=", auth, StringComparison.OrdinalIgnoreCase);
    }

    private static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        var url = response.RequestMessage!.RequestUri;
        Assert.True(response.Headers.TryGetValues("Content-Security-Policy", out var csp), $"no CSP on {url}");
        Assert.Contains("frame-ancestors 'none'", csp!.Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("strict-origin-when-cross-origin", Header(response, "Referrer-Policy"));
        Assert.Contains("geolocation=(self)", Header(response, "Permissions-Policy"), StringComparison.Ordinal);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";

    private static Dictionary<string, string> Directives(HttpResponseMessage response) =>
        Header(response, "Content-Security-Policy").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(d => d.Split(' ', 2))
            .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");

    private static IEnumerable<string> Cookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [];
}
