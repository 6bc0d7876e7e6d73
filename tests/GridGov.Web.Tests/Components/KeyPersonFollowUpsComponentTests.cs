using Bunit;
using GridGov.Domain.Ledgers;
using GridGov.Web.Components.Pages.Ledgers;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Web.Tests.Components;

/// <summary>
/// Key-person follow-ups on the resident page with bUnit on the real application and database: a community secretary
/// records one (a refusal shows under its field and writes nothing), and a grid worker of the same grid, who may not see
/// sensitive tags, gets a page without a trace of them.
/// </summary>
public sealed class KeyPersonFollowUpsComponentTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    /// <summary>A resident of secretary1's community with a sensitive tag, and a grid worker (not the leader) of that resident's grid.</summary>
    private Task<(int ResidentId, string Worker)> KeyPersonAsync() => app.DbAsync(async db =>
    {
        var staffId = await db.Users.Where(u => u.UserName == "secretary1").Select(u => u.StaffMemberId).SingleAsync();
        var communityId = await db.StaffMembers.Where(s => s.Id == staffId).Select(s => s.CommunityId).SingleAsync();
        var residents = await db.Residents.AsNoTracking()
            .Where(r => r.RemovedAt == null && db.Grids.Any(g => g.Id == r.GridId && g.CommunityId == communityId))
            .OrderByDescending(r => r.Id).Select(r => new { r.Id, r.GridId, r.Groups }).ToListAsync();
        var resident = residents.First(r => r.Groups.Any(g => g.IsSensitive()));
        var worker = await db.GridAssignments
            .Where(a => a.EndedOn == null && a.Duty != Domain.Organisation.GridDuty.Leader && db.Grids.Any(g => g.Id == resident.GridId && g.Code == a.GridCode))
            .Join(db.Users, a => a.StaffMemberId, u => u.StaffMemberId, (a, u) => u.UserName).FirstAsync();
        return (resident.Id, worker!);
    });

    private static string? SituationError(IRenderedComponent<ResidentDetail> page) =>
        page.Find("#follow-up-situation").Closest(".mud-input-control")?.QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent.Trim();

    [Fact]
    public async Task A_secretary_records_a_follow_up_and_an_empty_situation_is_refused_under_it()
    {
        var (residentId, _) = await KeyPersonAsync();
        await using var harness = await ComponentHarness.SignedInAsync(app, "secretary1");
        var page = harness.DetailPage<ResidentDetail>($"/ledgers/residents/{residentId}", p => p.Add(c => c.Id, residentId));
        page.WaitForElement("[data-testid=follow-up-submit]");
        var before = await app.DbAsync(db => db.KeyPersonFollowUps.CountAsync(f => f.ResidentId == residentId));

        page.Find("[data-testid=follow-up-submit]").Click();
        page.WaitForAssertion(() => Assert.Equal("跟进情况不能为空", SituationError(page)));
        Assert.Equal(before, await app.DbAsync(db => db.KeyPersonFollowUps.CountAsync(f => f.ResidentId == residentId)));

        page.Find("#follow-up-situation").Change("本人在家，按时到司法所报到");
        page.Find("[data-testid=follow-up-submit]").Click();

        page.WaitForAssertion(() => Assert.Contains(page.FindAll("[data-testid=follow-up]"), e => e.TextContent.Contains("按时到司法所报到", StringComparison.Ordinal)));
        Assert.Contains(harness.Snackbar.ShownSnackbars, s => s.Message == "跟进记录已保存");
        var saved = await app.DbAsync(db => db.KeyPersonFollowUps.AsNoTracking().Where(f => f.ResidentId == residentId).OrderByDescending(f => f.Id).FirstAsync());
        Assert.Equal((FollowUpWay.HomeVisit, FollowUpRisk.Stable, "本人在家，按时到司法所报到"), (saved.Way, saved.Risk, saved.Situation));
        Assert.Equal("", page.Find("#follow-up-situation").GetAttribute("value") ?? "");
    }

    [Fact]
    public async Task A_grid_worker_of_the_grid_sees_the_resident_but_no_follow_ups()
    {
        var (residentId, worker) = await KeyPersonAsync();
        using var client = await app.SignedInAsync(worker);
        using var secretary = await app.SignedInAsync("secretary1");

        var html = await client.GetStringAsync($"/ledgers/residents/{residentId}");

        Assert.Contains("data-testid=\"resident-name\"", html);
        Assert.DoesNotContain("data-testid=\"follow-ups\"", html);
        Assert.DoesNotContain("重点人员跟进记录", html);
        Assert.Contains("data-testid=\"follow-ups\"", await secretary.GetStringAsync($"/ledgers/residents/{residentId}"));
    }
}
