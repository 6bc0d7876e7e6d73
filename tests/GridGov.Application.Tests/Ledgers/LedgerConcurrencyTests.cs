using System.Globalization;
using GridGov.Application.Ledgers;
using GridGov.Domain.Calendar;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Ledgers;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace GridGov.Application.Tests.Ledgers;

/// <summary>
/// An edit carries the version of the row its author saw: a save on a row someone else changed since is refused,
/// naming who changed it and when, and changes nothing (issue 11).
/// </summary>
public sealed class LedgerConcurrencyTests(LedgerScenario scenario) : IClassFixture<LedgerScenario>
{
    public static TheoryData<string> Kinds => [nameof(Resident), nameof(Household), nameof(Unit), nameof(Component)];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task The_second_of_two_people_who_loaded_the_same_row_is_refused_with_who_changed_it_and_when(string kind)
    {
        var gridId = await scenario.GridIdOfAsync("worker1");
        var first = await scenario.ActorAsync("worker1");
        var second = await scenario.ActorAsync("dispatcher1");
        var (id, version) = await RowAsync(kind, gridId);
        var recorded = (await scenario.ChangesAsync(kind, id)).Count;

        // Both load the row at the same version; the first saves.
        scenario.AuditActor = new FixedAuditActor(first.StaffMemberId, first.Name);
        try
        {
            await scenario.LedgerAsync(ledger => EditAsync(ledger, kind, id, version, "甲", first));
        }
        finally
        {
            scenario.AuditActor = new SystemAuditActor();
        }
        var refusal = await Assert.ThrowsAsync<DomainException>(() => scenario.LedgerAsync(ledger => EditAsync(ledger, kind, id, version, "乙", second)));

        Assert.Equal(LedgerService.StaleCode, refusal.Code);
        Assert.Contains(first.Name, refusal.Message, StringComparison.Ordinal);
        Assert.Contains(WorkingCalendar.ToChinaTime(scenario.Clock.GetUtcNow()).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), refusal.Message, StringComparison.Ordinal);
        Assert.EndsWith("甲", await MarkAsync(kind, id), StringComparison.Ordinal);
        Assert.Equal(recorded + 1, (await scenario.ChangesAsync(kind, id)).Count);
    }

    [Fact]
    public async Task A_change_committed_between_load_and_save_is_caught_by_the_row_version_and_changes_nothing()
    {
        var gridId = await scenario.GridIdOfAsync("worker1");
        var worker = await scenario.ActorAsync("worker1");
        var (id, version) = await RowAsync(nameof(Resident), gridId);

        // Someone else has changed the row but not yet committed: the service loads the old version, then waits on the lock.
        await using var other = new NpgsqlConnection(scenario.ConnectionString);
        await other.OpenAsync();
        await using var transaction = await other.BeginTransactionAsync();
        await using (var update = new NpgsqlCommand("UPDATE residents SET name = '抢先保存' WHERE id = @id", other, transaction))
        {
            update.Parameters.AddWithValue("id", id);
            await update.ExecuteNonQueryAsync();
        }
        var save = scenario.LedgerAsync(ledger => EditAsync(ledger, nameof(Resident), id, version, "乙", worker));
        await WaitUntilBlockedAsync(save);
        await transaction.CommitAsync();

        var refusal = await Assert.ThrowsAsync<DomainException>(() => save);
        Assert.Equal(LedgerService.StaleCode, refusal.Code);
        Assert.Equal("抢先保存", await MarkAsync(nameof(Resident), id));
    }

    [Fact]
    public async Task A_move_or_removal_of_a_row_changed_since_it_was_shown_is_refused_naming_who_and_changes_nothing()
    {
        var gridId = await scenario.GridIdOfAsync("worker1");
        var first = await scenario.ActorAsync("worker1");
        var second = await scenario.ActorAsync("dispatcher1");
        var resident = await scenario.ResidentAsync(gridId, skip: 20);
        var household = await scenario.DbAsync(db => db.Households.AsNoTracking().SingleAsync(h => h.Id == resident.HouseholdId));
        var target = await scenario.DbAsync(db => db.Households.AsNoTracking()
            .Where(h => h.GridId == gridId && h.Id != resident.HouseholdId && h.RemovedAt == null).OrderBy(h => h.Id).FirstAsync());

        // Both were shown the resident and the household; the first changes them.
        scenario.AuditActor = new FixedAuditActor(first.StaffMemberId, first.Name);
        try
        {
            await scenario.LedgerAsync(ledger => ledger.UpdateResidentAsync(resident.Id, resident.Version,
                new ResidentEdit("并发丙", resident.Phone, resident.PopulationKind, resident.Groups), first));
            await scenario.LedgerAsync(ledger => ledger.UpdateHouseholdAsync(household.Id, household.Version,
                new HouseholdEdit(household.Kind, household.Address + "丙", household.Dwelling, household.HeadResidentId), first));
        }
        finally
        {
            scenario.AuditActor = new SystemAuditActor();
        }
        var recorded = (await scenario.ChangesAsync(nameof(Resident), resident.Id)).Count + (await scenario.ChangesAsync(nameof(Household), household.Id)).Count;

        var refusals = new[]
        {
            await Assert.ThrowsAsync<DomainException>(() => scenario.LedgerAsync(ledger => ledger.MoveResidentAsync(resident.Id, resident.Version, target.Id, second))),
            await Assert.ThrowsAsync<DomainException>(() => scenario.LedgerAsync(ledger => ledger.RemoveResidentAsync(resident.Id, resident.Version, "已迁出本街道", second))),
            await Assert.ThrowsAsync<DomainException>(() => scenario.LedgerAsync(ledger => ledger.RemoveHouseholdAsync(household.Id, household.Version, "全户已迁出", second))),
        };

        Assert.All(refusals, refusal =>
        {
            Assert.Equal(LedgerService.StaleCode, refusal.Code);
            Assert.Contains(first.Name, refusal.Message, StringComparison.Ordinal);
        });
        var after = await scenario.ReloadResidentAsync(resident.Id);
        Assert.Equal(resident.HouseholdId, after.HouseholdId);
        Assert.Null(after.RemovedAt);
        Assert.Null((await scenario.DbAsync(db => db.Households.AsNoTracking().SingleAsync(h => h.Id == household.Id))).RemovedAt);
        Assert.Equal(recorded, (await scenario.ChangesAsync(nameof(Resident), resident.Id)).Count + (await scenario.ChangesAsync(nameof(Household), household.Id)).Count);
    }

    [Theory]
    [InlineData(nameof(Unit))]
    [InlineData(nameof(Component))]
    public async Task Removing_a_unit_or_component_changed_since_it_was_shown_is_refused_naming_who_and_changes_nothing(string kind)
    {
        var gridId = await scenario.GridIdOfAsync("worker1");
        var first = await scenario.ActorAsync("worker1");
        var second = await scenario.ActorAsync("dispatcher1");
        var (id, version) = await RowAsync(kind, gridId);

        // Both were shown the row; the first edits it, the second then asks to remove it as shown.
        scenario.AuditActor = new FixedAuditActor(first.StaffMemberId, first.Name);
        try
        {
            await scenario.LedgerAsync(ledger => EditAsync(ledger, kind, id, version, "丁", first));
        }
        finally
        {
            scenario.AuditActor = new SystemAuditActor();
        }
        var recorded = (await scenario.ChangesAsync(kind, id)).Count;

        var refusal = await Assert.ThrowsAsync<DomainException>(() => scenario.LedgerAsync(ledger => RemoveAsync(ledger, kind, id, version, second)));

        Assert.Equal(LedgerService.StaleCode, refusal.Code);
        Assert.Contains(first.Name, refusal.Message, StringComparison.Ordinal);
        Assert.Null(await RemovedAtAsync(kind, id));
        Assert.Equal(recorded, (await scenario.ChangesAsync(kind, id)).Count);

        // With the version now shown, the removal goes through and is recorded.
        var current = await scenario.DbAsync(db => kind == nameof(Unit)
            ? db.Units.Where(u => u.Id == id).Select(u => u.Version).SingleAsync()
            : db.Components.Where(c => c.Id == id).Select(c => c.Version).SingleAsync());
        await scenario.LedgerAsync(ledger => RemoveAsync(ledger, kind, id, current, second));
        Assert.NotNull(await RemovedAtAsync(kind, id));
        Assert.Equal(LedgerChangeKind.Removed, (await scenario.ChangesAsync(kind, id)).Last().Kind);
    }

    private static Task RemoveAsync(LedgerService ledger, string kind, int id, uint version, CaseActor actor) => kind == nameof(Unit)
        ? ledger.RemoveUnitAsync(id, version, "已停业", actor)
        : ledger.RemoveComponentAsync(id, version, "已拆除", actor);

    private Task<DateTimeOffset?> RemovedAtAsync(string kind, int id) => scenario.DbAsync(db => kind == nameof(Unit)
        ? db.Units.Where(u => u.Id == id).Select(u => u.RemovedAt).SingleAsync()
        : db.Components.Where(c => c.Id == id).Select(c => c.RemovedAt).SingleAsync());

    private async Task WaitUntilBlockedAsync(Task save)
    {
        for (var attempt = 0; attempt < 200 && !save.IsCompleted; attempt++)
        {
            var waiting = await scenario.DbAsync(db => db.Database.SqlQuery<int>(
                $"SELECT count(*)::int AS \"Value\" FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE 'UPDATE%residents%'").SingleAsync());
            if (waiting > 0)
            {
                return;
            }
            await Task.Delay(50);
        }
        Assert.Fail("the save never waited on the other transaction's lock");
    }

    /// <summary>An active row of the kind in the grid, with the version a person would be shown.</summary>
    private async Task<(int Id, uint Version)> RowAsync(string kind, int gridId)
    {
        var row = await scenario.DbAsync(db => kind switch
        {
            nameof(Resident) => db.Residents.Where(r => r.GridId == gridId && r.RemovedAt == null && r.HouseholdId != null)
                .OrderByDescending(r => r.Id).Select(r => new { r.Id, r.Version }).FirstAsync(),
            nameof(Household) => db.Households.Where(h => h.GridId == gridId && h.RemovedAt == null)
                .OrderByDescending(h => h.Id).Select(h => new { h.Id, h.Version }).FirstAsync(),
            nameof(Unit) => db.Units.Where(u => u.GridId == gridId && u.RemovedAt == null)
                .OrderByDescending(u => u.Id).Select(u => new { u.Id, u.Version }).FirstAsync(),
            nameof(Component) => db.Components.Where(c => c.GridId == gridId && c.RemovedAt == null)
                .OrderByDescending(c => c.Id).Select(c => new { c.Id, c.Version }).FirstAsync(),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        });
        return (row.Id, row.Version);
    }

    /// <summary>Saves the form as loaded with one field marked: a resident's or unit's or component's name, a household's address.</summary>
    private async Task EditAsync(LedgerService ledger, string kind, int id, uint version, string mark, CaseActor actor)
    {
        switch (kind)
        {
            case nameof(Resident):
                var resident = await scenario.ReloadResidentAsync(id);
                await ledger.UpdateResidentAsync(id, version, new ResidentEdit("并发" + mark, resident.Phone, resident.PopulationKind, resident.Groups), actor);
                break;
            case nameof(Household):
                var household = await scenario.DbAsync(db => db.Households.AsNoTracking().SingleAsync(h => h.Id == id));
                await ledger.UpdateHouseholdAsync(id, version, new HouseholdEdit(household.Kind, "并发路1号" + mark, household.Dwelling, household.HeadResidentId), actor);
                break;
            case nameof(Unit):
                var unit = await scenario.DbAsync(db => db.Units.AsNoTracking().SingleAsync(u => u.Id == id));
                await ledger.UpdateUnitAsync(id, version, new UnitInput("并发单位" + mark, unit.Kind, unit.Address, unit.Location.X, unit.Location.Y, unit.EmployeeCount,
                    unit.ContactName, unit.ContactPhone, unit.HasPartyOrganisation, unit.PartyMemberCount), actor);
                break;
            case nameof(Component):
                var component = await scenario.DbAsync(db => db.Components.AsNoTracking().SingleAsync(c => c.Id == id));
                await ledger.UpdateComponentAsync(id, version, new ComponentEdit("并发部件" + mark, component.MajorClass, component.MinorClass, component.Serial,
                    component.State, component.OwnerDepartmentId, null, null), actor);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    private Task<string> MarkAsync(string kind, int id) => scenario.DbAsync(db => kind switch
    {
        nameof(Resident) => db.Residents.Where(r => r.Id == id).Select(r => r.Name).SingleAsync(),
        nameof(Household) => db.Households.Where(h => h.Id == id).Select(h => h.Address).SingleAsync(),
        nameof(Unit) => db.Units.Where(u => u.Id == id).Select(u => u.Name).SingleAsync(),
        nameof(Component) => db.Components.Where(c => c.Id == id).Select(c => c.Name).SingleAsync(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    });
}
