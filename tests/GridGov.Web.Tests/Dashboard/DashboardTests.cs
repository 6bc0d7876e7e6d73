using System.Globalization;
using System.Net;
using System.Text.Json;
using GridGov.Application.Dashboard;
using GridGov.Domain.Calendar;
using GridGov.Domain.Cases;
using GridGov.TestSupport.GridGov;
using GridGov.Web.Components.Pages.Dashboard;
using GridGov.Web.Resources;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Web.Tests.Dashboard;

public sealed class DashboardTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private static readonly CaseState[] OpenStates = Enum.GetValues<CaseState>().Where(CaseWorkflow.IsOpen).ToArray();

    private async Task<HttpClient> SignedInAsync(string userName)
    {
        var client = app.CreateClient();
        await client.SignInAsync(userName, DemoStreetDatabaseFixture.DemoPassword);
        return client;
    }

    private static void AssertRefused(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Forbidden
                    || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("/error/403", StringComparison.Ordinal)),
            $"{response.RequestMessage!.RequestUri} answered {(int)response.StatusCode} {response.Headers.Location}");
    }

    [Theory]
    [InlineData("dispatcher1")]
    [InlineData("streetleader1")]
    public async Task The_dashboard_renders_for_dispatchers_and_street_leaders_with_its_counters_in_the_interactive_shell_and_no_polling(string userName)
    {
        using var client = await SignedInAsync(userName);

        var response = await client.GetAsync("/dashboard");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<title>指挥中心 · 网格化服务管理中心</title>", html);
        Assert.Equal(DashboardTestData.CounterIds, DashboardTestData.Counters(html).Keys);
        Assert.Contains("新上报待立案", html);
        Assert.Contains("data-dashboard-map", html);
        Assert.Contains("data-grids-url=\"/api/map/grids\"", html);
        Assert.Contains("data-testid=\"dashboard-charts\"", html);
        Assert.Matches(@"_framework/blazor\.web\.(\w+\.)?js", html); // interactive: the page is pushed its updates over the circuit
        Assert.DoesNotContain("hx-get", html);
        Assert.DoesNotContain("hx-trigger", html);
    }

    [Fact]
    public async Task The_dashboard_speaks_english_when_asked()
    {
        using var client = await SignedInAsync("dispatcher1");

        var html = await client.GetStringAsync("/dashboard?culture=en");

        Assert.Contains("Dispatch center", html);
        Assert.Contains("New reports to register", html);
        Assert.DoesNotContain("新上报待立案", html);
    }

    [Theory]
    [InlineData("worker1")]
    [InlineData("handler1")]
    public async Task The_dashboard_and_its_data_are_refused_to_grid_workers_and_department_handlers(string userName)
    {
        using var client = await SignedInAsync(userName);

        foreach (var url in new[] { "/dashboard", "/api/dashboard/cases", "/api/dashboard/charts" })
        {
            using var response = await client.GetAsync(url);
            AssertRefused(response);
        }
    }

    [Fact]
    public async Task Someone_not_signed_in_is_sent_to_sign_in()
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/dashboard");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/login", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_counters_match_a_count_of_the_cases_in_the_database()
    {
        var streetLeader = await app.ActorAsync("streetleader1");
        var dispatcher = await app.ActorAsync("dispatcher1");
        var handler = await app.ActorAsync("handler1");
        var overdue = await app.ReportAsync();
        await app.MakeOverdueAsync(overdue.Id);
        var registered = await app.ReportAsync(DashboardTestData.StreetVending);
        await app.DoAsync(s => s.RegisterAsync(registered.Id, dispatcher, null, null));
        var accepted = await app.DispatchedAsync();
        await app.DoAsync(s => s.AcceptAsync(accepted.Id, handler));
        await app.DoAsync(s => s.SuperviseAsync(accepted.Id, streetLeader, "请加快处置进度"));
        await app.ArchivedAsync();
        var rejected = await app.ReportAsync();
        await app.DoAsync(s => s.RejectAsync(rejected.Id, dispatcher, "重复上报"));
        using var client = await SignedInAsync("dispatcher1");

        var html = await client.GetStringAsync("/dashboard");
        var counters = DashboardTestData.Counters(html);
        var now = DashboardTestData.CountedAt(html);

        var today = WorkingCalendar.ChinaDate(now);
        var todayStart = new DateTimeOffset(today.ToDateTime(TimeOnly.MinValue), WorkingCalendar.ChinaOffset).ToUniversalTime();
        var expected = await app.DbAsync(async db => new Dictionary<string, int>
        {
            ["awaiting-registration"] = await db.Cases.CountAsync(c => c.State == CaseState.Reported),
            ["to-dispatch"] = await db.Cases.CountAsync(c => c.State == CaseState.Registered || c.State == CaseState.Returned),
            ["in-progress"] = await db.Cases.CountAsync(c => c.State == CaseState.Dispatched || c.State == CaseState.InProgress),
            ["overdue"] = await db.Cases.CountAsync(c => c.CurrentDue != null && c.CurrentDue <= now),
            ["supervised"] = await db.Cases.CountAsync(c => c.IsSupervised && OpenStates.Contains(c.State)),
            ["closed-today"] = await db.Cases.CountAsync(c => c.State == CaseState.Archived && c.ClosedAt >= todayStart && c.ClosedAt < todayStart.AddDays(1)),
        });
        Assert.Equal(expected, counters);
        Assert.All(expected, pair => Assert.True(pair.Value > 0, $"the test made no case for {pair.Key}"));
        Assert.DoesNotContain("data-testid=\"dashboard-empty\"", html);
    }

    [Fact]
    public async Task The_closed_today_counter_links_to_a_list_of_exactly_the_cases_it_counts()
    {
        var closedToday = await app.ArchivedAsync();
        var closedEarlier = await app.ArchivedAsync();
        await app.DbAsync(db => db.Cases.Where(c => c.Id == closedEarlier.Id)
            .ExecuteUpdateAsync(set => set.SetProperty(c => c.ClosedAt, c => c.ClosedAt!.Value.AddDays(-2))));
        using var client = await SignedInAsync("dispatcher1");

        var counters = await client.GetStringAsync("/dashboard");
        var link = DashboardTestData.CounterLink(counters, "closed-today");
        var list = await client.GetStringAsync(link);

        var today = WorkingCalendar.ChinaDate(DashboardTestData.CountedAt(counters)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.Equal($"/cases?state=Archived&closedOn={today}", link);
        Assert.Contains($"data-total=\"{DashboardTestData.Counters(counters)["closed-today"]}\"", list);
        Assert.Contains($"href=\"/cases/{closedToday.Number}\"", list);
        Assert.DoesNotContain(closedEarlier.Number, list);
        Assert.Matches($"data-testid=\"case-closed-on\"[^\u0000]{{0,3000}}?value=\"{today}\"", list); // the filter shows, to be cleared or changed
    }

    [Fact]
    public async Task A_case_reported_now_raises_the_waiting_for_registration_counter_by_one_on_the_next_visit()
    {
        using var client = await SignedInAsync("streetleader1");
        var before = DashboardTestData.Counters(await client.GetStringAsync("/dashboard"))["awaiting-registration"];

        await app.ReportAsync();

        var after = DashboardTestData.Counters(await client.GetStringAsync("/dashboard"))["awaiting-registration"];
        Assert.Equal(before + 1, after);
    }

    [Theory]
    [InlineData("/dashboard/counters")]
    [InlineData("/dashboard/grids/320508021001001/cases")]
    public async Task The_old_polled_fragments_are_gone(string url)
    {
        using var client = await SignedInAsync("dispatcher1");

        using var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_cases_geojson_lists_only_open_cases_with_their_point_warning_and_link()
    {
        var dispatcher = await app.ActorAsync("dispatcher1");
        var overdue = await app.ReportAsync();
        await app.MakeOverdueAsync(overdue.Id);
        var inProgress = await app.DispatchedAsync();
        var rejected = await app.ReportAsync();
        await app.DoAsync(s => s.RejectAsync(rejected.Id, dispatcher, "不属于受理范围"));
        var archived = await app.ArchivedAsync();
        using var client = await SignedInAsync("dispatcher1");

        using var response = await client.GetAsync("/api/dashboard/cases");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/geo+json", response.Content.Headers.ContentType?.MediaType);
        var open = await app.DbAsync(db => db.Cases.Where(c => OpenStates.Contains(c.State))
            .Select(c => new { c.Number, c.State, c.Location }).ToDictionaryAsync(c => c.Number));
        var features = json.RootElement.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(open.Count, features.Count);
        var byNumber = new Dictionary<string, JsonElement>();
        foreach (var feature in features)
        {
            var properties = feature.GetProperty("properties");
            var number = properties.GetProperty("number").GetString()!;
            byNumber.Add(number, properties);
            var coordinates = feature.GetProperty("geometry").GetProperty("coordinates");
            Assert.Equal(open[number].Location.X, coordinates[0].GetDouble(), tolerance: 1e-6);
            Assert.Equal(open[number].Location.Y, coordinates[1].GetDouble(), tolerance: 1e-6);
            Assert.Equal(open[number].State.ChineseName(), properties.GetProperty("state").GetString());
            Assert.Contains(properties.GetProperty("warning").GetString(), new[] { "none", "yellow", "red" });
            Assert.Equal($"/cases/{number}", properties.GetProperty("url").GetString());
            Assert.False(string.IsNullOrEmpty(properties.GetProperty("category").GetString()));
        }
        Assert.Equal("red", byNumber[overdue.Number].GetProperty("warning").GetString());
        Assert.Equal("已派遣", byNumber[inProgress.Number].GetProperty("state").GetString());
        Assert.DoesNotContain(rejected.Number, byNumber.Keys);
        Assert.DoesNotContain(archived.Number, byNumber.Keys);
    }

    [Fact]
    public async Task The_chart_data_counts_this_months_cases_by_category_per_day_and_department()
    {
        await app.ReportAsync(DashboardTestData.ExposedRubbish);
        await app.ReportAsync(DashboardTestData.ExposedRubbish);
        await app.ReportAsync(DashboardTestData.StreetVending);
        await app.ArchivedAsync();
        using var client = await SignedInAsync("streetleader1");

        using var json = JsonDocument.Parse(await client.GetStringAsync("/api/dashboard/charts"));

        var root = json.RootElement;
        var today = WorkingCalendar.ChinaDate(DateTimeOffset.UtcNow);
        var monthStart = new DateTimeOffset(new DateTime(today.Year, today.Month, 1, 0, 0, 0, DateTimeKind.Unspecified), WorkingCalendar.ChinaOffset).ToUniversalTime();
        var expected = await app.DbAsync(db => db.Cases.Where(c => c.ReportedAt >= monthStart)
            .Join(db.Categories, c => c.CategoryId, k => k.Id, (c, k) => k.MajorId)
            .Join(db.CategoryMajors, id => id, m => m.Id, (id, m) => m.Name)
            .GroupBy(name => name).Select(g => new { Name = g.Key, Cases = g.Count() })
            .ToDictionaryAsync(g => g.Name, g => g.Cases));
        var categories = root.GetProperty("byCategory").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("cases").GetInt32());
        Assert.Equal(expected, categories);
        Assert.Contains("市容环境", categories.Keys);
        Assert.Contains("街面秩序", categories.Keys);

        var daily = root.GetProperty("daily").EnumerateArray().ToList();
        Assert.Equal(today.Day, daily.Count);
        Assert.Equal(today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), daily[^1].GetProperty("day").GetString());
        Assert.Equal(expected.Values.Sum(), daily.Sum(d => d.GetProperty("reported").GetInt32()));
        Assert.True(daily[^1].GetProperty("closed").GetInt32() >= 1);
        Assert.All(root.GetProperty("departments").EnumerateArray(), d =>
            Assert.InRange(d.GetProperty("closed").GetInt32(), 0, d.GetProperty("due").GetInt32()));
    }

    [Fact]
    public async Task A_grids_popup_data_lists_its_open_cases_with_links_and_an_unknown_or_malformed_grid_is_not_found()
    {
        var gridCode = await app.GridOfAsync("leader1");
        var reported = await app.ReportAsync(gridCode: gridCode);

        var json = JsonSerializer.Serialize(DashboardGeoJson.GridCases(await app.WithAsync(p => p.GetRequiredService<DashboardQueries>().GridCasesAsync(gridCode)), Localizers.For<DomainNamesResource>()),
            new JsonSerializerOptions(JsonSerializerDefaults.Web));
        var unknown = JsonSerializer.Serialize(DashboardGeoJson.GridCases(await app.WithAsync(p => p.GetRequiredService<DashboardQueries>().GridCasesAsync("999999999999999")), Localizers.For<DomainNamesResource>()));

        using var grid = JsonDocument.Parse(json);
        var open = await app.DbAsync(db => db.Cases.CountAsync(c => c.GridCode == gridCode && OpenStates.Contains(c.State)));
        Assert.Equal(open, grid.RootElement.GetProperty("total").GetInt32());
        Assert.Contains(grid.RootElement.GetProperty("cases").EnumerateArray(), row => row.GetProperty("url").GetString() == $"/cases/{reported.Number}");
        Assert.Contains("\"notFound\":true", unknown);
        Assert.False(DashboardGeoJson.IsGridCode("not-a-grid"));
        Assert.True(DashboardGeoJson.IsGridCode(gridCode));
    }
}
