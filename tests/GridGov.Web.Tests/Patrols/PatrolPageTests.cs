using System.Net;
using System.Text.Json;
using GridGov.Infrastructure.Persistence;
using GridGov.Web.Components.Pages.Patrols;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static GridGov.Web.Tests.Patrols.PatrolTracks;

namespace GridGov.Web.Tests.Patrols;

/// <summary>
/// The patrol pages over real HTTP: the list with coverage, a patrol's prerendered page and map layer, and who may see
/// what. Recording a patrol is interactive: its tests are in Components/PatrolNewComponentTests and PatrolBadInputTests.
/// </summary>
public sealed class PatrolPageTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private const string Definition = "覆盖率 = 当日轨迹两侧30米范围覆盖的网格面积 ÷ 网格面积";

    [Fact]
    public async Task A_grid_worker_sees_their_patrols_todays_coverage_their_full_days_and_the_coverage_definition()
    {
        using var client = await app.SignedInAsync("worker1");

        var html = await client.GetStringAsync($"/patrols?month={LastMonth()}");

        Assert.Matches("data-testid=\"patrol-scope\"[^>]*>我的巡查<", html);
        Assert.Contains(Definition, html);
        Assert.Contains("data-testid=\"today-coverage\"", html);
        Assert.Contains("data-testid=\"my-full-days\"", html);
        Assert.Contains("data-testid=\"patrol-row\"", html); // the demo street has last month's patrols
        Assert.Contains("data-testid=\"patrol-days\"", html); // the worker's own month, prerendered
        Assert.Contains("href=\"/patrols/new\"", html);
    }

    [Fact]
    public async Task A_patrols_page_shows_its_coverage_and_its_map_layer_gives_the_grid_the_covered_area_and_the_track()
    {
        var grid = await GridOfAsync(app.Services, "worker1");
        var patrol = await app.DbAsync(db => db.Patrols.Where(p => p.PatrollerStaffId == grid.StaffId)
            .OrderByDescending(p => p.StartedAt).Select(p => new { p.Id, p.CoverageShare }).FirstAsync());
        using var client = await app.SignedInAsync("worker1");

        var page = await client.GetStringAsync($"/patrols/{patrol.Id}?recorded=true");
        var map = await client.GetAsync($"/patrols/{patrol.Id}/map");

        Assert.Contains("data-testid=\"patrol-recorded\"", page);
        Assert.Contains($"data-testid=\"patrol-coverage\">{PatrolFormat.Percent(patrol.CoverageShare)}<", page);
        Assert.Contains(Definition, page);
        Assert.Equal("application/geo+json", map.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await map.Content.ReadAsStringAsync());
        Assert.Equal(["grid", "covered", "track"], json.RootElement.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties").GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task Only_grid_staff_may_record_and_a_department_handler_may_not_see_patrols()
    {
        using var secretary = await app.SignedInAsync("secretary1");
        using var handler = await app.SignedInAsync("handler1");

        var secretaryForm = await secretary.GetAsync("/patrols/new");
        var secretaryList = await secretary.GetAsync("/patrols");
        var handlerList = await handler.GetAsync("/patrols");

        Assert.Equal(HttpStatusCode.Redirect, secretaryForm.StatusCode);
        Assert.Contains("/error/403", secretaryForm.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, secretaryList.StatusCode);
        Assert.Contains("本社区各网格的巡查", await secretaryList.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, handlerList.StatusCode);
    }

    [Fact]
    public async Task A_secretary_sees_patrols_of_their_community_only()
    {
        long own, other;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
            var communityId = await db.Users.Where(u => u.UserName == "secretary1")
                .Join(db.StaffMembers, u => u.StaffMemberId, s => s.Id, (u, s) => s.CommunityId).SingleAsync();
            own = await db.Patrols.Where(p => db.Grids.Any(g => g.Id == p.GridId && g.CommunityId == communityId)).Select(p => p.Id).FirstAsync();
            other = await db.Patrols.Where(p => db.Grids.Any(g => g.Id == p.GridId && g.CommunityId != communityId)).Select(p => p.Id).FirstAsync();
        }
        using var client = await app.SignedInAsync("secretary1");

        var ownPage = await client.GetAsync($"/patrols/{own}");
        var otherPage = await client.GetAsync($"/patrols/{other}");
        var otherMap = await client.GetAsync($"/patrols/{other}/map");

        Assert.Equal(HttpStatusCode.OK, ownPage.StatusCode);
        Assert.Contains("data-testid=\"patrol-detail\"", await ownPage.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, otherPage.StatusCode);
        Assert.DoesNotContain("data-testid=\"patrol-detail\"", await otherPage.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, otherMap.StatusCode);
    }
}
