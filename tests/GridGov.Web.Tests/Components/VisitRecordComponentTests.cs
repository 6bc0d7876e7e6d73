using System.Globalization;
using System.Text.Json;
using Bunit;
using GridGov.Application.Ledgers;
using GridGov.Application.Visits;
using GridGov.Domain.Audit;
using GridGov.Domain.Ledgers;
using GridGov.Domain.Visits;
using GridGov.Web.Components.Pages.Visits;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Visits;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Web.Tests.Components;

/// <summary>
/// The interactive visit and 五必到 forms with bUnit on the real application and database (formerly form posts in
/// Visits/VisitPagesTests): finding a household (own grids only; a whole phone number audited, part of one finding
/// nothing), recording a visit that corrects a phone and raises a case, a replay recorded once, a refusal that keeps
/// what was typed, the numbers masked in what the circuit holds, and a secretary's 五必到 that the worker then sees.
/// </summary>
public sealed class VisitRecordComponentTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private async Task<Household> HouseholdAsync(int skip) => (await app.HouseholdsOfGridAsync(await app.FirstGridOfAsync("worker1"), skip, 1))[0];

    private Task<Resident> FirstResidentAsync(int householdId) => app.DbAsync(db =>
        db.Residents.AsNoTracking().Where(r => r.HouseholdId == householdId && r.RemovedAt == null).OrderBy(r => r.Id).FirstAsync());

    private Task<int> VisitCountAsync(int householdId) => app.DbAsync(db => db.Visits.CountAsync(v => v.HouseholdId == householdId));

    [Fact]
    public async Task The_household_search_finds_households_of_the_workers_grid_only_and_links_to_their_form()
    {
        var household = await HouseholdAsync(30);
        var foreign = await app.DbAsync(db => db.Households.Where(h => h.GridId != household.GridId && h.RemovedAt == null).Select(h => h.Address).FirstAsync());
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var page = harness.Page<RecordVisitPage>("/visits/new");

        page.Search(household.Address);
        var hit = page.WaitForElement($"[data-testid=household-hits] [data-household-id='{household.Id}']");
        Assert.Equal($"/visits/new?household={household.Id}", hit.GetAttribute("href"));

        page.Search(foreign);
        page.WaitForElement("[data-testid=household-search-empty]");
        Assert.Empty(page.FindAll("[data-testid=household-hits]"));
    }

    [Fact]
    public async Task A_search_by_a_whole_phone_finds_the_household_audited_with_the_number_masked_and_part_of_a_number_finds_nothing()
    {
        var household = await HouseholdAsync(31);
        var resident = await app.DbAsync(db => db.Residents.AsNoTracking()
            .Where(r => r.HouseholdId == household.Id && r.RemovedAt == null && r.Phone != null).OrderBy(r => r.Id).FirstAsync());
        var phone = resident.Phone!;
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var page = harness.Page<RecordVisitPage>("/visits/new");
        var audited = await LookupsAsync();

        page.Search(phone);
        page.WaitForElement($"[data-testid=household-hits] [data-household-id='{household.Id}']");
        page.Search(phone[..7]);
        page.WaitForElement("[data-testid=household-search-empty]");

        var entries = (await LookupsAsync()).Skip(audited.Count).ToList();
        var entry = Assert.Single(entries);
        Assert.Equal("worker1", entry.ActorUserName);
        Assert.Contains(Masking.Phone(phone)!, entry.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(phone, entry.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(phone, page.Markup, StringComparison.Ordinal); // the hits name no number
    }

    private Task<List<AuditEntry>> LookupsAsync() => app.DbAsync(db => db.AuditEntries.AsNoTracking()
        .Where(a => a.Action == AuditAction.Lookup && a.EntityType == nameof(Household) && a.Detail!.StartsWith("走访找户")).OrderBy(a => a.Id).ToListAsync());

    [Fact]
    public async Task A_worker_records_a_visit_that_updates_a_phone_and_raises_a_case_and_returns_to_the_visits_page()
    {
        var household = await HouseholdAsync(0);
        var resident = await FirstResidentAsync(household.Id);
        var categoryId = await app.DbAsync(db => db.Categories.Where(c => c.Code == "1107").Select(c => c.Id).SingleAsync());
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var page = harness.Page<RecordVisitPage>($"/visits/new?household={household.Id}");

        page.WaitForElement("#visit-findings").Change("户主反映阳台外侧花盆有坠落风险，已更新联系电话");
        page.Find("#visit-at").Change(VisitWebData.ChinaNow(TimeSpan.FromMinutes(-5)));
        page.Find("#visit-companions").Change("楼栋长");
        page.Find($"#resident-{resident.Id}-phone").Change("13700137000");
        await page.RaiseCaseAsync(harness, categoryId, "1107", "阳台外侧花盆有坠落风险");
        page.SubmitVisit();

        page.WaitForAssertion(() => Assert.Contains("/visits?recorded=", harness.Navigation.Uri, StringComparison.Ordinal));
        var visit = await app.DbAsync(db => db.Visits.AsNoTracking().OrderByDescending(v => v.Id).FirstAsync(v => v.HouseholdId == household.Id));
        Assert.Equal(("户主反映阳台外侧花盆有坠落风险，已更新联系电话", "楼栋长"), (visit.Findings, visit.Companions));
        Assert.Equal("13700137000", await app.DbAsync(db => db.Residents.Where(r => r.Id == resident.Id).Select(r => r.Phone).SingleAsync()));
        var @case = await app.DbAsync(db => db.Cases.AsNoTracking().SingleAsync(c => c.Id == visit.RaisedCaseId));
        Assert.Equal(household.Address, @case.Address);
        Assert.EndsWith($"/visits?recorded={visit.Id}&case={@case.Number}", harness.Navigation.Uri, StringComparison.Ordinal);
        Assert.Contains(harness.Snackbar.ShownSnackbars, s => s.Message == "走访已登记。");
    }

    [Fact]
    public async Task A_replay_of_the_visit_forms_submission_answers_with_the_first_visit_records_it_once_and_a_masked_phone_left_alone_keeps_the_number()
    {
        var household = await HouseholdAsync(2);
        var resident = await FirstResidentAsync(household.Id);
        var worker = await app.StaffActorAsync("worker1");
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var page = harness.Page<RecordVisitPage>($"/visits/new?household={household.Id}");
        // The id the form was made with (handed from the prerender to the circuit with the household).
        var submission = Guid.Parse(page.WaitForElement("[data-testid=visit-form]").GetAttribute("data-submission")!);
        var before = await VisitCountAsync(household.Id);

        page.Find("#visit-findings").Change("重放测试：了解家庭近况");
        page.Find("#visit-at").Change(VisitWebData.ChinaNow(TimeSpan.FromMinutes(-10)));
        page.Find("[data-testid=visit-form]").Submit();
        page.WaitForAssertion(() => Assert.Contains("/visits?recorded=", harness.Navigation.Uri, StringComparison.Ordinal));
        // The same form sent again (a second click that got through, a resubmit after a reconnect) reaches the service the
        // page calls with the page's id: bUnit keeps no form to click once the page has moved on.
        var replayed = await app.InAppAsync(p => p.GetRequiredService<VisitService>().RecordVisitAsync(
            new RecordVisit(household.Id, DateTimeOffset.UtcNow.AddMinutes(-10), "重放测试：了解家庭近况", SubmissionId: submission), worker));

        var visit = Assert.Single(await app.DbAsync(db => db.Visits.AsNoTracking().Where(v => v.HouseholdId == household.Id && v.Findings == "重放测试：了解家庭近况").ToListAsync()));
        Assert.Equal(visit.Id, replayed.Id);
        Assert.EndsWith($"/visits?recorded={visit.Id}", harness.Navigation.Uri, StringComparison.Ordinal);
        Assert.Equal(before + 1, await VisitCountAsync(household.Id));
        Assert.Equal(resident.Phone, await app.DbAsync(db => db.Residents.Where(r => r.Id == resident.Id).Select(r => r.Phone).SingleAsync()));
    }

    [Fact]
    public async Task A_visit_in_the_future_is_refused_under_the_time_and_what_was_typed_stays()
    {
        var household = await HouseholdAsync(1);
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var page = harness.Page<RecordVisitPage>($"/visits/new?household={household.Id}");
        var before = await app.DbAsync(db => db.Visits.CountAsync());
        var tomorrow = VisitWebData.ChinaNow(TimeSpan.FromDays(1));

        page.WaitForElement("#visit-findings").Change("明天才去的走访");
        page.Find("#visit-at").Change(tomorrow);
        page.SubmitVisit();

        page.WaitForAssertion(() => Assert.Equal("走访时间不能晚于当前时间", page.ErrorUnder("visit-at")));
        Assert.Equal("明天才去的走访", page.Find("#visit-findings").GetAttribute("value"));
        Assert.Equal(tomorrow, page.Find("#visit-at").GetAttribute("value"));
        Assert.Contains($"/visits/new?household={household.Id}", harness.Navigation.Uri, StringComparison.Ordinal);
        Assert.Equal(before, await app.DbAsync(db => db.Visits.CountAsync()));
    }

    [Fact]
    public async Task The_form_shows_phones_masked_and_hands_the_circuit_no_whole_number()
    {
        var gridCode = await app.FirstGridOfAsync("worker1");
        var householdId = await app.DbAsync(db => db.Residents.Where(r => r.RemovedAt == null && r.Phone != null
                && db.Households.Any(h => h.Id == r.HouseholdId && h.RemovedAt == null && db.Grids.Any(g => g.Id == h.GridId && g.Code == gridCode)))
            .OrderByDescending(r => r.HouseholdId).Select(r => r.HouseholdId!.Value).Skip(40).FirstAsync());
        var residents = await app.DbAsync(db => db.Residents.AsNoTracking().Where(r => r.HouseholdId == householdId && r.RemovedAt == null).ToListAsync());
        var withPhone = residents.First(r => r.Phone is not null);
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");

        var page = harness.Page<RecordVisitPage>($"/visits/new?household={householdId}");

        Assert.Equal(Masking.Phone(withPhone.Phone), page.WaitForElement($"#resident-{withPhone.Id}-phone").GetAttribute("value"));
        // What the prerender persists for the circuit is this state, serialized as it is here.
        var handed = JsonSerializer.Serialize(page.Instance.State);
        foreach (var resident in residents)
        {
            Assert.DoesNotContain(resident.IdNumber, handed, StringComparison.Ordinal);
            Assert.DoesNotContain(resident.IdNumber, page.Markup, StringComparison.Ordinal);
            if (resident.Phone is { } phone)
            {
                Assert.DoesNotContain(phone, handed, StringComparison.Ordinal);
                Assert.DoesNotContain(phone, page.Markup, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task A_household_of_another_grid_or_not_a_number_opens_no_form()
    {
        var gridCode = await app.FirstGridOfAsync("worker1");
        var foreign = await app.DbAsync(db => db.Households.Where(h => db.Grids.Any(g => g.Id == h.GridId && g.Code != gridCode)).Select(h => new { h.Id, h.Address }).FirstAsync());
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");

        foreach (var url in new[] { $"/visits/new?household={foreign.Id}", "/visits/new?household=abc" })
        {
            var page = harness.Page<RecordVisitPage>(url);
            page.WaitForElement("[data-testid=household-not-found]");
            Assert.Empty(page.FindAll("[data-testid=visit-form]"));
            Assert.DoesNotContain(foreign.Address, page.Markup, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_visit_opened_from_a_five_must_link_answers_that_demand()
    {
        var household = await HouseholdAsync(3);
        var worker = await app.StaffActorAsync("worker1");
        var demand = await app.InAppAsync(p => p.GetRequiredService<VisitService>()
            .CreateDemandAsync(household.Id, FiveMustReason.NeighbourDispute, "邻里因漏水起争执", worker));
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var page = harness.Page<RecordVisitPage>($"/visits/new?household={household.Id}&demand={demand.Id}");

        page.WaitForElement("#visit-findings").Change("已上门调解漏水纠纷");
        page.Find("#visit-at").Change(VisitWebData.ChinaNow(TimeSpan.FromMinutes(-3)));
        page.SubmitVisit();

        page.WaitForAssertion(() => Assert.Contains("/visits?recorded=", harness.Navigation.Uri, StringComparison.Ordinal));
        var fulfilled = await app.DbAsync(db => db.VisitDemands.AsNoTracking().Where(d => d.Id == demand.Id).Select(d => d.FulfilledByVisitId).SingleAsync());
        Assert.NotNull(fulfilled);
    }

    [Fact]
    public async Task A_secretary_registers_a_five_must_visit_once_even_replayed_and_the_worker_then_sees_it()
    {
        var household = await HouseholdAsync(4);
        await using var harness = await ComponentHarness.SignedInAsync(app, "secretary1");
        var page = harness.Page<NewDemandPage>($"/visits/demands/new?household={household.Id}");

        var submission = Guid.Parse(page.WaitForElement("[data-testid=demand-form]").GetAttribute("data-submission")!);
        page.ChooseReason(FiveMustReason.FamilyCrisis);
        page.Find("#demand-note").Change("家中老人突发重病住院");
        page.Find("[data-testid=demand-form]").Submit();
        page.WaitForAssertion(() => Assert.Contains("/visits?demand=", harness.Navigation.Uri, StringComparison.Ordinal));
        // The same form sent again (a second click that got through, a resubmit after a reconnect) reaches the service the
        // page calls with the page's id: bUnit keeps no form to click once the page has moved on.
        var secretary = await app.StaffActorAsync("secretary1");
        var replayed = await app.InAppAsync(p => p.GetRequiredService<VisitService>().CreateDemandAsync(
            household.Id, FiveMustReason.FamilyCrisis, "家中老人突发重病住院", secretary, submission));

        var demand = Assert.Single(await app.DbAsync(db => db.VisitDemands.AsNoTracking().Where(d => d.HouseholdId == household.Id).ToListAsync()));
        Assert.Equal((FiveMustReason.FamilyCrisis, "家中老人突发重病住院"), (demand.Reason, demand.Note));
        Assert.Equal(demand.Id, replayed.Id);
        Assert.EndsWith($"/visits?demand={demand.Id}", harness.Navigation.Uri, StringComparison.Ordinal);
        Assert.Contains(harness.Snackbar.ShownSnackbars, s => s.Message == "五必到事项已登记。");
        using var worker = await app.SignedInAsync("worker1");
        var visits = await worker.GetStringAsync("/visits");
        Assert.Contains($"data-demand-id=\"{demand.Id}\"", visits, StringComparison.Ordinal);
        Assert.Contains($"href=\"/visits/new?household={household.Id}&amp;demand={demand.Id}\"", visits, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_five_must_visit_without_a_reason_is_refused_under_the_reasons_and_the_note_stays()
    {
        var household = await HouseholdAsync(5);
        await using var harness = await ComponentHarness.SignedInAsync(app, "secretary1");
        var page = harness.Page<NewDemandPage>($"/visits/demands/new?household={household.Id}");
        var before = await app.DbAsync(db => db.VisitDemands.CountAsync());

        page.WaitForElement("#demand-note").Change("未选事由");
        page.Find("[data-testid=demand-form]").Submit();

        page.WaitForAssertion(() => Assert.Equal("请选择五必到事由", page.Find("[data-error-for=reason]").TextContent.Trim()));
        Assert.Equal("未选事由", page.Find("#demand-note").GetAttribute("value"));
        Assert.Equal(before, await app.DbAsync(db => db.VisitDemands.CountAsync()));
    }
}

/// <summary>Driving the visit and 五必到 forms with bUnit.</summary>
internal static class VisitFormDriver
{
    /// <summary>Types into the household search and submits it.</summary>
    public static void Search<T>(this IRenderedComponent<T> page, string text) where T : class, IComponent
    {
        page.WaitForElement("#household-search").Change(text);
        page.Find("[data-testid=household-search-form]").Submit();
    }

    /// <summary>Ticks "raise a case", picks the category (typed as its code) and describes the problem.</summary>
    public static Task RaiseCaseAsync(this IRenderedComponent<RecordVisitPage> page, ComponentHarness harness, int categoryId, string code, string description)
    {
        page.Find("[data-testid=raise-case] input[type=checkbox]").Change(true);
        page.WaitForAssertion(() => page.Find("input#visit-category").Input(code));
        harness.Popovers.WaitForAssertion(() => Assert.NotEmpty(harness.Popovers.FindAll($"[data-category='{categoryId}']")));
        harness.Popovers.Find($"[data-category='{categoryId}']").Click();
        page.WaitForAssertion(() => Assert.StartsWith(code, page.Find("input#visit-category").GetAttribute("value"), StringComparison.Ordinal));
        page.Find("#visit-case-description").Change(description);
        return Task.CompletedTask;
    }

    /// <summary>Submits the visit form once it is not busy.</summary>
    public static void SubmitVisit(this IRenderedComponent<RecordVisitPage> page) => page.WaitForAssertion(() =>
    {
        Assert.False(page.Find("button[data-testid=visit-submit]").HasAttribute("disabled"));
        page.Find("[data-testid=visit-form]").Submit();
    });

    /// <summary>Picks a 五必到 reason (a MudRadio).</summary>
    public static void ChooseReason(this IRenderedComponent<NewDemandPage> page, FiveMustReason reason)
    {
        var radio = page.WaitForElement($"[data-reason={reason}]");
        (radio.TagName == "INPUT" ? radio : radio.QuerySelector("input[type=radio]") ?? throw new InvalidOperationException(radio.OuterHtml)).Click();
        // The group takes the value on its own turn: submitting before it has would send no reason.
        page.WaitForAssertion(() => Assert.Equal(reason, page.FindComponent<MudBlazor.MudRadioGroup<FiveMustReason?>>().Instance.Value));
    }
}
