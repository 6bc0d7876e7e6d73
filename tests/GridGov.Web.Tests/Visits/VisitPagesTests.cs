using System.Net;
using GridGov.Application.Reviews;
using GridGov.Application.Visits;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Web.Tests.Visits;

/// <summary>
/// The visit pages over HTTP: what each role sees and who is refused. The forms are interactive: recording a visit, the
/// household search and 五必到 are bUnit tests (Components/VisitRecordComponentTests, VisitAmendComponentTests).
/// </summary>
public sealed class VisitPagesTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    [Fact]
    public async Task A_grid_worker_sees_the_months_progress_the_households_due_and_the_visits()
    {
        using var client = await app.SignedInAsync("worker1");
        var worker = await app.StaffActorAsync("worker1");
        var month = ChinaMonths.MonthOf(DateTimeOffset.UtcNow);
        var expected = await app.InAppAsync(p => p.GetRequiredService<VisitQueries>().QuotaAsync(worker.StaffMemberId!.Value, month));

        var page = await client.GetStringAsync("/visits");

        Assert.Contains("data-testid=\"visits-quota\"", page);
        Assert.Contains($"data-households=\"{expected.HouseholdsVisited}\" data-quota=\"20\"", page);
        Assert.Contains("data-testid=\"must-visit\"", page);
        Assert.Contains("data-testid=\"open-demands\"", page);
        Assert.Contains("href=\"/visits/new\"", page);
        Assert.Contains("<title>入户走访 · 网格化服务管理中心</title>", page);
    }

    [Theory]
    [InlineData("handler1", "/visits")]
    [InlineData("dispatcher1", "/visits")]
    [InlineData("secretary1", "/visits/new")]
    [InlineData("handler1", "/visits/demands/new")]
    public async Task Roles_without_visits_are_refused(string userName, string url)
    {
        using var client = await app.SignedInAsync(userName);

        using var response = await client.GetAsync(url);

        VisitWebData.AssertRefused(response);
    }

    [Fact]
    public async Task Signed_out_the_visits_page_asks_to_sign_in()
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/visits");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/login", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_household_of_another_grid_cannot_be_opened_for_a_visit_even_in_the_prerender()
    {
        using var client = await app.SignedInAsync("worker1");
        var gridCode = await app.FirstGridOfAsync("worker1");
        var foreign = await app.DbAsync(db => db.Households.Where(h => db.Grids.Any(g => g.Id == h.GridId && g.Code != gridCode)).Select(h => h.Id).FirstAsync());

        var page = await client.GetStringAsync($"/visits/new?household={foreign}");

        Assert.Contains("data-testid=\"household-not-found\"", page);
        Assert.DoesNotContain("data-testid=\"visit-form\"", page);
    }

    [Fact]
    public async Task A_secretary_sees_her_communitys_grid_staff_and_opens_one_workers_month()
    {
        using var client = await app.SignedInAsync("secretary1");
        var worker = await app.StaffActorAsync("worker1");

        var overview = await client.GetStringAsync("/visits");
        var one = await client.GetStringAsync($"/visits?worker={worker.StaffMemberId}");

        Assert.Contains("data-testid=\"visits-team\"", overview);
        Assert.Contains("data-testid=\"visits-choose-worker\"", overview);
        Assert.Contains($"data-staff-id=\"{worker.StaffMemberId}\"", overview);
        Assert.Contains("data-testid=\"visits-quota\"", one);
        Assert.DoesNotContain("data-testid=\"record-visit\"", one); // reading, not recording
    }

    [Fact]
    public async Task A_worker_cannot_look_at_another_persons_visits()
    {
        using var client = await app.SignedInAsync("worker1");
        var leader = await app.StaffActorAsync("leader1");

        var page = await client.GetStringAsync($"/visits?worker={leader.StaffMemberId}");

        Assert.Contains("您无权查看该工作人员的走访", page);
        Assert.DoesNotContain("data-testid=\"visits-quota\"", page);
    }

    [Fact]
    public async Task The_amendment_form_of_a_signed_off_month_says_so_when_it_opens()
    {
        // The refused save itself is a bUnit test now (VisitAmendComponentTests): the form is interactive.
        var worker = await app.StaffActorAsync("worker1");
        var leader = await app.StaffActorAsync("leader1");
        var gridCode = await app.FirstGridOfAsync("worker1");
        var household = (await app.HouseholdsOfGridAsync(gridCode, 3, 1))[0];
        // Two months back is over whatever the day; sign it off for this grid.
        var month = ChinaMonths.MonthOf(DateTimeOffset.UtcNow).AddMonths(-2);
        var visit = await app.InAppAsync(p => p.GetRequiredService<VisitService>().RecordVisitAsync(
            new RecordVisit(household.Id, ChinaMonths.StartOf(month).AddDays(3).AddHours(2), "两个月前的走访"), worker));
        await app.InAppAsync(p => p.GetRequiredService<MonthlyReviewService>().SignOffAsync(gridCode, month, 0, "已审核", leader));
        using var client = await app.SignedInAsync("worker1");

        var form = await client.GetStringAsync($"/visits/{visit.Id}/edit");

        Assert.Contains("data-testid=\"visit-frozen\"", form);
        Assert.Contains("两个月前的走访", form);
        Assert.Contains("data-testid=\"amend-form\"", form);
    }

    [Fact]
    public async Task Another_persons_visit_cannot_be_opened_for_editing()
    {
        var worker = await app.StaffActorAsync("worker1");
        var household = (await app.HouseholdsOfGridAsync(await app.FirstGridOfAsync("worker1"), 4, 1))[0];
        var visit = await app.InAppAsync(p => p.GetRequiredService<VisitService>().RecordVisitAsync(
            new RecordVisit(household.Id, DateTimeOffset.UtcNow.AddMinutes(-30), "只给本人看的走访记录"), worker));
        using var leader = await app.SignedInAsync("leader1");

        var page = await leader.GetStringAsync($"/visits/{visit.Id}/edit");

        Assert.Contains("data-testid=\"visit-not-found\"", page);
        Assert.DoesNotContain("只给本人看的走访记录", page);
    }
}
