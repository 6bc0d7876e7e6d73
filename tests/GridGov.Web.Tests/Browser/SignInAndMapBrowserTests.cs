using GridGov.Infrastructure.Persistence;
using GridGov.TestSupport.GridGov;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace GridGov.Web.Tests.Browser;

public sealed class SignInAndMapBrowserTests(WebAppFixture app, ChromiumFixture chromium)
    : IClassFixture<WebAppFixture>, IClassFixture<ChromiumFixture>
{
    private async Task<IPage> NewPageAsync(int width = 1366, int height = 768)
    {
        var context = await chromium.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "zh-CN",
        });
        return await context.NewPageAsync();
    }

    private static async Task SignInAsync(IPage page, string userName, string password)
    {
        await page.GotoAsync("/account/login");
        await page.FillAsync("#username", userName);
        await page.FillAsync("#password", password);
        await page.ClickAsync("[data-testid=login-submit]");
    }

    [Fact]
    public async Task A_dispatcher_signs_in_and_the_map_draws_every_grid()
    {
        var page = await NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);

        await SignInAsync(page, "dispatcher1", DemoStreetDatabaseFixture.DemoPassword);
        await page.WaitForURLAsync(url => url.EndsWith("/dashboard", StringComparison.Ordinal), ChromiumFixture.Arrived); // a dispatcher lands on the dashboard
        await page.GotoAsync("/");
        var map = page.Locator("[data-testid=grid-map][data-loaded-features]");
        await map.WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });

        await using var scope = app.Services.CreateAsyncScope();
        var gridCount = await scope.ServiceProvider.GetRequiredService<GridGovDbContext>().Grids.CountAsync(g => g.ValidTo == null);
        Assert.Equal(gridCount.ToString(System.Globalization.CultureInfo.InvariantCulture), await map.GetAttributeAsync("data-loaded-features"));
        Assert.True(await page.Locator(".leaflet-interactive").CountAsync() >= gridCount);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Clicking_a_grid_shows_its_code_and_named_leader()
    {
        var page = await NewPageAsync();
        await SignInAsync(page, "dispatcher1", DemoStreetDatabaseFixture.DemoPassword);
        await page.WaitForURLAsync(url => url.EndsWith("/dashboard", StringComparison.Ordinal), ChromiumFixture.Arrived);
        await page.GotoAsync("/");
        await page.Locator("[data-testid=grid-map][data-loaded-features]").WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });

        await page.Locator(".leaflet-interactive").First.ClickAsync(new LocatorClickOptions { Force = true });
        var popup = page.Locator(".leaflet-popup-content");
        await popup.WaitForAsync();

        var text = await popup.InnerTextAsync();
        Assert.Matches("[0-9]{15}", text);
        Assert.Contains("网格长", text);
    }

    [Fact]
    public async Task A_wrong_password_keeps_the_user_on_the_sign_in_page_with_a_message()
    {
        var page = await NewPageAsync(390, 844);

        await SignInAsync(page, "dispatcher1", "wrong-password");

        await Assertions.Expect(page.Locator("[data-testid=login-error]")).ToContainTextAsync("用户名或密码错误");
        Assert.EndsWith("/account/login", new Uri(page.Url).AbsolutePath);
    }
}
