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

    /// <summary>
    /// For WaitForURLAsync after a form post: the new page counts as arrived once its navigation commits. Waiting for
    /// the load event (the default) timed out now and then on a busy machine, with the network already idle; what a
    /// test reads next it waits for through locators.
    /// </summary>
    public static readonly PageWaitForURLOptions Arrived = new() { WaitUntil = WaitUntilState.Commit };

    /// <summary>
    /// A fresh browser context whose navigations may take a minute: on CI's busy machine a page's first load once
    /// overran the default 30 s while the test assemblies ran side by side. What a test reads next it still waits for
    /// through locators, with their own limits.
    /// </summary>
    public async Task<IBrowserContext> NewContextAsync(BrowserNewContextOptions options)
    {
        var context = await Browser.NewContextAsync(options);
        context.SetDefaultNavigationTimeout(60_000);
        return context;
    }

    /// <summary>A fresh browser context (zh-CN, the given viewport) on the app, signed in as the demo user.</summary>
    public async Task<IPage> SignedInPageAsync(Uri app, string userName, int width = 1366, int height = 768)
    {
        var context = await NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "zh-CN",
        });
        var page = await context.NewPageAsync();
        // The sign-in form is plain HTML: it can be filled once the document is parsed, without waiting for every
        // style sheet and font (the load event).
        await page.GotoAsync("/account/login", new PageGotoOptions { WaitUntil = WaitUntilState.DOMContentLoaded });
        await page.FillAsync("#username", userName);
        await page.FillAsync("#password", GridGov.TestSupport.GridGov.DemoStreetDatabaseFixture.DemoPassword);
        await page.ClickAsync("[data-testid=login-submit]");
        await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal), Arrived);
        return page;
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
