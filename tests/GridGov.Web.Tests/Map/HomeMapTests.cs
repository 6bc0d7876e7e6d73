using System.Net;
using System.Text.Json;
using GridGov.Infrastructure.Persistence;
using GridGov.Web.Tests.Infrastructure;
using GridGov.TestSupport.GridGov;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Web.Tests.Map;

public sealed class HomeMapTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private async Task<int> CurrentGridCountAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<GridGovDbContext>().Grids.CountAsync(g => g.ValidTo == null);
    }

    [Fact]
    public async Task A_signed_in_user_sees_the_street_and_a_map_fed_by_the_grids_geojson()
    {
        using var client = app.CreateClient();
        await client.SignInAsync("leader1", DemoStreetDatabaseFixture.DemoPassword);

        var html = await client.GetStringAsync("/");

        Assert.Contains("data-testid=\"grid-map\"", html);
        Assert.Matches(@"_framework/blazor\.web\.(\w+\.)?js", html); // interactive: the map is mounted by the circuit
        Assert.Contains("data-geojson-url=\"/api/map/grids\"", html);
        Assert.Contains("data-testid=\"street-name\"", html);
        Assert.Contains($"data-testid=\"grid-count\">{await CurrentGridCountAsync()}<", html);
    }

    [Fact]
    public async Task The_geojson_holds_every_current_grid_with_its_code_and_named_people()
    {
        using var client = app.CreateClient();
        await client.SignInAsync("dispatcher1", DemoStreetDatabaseFixture.DemoPassword);

        var response = await client.GetAsync("/api/map/grids");
        using var geoJson = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/geo+json", response.Content.Headers.ContentType?.MediaType);
        var features = geoJson.RootElement.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(await CurrentGridCountAsync(), features.Count);
        Assert.All(features, feature =>
        {
            var properties = feature.GetProperty("properties");
            Assert.Matches("^[0-9]{15}$", properties.GetProperty("code").GetString());
            Assert.Equal("Polygon", feature.GetProperty("geometry").GetProperty("type").GetString());
            Assert.False(string.IsNullOrEmpty(properties.GetProperty("leader").GetProperty("name").GetString()));
            Assert.Matches("^1[3-9][0-9]{9}$", properties.GetProperty("leader").GetProperty("phone").GetString());
            Assert.NotEmpty(properties.GetProperty("workers").EnumerateArray());
        });
    }

    [Fact]
    public async Task Health_reports_the_database_as_healthy()
    {
        using var client = app.CreateClient();

        var response = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_unknown_page_shows_the_chinese_not_found_page_with_status_404()
    {
        using var client = app.CreateClient();
        await client.SignInAsync("dispatcher1", DemoStreetDatabaseFixture.DemoPassword);

        var response = await client.GetAsync("/no-such-page");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("页面不存在", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_english_switch_changes_the_interface_language()
    {
        using var client = app.CreateClient();

        var html = await client.GetStringAsync("/account/login?culture=en");

        Assert.Contains("lang=\"en\"", html);
        Assert.Contains("staff sign-in", html);
    }
}
