using GridGov.Application.Visits;
using GridGov.Domain.Ledgers;
using GridGov.Domain.Visits;
using GridGov.TestSupport.GridGov;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Application.Tests.Visits;

/// <summary>The monthly quota of distinct households and the must-visit list, on China-time months.</summary>
public sealed class VisitQuotaTests(VisitScenario scenario) : IClassFixture<VisitScenario>
{
    private Task RecordAsync(string userName, int householdId, DateTimeOffset at) => scenario.WithAsync(async provider =>
    {
        var actor = await scenario.ActorAsync(userName);
        return await provider.GetRequiredService<VisitService>().RecordVisitAsync(new RecordVisit(householdId, at, "例行走访"), actor);
    });

    private async Task<int> StaffIdAsync(string userName) => (await scenario.ActorAsync(userName)).StaffMemberId!.Value;

    [Fact]
    public async Task The_quota_counts_distinct_households_and_a_visit_at_2330_china_time_on_the_31st_counts_for_that_month()
    {
        scenario.Clock.Set(TestClock.China(2023, 11, 23, 9));
        var gridCode = await scenario.GridOfAsync("leader1");
        var households = await scenario.FreshHouseholdsAsync(gridCode, 3);
        var leaderId = await StaffIdAsync("leader1");
        var octoberBefore = await scenario.QueriesAsync(q => q.QuotaAsync(leaderId, new DateOnly(2023, 10, 1)));
        var novemberBefore = await scenario.QueriesAsync(q => q.QuotaAsync(leaderId, new DateOnly(2023, 11, 1)));

        await RecordAsync("leader1", households[0].Id, TestClock.China(2023, 10, 5, 10));
        await RecordAsync("leader1", households[0].Id, TestClock.China(2023, 10, 19, 10)); // the same household again
        var lateEvening = TestClock.China(2023, 10, 31, 23, 30);
        Assert.Equal(new DateTimeOffset(2023, 10, 31, 15, 30, 0, TimeSpan.Zero), lateEvening.ToUniversalTime());
        await RecordAsync("leader1", households[1].Id, lateEvening);
        await RecordAsync("leader1", households[2].Id, TestClock.China(2023, 11, 1, 0, 30));

        var october = await scenario.QueriesAsync(q => q.QuotaAsync(leaderId, new DateOnly(2023, 10, 1)));
        var november = await scenario.QueriesAsync(q => q.QuotaAsync(leaderId, new DateOnly(2023, 11, 1)));
        Assert.Equal(octoberBefore.HouseholdsVisited + 2, october.HouseholdsVisited);
        Assert.Equal(octoberBefore.Visits + 3, october.Visits);
        Assert.Equal(novemberBefore.HouseholdsVisited + 1, november.HouseholdsVisited);
        Assert.Equal(20, october.Quota);
    }

    [Fact]
    public async Task Twenty_distinct_households_meet_the_quota_and_twenty_visits_to_fewer_households_do_not()
    {
        scenario.Clock.Set(TestClock.China(2023, 9, 30, 20));
        var gridCode = await scenario.GridOfAsync("worker1");
        var households = await scenario.FreshHouseholdsAsync(gridCode, 20);
        var workerId = await StaffIdAsync("worker1");
        var september = new DateOnly(2023, 9, 1);
        var before = await scenario.QueriesAsync(q => q.QuotaAsync(workerId, september));
        Assert.Equal(0, before.HouseholdsVisited); // 2023: before any demo visit

        for (var i = 0; i < 19; i++)
        {
            await RecordAsync("worker1", households[i].Id, TestClock.China(2023, 9, 1 + i, 10));
        }
        await RecordAsync("worker1", households[0].Id, TestClock.China(2023, 9, 25, 10));
        var nineteen = await scenario.QueriesAsync(q => q.QuotaAsync(workerId, september));
        await RecordAsync("worker1", households[19].Id, TestClock.China(2023, 9, 30, 19));
        var twenty = await scenario.QueriesAsync(q => q.QuotaAsync(workerId, september));

        Assert.Equal((19, 20, false), (nineteen.HouseholdsVisited, nineteen.Visits, nineteen.Met));
        Assert.Equal((20, 21, true), (twenty.HouseholdsVisited, twenty.Visits, twenty.Met));
        Assert.Equal(100, twenty.Percent);
    }

    [Fact]
    public async Task The_quota_is_configurable()
    {
        await using var services = GridGovServices.Create(scenario.ConnectionString, scenario.Clock,
            s => s.Configure<VisitOptions>(o => o.MonthlyQuota = 5));
        await using var scope = services.CreateAsyncScope();

        var quota = await scope.ServiceProvider.GetRequiredService<VisitQueries>().QuotaAsync(await StaffIdAsync("worker1"), new DateOnly(2023, 8, 1));

        Assert.Equal(5, quota.Quota);
    }

