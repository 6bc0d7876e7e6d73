using System.Globalization;
using System.Net;
using Bunit;
using GridGov.Application.Ledgers;
using GridGov.Domain.Audit;
using GridGov.Domain.Ledgers;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Web.Tests.Audit;

/// <summary>
/// Full ID numbers and phones show on a detail page only after a deliberate, audited reveal (显示完整号码), and only
/// to roles allowed to see them, in their scope.
/// </summary>
public sealed class RevealTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private static string Key(int id) => id.ToString(CultureInfo.InvariantCulture);

    private Task<List<AuditEntry>> RevealsAsync(string entityType, int id) => app.DbAsync(db => db.AuditEntries.AsNoTracking()
        .Where(e => e.Action == AuditAction.Reveal && e.EntityType == entityType && e.EntityId == Key(id)).ToListAsync());

    private static Task<HttpResponseMessage> RevealAsync(HttpClient client, string pageUrl) =>
        client.PostFormAsync(pageUrl, "reveal", new Dictionary<string, string>());

    [Fact]
    public async Task The_detail_page_arrives_with_numbers_masked_and_the_reveal_offered_and_a_post_reveals_nothing()
    {
        var grid = await app.GridOfAsync("worker1");
        var resident = await app.ResidentAsync(grid.Id, skip: 30);
        var url = $"/ledgers/residents/{resident.Id}";
        using var client = await app.SignedInAsync("worker1");

        var page = await client.GetStringAsync(url);
        Assert.DoesNotContain(resident.IdNumber, page);
        Assert.DoesNotContain(resident.Phone!, page);
        Assert.Equal(Masking.IdNumber(resident.IdNumber), LedgerTestData.TestId(page, "resident-id-number"));
        Assert.Equal(Masking.Phone(resident.Phone), LedgerTestData.TestId(page, "resident-phone"));
        Assert.Contains("显示完整号码", page);

        // The page is interactive: the reveal is a click in the circuit (Components/ResidentDetailComponentTests), and a
        // form post of the old static page is answered without any number and without an audit entry.
        using var response = await RevealAsync(client, url);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{(int)response.StatusCode}");
        Assert.DoesNotContain(resident.IdNumber, body);
        Assert.DoesNotContain(resident.Phone!, body);
        Assert.Empty(await RevealsAsync(nameof(Resident), resident.Id));
    }

    [Theory]
    [InlineData("streetleader1")]
    [InlineData("dispatcher1")]
    public async Task A_role_without_the_permission_is_offered_no_reveal_and_a_post_reveals_nothing_unaudited(string userName)
    {
        var grid = await app.GridOfAsync("worker1");
        var resident = await app.ResidentAsync(grid.Id, skip: userName == "dispatcher1" ? 31 : 32);
        var url = $"/ledgers/residents/{resident.Id}";
        using var client = await app.SignedInAsync(userName);

        var page = await client.GetStringAsync(url);
        using var response = await RevealAsync(client, url);
        var body = await response.Content.ReadAsStringAsync();

        Assert.DoesNotContain("data-testid=\"reveal-submit\"", page);
        Assert.DoesNotContain(resident.IdNumber, page);
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{(int)response.StatusCode}");
        Assert.DoesNotContain(resident.IdNumber, body);
        Assert.DoesNotContain(resident.Phone!, body);
        Assert.Empty(await RevealsAsync(nameof(Resident), resident.Id));
    }

    [Fact]
    public async Task A_grid_worker_posting_a_reveal_for_a_resident_of_another_grid_gets_no_data()
    {
        var grid = await app.GridOfAsync("worker1");
        var stranger = await app.ResidentAsync(grid.Id, skip: 3, inGrid: false);
        using var client = await app.SignedInAsync("worker1");
        var mine = await app.ResidentAsync(grid.Id, skip: 33);
        var page = await client.GetStringAsync($"/ledgers/residents/{mine.Id}");
        var token = WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value);

        // The worker's valid token (from the page's shell), posted to the stranger's page as the old static form.
        using var response = await client.PostAsync($"/ledgers/residents/{stranger.Id}",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["_handler"] = "reveal" }));
        var body = await response.Content.ReadAsStringAsync();

        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{(int)response.StatusCode}");
        Assert.DoesNotContain(stranger.IdNumber, body);
        Assert.DoesNotContain(stranger.Phone!, body);
        Assert.Empty(await RevealsAsync(nameof(Resident), stranger.Id));
    }

    [Fact]
    public async Task A_reveal_without_the_antiforgery_token_is_refused_and_not_audited()
    {
        var grid = await app.GridOfAsync("worker1");
        var resident = await app.ResidentAsync(grid.Id, skip: 34);
        using var client = await app.SignedInAsync("worker1");

        using var response = await client.PostAsync($"/ledgers/residents/{resident.Id}", new FormUrlEncodedContent(new Dictionary<string, string> { ["_handler"] = "reveal" }));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(resident.IdNumber, body);
        Assert.Empty(await RevealsAsync(nameof(Resident), resident.Id));
    }

    [Fact]
    public async Task A_units_page_arrives_with_the_contact_phone_masked_and_a_posted_reveal_shows_nothing_unaudited()
    {
        var secretaryCommunity = await app.DbAsync(db => db.Users.Where(u => u.UserName == "secretary1")
            .Join(db.StaffMembers, u => u.StaffMemberId, s => s.Id, (u, s) => s.CommunityId).SingleAsync());
        var unit = await app.DbAsync(db => db.Units.AsNoTracking()
            .Where(u => u.RemovedAt == null && db.Grids.Any(g => g.Id == u.GridId && g.CommunityId == secretaryCommunity))
            .OrderBy(u => u.Id).FirstAsync());
        var url = $"/ledgers/units/{unit.Id}";
        using var secretary = await app.SignedInAsync("secretary1");
        using var leader = await app.SignedInAsync("streetleader1");

        var masked = await secretary.GetStringAsync(url);
        var leaderPage = await leader.GetStringAsync(url);
        // The page is interactive: the reveal is a click in the circuit (Components/UnitPagesComponentTests), and a form
        // post of the old static page is answered without the number and without an audit entry.
        using var posted = await RevealAsync(secretary, url);
        var postedBody = await posted.Content.ReadAsStringAsync();

        Assert.DoesNotContain(unit.ContactPhone, masked);
        Assert.Equal(Masking.Phone(unit.ContactPhone), LedgerTestData.TestId(masked, "unit-contact-phone"));
        Assert.Contains("显示完整号码", masked);
        Assert.DoesNotContain("data-testid=\"reveal-submit\"", leaderPage);
        Assert.True((int)posted.StatusCode is >= 400 and < 500, $"{(int)posted.StatusCode}");
        Assert.DoesNotContain(unit.ContactPhone, postedBody);
        Assert.Empty(await RevealsAsync(nameof(Unit), unit.Id));
    }

    [Fact]
    public async Task A_case_reporters_phone_is_revealed_to_the_dispatcher_and_refused_to_the_street_leader_and_hidden_from_a_department_handler()
    {
        var grid = await app.GridOfAsync("worker1");
        var @case = await CaseList.CaseListData.ReportAsync(app, grid.Code, "审计：上报人电话" + Guid.NewGuid().ToString("N")[..8]);
        var url = $"/cases/{@case.Number}";
        using var leader = await app.SignedInAsync("streetleader1");
        using var handler = await app.SignedInAsync("handler1");

        using var notDispatchedToHandler = await handler.GetAsync(url);
        var masked = await leader.GetStringAsync(url);
        // The page offers the street leader no reveal; asked anyway, the service the page calls refuses and records nothing.
        var leaderActor = await CaseList.CaseListData.ActorAsync(app, "streetleader1");
        var refused = await Assert.ThrowsAsync<GridGov.Domain.Common.DomainException>(() =>
            CaseList.CaseListData.WithAsync(app, p => p.GetRequiredService<PersonalNumbers>().RevealReporterAsync(@case.Id, leaderActor)));
        Assert.Empty(await RevealsAsync("Case", @case.Id));
        await using var harness = await Components.ComponentHarness.SignedInAsync(app, "dispatcher1");
        var page = Components.CasePageDriver.OpenCase(harness, @case.Number);
        page.Find("[data-testid=reveal-submit]").Click();
        page.WaitForElement("[data-testid=revealed-note]");

        Assert.Equal(HttpStatusCode.NotFound, notDispatchedToHandler.StatusCode); // not his department's case (CaseVisibility)
        Assert.Equal("139****5678", LedgerTestData.TestId(masked, "reporter-phone"));
        Assert.DoesNotContain("data-testid=\"reveal-submit\"", masked);
        Assert.Equal(PersonalNumbers.NotAllowedCode, refused.Code);
        Assert.Equal("13912345678", page.Find("[data-testid=reporter-phone]").TextContent.Trim());
        var entry = Assert.Single(await RevealsAsync("Case", @case.Id));
        Assert.Equal("dispatcher1", entry.ActorUserName);
        Assert.Contains(@case.Number, entry.Detail);
    }

}
