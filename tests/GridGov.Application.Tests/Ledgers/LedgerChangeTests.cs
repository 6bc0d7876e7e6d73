using System.Text.Json;
using GridGov.Application.Ledgers;
using GridGov.Domain.Common;
using GridGov.Domain.Ledgers;
using GridGov.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Application.Tests.Ledgers;

/// <summary>Every ledger change is recorded (who, when, before, after), creations included; removal is soft.</summary>
public sealed class LedgerChangeTests(LedgerScenario scenario) : IClassFixture<LedgerScenario>
{
    private static JsonElement Json(string? text) => JsonDocument.Parse(text ?? "null").RootElement;

    private static string Invariant(int id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Changing_a_phone_records_the_old_and_new_phone_with_the_actor_and_the_clock()
    {
        var gridId = await scenario.GridIdOfAsync("worker1");
        var resident = await scenario.ResidentAsync(gridId, skip: 0);
        var worker = await scenario.ActorAsync("worker1");
        scenario.AuditActor = new FixedAuditActor(worker.StaffMemberId, worker.Name);
        try
        {
            await scenario.LedgerAsync(ledger => ledger.UpdateResidentAsync(resident.Id, resident.Version,
                new ResidentEdit(resident.Name, "13700001234", resident.PopulationKind, resident.Groups), worker));
        }
        finally
        {
            scenario.AuditActor = new SystemAuditActor();
        }

        var change = Assert.Single(await scenario.ChangesAsync(nameof(Resident), resident.Id));
        Assert.Equal(LedgerChangeKind.Updated, change.Kind);
        Assert.Equal(resident.Phone, Json(change.Before).GetProperty("Phone").GetString());
        Assert.Equal("13700001234", Json(change.After).GetProperty("Phone").GetString());
        Assert.Equal(worker.Name, change.ActorName);
        Assert.Equal(worker.StaffMemberId, change.ActorStaffId);
        Assert.Equal(scenario.Clock.GetUtcNow(), change.At);
        Assert.Equal("13700001234", (await scenario.ReloadResidentAsync(resident.Id)).Phone);
    }

    [Fact]
    public async Task The_database_refuses_update_delete_and_truncate_on_the_change_history()
    {
        var gridId = await scenario.GridIdOfAsync("worker1");
        var resident = await scenario.ResidentAsync(gridId, skip: 3);
        var worker = await scenario.ActorAsync("worker1");
        await scenario.LedgerAsync(ledger => ledger.UpdateResidentAsync(resident.Id, resident.Version,
            new ResidentEdit(resident.Name, "13700005678", resident.PopulationKind, resident.Groups), worker));
        var change = Assert.Single(await scenario.ChangesAsync(nameof(Resident), resident.Id));
        var count = await scenario.ChangeCountAsync();

        foreach (var sql in new[]
                 {
                     $"UPDATE ledger_changes SET after = NULL WHERE id = {change.Id}",
                     $"DELETE FROM ledger_changes WHERE id = {change.Id}",
                     "TRUNCATE ledger_changes",
                 })
        {
            var refusal = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => scenario.DbAsync(db => db.Database.ExecuteSqlRawAsync(sql)));
            Assert.Contains("ledger_changes is append-only", refusal.MessageText);
            Assert.Contains(sql.Split(' ')[0], refusal.MessageText);
        }

        Assert.Equal(count, await scenario.ChangeCountAsync());
        Assert.Equal(change.After, Assert.Single(await scenario.ChangesAsync(nameof(Resident), resident.Id)).After);
    }

    [Fact]
    public async Task A_save_that_changes_nothing_records_nothing()
    {
        var gridId = await scenario.GridIdOfAsync("worker1");
        var resident = await scenario.ResidentAsync(gridId, skip: 1);
        var before = await scenario.ChangeCountAsync();

        var worker = await scenario.ActorAsync("worker1");
        await scenario.LedgerAsync(ledger => ledger.UpdateResidentAsync(resident.Id, resident.Version,
            new ResidentEdit(resident.Name, resident.Phone, resident.PopulationKind, resident.Groups), worker));

        Assert.Equal(before, await scenario.ChangeCountAsync());
    }

