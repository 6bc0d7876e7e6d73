using System.Globalization;
using System.Net;
using GridGov.Domain.Ledgers;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Web.Tests.Ledgers;

/// <summary>
/// The ledger pages over real HTTP: every page answers, a list's first page arrives with the HTML, and the grid's
/// "三个一口清" page. The interactive forms are driven with bUnit (Components/UnitPagesComponentTests,
/// ComponentDetailComponentTests, ResidentNewComponentTests).
/// </summary>
public sealed class LedgerPagesTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
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
        Assert.Contains("网格骨干和依靠对象", html[html.IndexOf("data-testid=\"helpers\"", StringComparison.Ordinal)..]);
        Assert.Contains("data-testid=\"helper-add\"", html);
        Assert.Contains($"data-testid=\"grid-team-name\">{leader}</span>", html);
        Assert.DoesNotContain("data-group=\"CommunityCorrection\"", html);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }
}
