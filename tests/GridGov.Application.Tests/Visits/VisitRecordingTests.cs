using GridGov.Application.Visits;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Ledgers;
using GridGov.Domain.Visits;
using GridGov.TestSupport.GridGov;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Application.Tests.Visits;

/// <summary>Recording and amending visits through the real service: ledger updates, raised cases, and every refusal.</summary>
public sealed class VisitRecordingTests(VisitScenario scenario) : IClassFixture<VisitScenario>
{
    private static readonly DateOnly November2023 = new(2023, 11, 1);

    private Task<int> VisitCountAsync() => scenario.DbAsync(db => db.Visits.CountAsync());

    private async Task<DomainException> RefusedAsync(Func<VisitService, Task> action)
    {
        var before = await VisitCountAsync();
        var exception = await Assert.ThrowsAsync<DomainException>(() => scenario.VisitsAsync(async s => { await action(s); return 0; }));
        Assert.Equal(before, await VisitCountAsync());
        return exception;
    }

    [Fact]
    public async Task A_worker_records_a_visit_to_a_household_of_their_grid()
    {
        scenario.Clock.Set(TestClock.China(2026, 11, 23, 9));
        var worker = await scenario.ActorAsync("worker1");
        var household = (await scenario.FreshHouseholdsAsync(await scenario.GridOfAsync("worker1"), 1))[0];

        var visit = await scenario.VisitsAsync(s => s.RecordVisitAsync(
            new RecordVisit(household.Id, TestClock.China(2026, 11, 23, 8, 30), "  家中老人身体尚可，反映楼道灯不亮  ", "楼栋长张阿姨"), worker));

        var stored = await scenario.DbAsync(db => db.Visits.AsNoTracking().SingleAsync(v => v.Id == visit.Id));
        Assert.Equal(household.Id, stored.HouseholdId);
        Assert.Equal(household.GridId, stored.GridId);
        Assert.Equal(worker.StaffMemberId, stored.VisitorStaffId);
        Assert.Equal("家中老人身体尚可，反映楼道灯不亮", stored.Findings);
        Assert.Equal("楼栋长张阿姨", stored.Companions);
        Assert.Equal(TestClock.China(2026, 11, 23, 8, 30), stored.VisitedAt);
        Assert.Null(stored.RaisedCaseId);
    }

    [Fact]
    public async Task A_replayed_visit_form_returns_the_first_visit_and_counts_once_and_someone_elses_key_is_refused()
    {
        scenario.Clock.Set(TestClock.China(2026, 11, 23, 11));
        var worker = await scenario.ActorAsync("worker1");
        var leader = await scenario.ActorAsync("leader1");
        var household = (await scenario.FreshHouseholdsAsync(await scenario.GridOfAsync("worker1"), 1))[0];
        var submission = Guid.NewGuid();
        RecordVisit Form() => new(household.Id, TestClock.China(2026, 11, 23, 10), "入户了解生活情况", SubmissionId: submission);
        var before = await scenario.DbAsync(db => db.Visits.CountAsync(v => v.HouseholdId == household.Id));

        var first = await scenario.VisitsAsync(s => s.RecordVisitAsync(Form(), worker));
        var replay = await scenario.VisitsAsync(s => s.RecordVisitAsync(Form(), worker));
        var foreign = await RefusedAsync(s => s.RecordVisitAsync(Form(), leader));

        Assert.Equal(first.Id, replay.Id);
        Assert.Equal(before + 1, await scenario.DbAsync(db => db.Visits.CountAsync(v => v.HouseholdId == household.Id)));
        Assert.Equal("submission.foreign", foreign.Code);
    }

    [Fact]
    public async Task Phone_and_tags_updated_on_the_spot_are_saved_and_change_the_households_schedule()
    {
        scenario.Clock.Set(TestClock.China(2026, 11, 23, 10));
        var worker = await scenario.ActorAsync("worker1");
        var household = (await scenario.FreshHouseholdsAsync(await scenario.GridOfAsync("worker1"), 1))[0];
        var resident = (await scenario.ResidentsOfAsync(household.Id))[0];
        await scenario.DbAsync(async db =>
        {
            var tracked = await db.Residents.SingleAsync(r => r.Id == resident.Id);
            tracked.Groups.Clear();
            tracked.Tag(ResidentGroup.Unemployed);
            return await db.SaveChangesAsync();
        });

        await scenario.VisitsAsync(s => s.RecordVisitAsync(new RecordVisit(household.Id, TestClock.China(2026, 11, 23, 9, 45), "更新联系方式，老人现独居",
            LedgerUpdates: [new ResidentLedgerUpdate(resident.Id, "13800138000", [ResidentGroup.ElderlyLivingAlone], [ResidentGroup.Unemployed])]), worker));

        var after = await scenario.DbAsync(db => db.Residents.AsNoTracking().SingleAsync(r => r.Id == resident.Id));
        Assert.Equal("13800138000", after.Phone);
        Assert.Contains(ResidentGroup.ElderlyLivingAlone, after.Groups);
        Assert.DoesNotContain(ResidentGroup.Unemployed, after.Groups);
        var card = await scenario.QueriesAsync(q => q.HouseholdAsync(worker, household.Id));
        Assert.Equal(VisitFrequency.Monthly, card!.Frequency);
        Assert.Equal(new DateOnly(2026, 11, 23), card.LastVisit);
        Assert.False(card.Overdue);
        Assert.Equal(new DateOnly(2026, 12, 31), card.NextDue); // visited in November: due by the end of December
    }