    [Fact]
    public async Task Registering_a_resident_records_the_creation_under_the_new_id_as_the_system_by_default()
    {
        var household = await scenario.DbAsync(db => db.Households.AsNoTracking().Where(h => h.RemovedAt == null).OrderBy(h => h.Id).FirstAsync());
        var idNumber = LedgerScenario.NewIdNumber();
        var id = 0;

        await scenario.LedgerAsync(async ledger => id = await ledger.CreateResidentAsync(
            new NewResident(household.Id, "林晓梅", idNumber, "13912340000", PopulationKind.Temporary, [ResidentGroup.Unemployed]),
            await scenario.ActorAsync("dispatcher1")));

        var change = Assert.Single(await scenario.ChangesAsync(nameof(Resident), id));
        Assert.Equal(LedgerChangeKind.Created, change.Kind);
        Assert.Null(change.Before);
        var after = Json(change.After);
        Assert.Equal("林晓梅", after.GetProperty("Name").GetString());
        Assert.Equal(idNumber, after.GetProperty("IdNumber").GetString());
        Assert.Equal("Temporary", after.GetProperty("PopulationKind").GetString());
        Assert.Equal("Unemployed", after.GetProperty("Groups")[0].GetString());
        Assert.Equal(household.GridId, after.GetProperty("GridId").GetInt32());
        Assert.Equal(SystemAuditActor.SystemName, change.ActorName);
        Assert.Null(change.ActorStaffId);
    }

    [Fact]
    public async Task A_wrong_check_character_is_refused_and_nothing_is_written()
    {
        var household = await scenario.DbAsync(db => db.Households.AsNoTracking().Where(h => h.RemovedAt == null).OrderBy(h => h.Id).Skip(1).FirstAsync());
        var bad = LedgerScenario.WithWrongCheck(LedgerScenario.NewIdNumber());
        var residents = await scenario.DbAsync(db => db.Residents.CountAsync());
        var changes = await scenario.ChangeCountAsync();

        var refusal = await Assert.ThrowsAsync<DomainException>(() => scenario.LedgerAsync(async ledger => await ledger.CreateResidentAsync(
            new NewResident(household.Id, "赵一", bad, null, PopulationKind.Registered, []), await scenario.ActorAsync("dispatcher1"))));

        Assert.Contains("校验位", refusal.Message);
        Assert.Equal(residents, await scenario.DbAsync(db => db.Residents.CountAsync()));
        Assert.Equal(changes, await scenario.ChangeCountAsync());
    }

    [Fact]
    public async Task A_group_tag_that_does_not_exist_is_refused_and_nothing_is_written()
    {
        var household = await scenario.DbAsync(db => db.Households.AsNoTracking().Where(h => h.RemovedAt == null).OrderBy(h => h.Id).Skip(2).FirstAsync());
        var residents = await scenario.DbAsync(db => db.Residents.CountAsync());
        var changes = await scenario.ChangeCountAsync();

        var refusal = await Assert.ThrowsAsync<DomainException>(() => scenario.LedgerAsync(async ledger => await ledger.CreateResidentAsync(
            new NewResident(household.Id, "赵标签", LedgerScenario.NewIdNumber(), null, PopulationKind.Registered, [ResidentGroup.PartyMember, (ResidentGroup)999]),
            await scenario.ActorAsync("dispatcher1"))));

        Assert.Equal("人群标签的取值无效", refusal.Message);
        Assert.Equal(residents, await scenario.DbAsync(db => db.Residents.CountAsync()));
        Assert.Equal(changes, await scenario.ChangeCountAsync());
    }

    [Fact]
    public async Task An_id_number_already_registered_is_refused_with_a_clear_message()
    {
        var gridId = await scenario.GridIdOfAsync("worker1");
        var existing = await scenario.ResidentAsync(gridId, skip: 2);
        var residents = await scenario.DbAsync(db => db.Residents.CountAsync());

        var refusal = await Assert.ThrowsAsync<DomainException>(() => scenario.LedgerAsync(async ledger => await ledger.CreateResidentAsync(
            new NewResident(existing.HouseholdId!.Value, "重复", existing.IdNumber, null, PopulationKind.Registered, []), await scenario.ActorAsync("worker1"))));

        Assert.Equal("resident.id-number-taken", refusal.Code);
        Assert.Contains("已登记", refusal.Message);
        Assert.Contains(existing.Name, refusal.Message);
        Assert.Equal(residents, await scenario.DbAsync(db => db.Residents.CountAsync()));
    }

