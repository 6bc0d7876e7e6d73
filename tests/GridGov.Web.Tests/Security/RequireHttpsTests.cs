using System.Net;
using GridGov.Web.Tests.Infrastructure;

namespace GridGov.Web.Tests.Security;

/// <summary>The app with Security:RequireHttps (as behind TLS in production); Kestrel still listens on http here.</summary>
public sealed class RequireHttpsAppFixture : WebAppFixture
{
    protected override IEnumerable<string> ExtraArguments => ["--Security:RequireHttps=true", "--https_port=8443"];
}

public sealed class RequireHttpsTests(RequireHttpsAppFixture app) : IClassFixture<RequireHttpsAppFixture>
{
    [Fact]
    public async Task Plain_http_is_redirected_to_https_and_the_policy_upgrades_insecure_requests()
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/account/login?ReturnUrl=%2Finbox");

        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
        Assert.Equal($"https://{app.BaseAddress.Host}:8443/account/login?ReturnUrl=%2Finbox", response.Headers.Location!.ToString());
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out _));
        Assert.Contains("upgrade-insecure-requests", string.Join(";", response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
    }
}
