using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using GridGov.Domain.Organisation;
using GridGov.Infrastructure.Persistence;
using GridGov.TestSupport.GridGov;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Web.Tests.Grids;

public sealed partial class GridDirectoryTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private sealed record Person(string GridCode, string Name, string Phone, string CommunityCode, string CommunityName);

    /// <summary>leader1: the named leader of the first grid of community 001.</summary>
    private async Task<Person> Leader1Async()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
        return await db.Users.Where(u => u.UserName == "leader1")
            .Join(db.GridAssignments, u => u.StaffMemberId, a => a.StaffMemberId, (u, a) => a)
            .Where(a => a.Duty == GridDuty.Leader)
            .Join(db.Grids.Where(g => g.ValidTo == null), a => a.GridCode, g => g.Code, (a, g) => new Person(
                g.Code, a.StaffMember!.Name, a.StaffMember.Phone, g.Community!.Code, g.Community.Name))
            .SingleAsync();
    }

    private async Task<int> CurrentGridCountAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<GridGovDbContext>().Grids.CountAsync(g => g.ValidTo == null);
    }

    private async Task<HttpClient> SignedInAsync(string userName = "worker1")
    {
        var client = app.CreateClient();
        await client.SignInAsync(userName, DemoStreetDatabaseFixture.DemoPassword);
        return client;
    }

    private static IReadOnlyList<string> ListedGrids(string html) =>
        ListedGrid().Matches(html).Select(m => m.Groups[1].Value).ToList();

    [GeneratedRegex("data-testid=\"grid-row\" data-grid-code=\"([0-9]{15})\"")]
    private static partial Regex ListedGrid();

    [Fact]
    public async Task The_directory_lists_every_current_grid_of_the_demo_street_with_its_named_people()
    {
        using var client = await SignedInAsync();
        var leader = await Leader1Async();

        var html = await client.GetStringAsync("/grids");

        var grids = ListedGrids(html);
        Assert.Equal(await CurrentGridCountAsync(), grids.Count);
        Assert.InRange(grids.Count, 60, 70); // the demo street has about 64 grids
        Assert.Equal(grids.Count, grids.Distinct().Count());
        Assert.Contains(leader.GridCode, grids);
        Assert.Contains(leader.Name, html);
        Assert.Contains($"href=\"tel:{leader.Phone}\"", html);
        Assert.Contains("data-geojson-url=\"/api/map/grids\"", html);
        Assert.Contains($"href=\"/grids/{leader.GridCode}/notice\"", html);
    }

    [Fact]
    public async Task Searching_a_leaders_name_finds_their_grid()
    {
        using var client = await SignedInAsync();
        var leader = await Leader1Async();

        var grids = ListedGrids(await client.GetStringAsync("/grids?q=" + Uri.EscapeDataString(leader.Name)));

        Assert.Contains(leader.GridCode, grids);
        Assert.True(grids.Count < await CurrentGridCountAsync());
    }

    [Fact]
    public async Task Searching_a_phone_number_or_a_grid_code_finds_exactly_that_grid()
    {
        using var client = await SignedInAsync();
        var leader = await Leader1Async();

        Assert.Equal(new[] { leader.GridCode }, ListedGrids(await client.GetStringAsync("/grids?q=" + leader.Phone)));
        Assert.Equal(new[] { leader.GridCode }, ListedGrids(await client.GetStringAsync("/grids?q=" + leader.GridCode)));
    }

    [Fact]
    public async Task Filtering_by_community_lists_only_its_grids_and_feeds_the_map_the_same_grids()
    {
        using var client = await SignedInAsync();
        var leader = await Leader1Async();

        var html = await client.GetStringAsync("/grids?community=" + leader.CommunityCode);
        var grids = ListedGrids(html);
        var mapUrl = WebUtility.HtmlDecode(Regex.Match(html, "data-geojson-url=\"([^\"]+)\"").Groups[1].Value);
        using var geoJson = JsonDocument.Parse(await client.GetStringAsync(mapUrl));
        var mapped = geoJson.RootElement.GetProperty("features").EnumerateArray()
            .Select(f => f.GetProperty("properties").GetProperty("code").GetString()!).ToList();

        Assert.NotEmpty(grids);
        Assert.All(grids, code => Assert.StartsWith(leader.CommunityCode, code));
        Assert.Contains(leader.GridCode, grids);
        Assert.StartsWith("/api/grids/directory.geojson?", mapUrl);
        Assert.Equal(grids, mapped);
        var first = geoJson.RootElement.GetProperty("features")[0];
        Assert.Equal("Polygon", first.GetProperty("geometry").GetProperty("type").GetString());
        Assert.Equal(leader.CommunityName, first.GetProperty("properties").GetProperty("communityName").GetString());
    }

    [Fact]
    public async Task A_search_that_finds_nothing_says_so_in_chinese()
    {
        using var client = await SignedInAsync();

        var html = await client.GetStringAsync("/grids?q=" + Uri.EscapeDataString("不存在的人名"));

        Assert.Empty(ListedGrids(html));
        Assert.Contains("没有找到符合条件的网格", html);
    }

    [Fact]
    public async Task The_notice_shows_the_grid_code_the_leader_with_phone_the_hotline_and_an_svg_sketch()
    {
        using var client = await SignedInAsync("dispatcher1");
        var leader = await Leader1Async();

        var response = await client.GetAsync($"/grids/{leader.GridCode}/notice");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("网格化服务管理公示牌", html);
        Assert.Contains($"data-testid=\"notice-grid-code\">{leader.GridCode}<", html);
        Assert.Contains(leader.Name, html);
        Assert.Contains(leader.Phone, html); // in full: a public notice by design
        Assert.Contains(leader.CommunityName, html);
        Assert.Contains("12345", html);
        Assert.Matches("<svg[^>]*viewBox=", html);
        Assert.Matches($"<polygon class=\"gg-notice-subject\" points=\"([0-9.]+,[0-9.]+ ){{2,}}[0-9.]+,[0-9.]+\"[^>]*data-grid-code=\"{leader.GridCode}\"", html);
        Assert.Contains("css/print.css", html);
    }

    [Fact]
    public async Task An_unknown_grid_code_gives_the_chinese_not_found_page()
    {
        using var client = await SignedInAsync();

        var unknown = await client.GetAsync("/grids/999999999999999/notice");
        var malformed = await client.GetAsync("/grids/not-a-code/notice");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("页面不存在", await unknown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, malformed.StatusCode);
        Assert.Contains("页面不存在", await malformed.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/grids")]
    [InlineData("/grids/320508019001001/notice")]
    public async Task An_anonymous_visitor_gets_no_directory(string url)
    {
        using var client = app.CreateClient();

        var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/login", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task An_anonymous_visitor_gets_401_and_no_geojson()
    {
        using var client = app.CreateClient();

        var response = await client.GetAsync("/api/grids/directory.geojson?q=a");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("FeatureCollection", await response.Content.ReadAsStringAsync());
    }
}
