using System.Net;
using GridGov.TestSupport.GridGov;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Web.Tests.Infrastructure;

/// <summary>
/// The real GridGov web app on a real Kestrel port (127.0.0.1, chosen by the OS), against a copy of
/// the demo street, for HTTP and browser tests.
/// </summary>
public class WebAppFixture : DemoStreetDatabaseFixture
{
    private WebApplication? _app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The staff API's signing key in the tests' app instances (not the demo key, which Production refuses).</summary>
    public const string TestApiSigningKey = "tests-only-api-signing-key-0123456789abcdef";

    /// <summary>The running app's own container, to read the database as the app sees it.</summary>
    public new IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("The app is not running.");

    /// <summary>More command-line settings for a fixture's own app instance (e.g. low limits for one test class).</summary>
    protected virtual IEnumerable<string> ExtraArguments => [];

    /// <summary>Services of a fixture's own app instance, registered before the app's own (e.g. a clock of its own).</summary>
    protected virtual void ConfigureBuilder(WebApplicationBuilder builder)
    {
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _app = GridGovHost.CreateWebApp(
            [
                "--urls=http://127.0.0.1:0",
                "--environment=Production",
                // Production refuses the demo signing key of appsettings.json (ApiSigningKeyCheck).
                "--Api:SigningKey=" + WebAppFixture.TestApiSigningKey,
                $"--ConnectionStrings:GridGov={ConnectionString}",
                "--Logging:File:Path=",
                // Nothing writes on its own while tests compare the database before and after (the bad-input corpora).
                "--Evaluation:FreezeOnSchedule=false",
                .. ExtraArguments,
            ],
            contentRoot: RepositoryPaths.WebProject,
            configure: ConfigureBuilder);
        await GridGovHost.PrepareDatabaseAsync(_app);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        BaseAddress = new Uri(address);
    }

    /// <summary>A client with its own cookie jar that does not follow redirects, so tests can see them.</summary>
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
        await base.DisposeAsync();
    }
}

internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string WebProject => Path.Combine(Root, "src", "GridGov.Web");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "GridGov.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("GridGov.sln not found above " + AppContext.BaseDirectory);
    }
}
