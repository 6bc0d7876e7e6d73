using System.Net;
using GridGov.Application.Reviews;
using GridGov.Application.Visits;
using GridGov.Domain.Visits;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Web.Tests.Visits;

/// <summary>The visit pages over HTTP: what each role sees, the visit and 五必到 forms, and their refusals.</summary>
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
    public async Task The_household_search_finds_households_of_the_workers_grid_only()
    {
        using var client = await app.SignedInAsync("worker1");
        var household = (await app.HouseholdsOfGridAsync(await app.FirstGridOfAsync("worker1"), 30, 1))[0];
        var foreign = await app.DbAsync(db => db.Households.Where(h => h.GridId != household.GridId).Select(h => h.Address).FirstAsync());

        var found = await client.GetStringAsync("/visits/new?q=" + Uri.EscapeDataString(household.Address));
        var none = await client.GetStringAsync("/visits/new?q=" + Uri.EscapeDataString(foreign));

        Assert.Contains($"href=\"/visits/new?household={household.Id}\"", found);
        Assert.Contains("data-testid=\"household-search-empty\"", none);
    }

    [Fact]
    public async Task A_worker_records_a_visit_that_updates_a_phone_and_raises_a_case()
    {
        using var client = await app.SignedInAsync("worker1");
        var household = (await app.HouseholdsOfGridAsync(await app.FirstGridOfAsync("worker1"), 0, 1))[0];
        var resident = await app.DbAsync(db => db.Residents.AsNoTracking().Where(r => r.HouseholdId == household.Id && r.RemovedAt == null).OrderBy(r => r.Id).FirstAsync());
        var categoryId = await app.DbAsync(db => db.Categories.Where(c => c.Code == "1107").Select(c => c.Id).SingleAsync());
        var url = $"/visits/new?household={household.Id}";

        using var response = await client.PostFormAsync(url, "visit", new Dictionary<string, string>
        {
            ["Input.HouseholdId"] = household.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Input.VisitedAt"] = VisitWebData.ChinaNow(TimeSpan.FromMinutes(-5)),
            ["Input.Findings"] = "户主反映阳台外侧花盆有坠落风险，已更新联系电话",
            ["Input.Companions"] = "楼栋长",
            [$"Resident.{resident.Id}.Shown"] = "1",
            [$"Resident.{resident.Id}.Phone"] = "13700137000",
            ["Input.RaiseCase"] = "true",
            ["Input.CategoryId"] = categoryId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Input.CaseDescription"] = "阳台外侧花盆有坠落风险",
            ["Input.SubmissionId"] = Guid.NewGuid().ToString(),
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.Contains("/visits?recorded=", location, StringComparison.Ordinal);
        var visit = await app.DbAsync(db => db.Visits.AsNoTracking().OrderByDescending(v => v.Id).FirstAsync(v => v.HouseholdId == household.Id));
        Assert.Equal("户主反映阳台外侧花盆有坠落风险，已更新联系电话", visit.Findings);
        Assert.Equal("13700137000", await app.DbAsync(db => db.Residents.Where(r => r.Id == resident.Id).Select(r => r.Phone).SingleAsync()));
        var @case = await app.DbAsync(db => db.Cases.AsNoTracking().SingleAsync(c => c.Id == visit.RaisedCaseId));
        Assert.Equal(household.Address, @case.Address);
        Assert.Contains("&case=" + @case.Number, location, StringComparison.Ordinal);
        var page = await client.GetStringAsync(location);
        Assert.Contains("data-testid=\"visit-recorded\"", page);
        Assert.Contains($"data-visit-id=\"{visit.Id}\"", page);
    }

    [Fact]
    public async Task A_replayed_visit_form_redirects_to_the_first_visit_and_records_it_once()
    {
        using var client = await app.SignedInAsync("worker1");
        var household = (await app.HouseholdsOfGridAsync(await app.FirstGridOfAsync("worker1"), 2, 1))[0];
        var url = $"/visits/new?household={household.Id}";
        // The hidden id the form carries from its first rendering.
        Assert.Matches("name=\"Input.SubmissionId\" value=\"[0-9a-f-]{36}\"", await client.GetStringAsync(url));
        var form = new Dictionary<string, string>
        {
            ["Input.HouseholdId"] = household.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Input.VisitedAt"] = VisitWebData.ChinaNow(TimeSpan.FromMinutes(-10)),
            ["Input.Findings"] = "重放测试：了解家庭近况",
            ["Input.SubmissionId"] = Guid.NewGuid().ToString(),
        };
        var before = await app.DbAsync(db => db.Visits.CountAsync(v => v.HouseholdId == household.Id));

        using var first = await client.PostFormAsync(url, "visit", form);
        using var replay = await client.PostFormAsync(url, "visit", form);

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, replay.StatusCode);
        Assert.Equal(first.Headers.Location!.OriginalString, replay.Headers.Location!.OriginalString);
        Assert.Equal(before + 1, await app.DbAsync(db => db.Visits.CountAsync(v => v.HouseholdId == household.Id)));
    }

    [Fact]
    public async Task A_visit_in_the_future_is_refused_with_the_message_and_what_was_typed_stays()
    {
        using var client = await app.SignedInAsync("worker1");
        var household = (await app.HouseholdsOfGridAsync(await app.FirstGridOfAsync("worker1"), 1, 1))[0];
        var before = await app.DbAsync(db => db.Visits.CountAsync());

        using var response = await client.PostFormAsync($"/visits/new?household={household.Id}", "visit", new Dictionary<string, string>
        {
            ["Input.HouseholdId"] = household.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Input.VisitedAt"] = VisitWebData.ChinaNow(TimeSpan.FromDays(1)),
            ["Input.Findings"] = "明天才去的走访",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("走访时间不能晚于当前时间", page);
        Assert.Contains("明天才去的走访", page);
        Assert.Equal(before, await app.DbAsync(db => db.Visits.CountAsync()));
    }

    [Fact]
    public async Task A_household_of_another_grid_cannot_be_opened_for_a_visit()
    {
        using var client = await app.SignedInAsync("worker1");
        var gridCode = await app.FirstGridOfAsync("worker1");
        var foreign = await app.DbAsync(db => db.Households.Where(h => db.Grids.Any(g => g.Id == h.GridId && g.Code != gridCode)).Select(h => h.Id).FirstAsync());

        var page = await client.GetStringAsync($"/visits/new?household={foreign}");

        Assert.Contains("data-testid=\"household-not-found\"", page);
        Assert.DoesNotContain("data-testid=\"visit-form\"", page);
    }

    [Fact]
    public async Task A_secretary_registers_a_five_must_visit_that_the_worker_then_sees()
    {
        using var secretary = await app.SignedInAsync("secretary1");
        using var worker = await app.SignedInAsync("worker1");
        var household = (await app.HouseholdsOfGridAsync(await app.FirstGridOfAsync("worker1"), 2, 1))[0];

        using var response = await secretary.PostFormAsync($"/visits/demands/new?household={household.Id}", "demand", new Dictionary<string, string>
        {
            ["Input.HouseholdId"] = household.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Input.Reason"] = nameof(FiveMustReason.FamilyCrisis),
            ["Input.Note"] = "家中老人突发重病住院",
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var demand = await app.DbAsync(db => db.VisitDemands.AsNoTracking().OrderByDescending(d => d.Id).FirstAsync(d => d.HouseholdId == household.Id));
        Assert.Equal(FiveMustReason.FamilyCrisis, demand.Reason);
        var page = await worker.GetStringAsync("/visits");
        Assert.Contains($"data-demand-id=\"{demand.Id}\"", page);
        Assert.Contains($"href=\"/visits/new?household={household.Id}&amp;demand={demand.Id}\"", page);
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
    public async Task Amending_a_visit_of_a_signed_off_month_is_refused_with_the_message()
    {
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
        using var response = await client.PostFormAsync($"/visits/{visit.Id}/edit", "amend", new Dictionary<string, string>
        {
            ["Input.Findings"] = "事后改写",
        });

        Assert.Contains("data-testid=\"visit-frozen\"", form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("该月已签署审核，不能再登记或修改走访", await response.Content.ReadAsStringAsync());
        Assert.Equal("两个月前的走访", await app.DbAsync(db => db.Visits.Where(v => v.Id == visit.Id).Select(v => v.Findings).SingleAsync()));
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
