using System.Text.Json;
using GridGov.Infrastructure.Persistence;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace GridGov.Web.Tests.Browser;

/// <summary>
/// The grid editor (网格划分) in Chromium, with the mouse on the Leaflet-Geoman map: a corner dragged into the neighbour is
/// refused as the person drags (the rule shown, saving disabled), dragged inward it is saved with history; a grid is cut in
/// two by a line drawn across it and the new grid appears with what moved.
/// </summary>
public sealed class GridEditorBrowserTests(WebAppFixture app, ChromiumFixture chromium)
    : IClassFixture<WebAppFixture>, IClassFixture<ChromiumFixture>
{
    private async Task<(IPage Page, List<string> Errors)> OpenAsync()
    {
        var page = await chromium.SignedInPageAsync(app.BaseAddress, "admin1", 1440, 900);
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        await page.GotoAsync("/admin/grids");
        await page.Locator("[data-testid=editor-map][data-map-state=ready][data-loaded-grids]").WaitForAsync(new LocatorWaitForOptions { Timeout = 20_000 });
        return (page, errors);
    }

    /// <summary>The page position of a longitude/latitude on the editor's map.</summary>
    private static async Task<(float X, float Y)> PixelAsync(IPage page, double longitude, double latitude)
    {
        var point = await page.EvaluateAsync<JsonElement>("""
            ([lng, lat]) => {
              const element = document.querySelector('[data-testid=editor-map]');
              const p = element._gridEditor.map.latLngToContainerPoint([lat, lng]);
              const box = element.getBoundingClientRect();
              return { x: box.left + p.x, y: box.top + p.y };
            }
            """, new[] { longitude, latitude });
        return ((float)point.GetProperty("x").GetDouble(), (float)point.GetProperty("y").GetDouble());
    }

    /// <summary>Drags with the mouse from one longitude/latitude of the map to another (a Geoman vertex, here).</summary>
    private static async Task DragAsync(IPage page, (double X, double Y) from, (double X, double Y) to)
    {
        var (fromX, fromY) = await PixelAsync(page, from.X, from.Y);
        var (toX, toY) = await PixelAsync(page, to.X, to.Y);
        await page.Mouse.MoveAsync(fromX, fromY);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(toX, toY, new MouseMoveOptions { Steps = 8 });
        await page.Mouse.UpAsync();
    }

    private async Task<(string Code, NetTopologySuite.Geometries.Polygon Boundary)> GridAsync(int skip)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var grid = await scope.ServiceProvider.GetRequiredService<GridGovDbContext>().Grids.AsNoTracking()
            .Where(g => g.ValidTo == null).OrderBy(g => g.Code).Skip(skip).FirstAsync();
        return (grid.Code, grid.Boundary);
    }

    private static async Task SelectAsync(IPage page, string code)
    {
        await page.Locator($"[data-testid=editor-grid][data-grid-code='{code}']").ClickAsync();
        await page.Locator($"[data-testid=editor-detail][data-grid-code='{code}']").WaitForAsync();
    }

    [Fact]
    public async Task A_corner_dragged_into_the_neighbour_is_refused_as_it_is_dragged_and_one_dragged_inward_is_saved_with_history()
    {
        var (page, errors) = await OpenAsync();
        var (code, boundary) = await GridAsync(0);
        await SelectAsync(page, code);
        await page.ClickAsync("[data-testid=editor-redraw]");
        await page.Locator("[data-testid=editor-map][data-editor-mode=redraw]").WaitForAsync();

        // The south-east corner (the north-west one sits under the zoom buttons), dragged outward (into the neighbours or out of
        // the street, staying on the map), then from where it is now well inside, towards the centre: both far enough from any
        // corner or edge that Geoman's snapping (18 px) does not pull the corner back where it was.
        var index = Enumerable.Range(0, boundary.ExteriorRing.NumPoints - 1).MaxBy(i => boundary.ExteriorRing.GetCoordinateN(i).X - boundary.ExteriorRing.GetCoordinateN(i).Y);
        var corner = boundary.ExteriorRing.GetCoordinateN(index);
        var centre = boundary.Centroid.Coordinate;
        await DragAsync(page, (corner.X, corner.Y), (corner.X + (corner.X - centre.X) * 0.35, corner.Y + (corner.Y - centre.Y) * 0.35));

        await Assertions.Expect(page.Locator("[data-testid=editor-problems]")).ToContainTextAsync("网格边界");
        await Assertions.Expect(page.Locator("[data-testid=editor-save]")).ToBeDisabledAsync();

        var moved = await page.EvaluateAsync<double[]>("i => { const p = document.querySelector('[data-testid=editor-map]')._gridEditor.shape.getLatLngs()[0][i]; return [p.lng, p.lat]; }", index);
        await DragAsync(page, (moved[0], moved[1]), (corner.X + (centre.X - corner.X) * 0.4, corner.Y + (centre.Y - corner.Y) * 0.4));
        await page.Locator("[data-testid=editor-shape-ok]").WaitForAsync();
        await page.ClickAsync("[data-testid=editor-save]");

        await Assertions.Expect(page.Locator("[data-testid=editor-result]")).ToContainTextAsync(code);
        await Assertions.Expect(page.Locator("[data-testid=editor-versions] li")).ToHaveCountAsync(2);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
        var grid = await db.Grids.AsNoTracking().SingleAsync(g => g.Code == code);
        Assert.True(grid.Boundary.Area < boundary.Area, $"the corner moved inward, so the grid is smaller: {boundary.AsText()} -> {grid.Boundary.AsText()}");
        Assert.True((await db.GridBoundaryVersions.AsNoTracking().SingleAsync(v => v.GridId == grid.Id)).Boundary.EqualsTopologically(boundary));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_line_drawn_across_a_grid_splits_it_and_the_new_grid_is_listed_with_what_moved()
    {
        var (page, errors) = await OpenAsync();
        var (code, boundary) = await GridAsync(3);
        await SelectAsync(page, code);
        var before = await page.Locator("[data-testid=editor-grid]").CountAsync();
        await page.ClickAsync("[data-testid=editor-split]");
        await page.Locator("[data-testid=editor-map][data-editor-mode=cut]").WaitForAsync();

        // A north–south line through the middle, from just outside the grid to just outside on the other side.
        var envelope = boundary.EnvelopeInternal;
        var middle = (envelope.MinX + envelope.MaxX) / 2;
        var (topX, topY) = await PixelAsync(page, middle, envelope.MaxY + envelope.Height * 0.05);
        var (bottomX, bottomY) = await PixelAsync(page, middle, envelope.MinY - envelope.Height * 0.05);
        await page.Mouse.ClickAsync(topX, topY);
        await page.Mouse.ClickAsync(bottomX, bottomY);
        await page.Mouse.ClickAsync(bottomX, bottomY); // a click on the last corner finishes the line

        await page.Locator("[data-testid=editor-map][data-editor-mode=parts]").WaitForAsync();
        await page.FillAsync("[data-testid=editor-name]", "浏览器拆分网格");
        await page.ClickAsync("[data-testid=editor-save]");

        await page.Locator("[data-testid=editor-result], [data-testid=editor-error], .mud-input-error").First.WaitForAsync();
        Assert.Equal("", string.Join(" ", await page.Locator("[data-testid=editor-error], .mud-input-error").AllInnerTextsAsync()));
        await Assertions.Expect(page.Locator("[data-testid=editor-result]")).ToContainTextAsync("随之调整");
        await Assertions.Expect(page.Locator("[data-testid=editor-grid]")).ToHaveCountAsync(before + 1);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
        var created = await db.Grids.AsNoTracking().SingleAsync(g => g.Name == "浏览器拆分网格");
        var kept = await db.Grids.AsNoTracking().SingleAsync(g => g.Code == code);
        Assert.Equal(boundary.Area, created.Boundary.Area + kept.Boundary.Area, 9);
        await Assertions.Expect(page.Locator($"[data-testid=editor-detail][data-grid-code='{created.Code}']")).ToBeVisibleAsync();
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_community_corner_dragged_inward_leaves_its_grids_outside_and_is_refused_before_saving()
    {
        var (page, errors) = await OpenAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var community = await scope.ServiceProvider.GetRequiredService<GridGovDbContext>().Communities.AsNoTracking().OrderBy(c => c.Code).FirstAsync();
        await page.ClickAsync("[data-testid=editor-community-redraw]");
        await page.Locator("[data-testid=editor-map][data-editor-mode=redraw]").WaitForAsync();

        var corner = community.Boundary.ExteriorRing.GetCoordinateN(0);
        var centre = community.Boundary.Centroid.Coordinate;
        await DragAsync(page, (corner.X, corner.Y), (corner.X + (centre.X - corner.X) * 0.5, corner.Y + (centre.Y - corner.Y) * 0.5));

        await Assertions.Expect(page.Locator("[data-testid=editor-problems]")).ToContainTextAsync("本社区的网格超出新边界");
        await Assertions.Expect(page.Locator("[data-testid=editor-save]")).ToBeDisabledAsync();
        await page.ClickAsync("[data-testid=editor-cancel]");
        await page.Locator("[data-testid=editor-map][data-editor-mode=view]").WaitForAsync();
        var stored = await scope.ServiceProvider.GetRequiredService<GridGovDbContext>().Communities.AsNoTracking().SingleAsync(c => c.Id == community.Id);
        Assert.True(stored.Boundary.EqualsExact(community.Boundary));
        Assert.Empty(errors);
    }
}