    [Fact]
    public async Task A_bad_phone_on_the_spot_refuses_the_whole_visit()
    {
        var worker = await scenario.ActorAsync("worker1");
        var household = (await scenario.FreshHouseholdsAsync(await scenario.GridOfAsync("worker1"), 1))[0];
        var resident = (await scenario.ResidentsOfAsync(household.Id))[0];

        var refused = await RefusedAsync(s => s.RecordVisitAsync(new RecordVisit(household.Id, scenario.Clock.GetUtcNow().AddHours(-1), "更新电话",
            LedgerUpdates: [new ResidentLedgerUpdate(resident.Id, "12345")]), worker));

        Assert.Equal("visit.resident-phone", refused.Code);
        Assert.Equal(VisitService.ResidentPhoneField(resident.Id), refused.Field);
        Assert.Equal(resident.Phone, (await scenario.ResidentsOfAsync(household.Id))[0].Phone);
    }

    [Fact]
    public async Task A_resident_of_another_household_cannot_be_updated_from_a_visit()
    {
        var worker = await scenario.ActorAsync("worker1");
        var households = await scenario.FreshHouseholdsAsync(await scenario.GridOfAsync("worker1"), 2);
        var stranger = (await scenario.ResidentsOfAsync(households[1].Id))[0];

        var refused = await RefusedAsync(s => s.RecordVisitAsync(new RecordVisit(households[0].Id, scenario.Clock.GetUtcNow().AddHours(-1), "走访",
            LedgerUpdates: [new ResidentLedgerUpdate(stranger.Id, "13800138001")]), worker));

        Assert.Equal("visit.resident-not-member", refused.Code);
    }

    [Fact]
    public async Task A_case_raised_from_a_visit_goes_through_the_workflow_at_the_households_address_and_is_linked()
    {
        scenario.Clock.Set(TestClock.China(2026, 11, 23, 11));
        var worker = await scenario.ActorAsync("worker1");
        var gridCode = await scenario.GridOfAsync("worker1");
        var household = (await scenario.FreshHouseholdsAsync(gridCode, 1))[0];
        var categoryId = await scenario.CategoryIdAsync("1103");

        var visit = await scenario.VisitsAsync(s => s.RecordVisitAsync(new RecordVisit(household.Id, TestClock.China(2026, 11, 23, 10, 30), "楼道内有电动车充电",
            RaiseCase: new RaiseCaseFromVisit(categoryId, "楼道内电动车飞线充电，存在火灾隐患")), worker));

        Assert.NotNull(visit.RaisedCaseId);
        var @case = await scenario.DbAsync(db => db.Cases.AsNoTracking().SingleAsync(c => c.Id == visit.RaisedCaseId));
        Assert.Equal(CaseState.Reported, @case.State);
        Assert.Equal(household.Address, @case.Address);
        Assert.Equal(gridCode, @case.GridCode);
        Assert.Equal(worker.StaffMemberId, @case.ReporterStaffId);
        Assert.Equal(CaseSource.GridWorkerPatrol, @case.Source);
        Assert.Equal(categoryId, @case.CategoryId);
    }

    [Fact]
    public async Task A_worker_of_another_grid_is_refused()
    {
        var household = (await scenario.FreshHouseholdsAsync(await scenario.GridOfAsync("worker1"), 1))[0];
        var stranger = await scenario.ActorAsync(await scenario.WorkerOfAnotherGridAsync(await scenario.GridOfAsync("worker1")));

        var refused = await RefusedAsync(s => s.RecordVisitAsync(new RecordVisit(household.Id, scenario.Clock.GetUtcNow().AddHours(-1), "走访"), stranger));

        Assert.Equal("visit.out-of-grid", refused.Code);
    }

    [Fact]
    public async Task A_secretary_cannot_record_a_visit()
    {
        var household = (await scenario.FreshHouseholdsAsync(await scenario.GridOfAsync("worker1"), 1))[0];
        var secretary = await scenario.ActorAsync("secretary1");

        var refused = await RefusedAsync(s => s.RecordVisitAsync(new RecordVisit(household.Id, scenario.Clock.GetUtcNow().AddHours(-1), "走访"), secretary));

        Assert.Equal("visit.out-of-grid", refused.Code);
    }