    [Fact]
    public async Task An_elderly_person_living_alone_puts_the_household_on_the_monthly_list_until_it_is_visited_this_month()
    {
        scenario.Clock.Set(TestClock.China(2023, 11, 23, 9));
        var gridCode = await scenario.GridOfAsync("worker1");
        var household = (await scenario.FreshHouseholdsAsync(gridCode, 1))[0];
        var resident = (await scenario.ResidentsOfAsync(household.Id))[0];
        await scenario.DbAsync(async db =>
        {
            var tracked = await db.Residents.SingleAsync(r => r.Id == resident.Id);
            tracked.Tag(ResidentGroup.ElderlyLivingAlone);
            return await db.SaveChangesAsync();
        });
        await RecordAsync("worker1", household.Id, TestClock.China(2023, 10, 12, 10)); // October visited: not overdue
        var workerId = await StaffIdAsync("worker1");

        var gridIds = new[] { household.GridId };
        var before = await scenario.QueriesAsync(q => q.MustVisitAsync(gridIds));
        var row = Assert.Single(before, r => r.HouseholdId == household.Id);
        Assert.Equal(VisitFrequency.Monthly, row.Frequency);
        Assert.False(row.Overdue);
        Assert.Equal(new DateOnly(2023, 11, 30), row.NextDue);
        Assert.Equal(new DateOnly(2023, 10, 12), row.LastVisit);

        await RecordAsync("worker1", household.Id, TestClock.China(2023, 11, 22, 16));
        var after = await scenario.QueriesAsync(q => q.MustVisitAsync(gridIds));
        Assert.DoesNotContain(after, r => r.HouseholdId == household.Id);
        Assert.Equal(before.Count - 1, after.Count);
        // Monthly households come first on the worker's page.
        var page = (await scenario.QueriesAsync(q => q.WorkerMonthAsync(workerId, new DateOnly(2023, 11, 1))))!;
        Assert.Equal(after.Count, page.MustVisitTotal);
        Assert.Equal(after.Take(VisitQueries.MustVisitLimit).Select(r => r.HouseholdId), page.MustVisit.Select(r => r.HouseholdId));
    }

    [Fact]
    public async Task A_past_month_lists_the_households_it_left_unvisited_as_they_stood_at_its_end()
    {
        scenario.Clock.Set(TestClock.China(2023, 11, 23, 9));
        var gridCode = await scenario.GridOfAsync("worker1");
        var household = (await scenario.FreshHouseholdsAsync(gridCode, 1))[0];
        var resident = (await scenario.ResidentsOfAsync(household.Id))[0];
        await scenario.DbAsync(async db =>
        {
            var tracked = await db.Residents.SingleAsync(r => r.Id == resident.Id);
            tracked.Tag(ResidentGroup.ElderlyLivingAlone);
            return await db.SaveChangesAsync();
        });
        await RecordAsync("worker1", household.Id, TestClock.China(2023, 10, 12, 10));
        var gridIds = new[] { household.GridId };

        var september = await scenario.QueriesAsync(q => q.MustVisitAsync(gridIds, new DateOnly(2023, 9, 1)));
        var october = await scenario.QueriesAsync(q => q.MustVisitAsync(gridIds, new DateOnly(2023, 10, 1)));
        var november = await scenario.QueriesAsync(q => q.MustVisitAsync(gridIds, new DateOnly(2023, 11, 1)));

        // September ended with the household never visited (the October visit came later): missed.
        var missed = Assert.Single(september, r => r.HouseholdId == household.Id);
        Assert.Equal((VisitFrequency.Monthly, (DateOnly?)null, new DateOnly(2023, 9, 30), true), (missed.Frequency, missed.LastVisit, missed.NextDue, missed.Overdue));
        Assert.All(september, r => Assert.True(r.Overdue));
        // October had its visit; November (this month) is due again.
        Assert.DoesNotContain(october, r => r.HouseholdId == household.Id);
        Assert.Contains(november, r => r.HouseholdId == household.Id && !r.Overdue);
        // The page of a past month reads that month's list, and pages through it.
        var workerId = await StaffIdAsync("worker1");
        var page = (await scenario.QueriesAsync(q => q.WorkerMonthAsync(workerId, new DateOnly(2023, 9, 1))))!;
        Assert.Contains(page.MustVisit, r => r.HouseholdId == household.Id);
        Assert.Equal(page.MustVisitTotal, page.MustVisitOverdue);
    }

    [Fact]
    public async Task A_grid_leader_has_no_quota_and_a_grid_worker_has_one()
    {
        var leaderId = await StaffIdAsync("leader1");
        var workerId = await StaffIdAsync("worker1");

        var leader = (await scenario.QueriesAsync(q => q.WorkerMonthAsync(leaderId, new DateOnly(2026, 11, 1))))!;
        var worker = (await scenario.QueriesAsync(q => q.WorkerMonthAsync(workerId, new DateOnly(2026, 11, 1))))!;

        Assert.False(leader.HasQuota);
        Assert.True(worker.HasQuota);
    }

