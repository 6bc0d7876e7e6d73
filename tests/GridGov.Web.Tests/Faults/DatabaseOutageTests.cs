using System.Net;
using GridGov.TestSupport;
using GridGov.TestSupport.GridGov;
using GridGov.Web.Infrastructure;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Web.Tests.Faults;

/// <summary>
/// The app on a real port against a copy of the demo street in a PostgreSQL cluster of its own, which the test
/// stops and starts (never the cluster the other tests share).
/// </summary>
public sealed class OutageApp : DemoStreetDatabaseFixture
{
    private PrivatePostgresCluster? _cluster;
    private WebApplication? _app;

    public PrivatePostgresCluster Cluster => _cluster ?? throw new InvalidOperationException("Not started");

    public Uri BaseAddress { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _cluster = await PrivatePostgresCluster.StartAsync();
        var connectionString = await _cluster.CopyDatabaseAsync(ConnectionString, "gridgov");
        _app = GridGovHost.CreateWebApp(
            [
                "--urls=http://127.0.0.1:0",
                "--environment=Production",
                // Production refuses the demo signing key of appsettings.json (ApiSigningKeyCheck).
                "--Api:SigningKey=" + WebAppFixture.TestApiSigningKey,
                $"--ConnectionStrings:GridGov={connectionString}",
                "--Logging:File:Path=",
            ],
            contentRoot: RepositoryPaths.WebProject);
        await GridGovHost.PrepareDatabaseAsync(_app);
        await _app.StartAsync();
        BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
    }

    public HttpClient CreateClient() =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false, UseCookies = true })
        {
            BaseAddress = BaseAddress,
        };

    public override async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
        await base.DisposeAsync();
    }
}

public sealed class DatabaseOutageTests(OutageApp app) : IClassFixture<OutageApp>
{
    [Fact]
    public async Task While_the_database_is_down_pages_answer_503_in_chinese_and_health_is_unhealthy_and_the_app_recovers_without_a_restart()
    {
        using var signedIn = app.CreateClient();
        await signedIn.SignInAsync("dispatcher1", DemoStreetDatabaseFixture.DemoPassword);
        Assert.Equal(HttpStatusCode.OK, (await signedIn.GetAsync("/")).StatusCode);
        await AssertHealthAsync(HttpStatusCode.OK, "Healthy");

        await app.Cluster.StopAsync();
        try
        {
            // A page that reads the database, for someone signed in.
            await AssertUnavailablePageAsync(await signedIn.GetAsync("/"));
            await AssertUnavailablePageAsync(await signedIn.GetAsync("/cases"));
            // Signing in needs the database too (the login page itself does not).
            using var anonymous = app.CreateClient();
            await AssertUnavailablePageAsync(await anonymous.PostFormAsync("/account/login", "login", new Dictionary<string, string>
            {
                ["Input.UserName"] = "dispatcher1",
                ["Input.Password"] = DemoStreetDatabaseFixture.DemoPassword,
            }));
            // An API call gets the same answer as JSON.
            var api = await signedIn.GetAsync("/api/map/grids");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, api.StatusCode);
            Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
            Assert.Contains(DatabaseOutagePage.TitleZh, await api.Content.ReadAsStringAsync());
            await AssertHealthAsync(HttpStatusCode.ServiceUnavailable, "Unhealthy");
        }
        finally
        {
            await app.Cluster.StartAgainAsync();
        }

        // Back without restarting the app: health turns healthy, and pages and sign-in work again.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        HttpResponseMessage health;
        while ((health = await NoCacheGetAsync("/health")).StatusCode != HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync());
        var home = await signedIn.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.DoesNotContain(DatabaseOutagePage.TitleZh, await home.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await signedIn.GetAsync("/cases")).StatusCode);
        using var again = app.CreateClient();
        await again.SignInAsync("dispatcher1", DemoStreetDatabaseFixture.DemoPassword);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/api/map/grids")).StatusCode);
    }

    private static async Task AssertUnavailablePageAsync(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var zh = html.IndexOf(DatabaseOutagePage.TitleZh, StringComparison.Ordinal);
        var en = html.IndexOf(DatabaseOutagePage.TitleEn, StringComparison.Ordinal);
        Assert.True(zh >= 0 && en > zh, "Chinese first, English second:\n" + html);
        Assert.Contains("刷新", html);
        Assert.DoesNotContain("Exception", html);
        Assert.DoesNotContain("Npgsql", html);
        Assert.DoesNotContain(" at ", html);
    }

    private async Task AssertHealthAsync(HttpStatusCode status, string text)
    {
        var response = await NoCacheGetAsync("/health");
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(text, await response.Content.ReadAsStringAsync());
    }

    private async Task<HttpResponseMessage> NoCacheGetAsync(string path)
    {
        using var client = app.CreateClient();
        return await client.GetAsync(path);
    }
}
