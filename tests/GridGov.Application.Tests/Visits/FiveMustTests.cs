using GridGov.Application.Visits;
using GridGov.Domain.Common;
using GridGov.Domain.Visits;
using GridGov.TestSupport.GridGov;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Application.Tests.Visits;

/// <summary>五必到: demands by hand and from registered cases, fulfilled by visits.</summary>
public sealed class FiveMustTests(VisitScenario scenario) : IClassFixture<VisitScenario>
{
    [Theory]
    [InlineData("1002", "09", FiveMustReason.FamilyCrisis)]
    [InlineData("1001", "10", FiveMustReason.NeighbourDispute)]
    [InlineData("1401", "14", FiveMustReason.SuddenHardship)]
    [InlineData("0902", "09", FiveMustReason.CommunityEmergency)]
    [InlineData("1303", "13", FiveMustReason.PublicSecurity)]
    public void Mapped_categories_give_their_reason(string category, string major, FiveMustReason reason)
    {
        Assert.Equal(reason, FiveMustCategories.ReasonFor(category, category == "1002" ? "10" : major));
    }

    [Theory]
    [InlineData("0501", "05")]
    [InlineData("1402", "14")] // 就业求助 is not a sudden hardship
    [InlineData("1003", "10")]
    public void Other_categories_give_no_demand(string category, string major)
    {
        Assert.Null(FiveMustCategories.ReasonFor(category, major));
    }

    [Fact]
    public async Task A_demand_by_hand_is_due_in_two_days_shows_as_open_and_a_visit_in_time_fulfils_it()
    {
        scenario.Clock.Set(TestClock.China(2026, 11, 23, 9));
        var worker = await scenario.ActorAsync("worker1");
        var household = (await scenario.FreshHouseholdsAsync(await scenario.GridOfAsync("worker1"), 1))[0];

        var demand = await scenario.VisitsAsync(s => s.CreateDemandAsync(household.Id, FiveMustReason.SuddenHardship, "家中主要劳动力住院", worker));

        Assert.Equal(TestClock.China(2026, 11, 25, 9), demand.DueBy);
        var open = (await scenario.QueriesAsync(q => q.WorkerMonthAsync(worker.StaffMemberId!.Value, new DateOnly(2026, 11, 1))))!.OpenDemands;
        var row = Assert.Single(open, d => d.Id == demand.Id);
        Assert.False(row.Overdue);
        Assert.Equal("家中主要劳动力住院", row.Note);

        scenario.Clock.Set(TestClock.China(2026, 11, 24, 15));
        var visit = await scenario.VisitsAsync(s => s.RecordVisitAsync(new RecordVisit(household.Id, TestClock.China(2026, 11, 24, 14), "已上门慰问，协助申请临时救助",
            VisitDemandId: demand.Id), worker));

        var fulfilled = await scenario.DbAsync(db => db.VisitDemands.AsNoTracking().SingleAsync(d => d.Id == demand.Id));
        Assert.Equal(visit.Id, fulfilled.FulfilledByVisitId);
        Assert.True(fulfilled.WasFulfilledInTime());
        var after = (await scenario.QueriesAsync(q => q.WorkerMonthAsync(worker.StaffMemberId!.Value, new DateOnly(2026, 11, 1))))!;
        Assert.DoesNotContain(after.OpenDemands, d => d.Id == demand.Id);
        Assert.Equal(FiveMustReason.SuddenHardship, Assert.Single(after.Visits, v => v.Id == visit.Id).DemandReason);
    }

    [Fact]
    public async Task An_open_demand_past_its_due_time_is_flagged_overdue()
    {
        scenario.Clock.Set(TestClock.China(2026, 11, 23, 9));
        var secretary = await scenario.ActorAsync("secretary1");
        var worker = await scenario.ActorAsync("worker1");
        var household = (await scenario.FreshHouseholdsAsync(await scenario.GridOfAsync("worker1"), 1))[0];

        var demand = await scenario.VisitsAsync(s => s.CreateDemandAsync(household.Id, FiveMustReason.NeighbourDispute, null, secretary));
        scenario.Clock.Set(TestClock.China(2026, 11, 25, 9, 1));

        var row = Assert.Single((await scenario.QueriesAsync(q => q.WorkerMonthAsync(worker.StaffMemberId!.Value, new DateOnly(2026, 11, 1))))!.OpenDemands,
            d => d.Id == demand.Id);
        Assert.True(row.Overdue);
    }

    [Fact]
    public async Task A_replayed_five_must_form_answers_with_the_first_demand_and_asks_once_and_another_persons_key_is_refused()
    {
        scenario.Clock.Set(TestClock.China(2026, 11, 23, 9));
        var secretary = await scenario.ActorAsync("secretary1");
        var worker = await scenario.ActorAsync("worker1");
        var household = (await scenario.FreshHouseholdsAsync(await scenario.GridOfAsync("worker1"), 1))[0];
        var submission = Guid.NewGuid();

        var first = await scenario.VisitsAsync(s => s.CreateDemandAsync(household.Id, FiveMustReason.FamilyCrisis, "家中老人住院", secretary, submission));
        var replay = await scenario.VisitsAsync(s => s.CreateDemandAsync(household.Id, FiveMustReason.FamilyCrisis, "家中老人住院", secretary, submission));
        var foreign = await Assert.ThrowsAsync<DomainException>(() =>
            scenario.VisitsAsync(s => s.CreateDemandAsync(household.Id, FiveMustReason.FamilyCrisis, null, worker, submission)));

        Assert.Equal(first.Id, replay.Id);
        Assert.Equal(Submissions.ForeignCode, foreign.Code);
        Assert.Equal(1, await scenario.DbAsync(db => db.VisitDemands.CountAsync(d => d.HouseholdId == household.Id)));
    }

