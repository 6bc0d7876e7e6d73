using System.Globalization;
using GridGov.Application.Ledgers;
using GridGov.Application.Tests.Ledgers;
using GridGov.Application.Visits;
using GridGov.Domain.Calendar;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.TestSupport.GridGov;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace GridGov.Application.Tests.Visits;

/// <summary>
/// An amendment carries the version of the visit its author saw: a save on a visit changed since (another tab, or
/// someone else) is refused naming who changed it and when, and changes nothing (issue 11, as for the ledgers).
/// </summary>
public sealed class VisitConcurrencyTests(VisitScenario scenario) : IClassFixture<VisitScenario>
{
    [Fact]
    public async Task The_second_of_two_tabs_that_opened_the_same_visit_is_refused_with_who_changed_it_and_when()
    {
        var worker = await scenario.ActorAsync("worker1");
        var household = (await scenario.FreshHouseholdsAsync(await scenario.GridOfAsync("worker1"), 1))[0];
        var visit = await scenario.VisitsAsync(s => s.RecordVisitAsync(new RecordVisit(household.Id, scenario.Clock.GetUtcNow().AddHours(-3), "初记：家中情况正常"), worker));
        var seen = await scenario.VisitVersionAsync(visit.Id);
        Assert.Equal(seen, (await scenario.QueriesAsync(q => q.VisitForEditAsync(worker, visit.Id)))!.Version);

        // Both tabs show the visit at the same version; the first saves, recorded in the audit log under the worker's name.
        await using (var services = GridGovServices.Create(scenario.ConnectionString, scenario.Clock,
                         s => s.AddScoped<IAuditActor>(_ => new FixedAuditActor(worker.StaffMemberId, worker.Name))))
        {
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<VisitService>().AmendVisitAsync(visit.Id, seen, worker, "第一个标签页：补充了联系电话", null);
        }
        var refusal = await Assert.ThrowsAsync<DomainException>(() =>
            scenario.VisitsAsync(s => s.AmendVisitAsync(visit.Id, seen, worker, "第二个标签页：旧内容上的修改", "楼栋长")));

        Assert.Equal(VisitService.StaleCode, refusal.Code);
        Assert.Contains(worker.Name, refusal.Message, StringComparison.Ordinal);
        Assert.Contains(WorkingCalendar.ToChinaTime(scenario.Clock.GetUtcNow()).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), refusal.Message, StringComparison.Ordinal);
        var stored = await scenario.DbAsync(db => db.Visits.AsNoTracking().SingleAsync(v => v.Id == visit.Id));
        Assert.Equal("第一个标签页：补充了联系电话", stored.Findings);
        Assert.Null(stored.Companions);
        Assert.NotEqual(seen, stored.Version);

        // Opened again, the form carries the new version and saves.
        await scenario.VisitsAsync(s => s.AmendVisitAsync(visit.Id, stored.Version, worker, "重新打开后修改", "楼栋长"));
        Assert.Equal("重新打开后修改", await scenario.DbAsync(db => db.Visits.Where(v => v.Id == visit.Id).Select(v => v.Findings).SingleAsync()));
    }

    [Fact]
    public async Task A_change_committed_between_load_and_save_is_caught_by_the_row_version_and_changes_nothing()
    {
        var worker = await scenario.ActorAsync("worker1");
        var household = (await scenario.FreshHouseholdsAsync(await scenario.GridOfAsync("worker1"), 1))[0];
        var visit = await scenario.VisitsAsync(s => s.RecordVisitAsync(new RecordVisit(household.Id, scenario.Clock.GetUtcNow().AddHours(-2), "初记"), worker));
        var seen = await scenario.VisitVersionAsync(visit.Id);

        // Another change is written but not yet committed: the service loads the old version, then waits on the row lock.
        await using var other = new NpgsqlConnection(scenario.ConnectionString);
        await other.OpenAsync();
        await using var transaction = await other.BeginTransactionAsync();
        await using (var update = new NpgsqlCommand("UPDATE visits SET findings = '抢先保存' WHERE id = @id", other, transaction))
        {
            update.Parameters.AddWithValue("id", visit.Id);
            await update.ExecuteNonQueryAsync();
        }
        var save = scenario.VisitsAsync(s => s.AmendVisitAsync(visit.Id, seen, worker, "晚到的修改", null));
        await WaitUntilBlockedAsync(save);
        await transaction.CommitAsync();

        var refusal = await Assert.ThrowsAsync<DomainException>(() => save);
        Assert.Equal(VisitService.StaleCode, refusal.Code);
        Assert.Equal("抢先保存", await scenario.DbAsync(db => db.Visits.Where(v => v.Id == visit.Id).Select(v => v.Findings).SingleAsync()));
    }

    private async Task WaitUntilBlockedAsync(Task save)
    {
        for (var attempt = 0; attempt < 200 && !save.IsCompleted; attempt++)
        {
            var waiting = await scenario.DbAsync(db => db.Database.SqlQuery<int>(
                $"SELECT count(*)::int AS \"Value\" FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE 'UPDATE%visits%'").SingleAsync());
            if (waiting > 0)
            {
                return;
            }
            await Task.Delay(50);
        }
        Assert.Fail("the save never waited on the other transaction's lock");
    }
}
