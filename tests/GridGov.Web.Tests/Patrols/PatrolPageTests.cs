using System.Diagnostics;
using System.Net;
using System.Text.Json;
using GridGov.Application.Patrols;
using GridGov.Domain.Cases;
using GridGov.Infrastructure.Persistence;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static GridGov.Web.Tests.Patrols.PatrolTracks;

namespace GridGov.Web.Tests.Patrols;

/// <summary>The patrol pages over real HTTP: the list with coverage, recording by upload or drawing, refusals, and who may see what.</summary>
public sealed class PatrolPageTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private const string Definition = "覆盖率 = 当日轨迹两侧30米范围覆盖的网格面积 ÷ 网格面积";

    private async Task<int> PatrolCountAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<GridGovDbContext>().Patrols.CountAsync();
    }

    private async Task<(int Patrols, int Cases)> CountsAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
        return (await db.Patrols.CountAsync(), await db.Cases.CountAsync());
    }

    private static Dictionary<string, string> Fields(GridOf grid, DateTimeOffset start, string? trackGeoJson = null) => new()
    {
        ["Input.GridCode"] = grid.GridCode,
        ["Input.StartedAt"] = Local(start),
        ["Input.EndedAt"] = Local(start.AddMinutes(55)),
        ["Input.Notes"] = "沿街巡查，商铺门前整洁",
        ["Input.TrackGeoJson"] = trackGeoJson ?? "",
    };

    private static DateTimeOffset MinutesAgo(int minutes) => DateTimeOffset.UtcNow.AddMinutes(-minutes);

    private static long PatrolIdFrom(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.IsAbsoluteUri ? response.Headers.Location.PathAndQuery : response.Headers.Location.OriginalString;
        Assert.Matches("^/patrols/[0-9]+\\?recorded=true$", location);
        return long.Parse(location["/patrols/".Length..location.IndexOf('?', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
    }

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
    public async Task Uploading_a_gpx_records_the_patrol_and_its_page_shows_the_coverage_and_track()
    {
        var grid = await GridOfAsync(app.Services, "worker1");
        var track = Lawnmower(grid.Boundary);
        using var client = await app.SignedInAsync("worker1");

        var response = await client.PostPatrolAsync(Fields(grid, MinutesAgo(200)), "round.gpx", Gpx(track));

        var id = PatrolIdFrom(response);
        await using var scope = app.Services.CreateAsyncScope();
        var patrol = await scope.ServiceProvider.GetRequiredService<GridGovDbContext>().Patrols.AsNoTracking().SingleAsync(p => p.Id == id);
        Assert.Equal(grid.StaffId, patrol.PatrollerStaffId);
        Assert.Equal(track.NumPoints, patrol.Track.NumPoints);
        Assert.Equal("沿街巡查，商铺门前整洁", patrol.Notes);
        Assert.True(patrol.CoverageShare > 0.8, $"coverage {patrol.CoverageShare:P1}");

        var page = await client.GetStringAsync($"/patrols/{id}?recorded=true");
        Assert.Contains("data-testid=\"patrol-recorded\"", page);
        Assert.Contains($"data-testid=\"patrol-coverage\">{GridGov.Web.Components.Pages.Patrols.PatrolFormat.Percent(patrol.CoverageShare)}<", page);
        Assert.Contains(Definition, page);
        var map = await client.GetAsync($"/patrols/{id}/map");
        Assert.Equal("application/geo+json", map.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await map.Content.ReadAsStringAsync());
        Assert.Equal(["grid", "covered", "track"], json.RootElement.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties").GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task A_gpx_with_times_needs_no_times_typed_in()
    {
        var grid = await GridOfAsync(app.Services, "worker1");
        var start = new DateTimeOffset(DateTimeOffset.UtcNow.AddHours(-30).Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero);
        var track = Lawnmower(grid.Boundary);
        using var client = await app.SignedInAsync("worker1");
        var fields = Fields(grid, start);
        fields["Input.StartedAt"] = "";
        fields["Input.EndedAt"] = "";

        var id = PatrolIdFrom(await client.PostPatrolAsync(fields, "timed.gpx", Gpx(track, start)));

        await using var scope = app.Services.CreateAsyncScope();
        var patrol = await scope.ServiceProvider.GetRequiredService<GridGovDbContext>().Patrols.AsNoTracking().SingleAsync(p => p.Id == id);
        Assert.Equal(start, patrol.StartedAt);
        Assert.Equal(start.AddMinutes(track.NumPoints - 1), patrol.EndedAt);
    }

    [Fact]
    public async Task A_track_drawn_on_the_map_with_a_problem_found_records_the_patrol_and_reports_the_problem()
    {
        var grid = await GridOfAsync(app.Services, "worker1");
        var centre = grid.Boundary.InteriorPoint;
        int category;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            category = await scope.ServiceProvider.GetRequiredService<GridGovDbContext>().Categories.Where(c => c.IsActive).OrderBy(c => c.Code).Select(c => c.Id).FirstAsync();
        }
        using var client = await app.SignedInAsync("worker1");
        var fields = Fields(grid, MinutesAgo(400), GeoJson(Lawnmower(grid.Boundary)));
        fields["Input.Problems[0].CategoryId"] = category.ToString(System.Globalization.CultureInfo.InvariantCulture);
        fields["Input.Problems[0].Description"] = "绿化带内堆放建筑垃圾";
        fields["Input.Problems[0].Longitude"] = centre.X.ToString("0.0000000", System.Globalization.CultureInfo.InvariantCulture);
        fields["Input.Problems[0].Latitude"] = centre.Y.ToString("0.0000000", System.Globalization.CultureInfo.InvariantCulture);
        fields["Input.Problems[1].Description"] = ""; // an untouched block is ignored

        var id = PatrolIdFrom(await client.PostPatrolAsync(fields));

        await using var check = app.Services.CreateAsyncScope();
        var submission = PatrolReports.SubmissionId(id, 0);
        var report = await check.ServiceProvider.GetRequiredService<GridGovDbContext>().Cases.AsNoTracking().SingleAsync(c => c.SubmissionId == submission);
        Assert.Equal(CaseSource.GridWorkerPatrol, report.Source);
        Assert.Equal("绿化带内堆放建筑垃圾", report.Description);
        var page = await client.GetStringAsync($"/patrols/{id}");
        Assert.Contains($"href=\"/cases/{report.Number}\"", page);
        Assert.Contains("data-testid=\"patrol-report\"", page);
    }

    [Fact]
    public async Task A_track_far_outside_the_grid_is_refused_with_the_message_the_file_is_kept_and_nothing_is_written()
    {
        var grid = await GridOfAsync(app.Services, "worker1");
        using var client = await app.SignedInAsync("worker1");
        var before = await CountsAsync();

        var response = await client.PostPatrolAsync(Fields(grid, MinutesAgo(500)), "elsewhere.gpx", Gpx(Lawnmower(grid.Boundary, east: 0.03)));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("轨迹不在该网格内", html);
        Assert.Contains("data-testid=\"patrol-track-kept\"", html);       // no need to upload again
        Assert.Contains("沿街巡查，商铺门前整洁", html);                    // what was typed stays
        Assert.Matches("id=\"patrol-track\" name=\"Input.TrackGeoJson\" value=\"\\{", html);
        Assert.Equal(before, await CountsAsync());
    }

    [Theory]
    [InlineData("broken.gpx", "<gpx><trk><trkseg><trkpt lat=\"31.3\" lon=\"120.6\"></trkseg>", "轨迹文件无法解析")]
    [InlineData("point.geojson", "{\"type\":\"Point\",\"coordinates\":[120.6,31.3]}", "不是线状轨迹")]
    [InlineData("mercator.geojson", "{\"type\":\"LineString\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"EPSG:3857\"}},\"coordinates\":[[13425000,3670000],[13425100,3670100]]}", "坐标系不对")]
    [InlineData("xxe.gpx", "<?xml version=\"1.0\"?><!DOCTYPE gpx [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><gpx><trk><trkseg><trkpt lat=\"31.3\" lon=\"120.6\"><name>&x;</name></trkpt></trkseg></trk></gpx>", "DOCTYPE")]
    public async Task A_bad_track_file_is_refused_with_what_is_wrong_and_nothing_is_written(string fileName, string content, string message)
    {
        var grid = await GridOfAsync(app.Services, "worker1");
        using var client = await app.SignedInAsync("worker1");
        var before = await PatrolCountAsync();

        var response = await client.PostPatrolAsync(Fields(grid, MinutesAgo(600)), fileName, content);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-testid=\"patrol-errors\"", html);
        Assert.Contains(message, html);
        Assert.DoesNotContain("root:", html);
        Assert.Equal(before, await PatrolCountAsync());
    }

    [Fact]
    public async Task A_point_drawn_instead_of_a_line_is_refused_and_the_drawing_is_cleared()
    {
        var grid = await GridOfAsync(app.Services, "worker1");
        using var client = await app.SignedInAsync("worker1");
        var before = await PatrolCountAsync();

        var response = await client.PostPatrolAsync(Fields(grid, MinutesAgo(700), "{\"type\":\"Point\",\"coordinates\":[120.6,31.3]}"));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Contains("不是线状轨迹", html);
        Assert.Matches("id=\"patrol-track\" name=\"Input.TrackGeoJson\"(?! value=\"\\{)", html);
        Assert.Equal(before, await PatrolCountAsync());
    }

    [Fact]
    public async Task Sending_neither_a_file_nor_a_drawing_asks_for_a_track()
    {
        var grid = await GridOfAsync(app.Services, "worker1");
        using var client = await app.SignedInAsync("worker1");

        var html = await (await client.PostPatrolAsync(Fields(grid, MinutesAgo(800)))).Content.ReadAsStringAsync();

        Assert.Contains("请上传轨迹文件，或在地图上画出巡查路线", html);
    }

    [Fact]
    public async Task A_half_filled_problem_is_refused_and_nothing_is_written()
    {
        var grid = await GridOfAsync(app.Services, "worker1");
        using var client = await app.SignedInAsync("worker1");
        var before = await CountsAsync();
        var fields = Fields(grid, MinutesAgo(900), GeoJson(Lawnmower(grid.Boundary)));
        fields["Input.Problems[0].Description"] = "井盖缺失";

        var html = await (await client.PostPatrolAsync(fields)).Content.ReadAsStringAsync();

        Assert.Contains("第1个问题不完整", html);
        Assert.Contains("井盖缺失", html);
        Assert.Equal(before, await CountsAsync());
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

    [Fact]
    public async Task The_patrol_pages_render_in_under_300_ms()
    {
        using var worker = await app.SignedInAsync("worker1");
        using var street = await app.SignedInAsync("streetleader1");
        long id;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var grid = await GridOfAsync(app.Services, "worker1");
            id = await scope.ServiceProvider.GetRequiredService<GridGovDbContext>().Patrols
                .Where(p => p.PatrollerStaffId == grid.StaffId).OrderByDescending(p => p.StartedAt).Select(p => p.Id).FirstAsync();
        }

        foreach (var (client, url) in new[] { (worker, "/patrols"), (worker, "/patrols/new"), (worker, $"/patrols/{id}"), (street, "/patrols") })
        {
            var best = TimeSpan.MaxValue;
            for (var attempt = 0; attempt < 4; attempt++)
            {
                var watch = Stopwatch.StartNew();
                using var response = await client.GetAsync(url);
                await response.Content.ReadAsStringAsync();
                watch.Stop();
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                best = watch.Elapsed < best ? watch.Elapsed : best;
            }
            Assert.True(best < TimeSpan.FromMilliseconds(300), $"{url} took {best.TotalMilliseconds:0} ms");
        }
    }
}
