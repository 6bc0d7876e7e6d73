using GridGov.TestSupport.GridGov;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace GridGov.Web.Tests.Inbox;

public sealed class InboxBrowserTests(WebAppFixture app, ChromiumFixture chromium)
    : IClassFixture<WebAppFixture>, IClassFixture<ChromiumFixture>
{
    private static readonly string Artifacts = Path.Combine(RepositoryPaths.Root, "TestResults", "screenshots");

    private Task<IPage> SignedInPageAsync(string userName, int width, int height) => chromium.SignedInPageAsync(app.BaseAddress, userName, width, height);

    [Theory]
    [InlineData(1366, 768)]
    [InlineData(390, 844)]
    public async Task A_handler_opens_a_case_of_the_inbox_by_its_row(int width, int height)
    {
        var @case = await app.DispatchedToHandler1Async();
        await app.DispatchedToHandler1Async(InboxCases.StreetOccupyingBusiness);
        var page = await SignedInPageAsync("handler1", width, height);

        await page.GotoAsync("/inbox");
        await page.Locator("[data-render=interactive] [data-testid=inbox]").WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        Directory.CreateDirectory(Artifacts);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, $"inbox-handler-{width}.png"), FullPage = true });
        var pageWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        await page.Locator($"[data-section=DepartmentAssigned] a[data-case-number='{@case.Number}']").ClickAsync();

        await page.WaitForURLAsync($"**/cases/{@case.Number}", ChromiumFixture.Arrived);
        Assert.True(pageWidth <= width, $"the inbox scrolls sideways at {width}px ({pageWidth}px)");
    }

    [Fact]
    public async Task A_case_dispatched_to_the_handlers_department_appears_in_the_open_inbox_within_two_seconds()
    {
        var page = await SignedInPageAsync("handler1", 1366, 768);
        await page.GotoAsync("/inbox");
        await page.Locator("[data-render=interactive] [data-testid=inbox][data-live=on]").WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        await page.EvaluateAsync("() => { window.__sameInbox = true; }");

        var @case = await app.DispatchedToHandler1Async();

        // Pushed, not polled, and not reloaded: the row arrives in the page that is open.
        await Assertions.Expect(page.Locator($"[data-section=DepartmentAssigned] a[data-case-number='{@case.Number}']"))
            .ToHaveCountAsync(1, new LocatorAssertionsToHaveCountOptions { Timeout = 2_000 });
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameInbox === true"), "the inbox was reloaded");
        await page.Context.DisposeAsync();
    }
}