    [Fact]
    public async Task Moving_a_resident_changes_household_and_grid_clears_the_old_head_and_is_recorded()
    {
        var headOf = await scenario.DbAsync(db => db.Households.AsNoTracking()
            .Where(h => h.HeadResidentId != null && h.RemovedAt == null).OrderBy(h => h.Id).Skip(5).FirstAsync());
        var resident = await scenario.ReloadResidentAsync(headOf.HeadResidentId!.Value);
        var target = await scenario.DbAsync(db => db.Households.AsNoTracking()
            .Where(h => h.GridId != headOf.GridId && h.RemovedAt == null).OrderBy(h => h.Id).FirstAsync());

        await scenario.LedgerAsync(async ledger => await ledger.MoveResidentAsync(resident.Id, resident.Version, target.Id, await scenario.ActorAsync("dispatcher1")));

        var moved = await scenario.ReloadResidentAsync(resident.Id);
        Assert.Equal(target.Id, moved.HouseholdId);
        Assert.Equal(target.GridId, moved.GridId);
        Assert.Null((await scenario.DbAsync(db => db.Households.AsNoTracking().SingleAsync(h => h.Id == headOf.Id))).HeadResidentId);
        var change = Assert.Single(await scenario.ChangesAsync(nameof(Resident), resident.Id));
        Assert.Equal(headOf.Id, Json(change.Before).GetProperty("HouseholdId").GetInt32());
        Assert.Equal(target.Id, Json(change.After).GetProperty("HouseholdId").GetInt32());
        var householdChange = Assert.Single(await scenario.ChangesAsync(nameof(Household), headOf.Id));
        Assert.Equal(JsonValueKind.Null, Json(householdChange.After).GetProperty("HeadResidentId").ValueKind);
    }

    [Fact]
    public async Task Removal_needs_a_reason_keeps_the_row_and_hides_it_from_the_default_list()
    {
        var gridId = await scenario.GridIdOfAsync("worker1");
        var resident = await scenario.ResidentAsync(gridId, skip: 3);
        var worker = await scenario.ActorAsync("worker1");

        var refusal = await Assert.ThrowsAsync<DomainException>(() => scenario.LedgerAsync(ledger => ledger.RemoveResidentAsync(resident.Id, resident.Version, "  ", worker)));
        Assert.Contains("注销原因", refusal.Message);
        Assert.Null((await scenario.ReloadResidentAsync(resident.Id)).RemovedAt);

        await scenario.LedgerAsync(ledger => ledger.RemoveResidentAsync(resident.Id, resident.Version, "已迁出本街道", worker));

        var removed = await scenario.ReloadResidentAsync(resident.Id);
        Assert.Equal(scenario.Clock.GetUtcNow(), removed.RemovedAt);
        Assert.Equal("已迁出本街道", removed.RemovalReason);
        var change = Assert.Single(await scenario.ChangesAsync(nameof(Resident), resident.Id));
        Assert.Equal(LedgerChangeKind.Removed, change.Kind);
        var listed = await scenario.WithAsync(provider => provider.GetRequiredService<ResidentQueries>().ListAsync(new ResidentFilter(Text: resident.IdNumber), worker, new LedgerPageRequest()));
        Assert.Empty(listed.Page.Rows);
        var withRemoved = await scenario.WithAsync(provider => provider.GetRequiredService<ResidentQueries>().ListAsync(new ResidentFilter(Text: resident.IdNumber, IncludeRemoved: true), worker, new LedgerPageRequest()));
        Assert.True(Assert.Single(withRemoved.Page.Rows).Removed);
        var again = await Assert.ThrowsAsync<DomainException>(() => scenario.LedgerAsync(ledger => ledger.UpdateResidentAsync(resident.Id, resident.Version,
            new ResidentEdit(resident.Name, "13600001111", resident.PopulationKind, []), worker)));
        Assert.Equal("ledger.removed", again.Code);
    }