    [Fact]
    public async Task A_removed_household_is_refused()
    {
        var worker = await scenario.ActorAsync("worker1");
        var household = (await scenario.FreshHouseholdsAsync(await scenario.GridOfAsync("worker1"), 1))[0];
        await scenario.DbAsync(async db =>
        {
            (await db.Households.SingleAsync(h => h.Id == household.Id)).Remove("整户迁出", scenario.Clock.GetUtcNow());
            return await db.SaveChangesAsync();
        });

        var refused = await RefusedAsync(s => s.RecordVisitAsync(new RecordVisit(household.Id, scenario.Clock.GetUtcNow().AddHours(-1), "走访"), worker));

        Assert.Equal("visit.household-removed", refused.Code);
        Assert.Equal("该住户已注销，不能登记走访", refused.Message);
    }

    [Fact]
    public async Task A_visit_in_the_future_is_refused()
    {
        var worker = await scenario.ActorAsync("worker1");
        var household = (await scenario.FreshHouseholdsAsync(await scenario.GridOfAsync("worker1"), 1))[0];

        var refused = await RefusedAsync(s => s.RecordVisitAsync(new RecordVisit(household.Id, scenario.Clock.GetUtcNow().AddMinutes(5), "走访"), worker));

        Assert.Equal("visit.future", refused.Code);
    }

    [Fact]
    public async Task Empty_findings_are_refused_with_the_fields_name()
    {
        var worker = await scenario.ActorAsync("worker1");
        var household = (await scenario.FreshHouseholdsAsync(await scenario.GridOfAsync("worker1"), 1))[0];

        var refused = await RefusedAsync(s => s.RecordVisitAsync(new RecordVisit(household.Id, scenario.Clock.GetUtcNow().AddHours(-1), "  "), worker));

        Assert.Equal("走访情况不能为空", refused.Message);
    }

    [Fact]
    public async Task After_sign_off_new_and_amended_visits_of_that_month_are_refused_and_nothing_is_written()
    {
        scenario.Clock.Set(TestClock.China(2023, 11, 23, 9));
        var worker = await scenario.ActorAsync("worker1");
        var gridCode = await scenario.GridOfAsync("worker1");
        var households = await scenario.FreshHouseholdsAsync(gridCode, 2);
        var october = await scenario.VisitsAsync(s => s.RecordVisitAsync(new RecordVisit(households[0].Id, TestClock.China(2023, 10, 20, 15), "十月走访，情况正常"), worker));
        var categoryId = await scenario.CategoryIdAsync("1103");
        var casesBefore = await scenario.DbAsync(db => db.Cases.CountAsync());

        await scenario.SignOffDirectlyAsync(gridCode, new DateOnly(2023, 10, 1));

        var added = await RefusedAsync(s => s.RecordVisitAsync(new RecordVisit(households[1].Id, TestClock.China(2023, 10, 31, 23, 30), "补登十月走访",
            RaiseCase: new RaiseCaseFromVisit(categoryId, "补登时发现的问题")), worker));
        var octoberVersion = await scenario.VisitVersionAsync(october.Id);
        var amended = await RefusedAsync(s => s.AmendVisitAsync(october.Id, octoberVersion, worker, "改写十月的走访情况", null));
        Assert.Equal(VisitService.FrozenMessage, added.Message);
        Assert.Equal("该月已签署审核，不能再登记或修改走访", amended.Message);
        Assert.Equal("十月走访，情况正常", (await scenario.DbAsync(db => db.Visits.AsNoTracking().SingleAsync(v => v.Id == october.Id))).Findings);
        Assert.Equal(casesBefore, await scenario.DbAsync(db => db.Cases.CountAsync()));

        // The next month of the same grid is open; 00:10 China time on 1 November is November (a long-past month: no demo data).
        var november = await scenario.VisitsAsync(s => s.RecordVisitAsync(new RecordVisit(households[1].Id, TestClock.China(2023, 11, 1, 0, 10), "十一月走访"), worker));
        Assert.Equal(November2023, ChinaMonths.MonthOf(november.VisitedAt));
    }

    [Fact]
    public async Task Only_the_visitor_amends_their_visit()
    {
        var worker = await scenario.ActorAsync("worker1");
        var leader = await scenario.ActorAsync("leader1");
        var household = (await scenario.FreshHouseholdsAsync(await scenario.GridOfAsync("worker1"), 1))[0];
        var visit = await scenario.VisitsAsync(s => s.RecordVisitAsync(new RecordVisit(household.Id, scenario.Clock.GetUtcNow().AddHours(-2), "初记"), worker));

        var version = await scenario.VisitVersionAsync(visit.Id);

        var refused = await Assert.ThrowsAsync<DomainException>(() => scenario.VisitsAsync(s => s.AmendVisitAsync(visit.Id, version, leader, "网格长改写", null)));
        await scenario.VisitsAsync(s => s.AmendVisitAsync(visit.Id, version, worker, "补充：已联系物业修灯", "物业李师傅"));

        Assert.Equal("visit.not-visitor", refused.Code);
        var stored = await scenario.DbAsync(db => db.Visits.AsNoTracking().SingleAsync(v => v.Id == visit.Id));
        Assert.Equal("补充：已联系物业修灯", stored.Findings);
        Assert.Equal("物业李师傅", stored.Companions);
    }
}
