using System.Globalization;
using System.Text.RegularExpressions;
using GridGov.Infrastructure.Persistence;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Report;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace GridGov.Web.Tests.Browser;

/// <summary>
/// A short disconnect in the field (a phone between two cells): the page's connection to its circuit drops while a
/// report is half written, the Chinese reconnect dialog shows, the page reconnects to the same circuit and what was
/// typed is still there and goes through.
/// </summary>
public sealed partial class ReconnectBrowserTests(WebAppFixture app, ChromiumFixture chromium) : IClassFixture<WebAppFixture>, IClassFixture<ChromiumFixture>
{
    [GeneratedRegex("/_blazor")]
    private static partial Regex Hub();

    [Fact]
    public async Task A_dropped_connection_reconnects_to_the_same_circuit_and_the_typed_report_goes_through()
    {
        var point = await app.PointInGridOfAsync("worker1");
        var categoryId = (await app.CategoryIdAsync("0801")).ToString(CultureInfo.InvariantCulture);
        var description = $"断线重连后仍在的描述 {Guid.NewGuid():N}";
        var page = await chromium.SignedInPageAsync(app.BaseAddress, "worker1", 390, 844);

        // Every connection to the hub passes through here, so the test can cut the page's side of one.
        var connections = new List<IWebSocketRoute>();
        await page.RouteWebSocketAsync(Hub(), socket =>
        {
            socket.ConnectToServer();
            lock (connections)
            {
                connections.Add(socket);
            }
        });

        await page.GotoAsync("/cases/report");
        await page.Locator("[data-render=interactive]").WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        await page.Locator("[data-testid=report-map][data-map-state=ready]").WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        await page.ChooseCategoryAsync("report-category", "0801", categoryId);
        await page.FillAsync("#report-description", description);
        await page.FillAsync("#report-address", "云帆路8号东侧人行道");
        await page.Locator("[data-testid=report-map]").EvaluateAsync(
            "(element, p) => element._map.fire('click', { latlng: L.latLng(p[1], p[0]) })",
            new[] { point.Longitude, point.Latitude });
        await Assertions.Expect(page.Locator($"[data-testid=report-where][data-grid-code='{point.GridCode}']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#report-description")).ToHaveValueAsync(description);
        // The page's live connection is the latest (a loaded machine may already have reconnected once on its own).
        IWebSocketRoute live;
        int before;
        lock (connections)
        {
            Assert.NotEmpty(connections);
            (live, before) = (connections[^1], connections.Count);
        }

        // The connection drops: the dialog opens (the first retry may be quick, so its states are recorded as they come)
        // and the page reconnects by itself.
        var modal = page.Locator("#components-reconnect-modal");
        await modal.EvaluateAsync("""
            dialog => {
              window.ggReconnectStates = [];
              dialog.addEventListener('components-reconnect-state-changed', e => window.ggReconnectStates.push(e.detail.state + (dialog.open ? ':open' : '')));
            }
            """);
        await live.CloseAsync();
        await page.WaitForFunctionAsync("() => window.ggReconnectStates.includes('hide')", null, new() { Timeout = 30_000 });
        var states = await page.EvaluateAsync<string[]>("() => window.ggReconnectStates");
        Assert.Equal("show:open", states[0]);
        Assert.Equal("与服务器的连接已中断，正在重新连接……", (await modal.Locator(".gg-reconnect-show").TextContentAsync())?.Trim());
        await Assertions.Expect(modal).Not.ToHaveAttributeAsync("open", "");
        lock (connections)
        {
            Assert.True(connections.Count > before, $"{connections.Count} connections to the hub, {before} before the drop");
        }

        // The same circuit: what was typed before the drop is what the server sends.
        await Assertions.Expect(page.Locator("#report-description")).ToHaveValueAsync(description);
        await page.ClickAsync("[data-testid=report-submit]");
        await Assertions.Expect(page.Locator("[data-testid=done-number]")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var number = await page.Locator("[data-testid=done-number]").InnerTextAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<GridGovDbContext>().Cases
            .Where(c => c.Number == number).Select(c => new { c.Description, c.Address }).SingleAsync();
        Assert.Equal(description, stored.Description);
        Assert.Equal("云帆路8号东侧人行道", stored.Address);
    }
}