    [Fact]
    public async Task A_household_with_members_cannot_be_removed()
    {
        var household = await scenario.DbAsync(db => db.Households.AsNoTracking()
            .Where(h => h.RemovedAt == null && db.Residents.Any(r => r.HouseholdId == h.Id && r.RemovedAt == null)).OrderBy(h => h.Id).Skip(7).FirstAsync());

        var refusal = await Assert.ThrowsAsync<DomainException>(async () => await scenario.LedgerAsync(async ledger =>
            await ledger.RemoveHouseholdAsync(household.Id, household.Version, "全户已迁出", await scenario.ActorAsync("dispatcher1"))));

        Assert.Equal("household.has-members", refusal.Code);
        Assert.Empty(await scenario.ChangesAsync(nameof(Household), household.Id));
    }

    [Fact]
    public async Task A_grid_worker_cannot_change_a_resident_of_another_grid_and_a_street_leader_cannot_change_any()
    {
        var gridId = await scenario.GridIdOfAsync("worker1");
        var elsewhere = await scenario.ResidentAsync(gridId, skip: 0, inGrid: false);
        var own = await scenario.ResidentAsync(gridId, skip: 4);

        var outside = await Assert.ThrowsAsync<DomainException>(async () => await scenario.LedgerAsync(async ledger =>
            await ledger.UpdateResidentAsync(elsewhere.Id, elsewhere.Version, new ResidentEdit(elsewhere.Name, "13600002222", elsewhere.PopulationKind, []), await scenario.ActorAsync("worker1"))));
        var readOnly = await Assert.ThrowsAsync<DomainException>(async () => await scenario.LedgerAsync(async ledger =>
            await ledger.UpdateResidentAsync(own.Id, own.Version, new ResidentEdit(own.Name, "13600003333", own.PopulationKind, []), await scenario.ActorAsync("streetleader1"))));

        Assert.Equal("resident.not-found", outside.Code);
        Assert.Equal("ledger.read-only", readOnly.Code);
        Assert.Equal(elsewhere.Phone, (await scenario.ReloadResidentAsync(elsewhere.Id)).Phone);
        Assert.Equal(own.Phone, (await scenario.ReloadResidentAsync(own.Id)).Phone);
    }

    [Fact]
    public async Task A_worker_never_sees_nor_clears_a_sensitive_tag_while_a_secretary_sees_it()
    {
        var gridId = await scenario.GridIdOfAsync("worker1");
        var resident = await scenario.ResidentAsync(gridId, skip: 5);
        await scenario.LedgerAsync(async ledger => await ledger.UpdateResidentAsync(resident.Id, resident.Version,
            new ResidentEdit(resident.Name, resident.Phone, resident.PopulationKind, [.. resident.Groups, ResidentGroup.CommunityCorrection]),
            await scenario.ActorAsync("secretary1")));
        var worker = await scenario.ActorAsync("worker1");

        // The worker saves the form with every tag they can see unticked, on the row as it is after the secretary's change.
        var seen = await scenario.ReloadResidentAsync(resident.Id);
        await scenario.LedgerAsync(ledger => ledger.UpdateResidentAsync(resident.Id, seen.Version, new ResidentEdit(resident.Name, resident.Phone, resident.PopulationKind, []), worker));

        Assert.Equal(new[] { ResidentGroup.CommunityCorrection }, (await scenario.ReloadResidentAsync(resident.Id)).Groups);
        var workerView = await scenario.WithAsync(provider => provider.GetRequiredService<ResidentQueries>().DetailAsync(resident.Id, null, worker));
        Assert.DoesNotContain(ResidentGroup.CommunityCorrection, workerView!.Resident.Groups);
        Assert.DoesNotContain(workerView.History, e => e.Fields.Any(f => f.Before.Contains("CommunityCorrection") || f.After.Contains("CommunityCorrection")));
        var filtered = await scenario.WithAsync(provider => provider.GetRequiredService<ResidentQueries>().ListAsync(new ResidentFilter(Group: ResidentGroup.CommunityCorrection), worker, new LedgerPageRequest()));
        Assert.Null(filtered.Filter.Group);
        var secretaryView = await scenario.WithAsync(async provider => await provider.GetRequiredService<ResidentQueries>().DetailAsync(resident.Id, null, await scenario.ActorAsync("secretary1")));
        Assert.Contains(ResidentGroup.CommunityCorrection, secretaryView!.Resident.Groups);
    }

