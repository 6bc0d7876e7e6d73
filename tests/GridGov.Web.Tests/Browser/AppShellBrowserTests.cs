using GridGov.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace GridGov.Web.Tests.Browser;

/// <summary>The MudBlazor shell of the interactive pages: its language switch and sign-out are real form posts that work.</summary>
public sealed class AppShellBrowserTests(WebAppFixture app, ChromiumFixture chromium) : IClassFixture<WebAppFixture>, IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task On_an_interactive_page_the_language_switch_keeps_the_page_and_sign_out_ends_the_session()
    {
        var page = await chromium.SignedInPageAsync(app.BaseAddress, "admin1");
        await page.GotoAsync("/admin/audit?action=SignIn");
        await page.Locator("[data-testid=audit-table] [data-audit-id]").First.WaitForAsync(new LocatorWaitForOptions { Timeout = 20_000 });

        await page.GetByRole(AriaRole.Button, new() { Name = "English" }).ClickAsync();
        await page.WaitForURLAsync("**/admin/audit?action=SignIn", ChromiumFixture.Arrived);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "中文" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("h5")).ToContainTextAsync("Audit");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync("**/account/login**", ChromiumFixture.Arrived);
        await page.GotoAsync("/admin/audit");
        Assert.Contains("/account/login", page.Url, StringComparison.Ordinal);
    }
}
