using System.Globalization;
using GridGov.Domain.Cases;
using GridGov.TestSupport.GridGov;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace GridGov.Web.Tests.Dashboard;

public sealed class DashboardBrowserTests(WebAppFixture app, ChromiumFixture chromium, ITestOutputHelper output)
    : IClassFixture<WebAppFixture>, IClassFixture<ChromiumFixture>
{
    private static readonly CaseState[] OpenStates = Enum.GetValues<CaseState>().Where(CaseWorkflow.IsOpen).ToArray();

    public static string ScreenshotPath => Path.Combine(AppContext.BaseDirectory, "screenshots", "dashboard.png");

    /// <summary>A dispatcher's page whose console and failed requests go to the test's output (read when a test fails).</summary>
    private async Task<IPage> SignedInPageAsync()
    {
        var page = await chromium.SignedInPageAsync(app.BaseAddress, "dispatcher1", 1366, 768);
        page.Console += (_, message) => output.WriteLine($"console {message.Type}: {message.Text}");
        page.RequestFailed += (_, request) => output.WriteLine($"request failed: {request.Url} {request.Failure}");
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                output.WriteLine($"HTTP {response.Status}: {response.Url}");
            }
        };
        return page;
    }

    /// <summary>The circuit runs and the page has subscribed to case changes.</summary>
    private static Task LiveAsync(IPage page) =>
        page.Locator("[data-render=interactive] [data-testid=dashboard][data-live=on]").WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });

    [Fact]
    public async Task The_dashboard_draws_grids_and_case_markers_and_a_reported_case_is_pushed_to_its_counter_and_map_within_two_seconds()
    {
        await app.ReportAsync();
        await app.DispatchedAsync();
        var page = await SignedInPageAsync();
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);

        await page.GotoAsync("/dashboard");
        await LiveAsync(page);
        var map = page.Locator("[data-testid=dashboard-map][data-map-state=ready]");
        await map.WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        await page.Locator("[data-testid=dashboard-charts][data-charts-state=ready]").WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });

        var (grids, open) = await app.DbAsync(async db => (
            await db.Grids.CountAsync(g => g.ValidTo == null),
            await db.Cases.CountAsync(c => OpenStates.Contains(c.State))));
        Assert.Equal(grids.ToString(CultureInfo.InvariantCulture), await map.GetAttributeAsync("data-loaded-features"));
        Assert.Equal(open.ToString(CultureInfo.InvariantCulture), await map.GetAttributeAsync("data-loaded-cases"));
        Assert.Equal(open, await page.Locator(".leaflet-cases-pane path.leaflet-interactive").CountAsync());

        var counter = page.Locator("[data-counter=awaiting-registration]");
        var before = int.Parse((await counter.GetAttributeAsync("data-value"))!, CultureInfo.InvariantCulture);
        await page.EvaluateAsync("() => { window.__sameDashboard = true; }");

        await app.ReportAsync();

        // Pushed, not polled: the new number and the new dot arrive within 2 s, in the same page.
        await Assertions.Expect(page.Locator($"[data-counter=awaiting-registration][data-value='{before + 1}']"))
            .ToHaveCountAsync(1, new LocatorAssertionsToHaveCountOptions { Timeout = 2_000 });
        await Assertions.Expect(page.Locator($"[data-testid=dashboard-map][data-loaded-cases='{open + 1}']"))
            .ToHaveCountAsync(1, new LocatorAssertionsToHaveCountOptions { Timeout = 2_000 });
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDashboard === true"), "the page was reloaded");
        Assert.Equal((before + 1).ToString(CultureInfo.InvariantCulture), await counter.Locator(".dashboard-counter-value").InnerTextAsync());

        Directory.CreateDirectory(Path.GetDirectoryName(ScreenshotPath)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath, FullPage = true });
        output.WriteLine($"Dashboard screenshot: {ScreenshotPath}");
        Assert.Empty(errors);
        await page.Context.DisposeAsync();
    }

    [Fact]
    public async Task A_case_registered_in_one_browser_shows_on_another_browsers_dashboard_within_two_seconds()
    {
        var reported = await app.ReportAsync();
        var watching = await SignedInPageAsync();
        await watching.GotoAsync("/dashboard");
        await LiveAsync(watching);
        var awaiting = int.Parse((await watching.Locator("[data-counter=awaiting-registration]").GetAttributeAsync("data-value"))!, CultureInfo.InvariantCulture);
        var toDispatch = int.Parse((await watching.Locator("[data-counter=to-dispatch]").GetAttributeAsync("data-value"))!, CultureInfo.InvariantCulture);

        // Another browser (its own context: cookies, storage, circuit) registers the case on its page.
        var acting = await chromium.SignedInPageAsync(app.BaseAddress, "dispatcher1", 1280, 800);
        await acting.GotoAsync($"/cases/{reported.Number}");
        await acting.Locator("[data-render=interactive]").WaitForAsync(new LocatorWaitForOptions { Timeout = 20_000 });
        var register = acting.Locator("form[data-action=Register]");
        await register.Locator("[data-testid=submit-Register]").ClickAsync();
        await acting.Locator("[data-testid=action-done]").WaitForAsync(new LocatorWaitForOptions { Timeout = 20_000 });
        var registered = System.Diagnostics.Stopwatch.StartNew();

        await Assertions.Expect(watching.Locator($"[data-counter=to-dispatch][data-value='{toDispatch + 1}']"))
            .ToHaveCountAsync(1, new LocatorAssertionsToHaveCountOptions { Timeout = 2_000 });
        output.WriteLine($"the other dashboard showed the registration {registered.ElapsedMilliseconds} ms after the registering page came back");
        await Assertions.Expect(watching.Locator($"[data-counter=awaiting-registration][data-value='{awaiting - 1}']")).ToHaveCountAsync(1);
        Assert.Equal(CaseState.Registered, await app.DbAsync(db => db.Cases.Where(c => c.Id == reported.Id).Select(c => c.State).SingleAsync()));
        await acting.Context.DisposeAsync();
        await watching.Context.DisposeAsync();
    }

    [Fact]
    public async Task Opening_a_grid_on_the_map_shows_its_named_people_and_its_open_cases()
    {
        var gridCode = await app.GridOfAsync("leader1");
        var reported = await app.ReportAsync(gridCode: gridCode);
        var leaderName = await app.DbAsync(db => db.Users.Where(u => u.UserName == "leader1")
            .Join(db.StaffMembers, u => u.StaffMemberId, s => s.Id, (u, s) => s.Name).SingleAsync());
        var page = await SignedInPageAsync();
        await page.GotoAsync("/dashboard");
        await LiveAsync(page);
        await page.Locator("[data-testid=dashboard-map][data-map-state=ready]").WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });

        // Through Leaflet's API: a click at a polygon's centre could land on a case dot drawn above it.
        await page.EvaluateAsync("""
            code => {
                document.querySelector('[data-dashboard-map]')._dashboardGridLayer
                    .eachLayer(layer => { if (layer.feature.properties.code === code) layer.openPopup(); });
            }
            """, gridCode);

        var popup = page.Locator(".leaflet-popup-content");
        await page.Locator(".dashboard-grid-popup-list[data-loaded]").WaitForAsync(new LocatorWaitForOptions { Timeout = 10_000 });
        var text = await popup.InnerTextAsync();
        Assert.Contains(gridCode, text);
        Assert.Contains(leaderName, text);
        Assert.Matches("1[3-9][0-9]{9}", text);
        Assert.Equal(1, await popup.Locator($"a[href='/cases/{reported.Number}']").CountAsync());
        Assert.Contains("网格长", text);

        // The popup speaks the page's language: English chosen as the language switch chooses it (its cookie, which the
        // circuit sees too).
        await page.Context.AddCookiesAsync([new Cookie
        {
            Name = ".AspNetCore.Culture", Value = "c=en|uic=en", Url = app.BaseAddress.ToString().TrimEnd('/'),
        }]);
        await page.GotoAsync("/dashboard");
        await LiveAsync(page);
        await page.Locator("[data-testid=dashboard-map][data-map-state=ready]").WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        await page.EvaluateAsync("""
            code => {
                document.querySelector('[data-dashboard-map]')._dashboardGridLayer
                    .eachLayer(layer => { if (layer.feature.properties.code === code) layer.openPopup(); });
            }
            """, gridCode);
        await page.Locator(".dashboard-grid-popup-list[data-loaded]").WaitForAsync(new LocatorWaitForOptions { Timeout = 10_000 });
        var english = await popup.InnerTextAsync();
        Assert.Contains("Grid code", english);
        Assert.Contains("Grid leader", english);
        Assert.DoesNotContain("网格长", english);
        Assert.Contains(leaderName, english);
        await page.Context.DisposeAsync();
    }
}