    [Fact]
    public async Task A_hard_delete_of_a_ledger_row_is_refused()
    {
        var component = await scenario.DbAsync(db => db.Components.AsNoTracking().OrderBy(c => c.Id).FirstAsync());

        await Assert.ThrowsAsync<InvalidOperationException>(() => scenario.WithAsync(async provider =>
        {
            var db = provider.GetRequiredService<GridGovDbContext>();
            db.Components.Remove(await db.Components.SingleAsync(c => c.Id == component.Id));
            await db.SaveChangesAsync();
        }));

        Assert.True(await scenario.DbAsync(db => db.Components.AnyAsync(c => c.Id == component.Id)));
    }

    [Fact]
    public async Task A_unit_is_placed_in_the_grid_of_its_point_and_refused_outside_the_street_or_the_worker_grids()
    {
        var gridId = await scenario.GridIdOfAsync("worker1");
        var inside = await PointOnSurfaceAsync(gridId);
        var otherGrid = await scenario.DbAsync(db => db.Grids.Where(g => g.Id != gridId).OrderBy(g => g.Id).Select(g => g.Id).FirstAsync());
        var elsewhere = await PointOnSurfaceAsync(otherGrid);
        var worker = await scenario.ActorAsync("worker1");
        UnitInput Input(double lon, double lat) => new("便民修鞋铺", UnitKind.Shop, "云帆街道测试路1号", lon, lat, 2, "王师傅", "13511112222", false, 0);

        var far = await Assert.ThrowsAsync<DomainException>(() => scenario.LedgerAsync(ledger => ledger.CreateUnitAsync(Input(116.4, 39.9), worker)));
        var notMine = await Assert.ThrowsAsync<DomainException>(() => scenario.LedgerAsync(ledger => ledger.CreateUnitAsync(Input(elsewhere.Longitude, elsewhere.Latitude), worker)));
        var id = 0;
        await scenario.LedgerAsync(async ledger => id = await ledger.CreateUnitAsync(Input(inside.Longitude, inside.Latitude), worker));

        Assert.Equal("ledger.outside-street", far.Code);
        Assert.Equal("ledger.out-of-scope", notMine.Code);
        var unit = await scenario.DbAsync(db => db.Units.AsNoTracking().SingleAsync(u => u.Id == id));
        Assert.Equal(gridId, unit.GridId);
        Assert.Equal(LedgerChangeKind.Created, Assert.Single(await scenario.ChangesAsync(nameof(Unit), id)).Kind);
    }

    [Fact]
    public async Task A_replayed_unit_or_resident_form_returns_the_first_row_and_writes_no_second_one()
    {
        var gridId = await scenario.GridIdOfAsync("worker1");
        var inside = await PointOnSurfaceAsync(gridId);
        var worker = await scenario.ActorAsync("worker1");
        var dispatcher = await scenario.ActorAsync("dispatcher1");
        var unitKey = Guid.NewGuid();
        var unit = new UnitInput("重放测试便利店", UnitKind.Shop, "云帆街道测试路2号", inside.Longitude, inside.Latitude, 3, "赵店长", "13511113333", false, 0);
        var household = await scenario.DbAsync(db => db.Households.AsNoTracking().Where(h => h.GridId == gridId && h.RemovedAt == null).OrderBy(h => h.Id).FirstAsync());
        var resident = new NewResident(household.Id, "周重放", LedgerScenario.NewIdNumber(), null, PopulationKind.Registered, [], Guid.NewGuid());
        int firstUnit = 0, replayedUnit = 0, firstResident = 0, replayedResident = 0;

        await scenario.LedgerAsync(async ledger => firstUnit = await ledger.CreateUnitAsync(unit, worker, unitKey));
        await scenario.LedgerAsync(async ledger => replayedUnit = await ledger.CreateUnitAsync(unit, worker, unitKey));
        await scenario.LedgerAsync(async ledger => firstResident = await ledger.CreateResidentAsync(resident, worker));
        await scenario.LedgerAsync(async ledger => replayedResident = await ledger.CreateResidentAsync(resident, worker));
        var foreign = await Assert.ThrowsAsync<DomainException>(() => scenario.LedgerAsync(ledger => ledger.CreateUnitAsync(unit, dispatcher, unitKey)));

        Assert.Equal(firstUnit, replayedUnit);
        Assert.Equal(firstResident, replayedResident);
        Assert.Equal("submission.foreign", foreign.Code);
        Assert.Equal(1, await scenario.DbAsync(db => db.Units.CountAsync(u => u.Name == "重放测试便利店")));
        Assert.Single(await scenario.ChangesAsync(nameof(Unit), firstUnit));
    }

