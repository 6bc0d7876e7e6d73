using Microsoft.Playwright;

namespace GridGov.Web.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium driven by Playwright (its own browser downloads are unreachable here).
/// Set GRIDGOV_CHROMIUM to use another binary.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("GRIDGOV_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            // The closed network refuses Chromium's background connections; keep it quiet and local.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--disable-quic"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
    }
}