    [Fact]
    public async Task A_demand_for_a_household_outside_ones_grid_is_refused()
    {
        var household = (await scenario.FreshHouseholdsAsync(await scenario.GridOfAsync("worker1"), 1))[0];
        var stranger = await scenario.ActorAsync(await scenario.WorkerOfAnotherGridAsync(await scenario.GridOfAsync("worker1")));
        var before = await scenario.DbAsync(db => db.VisitDemands.CountAsync());

        var refused = await Assert.ThrowsAsync<DomainException>(() =>
            scenario.VisitsAsync(s => s.CreateDemandAsync(household.Id, FiveMustReason.FamilyCrisis, null, stranger)));

        Assert.Equal("visit-demand.out-of-scope", refused.Code);
        Assert.Equal(before, await scenario.DbAsync(db => db.VisitDemands.CountAsync()));
    }

    [Fact]
    public async Task Registering_a_family_dispute_at_a_households_address_creates_its_demand_in_the_same_change()
    {
        scenario.Clock.Set(TestClock.China(2026, 11, 23, 10));
        var household = (await scenario.FreshHouseholdsAsync(await scenario.GridOfAsync("worker1"), 1))[0];

        var reported = await scenario.ReportedCaseAtAsync(household, "1002");
        var beforeRegistration = await scenario.DemandsOfCaseAsync(reported.Id);
        var dispatcher = await scenario.ActorAsync("dispatcher1");
        var registered = await scenario.CasesAsync(s => s.RegisterAsync(reported.Id, dispatcher, null, null));

        Assert.Empty(beforeRegistration);
        var demand = Assert.Single(await scenario.DemandsOfCaseAsync(registered.Id));
        Assert.Equal((household.Id, FiveMustReason.FamilyCrisis), (demand.HouseholdId, demand.Reason));
        Assert.Equal(scenario.Clock.GetUtcNow().AddDays(2), demand.DueBy);
        Assert.Contains(registered.Number, demand.Note);
    }

    [Fact]
    public async Task An_unmapped_category_or_an_address_of_no_household_creates_no_demand()
    {
        scenario.Clock.Set(TestClock.China(2026, 11, 23, 10));
        var household = (await scenario.FreshHouseholdsAsync(await scenario.GridOfAsync("worker1"), 1))[0];

        var rubbish = await scenario.RegisteredCaseAtAsync(household, "0501");
        var elsewhere = await scenario.RegisteredCaseAtAsync(household, "1001", address: "云帆街道不存在的地址1号");

        Assert.Empty(await scenario.DemandsOfCaseAsync(rubbish.Id));
        Assert.Empty(await scenario.DemandsOfCaseAsync(elsewhere.Id));
    }

    [Fact]
    public async Task A_rejected_report_creates_no_demand()
    {
        var household = (await scenario.FreshHouseholdsAsync(await scenario.GridOfAsync("worker1"), 1))[0];
        var reported = await scenario.ReportedCaseAtAsync(household, "1002");
        var dispatcher = await scenario.ActorAsync("dispatcher1");

        await scenario.CasesAsync(s => s.RejectAsync(reported.Id, dispatcher, "重复反映，已在处理"));

        Assert.Empty(await scenario.DemandsOfCaseAsync(reported.Id));
    }

    [Fact]
    public async Task An_emergency_report_of_a_community_emergency_creates_the_demand_as_it_goes_out()
    {
        scenario.Clock.Set(TestClock.China(2026, 11, 23, 10));
        var household = (await scenario.FreshHouseholdsAsync(await scenario.GridOfAsync("worker1"), 1))[0];

        var emergency = await scenario.ReportedCaseAtAsync(household, "0902", priority: Domain.Cases.CasePriority.Emergency);

        var demand = Assert.Single(await scenario.DemandsOfCaseAsync(emergency.Id));
        Assert.Equal((household.Id, FiveMustReason.CommunityEmergency), (demand.HouseholdId, demand.Reason));
    }

    [Fact]
    public async Task A_visit_cannot_fulfil_a_demand_of_another_household_or_one_already_fulfilled()
    {
        scenario.Clock.Set(TestClock.China(2026, 11, 23, 11));
        var worker = await scenario.ActorAsync("worker1");
        var households = await scenario.FreshHouseholdsAsync(await scenario.GridOfAsync("worker1"), 2);
        var demand = await scenario.VisitsAsync(s => s.CreateDemandAsync(households[0].Id, FiveMustReason.FamilyCrisis, null, worker));
        var visits = await scenario.DbAsync(db => db.Visits.CountAsync());

        var wrong = await Assert.ThrowsAsync<DomainException>(() => scenario.VisitsAsync(s => s.RecordVisitAsync(
            new RecordVisit(households[1].Id, scenario.Clock.GetUtcNow().AddMinutes(-5), "走访", VisitDemandId: demand.Id), worker)));
        await scenario.VisitsAsync(s => s.RecordVisitAsync(new RecordVisit(households[0].Id, scenario.Clock.GetUtcNow().AddMinutes(-5), "走访", VisitDemandId: demand.Id), worker));
        var twice = await Assert.ThrowsAsync<DomainException>(() => scenario.VisitsAsync(s => s.RecordVisitAsync(
            new RecordVisit(households[0].Id, scenario.Clock.GetUtcNow().AddMinutes(-1), "再次走访", VisitDemandId: demand.Id), worker)));

        Assert.Equal("visit-demand.household", wrong.Code);
        Assert.Equal("visit-demand.fulfilled", twice.Code);
        Assert.Equal(visits + 1, await scenario.DbAsync(db => db.Visits.CountAsync()));
    }
}