    [Fact]
    public async Task A_household_is_registered_in_the_grid_of_its_point_with_history_and_audit_and_a_second_one_at_its_address_is_refused()
    {
        var gridId = await scenario.GridIdOfAsync("worker1");
        var inside = await PointOnSurfaceAsync(gridId);
        var otherGrid = await scenario.DbAsync(db => db.Grids.Where(g => g.Id != gridId).OrderBy(g => g.Id).Select(g => g.Id).FirstAsync());
        var elsewhere = await PointOnSurfaceAsync(otherGrid);
        var worker = await scenario.ActorAsync("worker1");
        var dispatcher = await scenario.ActorAsync("dispatcher1");
        var existing = await scenario.DbAsync(db => db.Households.AsNoTracking().Where(h => h.GridId == gridId && h.RemovedAt == null).OrderBy(h => h.Id).FirstAsync());
        var foreignHousehold = await scenario.DbAsync(db => db.Households.AsNoTracking().Where(h => h.GridId == otherGrid && h.RemovedAt == null).OrderBy(h => h.Id).FirstAsync());
        const string Address = "云帆街道测试苑9幢1单元101";
        NewHousehold Input(string address, double lon, double lat, Guid? key = null) =>
            new(address, "1单元101", HouseholdKind.Rental, lon, lat, key);
        var key = Guid.NewGuid();
        int first = 0, replayed = 0;

        var far = await Assert.ThrowsAsync<DomainException>(() => scenario.LedgerAsync(ledger => ledger.CreateHouseholdAsync(Input(Address, 116.4, 39.9), worker)));
        var notMine = await Assert.ThrowsAsync<DomainException>(() => scenario.LedgerAsync(ledger => ledger.CreateHouseholdAsync(Input(Address, elsewhere.Longitude, elsewhere.Latitude), worker)));
        var badKind = await Assert.ThrowsAsync<DomainException>(() => scenario.LedgerAsync(ledger =>
            ledger.CreateHouseholdAsync(Input(Address, inside.Longitude, inside.Latitude) with { Kind = (HouseholdKind)99 }, worker)));
        await scenario.LedgerAsync(async ledger => first = await ledger.CreateHouseholdAsync(Input(Address, inside.Longitude, inside.Latitude, key), worker));
        await scenario.LedgerAsync(async ledger => replayed = await ledger.CreateHouseholdAsync(Input(Address, inside.Longitude, inside.Latitude, key), worker));
        var again = await Assert.ThrowsAsync<DomainException>(() => scenario.LedgerAsync(ledger =>
            ledger.CreateHouseholdAsync(Input(" " + existing.Address + " ", inside.Longitude, inside.Latitude, Guid.NewGuid()), worker)));
        var hidden = await Assert.ThrowsAsync<DomainException>(() => scenario.LedgerAsync(ledger =>
            ledger.CreateHouseholdAsync(Input(foreignHousehold.Address, inside.Longitude, inside.Latitude), worker)));
        var foreignKey = await Assert.ThrowsAsync<DomainException>(() => scenario.LedgerAsync(ledger =>
            ledger.CreateHouseholdAsync(Input("云帆街道测试苑9幢1单元102", inside.Longitude, inside.Latitude, key), dispatcher)));

        Assert.Equal("ledger.outside-street", far.Code);
        Assert.Equal("ledger.out-of-scope", notMine.Code);
        Assert.Equal("form.invalid", badKind.Code);
        Assert.Equal(first, replayed);
        Assert.Equal(("household.address-taken", "address"), (again.Code, again.Field));
        Assert.Contains(Invariant(existing.Id), again.Message);
        Assert.Equal("household.address-taken-elsewhere", hidden.Code);
        Assert.DoesNotContain(Invariant(foreignHousehold.Id), hidden.Message);
        Assert.Equal("submission.foreign", foreignKey.Code);
        var household = await scenario.DbAsync(db => db.Households.AsNoTracking().SingleAsync(h => h.Address == Address));
        Assert.Equal((first, gridId, "1单元101", HouseholdKind.Rental), (household.Id, household.GridId, household.Dwelling, household.Kind));
        Assert.Equal(1, await scenario.DbAsync(db => db.Households.CountAsync(h => h.Address == existing.Address && h.RemovedAt == null)));
        var change = Assert.Single(await scenario.ChangesAsync(nameof(Household), first));
        Assert.Equal(LedgerChangeKind.Created, change.Kind);
        Assert.Equal(Address, Json(change.After).GetProperty("Address").GetString());
        Assert.True(await scenario.DbAsync(db => db.AuditEntries.AnyAsync(a => a.EntityType == nameof(Household) && a.EntityId == Invariant(first))));
    }