    [Fact]
    public async Task The_must_visit_list_comes_a_page_at_a_time_to_whoever_may_see_the_person()
    {
        scenario.Clock.Set(TestClock.China(2026, 11, 23, 9));
        var worker = await scenario.ActorAsync("worker1");
        var leader = await scenario.ActorAsync("leader1");
        var month = new DateOnly(2026, 11, 1);
        var all = (await scenario.QueriesAsync(q => q.WorkerMonthAsync(worker.StaffMemberId!.Value, month)))!;
        var gridIds = all.Grids.Select(g => g.Id).ToList();
        var every = await scenario.QueriesAsync(q => q.MustVisitAsync(gridIds, month));
        // The paging past the first page with a real list of 200 households is in the web tests (VisitsHomeComponentTests).
        var first = await scenario.QueriesAsync(q => q.MustVisitPageAsync(leader, worker.StaffMemberId!.Value, month, 1));
        var second = await scenario.QueriesAsync(q => q.MustVisitPageAsync(leader, worker.StaffMemberId!.Value, month, 2));
        var refused = await Assert.ThrowsAsync<GridGov.Domain.Common.DomainException>(() =>
            scenario.QueriesAsync(q => q.MustVisitPageAsync(worker, leader.StaffMemberId!.Value, month, 1)));

        Assert.Equal((every.Count, every.Count), (first.Total, second.Total));
        Assert.Equal(every.Take(VisitQueries.MustVisitLimit).Select(r => r.HouseholdId), first.Rows.Select(r => r.HouseholdId));
        Assert.Equal(every.Skip(VisitQueries.MustVisitLimit).Take(VisitQueries.MustVisitLimit).Select(r => r.HouseholdId), second.Rows.Select(r => r.HouseholdId));
        Assert.Equal("visit.out-of-scope", refused.Code);
    }

    [Fact]
    public async Task A_quarterly_household_visited_last_quarter_is_not_due_in_november_but_one_never_visited_is_overdue()
    {
        scenario.Clock.Set(TestClock.China(2023, 11, 23, 9));
        var gridCode = await scenario.GridOfAsync("worker1");
        var households = await scenario.FreshHouseholdsAsync(gridCode, 2);
        await scenario.DbAsync(async db =>
        {
            var ids = households.Select(h => h.Id).ToList();
            foreach (var resident in await db.Residents.Where(r => r.HouseholdId != null && ids.Contains(r.HouseholdId.Value)).ToListAsync())
            {
                resident.Untag(ResidentGroup.ElderlyLivingAlone);
                resident.Tag(ResidentGroup.Disabled);
            }
            return await db.SaveChangesAsync();
        });
        await RecordAsync("worker1", households[0].Id, TestClock.China(2023, 7, 2, 10));

        var list = await scenario.QueriesAsync(q => q.MustVisitAsync([households[0].GridId]));

        Assert.DoesNotContain(list, r => r.HouseholdId == households[0].Id); // due by 31 December, not this month
        var never = Assert.Single(list, r => r.HouseholdId == households[1].Id);
        Assert.Equal((VisitFrequency.Quarterly, true, new DateOnly(2023, 12, 31)), (never.Frequency, never.Overdue, never.NextDue));
    }

    [Fact]
    public async Task The_must_visit_list_puts_monthly_households_first_then_overdue_ones_and_counts_them()
    {
        scenario.Clock.Set(TestClock.China(2026, 11, 23, 9));
        var workerId = await StaffIdAsync("worker1");

        var month = (await scenario.QueriesAsync(q => q.WorkerMonthAsync(workerId, new DateOnly(2026, 11, 1))))!;

        Assert.NotEmpty(month.MustVisit);
        Assert.True(month.MustVisit.Count <= VisitQueries.MustVisitLimit);
        Assert.True(month.MustVisitOverdue <= month.MustVisitTotal);
        var order = month.MustVisit.Select(r => (-(int)r.Frequency, r.Overdue ? 0 : 1, r.NextDue)).ToList();
        Assert.Equal(order.Order().ToList(), order);
        // Every household of the list is in one of the worker's grids and not visited in its current period.
        var gridIds = month.Grids.Select(g => g.Id).ToList();
        var ids = month.MustVisit.Select(r => r.HouseholdId).ToList();
        Assert.Equal(ids.Count, await scenario.DbAsync(db => db.Households.CountAsync(h => ids.Contains(h.Id) && gridIds.Contains(h.GridId))));
        Assert.All(month.MustVisit, r => Assert.False(VisitSchedule.VisitedThisPeriod(r.Frequency, r.LastVisit, month.Today)));
    }
}
