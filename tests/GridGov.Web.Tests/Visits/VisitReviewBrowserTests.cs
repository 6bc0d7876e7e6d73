using System.Globalization;
using GridGov.Application.Reviews;
using GridGov.Application.Visits;
using GridGov.Domain.Calendar;
using GridGov.TestSupport.GridGov;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace GridGov.Web.Tests.Visits;

/// <summary>
/// In Chromium: a grid worker records a visit (last month) that updates a resident's phone and raises a case;
/// the grid leader's review of that month shows it and is signed off; editing the visit is then refused.
/// </summary>
public sealed class VisitReviewBrowserTests(WebAppFixture app, ChromiumFixture chromium)
    : IClassFixture<WebAppFixture>, IClassFixture<ChromiumFixture>
{
    private Task<IPage> SignedInPageAsync(string userName, int width = 1366, int height = 768) => chromium.SignedInPageAsync(app.BaseAddress, userName, width, height);

    [Fact]
    public async Task A_visit_with_a_phone_update_and_a_case_shows_in_the_review_which_the_leader_signs_off_and_then_the_visit_is_frozen()
    {
        var gridCode = await app.FirstGridOfAsync("worker1");
        var household = (await app.HouseholdsOfGridAsync(gridCode, 7, 1))[0];
        var resident = await app.DbAsync(db => db.Residents.AsNoTracking().Where(r => r.HouseholdId == household.Id && r.RemovedAt == null).OrderBy(r => r.Id).FirstAsync());
        var categoryId = await app.DbAsync(db => db.Categories.Where(c => c.Code == "1103").Select(c => c.Id).SingleAsync());
        var lastMonth = ChinaMonths.MonthOf(DateTimeOffset.UtcNow).AddMonths(-1);
        var visitedAt = lastMonth.AddDays(9).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T10:30";
        var errors = new List<string>();

        // The worker finds the household, records the visit, corrects a phone and reports a problem.
        var worker = await SignedInPageAsync("worker1");
        worker.PageError += (_, error) => errors.Add(error);
        await worker.GotoAsync("/visits/new");
        await worker.Locator("[data-render=interactive]").WaitForAsync(new LocatorWaitForOptions { Timeout = 20_000 });
        await worker.FillAsync("#household-search", household.Address);
        await worker.ClickAsync("[data-testid=household-search-submit]");
        await worker.ClickAsync($"[data-testid=household-hits] [data-household-id='{household.Id}']");
        await worker.Locator("[data-testid=visit-form]").WaitForAsync();
        await worker.FillAsync("#visit-at", visitedAt);
        await worker.FillAsync("#visit-findings", "上门核实家庭情况，楼道内有电动车充电");
        await worker.FillAsync($"#resident-{resident.Id}-phone", "13600136000");
        await worker.Locator("[data-testid=raise-case] input[type=checkbox]").CheckAsync();
        await worker.ChooseCategoryAsync("visit-category", "1103", categoryId.ToString(CultureInfo.InvariantCulture));
        await worker.FillAsync("#visit-case-description", "楼道内电动车飞线充电");
        await worker.ClickAsync("[data-testid=visit-submit]");
        await worker.WaitForURLAsync(url => url.Contains("/visits?recorded=", StringComparison.Ordinal), ChromiumFixture.Arrived);
        await Assertions.Expect(worker.Locator("[data-testid=visit-recorded] a")).ToBeVisibleAsync();

        var visit = await app.DbAsync(db => db.Visits.AsNoTracking().OrderByDescending(v => v.Id).FirstAsync(v => v.HouseholdId == household.Id));
        Assert.Equal(lastMonth, ChinaMonths.MonthOf(visit.VisitedAt));
        Assert.NotNull(visit.RaisedCaseId);
        Assert.Equal("13600136000", await app.DbAsync(db => db.Residents.Where(r => r.Id == resident.Id).Select(r => r.Phone).SingleAsync()));

        // The leader's review of last month counts it, and the leader signs the month off.
        var leaderActor = await app.StaffActorAsync("leader1");
        var workerActor = await app.StaffActorAsync("worker1");
        var expected = (await app.InAppAsync(p => p.GetRequiredService<MonthlyReviewQueries>().GridAsync(gridCode, lastMonth, leaderActor)))
            .Workers.Single(w => w.StaffMemberId == workerActor.StaffMemberId);
        var leader = await SignedInPageAsync("leader1");
        leader.PageError += (_, error) => errors.Add(error);
        await leader.GotoAsync("/reviews");
        await leader.Locator("[data-render=interactive]").WaitForAsync(new LocatorWaitForOptions { Timeout = 20_000 });
        await leader.ClickAsync($"a[href='/reviews/{gridCode}/{ChinaMonths.Format(lastMonth)}']");
        var row = leader.Locator($"[data-testid=review-workers] tr[data-staff-id='{workerActor.StaffMemberId}']");
        Assert.Equal(expected.HouseholdsVisited.ToString(CultureInfo.InvariantCulture), await row.GetAttributeAsync("data-households"));
        Assert.True(expected.HouseholdsVisited >= 1);
        await leader.FillAsync("textarea#review-comment-input", "本月走访完成情况良好");
        await leader.ClickAsync("[data-testid=review-sign-off]");
        // Irreversible: the page asks first.
        await leader.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "签署本月审核" }).ClickAsync();
        await leader.Locator("[data-testid=review-signed-off]").WaitForAsync();
        Assert.Equal("本月走访完成情况良好", await app.DbAsync(db => db.MonthlyReviews.Where(r => r.GridCode == gridCode && r.Month == lastMonth)
            .Select(r => r.Comment).SingleAsync()));

        // Back at the worker: the visit shows as signed off, and an edit is refused with the message.
        await worker.GotoAsync($"/visits?month={ChinaMonths.Format(lastMonth)}");
        var listed = worker.Locator($"[data-visit-id='{visit.Id}']");
        Assert.Contains("已签署", await listed.InnerTextAsync());
        Assert.Equal(0, await listed.Locator($"a[href='/visits/{visit.Id}/edit']").CountAsync());
        await worker.GotoAsync($"/visits/{visit.Id}/edit");
        await worker.Locator("[data-render=interactive]").WaitForAsync();
        await worker.FillAsync("#amend-findings", "签署后想改写");
        await worker.ClickAsync("[data-testid=amend-submit]");
        await worker.Locator("[data-testid=visit-error]").WaitForAsync();
        Assert.Equal("该月已签署审核，不能再登记或修改走访", (await worker.InnerTextAsync("[data-testid=visit-error]")).Trim());
        Assert.Equal("上门核实家庭情况，楼道内有电动车充电", await app.DbAsync(db => db.Visits.Where(v => v.Id == visit.Id).Select(v => v.Findings).SingleAsync()));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task The_visits_page_fits_a_phone_screen()
    {
        var page = await SignedInPageAsync("worker1", 390, 844);

        await page.GotoAsync("/visits");

        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.False(overflow);
        Assert.True(await page.Locator("[data-testid=visits-quota]").IsVisibleAsync());
    }
}