    [Fact]
    public async Task A_component_is_registered_by_its_whole_code_in_the_grid_of_its_point_and_a_code_in_use_or_broken_is_refused()
    {
        var gridId = await scenario.GridIdOfAsync("worker1");
        var inside = await PointOnSurfaceAsync(gridId);
        var worker = await scenario.ActorAsync("worker1");
        var leader = await scenario.ActorAsync("streetleader1");
        var taken = await scenario.DbAsync(db => db.Components.AsNoTracking().OrderBy(c => c.Id).FirstAsync());
        var department = await scenario.DbAsync(db => db.Departments.AsNoTracking().OrderBy(d => d.Id).Select(d => d.Id).FirstAsync());
        var code = taken.DivisionCode + "0699" + "987654";
        NewComponent Input(string typed, Guid? key = null) => new(typed, "测试消防栓", ComponentState.Damaged, department, inside.Longitude, inside.Latitude, key);
        var key = Guid.NewGuid();
        int first = 0, replayed = 0;

        var inUse = await Assert.ThrowsAsync<DomainException>(() => scenario.LedgerAsync(ledger => ledger.CreateComponentAsync(Input(taken.Code), worker)));
        var shortCode = await Assert.ThrowsAsync<DomainException>(() => scenario.LedgerAsync(ledger => ledger.CreateComponentAsync(Input(code[..15]), worker)));
        var badClass = await Assert.ThrowsAsync<DomainException>(() => scenario.LedgerAsync(ledger => ledger.CreateComponentAsync(Input(taken.DivisionCode + "0901000001"), worker)));
        var noOwner = await Assert.ThrowsAsync<DomainException>(() => scenario.LedgerAsync(ledger =>
            ledger.CreateComponentAsync(Input(code) with { OwnerDepartmentId = -1 }, worker)));
        var readOnly = await Assert.ThrowsAsync<DomainException>(() => scenario.LedgerAsync(ledger => ledger.CreateComponentAsync(Input(code), leader)));
        await scenario.LedgerAsync(async ledger => first = await ledger.CreateComponentAsync(Input(code, key), worker));
        await scenario.LedgerAsync(async ledger => replayed = await ledger.CreateComponentAsync(Input(code, key), worker));
        var twice = await Assert.ThrowsAsync<DomainException>(() => scenario.LedgerAsync(ledger => ledger.CreateComponentAsync(Input(code, Guid.NewGuid()), worker)));

        Assert.Equal(("component.code-taken", "code"), (inUse.Code, inUse.Field));
        Assert.Equal(("component.code-format", "code"), (shortCode.Code, shortCode.Field));
        Assert.Equal("component.class", badClass.Code);
        Assert.Equal(("component.owner-not-found", "owner"), (noOwner.Code, noOwner.Field));
        Assert.Equal("ledger.read-only", readOnly.Code);
        Assert.Equal(first, replayed);
        Assert.Equal("component.code-taken", twice.Code);
        var component = await scenario.DbAsync(db => db.Components.AsNoTracking().SingleAsync(c => c.Code == code));
        Assert.Equal((first, gridId, ComponentClass.Other, 99, 987654, ComponentState.Damaged, department),
            (component.Id, component.GridId, component.MajorClass, component.MinorClass, component.Serial, component.State, component.OwnerDepartmentId));
        var change = Assert.Single(await scenario.ChangesAsync(nameof(Component), first));
        Assert.Equal(LedgerChangeKind.Created, change.Kind);
        Assert.Equal(code, Json(change.After).GetProperty("Code").GetString());
        Assert.True(await scenario.DbAsync(db => db.AuditEntries.AnyAsync(a => a.EntityType == nameof(Component) && a.EntityId == Invariant(first))));
    }

