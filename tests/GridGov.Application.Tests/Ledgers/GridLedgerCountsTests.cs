using GridGov.Application.Grids;
using GridGov.Application.Ledgers;
using GridGov.Domain.Ledgers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Application.Tests.Ledgers;

/// <summary>
/// The per-grid counts of households and residents the database keeps (migration GridLedgerCounts) follow every kind of
/// change: the demo seed's bulk copy, a registration, a move to another grid, a removal, and statements touching many
/// rows of several grids at once (a restore, a move, a delete). After each, every grid's kept counts equal a fresh count.
/// </summary>
public sealed class GridLedgerCountsTests(LedgerScenario scenario) : IClassFixture<LedgerScenario>
{
    private sealed record Mismatch(int GridId, int KeptHouseholds, int Households, int KeptResidents, int Residents);

    private Task<List<Mismatch>> MismatchesAsync() => scenario.DbAsync(db => db.Database.SqlQuery<Mismatch>($"""
        SELECT g.id AS "GridId",
               COALESCE(c.households, 0) AS "KeptHouseholds", (SELECT count(*)::int FROM households h WHERE h.grid_id = g.id AND h.removed_at IS NULL) AS "Households",
               COALESCE(c.residents, 0) AS "KeptResidents", (SELECT count(*)::int FROM residents r WHERE r.grid_id = g.id AND r.removed_at IS NULL) AS "Residents"
        FROM grids g LEFT JOIN grid_ledger_counts c ON c.grid_id = g.id
        """).Where(m => m.KeptHouseholds != m.Households || m.KeptResidents != m.Residents).ToListAsync());

    private Task<IReadOnlyDictionary<int, LedgerCount>> KeptAsync(params int[] gridIds) =>
        scenario.WithAsync(p => p.GetRequiredService<IGridLedgerCounts>().ByGridAsync(gridIds, CancellationToken.None));

    [Fact]
    public async Task The_kept_counts_follow_registrations_moves_removals_and_bulk_statements()
    {
        Assert.Empty(await MismatchesAsync());
        var dispatcher = await scenario.ActorAsync("dispatcher1");
        var household = await scenario.DbAsync(db => db.Households.AsNoTracking().Where(h => h.RemovedAt == null).OrderBy(h => h.Id).FirstAsync());
        var elsewhere = await scenario.DbAsync(db => db.Households.AsNoTracking()
            .Where(h => h.GridId != household.GridId && h.RemovedAt == null).OrderBy(h => h.Id).FirstAsync());
        var before = await KeptAsync(household.GridId, elsewhere.GridId);

        var id = 0;
        await scenario.LedgerAsync(async ledger => id = await ledger.CreateResidentAsync(
            new NewResident(household.Id, "计数测试", LedgerScenario.NewIdNumber(), null, PopulationKind.Registered, []), dispatcher));
        var registered = await KeptAsync(household.GridId);
        Assert.Equal(before[household.GridId].Residents + 1, registered[household.GridId].Residents);

        var resident = await scenario.ReloadResidentAsync(id);
        await scenario.LedgerAsync(ledger => ledger.MoveResidentAsync(resident.Id, resident.Version, elsewhere.Id, dispatcher));
        var moved = await KeptAsync(household.GridId, elsewhere.GridId);
        Assert.Equal(before[household.GridId].Residents, moved[household.GridId].Residents);
        Assert.Equal(before[elsewhere.GridId].Residents + 1, moved[elsewhere.GridId].Residents);
        Assert.Empty(await MismatchesAsync());

        resident = await scenario.ReloadResidentAsync(id);
        await scenario.LedgerAsync(ledger => ledger.RemoveResidentAsync(resident.Id, resident.Version, "迁出本街道", dispatcher));
        Assert.Equal(before[elsewhere.GridId].Residents, (await KeptAsync(elsewhere.GridId))[elsewhere.GridId].Residents);
        Assert.Empty(await MismatchesAsync());

        // Statements over many rows of several grids: remove and restore, move a whole grid's households, delete.
        await scenario.DbAsync(db => db.Database.ExecuteSqlAsync($"UPDATE residents SET removed_at = now() WHERE id % 7 = 0 AND removed_at IS NULL"));
        Assert.Empty(await MismatchesAsync());
        await scenario.DbAsync(db => db.Database.ExecuteSqlAsync($"UPDATE residents SET removed_at = NULL WHERE id % 14 = 0"));
        Assert.Empty(await MismatchesAsync());
        await scenario.DbAsync(db => db.Database.ExecuteSqlAsync(
            $"UPDATE households SET grid_id = {elsewhere.GridId} WHERE grid_id = {household.GridId} AND id % 2 = 0"));
        Assert.Empty(await MismatchesAsync());
        await scenario.DbAsync(db => db.Database.ExecuteSqlAsync($"DELETE FROM residents WHERE id = {id}"));
        Assert.Empty(await MismatchesAsync());
    }
}
