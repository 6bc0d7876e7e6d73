using System.Net;
using GridGov.Application.Ledgers;
using GridGov.Domain.Ledgers;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Web.Tests.Ledgers;

/// <summary>
/// The resident pages (居民台账) over real HTTP: lists and detail as served. Registration is interactive: its tests drive
/// the page with bUnit (Components/ResidentNewComponentTests).
/// </summary>
public sealed class ResidentPagesTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    [Fact]
    public async Task A_worker_cannot_open_a_resident_of_another_grid()
    {
        var grid = await app.GridOfAsync("worker1");
        var stranger = await app.ResidentAsync(grid.Id, skip: 0, inGrid: false);
        using var client = await app.SignedInAsync("worker1");

        using var page = await client.GetAsync($"/ledgers/residents/{stranger.Id}");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.DoesNotContain(stranger.IdNumber, html);
        Assert.DoesNotContain(stranger.Name, html);
    }

    [Fact]
    public async Task The_list_masks_id_numbers_and_phones_and_never_sends_them_whole()
    {
        var grid = await app.GridOfAsync("worker1");
        var resident = await app.ResidentAsync(grid.Id, skip: 7);
        using var client = await app.SignedInAsync("worker1");

        var html = await client.GetStringAsync($"/ledgers/residents?q={resident.Name}");

        Assert.Contains($"data-resident-id=\"{resident.Id}\"", html);
        Assert.Contains($"{resident.IdNumber[..6]}********{resident.IdNumber[14..]}", html);
        Assert.Contains($"{resident.Phone![..3]}****{resident.Phone[7..]}", html);
        Assert.DoesNotContain(resident.IdNumber, html);
        Assert.DoesNotContain(resident.Phone, html);
        Assert.Matches(LedgerTestData.MaskedIdNumber(), html);
    }

    [Fact]
    public async Task Sensitive_tags_are_offered_to_a_secretary_but_not_to_a_grid_worker()
    {
        using var worker = await app.SignedInAsync("worker1");
        using var secretary = await app.SignedInAsync("secretary1");

        var workerList = await worker.GetStringAsync("/ledgers/residents");
        var secretaryFiltered = await secretary.GetStringAsync("/ledgers/residents?tag=CommunityCorrection");
        var workerFiltered = await worker.GetStringAsync("/ledgers/residents?tag=CommunityCorrection");

        Assert.DoesNotContain("社区矫正", workerList);
        // The select shows the secretary's chosen tag (its options render only when it opens: see the component tests).
        Assert.Matches("<input[^>]*value=\"社区矫正\"", secretaryFiltered);
        Assert.DoesNotContain("社区矫正", workerFiltered);
        Assert.DoesNotContain("CommunityCorrection", workerFiltered.Replace("tag=CommunityCorrection", "", StringComparison.Ordinal));
        Assert.Contains("data-resident-id", workerFiltered); // the filter is dropped, not applied
    }

    [Fact]
    public async Task A_department_handler_sees_no_people_and_a_street_leader_reads_without_forms()
    {
        var grid = await app.GridOfAsync("worker1");
        var resident = await app.ResidentAsync(grid.Id, skip: 8);
        using var handler = await app.SignedInAsync("handler1");
        using var leader = await app.SignedInAsync("streetleader1");

        var handlerList = await handler.GetStringAsync("/ledgers/residents");
        var leaderPage = await leader.GetStringAsync($"/ledgers/residents/{resident.Id}");

        Assert.Contains("data-testid=\"ledger-no-scope\"", handlerList);
        Assert.DoesNotContain("data-resident-id", handlerList);
        Assert.Equal(Masking.IdNumber(resident.IdNumber), LedgerTestData.TestId(leaderPage, "resident-id-number"));
        Assert.DoesNotContain("data-testid=\"reveal-submit\"", leaderPage);
        Assert.DoesNotContain("data-testid=\"resident-edit\"", leaderPage);
        Assert.DoesNotContain("data-testid=\"resident-remove\"", leaderPage);
        Assert.Contains("您的角色可以查看台账，但不能修改。", leaderPage);
    }

    [Fact]
    public async Task Signed_out_visitors_are_sent_to_sign_in()
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/ledgers/residents");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/login", response.Headers.Location!.OriginalString);
    }
}