    [Fact]
    public async Task Reclassifying_a_component_onto_a_code_in_use_is_refused_and_a_state_change_is_recorded()
    {
        var pair = await scenario.DbAsync(db => db.Components.AsNoTracking().OrderBy(c => c.Id).Take(2).ToListAsync());
        var (first, second) = (pair[0], pair[1]);
        var dispatcher = await scenario.ActorAsync("dispatcher1");
        ComponentEdit Edit(Component onto, ComponentState state) =>
            new(first.Name, onto.MajorClass, onto.MinorClass, onto.Serial, state, first.OwnerDepartmentId, null, null);

        var taken = await Assert.ThrowsAsync<DomainException>(() => scenario.LedgerAsync(ledger => ledger.UpdateComponentAsync(first.Id, first.Version, Edit(second, first.State), dispatcher)));
        await scenario.LedgerAsync(ledger => ledger.UpdateComponentAsync(first.Id, first.Version, Edit(first, ComponentState.Damaged), dispatcher));

        Assert.Equal("component.code-taken", taken.Code);
        var change = Assert.Single(await scenario.ChangesAsync(nameof(Component), first.Id));
        Assert.Equal(first.State.ToString(), Json(change.Before).GetProperty("State").GetString());
        Assert.Equal("Damaged", Json(change.After).GetProperty("State").GetString());
        Assert.Equal(first.Code, Json(change.After).GetProperty("Code").GetString());
    }

    [Fact]
    public async Task The_list_masks_numbers_and_finds_a_person_by_whole_id_number()
    {
        var gridId = await scenario.GridIdOfAsync("worker1");
        var resident = await scenario.DbAsync(db => db.Residents.AsNoTracking()
            .Where(r => r.GridId == gridId && r.Phone != null && r.RemovedAt == null).OrderBy(r => r.Id).Skip(6).FirstAsync());

        var view = await scenario.WithAsync(async provider => await provider.GetRequiredService<ResidentQueries>()
            .ListAsync(new ResidentFilter(Text: resident.IdNumber), await scenario.ActorAsync("worker1"), new LedgerPageRequest()));

        var row = Assert.Single(view.Page.Rows);
        Assert.Equal(resident.Id, row.Id);
        Assert.Equal(resident.IdNumber[..6] + "********" + resident.IdNumber[14..], row.MaskedIdNumber);
        Assert.Equal(resident.Phone![..3] + "****" + resident.Phone[7..], row.MaskedPhone);
    }

    private Task<(double Longitude, double Latitude)> PointOnSurfaceAsync(int gridId) => scenario.DbAsync(async db =>
    {
        var xy = await db.Database.SqlQuery<double>($"""
            SELECT unnest(ARRAY[ST_X(p), ST_Y(p)]) AS "Value" FROM (SELECT ST_PointOnSurface(boundary) AS p FROM grids WHERE id = {gridId}) g
            """).ToListAsync();
        return (xy[0], xy[1]);
    });
}
