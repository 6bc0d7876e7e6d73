using System.Globalization;
using System.Net;
using GridGov.Domain.Ledgers;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Web.Tests.Ledgers;

/// <summary>Households, units, components and the grid's "三个一口清" page over real HTTP.</summary>
public sealed class LedgerPagesTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    /// <summary>The path and query a post-redirect-get answer points to.</summary>
    private string Location(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return new Uri(app.BaseAddress, response.Headers.Location!).PathAndQuery;
    }

    private static string Text(double value) => value.ToString("0.0000000", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Every_ledger_page_answers_a_grid_worker()
    {
        var grid = await app.GridOfAsync("worker1");
        using var client = await app.SignedInAsync("worker1");

        foreach (var page in new[] { "/ledgers/residents", "/ledgers/households", "/ledgers/units", "/ledgers/components", "/ledgers/grids", $"/ledgers/grids/{grid.Code}", "/ledgers/residents/new", "/ledgers/units/new" })
        {
            using var response = await client.GetAsync(page);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{page}: {(int)response.StatusCode}");
            Assert.Contains("· 网格化服务管理中心</title>", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task The_first_page_of_an_interactive_list_arrives_with_the_html_and_its_state_travels_to_the_circuit()
    {
        var grid = await app.GridOfAsync("worker1");
        var rentals = await app.DbAsync(db => db.Households
            .Where(h => h.GridId == grid.Id && h.RemovedAt == null && h.Kind == HouseholdKind.Rental).OrderBy(h => h.Id).Select(h => h.Id).Take(50).ToListAsync());
        Assert.NotEmpty(rentals);
        using var client = await app.SignedInAsync("worker1");

        var html = await client.GetStringAsync("/ledgers/households?kind=Rental");

        var listed = System.Text.RegularExpressions.Regex.Matches(html, "data-household-id=\"([0-9]+)\"")
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(rentals, listed);
        Assert.Contains("data-render=\"prerendered\"", html);
        // The persisted state (scope, places, first page) rides in the page for the circuit, protected.
        Assert.Matches("<!--Blazor-Server-Component-State:[A-Za-z0-9+/=_-]{100,}-->", html);
    }

    [Fact]
    public async Task A_shop_outside_the_street_is_refused_next_to_the_map_and_one_inside_the_grid_is_registered()
    {
        var grid = await app.GridOfAsync("worker1");
        var (longitude, latitude) = await app.PointInGridAsync(grid.Id);
        using var client = await app.SignedInAsync("worker1");
        Dictionary<string, string> Fields(double lon, double lat) => new()
        {
            ["Input.Name"] = "街角修鞋铺",
            ["Input.Kind"] = "Shop",
            ["Input.Address"] = "云帆街道测试路8号",
            ["Input.ContactName"] = "周师傅",
            ["Input.ContactPhone"] = "13522223333",
            ["Input.EmployeeCount"] = "1",
            ["Input.PartyMemberCount"] = "0",
            ["Input.Longitude"] = Text(lon),
            ["Input.Latitude"] = Text(lat),
        };

        using var outside = await client.PostFormAsync("/ledgers/units/new", "unit-new", Fields(116.397, 39.909));
        var outsideHtml = await outside.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, outside.StatusCode);
        Assert.Contains("本街道范围之外", LedgerTestData.ErrorFor(outsideHtml, "location"));
        Assert.Contains("value=\"街角修鞋铺\"", outsideHtml);
        Assert.False(await app.DbAsync(db => db.Units.AnyAsync(u => u.Name == "街角修鞋铺")));

        using var inside = await client.PostFormAsync("/ledgers/units/new", "unit-new", Fields(longitude, latitude));
        var location = Location(inside);
        var detail = await client.GetStringAsync(location);

        Assert.Matches("^/ledgers/units/[0-9]+\\?done=created$", location);
        Assert.Contains(grid.Code, LedgerTestData.TestId(detail, "unit-grid"));
        var unit = await app.DbAsync(db => db.Units.AsNoTracking().SingleAsync(u => u.Name == "街角修鞋铺"));
        Assert.Equal(grid.Id, unit.GridId);
        Assert.Equal(UnitKind.Shop, unit.Kind);
        Assert.Equal(LedgerChangeKind.Created, Assert.Single(await app.ChangesAsync(nameof(Unit), unit.Id)).Kind);
    }

    [Fact]
    public async Task A_replayed_unit_form_redirects_to_the_first_unit_and_the_create_forms_carry_a_submission_id()
    {
        var grid = await app.GridOfAsync("worker1");
        var (longitude, latitude) = await app.PointInGridAsync(grid.Id);
        using var client = await app.SignedInAsync("worker1");
        Assert.Matches("name=\"SubmissionId\" value=\"[0-9a-f-]{36}\"", await client.GetStringAsync("/ledgers/units/new"));
        Assert.Matches("name=\"Input.SubmissionId\" value=\"[0-9a-f-]{36}\"", await client.GetStringAsync("/ledgers/residents/new"));
        var fields = new Dictionary<string, string>
        {
            ["Input.Name"] = "重放测试理发店",
            ["Input.Kind"] = "Shop",
            ["Input.Address"] = "云帆街道测试路9号",
            ["Input.ContactName"] = "吴师傅",
            ["Input.ContactPhone"] = "13522224444",
            ["Input.EmployeeCount"] = "2",
            ["Input.PartyMemberCount"] = "0",
            ["Input.Longitude"] = Text(longitude),
            ["Input.Latitude"] = Text(latitude),
            ["SubmissionId"] = Guid.NewGuid().ToString(),
        };

        using var first = await client.PostFormAsync("/ledgers/units/new", "unit-new", fields);
        using var replay = await client.PostFormAsync("/ledgers/units/new", "unit-new", fields);

        Assert.Matches("^/ledgers/units/[0-9]+\\?done=created$", Location(first));
        Assert.Equal(Location(first), Location(replay));
        Assert.Equal(1, await app.DbAsync(db => db.Units.CountAsync(u => u.Name == "重放测试理发店")));
    }

    [Fact]
    public async Task Party_members_above_the_unit_size_are_refused_next_to_the_field()
    {
        var grid = await app.GridOfAsync("worker1");
        var unit = await app.DbAsync(db => db.Units.AsNoTracking().Where(u => u.GridId == grid.Id && u.RemovedAt == null).OrderBy(u => u.Id).FirstAsync());
        using var client = await app.SignedInAsync("worker1");

        using var response = await client.PostFormAsync($"/ledgers/units/{unit.Id}/edit", "unit-edit", new Dictionary<string, string>
        {
            ["Input.Name"] = unit.Name,
            ["Input.Kind"] = unit.Kind.ToString(),
            ["Input.Address"] = unit.Address,
            ["Input.ContactName"] = unit.ContactName,
            ["Input.ContactPhone"] = unit.ContactPhone,
            ["Input.EmployeeCount"] = "2",
            ["Input.PartyMemberCount"] = "5",
            ["Input.Longitude"] = Text(unit.Location.X),
            ["Input.Latitude"] = Text(unit.Location.Y),
        });
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("党员人数不能超过从业人数", LedgerTestData.ErrorFor(html, "party"));
        Assert.Empty(await app.ChangesAsync(nameof(Unit), unit.Id));
    }

    [Fact]
    public async Task The_where_fragment_names_the_grid_of_a_point_and_refuses_one_outside_the_street()
    {
        var grid = await app.GridOfAsync("worker1");
        var (longitude, latitude) = await app.PointInGridAsync(grid.Id);
        using var client = await app.SignedInAsync("worker1");

        var inside = await client.GetStringAsync($"/ledgers/where?Input.Longitude={Text(longitude)}&Input.Latitude={Text(latitude)}");
        var outside = await client.GetStringAsync("/ledgers/where?Input.Longitude=116.397&Input.Latitude=39.909");

        Assert.Contains($"data-grid-code=\"{grid.Code}\"", inside);
        Assert.Contains("data-where=\"outside\"", outside);
        Assert.DoesNotContain("<html", inside);
    }

    [Fact]
    public async Task A_component_state_change_is_recorded_and_a_code_in_use_is_refused()
    {
        var grid = await app.GridOfAsync("worker1");
        var components = await app.DbAsync(db => db.Components.AsNoTracking().Where(c => c.GridId == grid.Id && c.RemovedAt == null).OrderBy(c => c.Id).Take(2).ToListAsync());
        var (component, other) = (components[0], components[1]);
        using var client = await app.SignedInAsync("worker1");
        var page = $"/ledgers/components/{component.Id}";
        Dictionary<string, string> Fields(Component code, ComponentState state) => new()
        {
            ["Edit.Name"] = component.Name,
            ["Edit.MajorClass"] = code.MajorClass.ToString(),
            ["Edit.MinorClass"] = code.MinorClass.ToString("D2", CultureInfo.InvariantCulture),
            ["Edit.Serial"] = code.Serial.ToString("D6", CultureInfo.InvariantCulture),
            ["Edit.State"] = state.ToString(),
            ["Edit.Owner"] = component.OwnerDepartmentId.ToString(CultureInfo.InvariantCulture),
            ["Edit.Longitude"] = Text(component.Location.X),
            ["Edit.Latitude"] = Text(component.Location.Y),
        };
        var newState = component.State == ComponentState.Damaged ? ComponentState.Intact : ComponentState.Damaged;

        using var taken = await client.PostFormAsync(page, "component-edit", Fields(other, newState));
        var takenHtml = await taken.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, taken.StatusCode);
        Assert.Equal($"部件编码{other.Code}已被其他部件使用", LedgerTestData.ErrorFor(takenHtml, "code"));

        using var saved = await client.PostFormAsync(page, "component-edit", Fields(component, newState));
        var html = await client.GetStringAsync(Location(saved));

        Assert.Equal(newState == ComponentState.Damaged ? "破损" : "完好", LedgerTestData.TestId(html, "component-state"));
        var change = Assert.Single(await app.ChangesAsync(nameof(Component), component.Id));
        Assert.Contains($"\"State\": \"{newState}\"", change.After);
        Assert.Contains($"\"Code\": \"{component.Code}\"", change.After);
    }

    [Fact]
    public async Task The_grid_page_answers_the_three_questions_and_another_grid_is_not_found()
    {
        var grid = await app.GridOfAsync("worker1");
        var otherCode = await app.DbAsync(db => db.Grids.Where(g => g.Id != grid.Id).OrderByDescending(g => g.Code).Select(g => g.Code).FirstAsync());
        var households = await app.DbAsync(db => db.Households.CountAsync(h => h.GridId == grid.Id && h.RemovedAt == null));
        var partyMembers = await app.DbAsync(db => db.Residents.CountAsync(r => r.GridId == grid.Id && r.RemovedAt == null && r.Groups.Contains(ResidentGroup.PartyMember)));
        var leader = await app.DbAsync(db => db.GridAssignments.Where(a => a.GridCode == grid.Code && a.Duty == Domain.Organisation.GridDuty.Leader)
            .Select(a => a.StaffMember!.Name).SingleAsync());
        using var client = await app.SignedInAsync("worker1");

        var html = await client.GetStringAsync($"/ledgers/grids/{grid.Code}");
        using var other = await client.GetAsync($"/ledgers/grids/{otherCode}");

        Assert.Contains("data-testid=\"who-lives-where\"", html);
        Assert.Contains("data-testid=\"key-people\"", html);
        Assert.Contains("data-testid=\"helpers\"", html);
        Assert.Contains($">{households}户</span>", html);
        Assert.Equal(partyMembers.ToString(CultureInfo.InvariantCulture), LedgerTestData.TestId(html, "party-count"));
        Assert.Contains("楼栋长、志愿者尚未纳入台账数据模型", html[html.IndexOf("data-testid=\"helpers-not-modelled\"", StringComparison.Ordinal)..]);
        Assert.Contains($"data-testid=\"grid-team-name\">{leader}</span>", html);
        Assert.DoesNotContain("data-group=\"CommunityCorrection\"", html);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }
}
