using GridGov.Application.Cases;
using GridGov.Domain.Cases;
using GridGov.Domain.Geography;
using GridGov.Domain.Ledgers;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace GridGov.Application.Grids;

/// <summary>
/// What follows a change of the grid map, inside the change's transaction. Records with a place (units, components,
/// buildings, compounds, open cases) go to the grid now covering it; a household goes with its building and a resident
/// with his household; a record whose place no grid covers stays where it is and is counted. Each ledger row's move is
/// written to its change history (the database context), each case's to its history. Closed cases, visits and patrols
/// keep the grid they happened in.
/// </summary>
public sealed partial class GridBoundaries
{

    /// <summary>Up to this many moved cases are announced one by one to the live pages; more, as "read again".</summary>
    private const int AnnouncedOneByOne = 50;

    private async Task<GridMoveCounts> MoveByLocationAsync(CaseActor actor, Geometry area, string reason, CancellationToken cancellationToken)
    {
        var moves = await spatial.PlacedMovesAsync(area, cancellationToken);
        var left = moves.Count(m => m.ToGridId is null);
        var targets = moves.Where(m => m.ToGridId is not null).ToLookup(m => m.Kind, m => (m.Id, GridId: m.ToGridId!.Value));

        var units = await MoveAsync(db.Units, targets[PlacedKind.Unit], cancellationToken);
        var components = await MoveAsync(db.Components, targets[PlacedKind.Component], cancellationToken);
        var buildingMoves = targets[PlacedKind.Building].ToDictionary(m => m.Id, m => m.GridId);
        var buildings = await MoveAsync(db.Buildings, buildingMoves.Select(m => (m.Key, m.Value)), cancellationToken);
        await MoveAsync(db.Compounds, targets[PlacedKind.Compound], cancellationToken);

        var buildingIds = buildingMoves.Keys.ToArray();
        var households = await db.Households.Where(h => h.BuildingId != null && buildingIds.Contains(h.BuildingId.Value) && h.RemovedAt == null)
            .ToListAsync(cancellationToken);
        foreach (var household in households)
        {
            household.MoveToGrid(buildingMoves[household.BuildingId!.Value]);
        }
        var residents = await MoveResidentsAsync(households, cancellationToken);
        var (cases, casesLeft) = await MoveCasesAsync(actor, targets[PlacedKind.OpenCase], reason, cancellationToken);

        await db.SaveChangesAsync(cancellationToken);
        return new GridMoveCounts(households.Count, residents, units, components, buildings, Helpers: 0, cases, left + casesLeft);
    }

    /// <summary>A merge: everything the absorbed grid holds goes to the kept grid, wherever it lies.</summary>
    private async Task<GridMoveCounts> MoveEverythingAsync(CaseActor actor, Grid absorbed, Grid kept, CancellationToken cancellationToken)
    {
        var from = absorbed.Id;
        var households = await AllAsync(db.Households.Where(h => h.GridId == from && h.RemovedAt == null), kept.Id, cancellationToken);
        var residents = await AllAsync(db.Residents.Where(r => r.GridId == from && r.RemovedAt == null), kept.Id, cancellationToken);
        var units = await AllAsync(db.Units.Where(u => u.GridId == from && u.RemovedAt == null), kept.Id, cancellationToken);
        var components = await AllAsync(db.Components.Where(c => c.GridId == from && c.RemovedAt == null), kept.Id, cancellationToken);
        var buildings = await AllAsync(db.Buildings.Where(b => b.GridId == from), kept.Id, cancellationToken);
        await AllAsync(db.Compounds.Where(c => c.GridId == from), kept.Id, cancellationToken);
        var helpers = await MoveHelpersAsync(absorbed, kept, cancellationToken);
        var openCases = await db.Cases.Where(c => c.GridId == from && CaseWorkflow.OpenStates.Contains(c.State)).Select(c => c.Id).ToListAsync(cancellationToken);
        var (cases, _) = await MoveCasesAsync(actor, openCases.Select(id => (id, kept.Id)), $"网格{absorbed.Code}并入{kept.Code}", cancellationToken);

        await db.SaveChangesAsync(cancellationToken);
        return new GridMoveCounts(households, residents, units, components, buildings, helpers, cases, LeftUncovered: 0);
    }

    /// <summary>Ledger rows, helpers and open cases a grid still holds (a grid holding any is not retired but merged).</summary>
    private async Task<int> HeldAsync(int gridId, CancellationToken cancellationToken) =>
        await db.Households.CountAsync(h => h.GridId == gridId && h.RemovedAt == null, cancellationToken)
        + await db.Residents.CountAsync(r => r.GridId == gridId && r.RemovedAt == null, cancellationToken)
        + await db.Units.CountAsync(u => u.GridId == gridId && u.RemovedAt == null, cancellationToken)
        + await db.Components.CountAsync(c => c.GridId == gridId && c.RemovedAt == null, cancellationToken)
        + await db.GridHelpers.CountAsync(h => h.GridId == gridId && h.RemovedAt == null, cancellationToken)
        + await db.Cases.CountAsync(c => c.GridId == gridId && CaseWorkflow.OpenStates.Contains(c.State), cancellationToken);

    private static async Task<int> MoveAsync<T>(DbSet<T> set, IEnumerable<(int Id, int GridId)> moves, CancellationToken cancellationToken)
        where T : Domain.Common.Entity, IHeldByGrid
    {
        var byId = moves.ToDictionary(m => m.Id, m => m.GridId);
        if (byId.Count == 0)
        {
            return 0;
        }
        var ids = byId.Keys.ToArray();
        var rows = await set.Where(r => ids.Contains(r.Id)).ToListAsync(cancellationToken);
        foreach (var row in rows)
        {
            row.MoveToGrid(byId[row.Id]);
        }
        return rows.Count;
    }

    private static async Task<int> AllAsync<T>(IQueryable<T> rows, int gridId, CancellationToken cancellationToken) where T : IHeldByGrid
    {
        var list = await rows.ToListAsync(cancellationToken);
        foreach (var row in list)
        {
            row.MoveToGrid(gridId);
        }
        return list.Count;
    }

    private async Task<int> MoveResidentsAsync(IReadOnlyCollection<Household> households, CancellationToken cancellationToken)
    {
        var gridOf = households.ToDictionary(h => h.Id, h => h.GridId);
        var ids = gridOf.Keys.ToArray();
        var residents = await db.Residents.Where(r => r.HouseholdId != null && ids.Contains(r.HouseholdId.Value) && r.RemovedAt == null)
            .ToListAsync(cancellationToken);
        foreach (var resident in residents)
        {
            resident.MoveToGrid(gridOf[resident.HouseholdId!.Value]);
        }
        return residents.Count;
    }

    /// <summary>
    /// The absorbed grid's helpers join the kept grid; one already serving the kept grid in the same part (same phone) is
    /// not listed twice: the absorbed grid's entry is removed with the reason.
    /// </summary>
    private async Task<int> MoveHelpersAsync(Grid absorbed, Grid kept, CancellationToken cancellationToken)
    {
        var keptHelpers = await db.GridHelpers.Where(h => h.GridId == kept.Id && h.RemovedAt == null)
            .Select(h => new { h.Role, h.Phone }).ToListAsync(cancellationToken);
        var serving = keptHelpers.Select(h => (h.Role, h.Phone)).ToHashSet();
        var helpers = await db.GridHelpers.Where(h => h.GridId == absorbed.Id && h.RemovedAt == null).ToListAsync(cancellationToken);
        foreach (var helper in helpers)
        {
            if (serving.Contains((helper.Role, helper.Phone)))
            {
                helper.Remove($"网格{absorbed.Code}并入{kept.Code}，与{kept.Code}的同一骨干记录重复", clock.GetUtcNow());
            }
            else
            {
                helper.MoveToGrid(kept.Id);
            }
        }
        return helpers.Count;
    }

    /// <summary>Open cases follow within their community; one whose place now lies in another community's grid stays (counted).</summary>
    private async Task<(int Moved, int Left)> MoveCasesAsync(CaseActor actor, IEnumerable<(int Id, int GridId)> moves, string reason, CancellationToken cancellationToken)
    {
        var byId = moves.ToDictionary(m => m.Id, m => m.GridId);
        if (byId.Count == 0)
        {
            return (0, 0);
        }
        var gridIds = byId.Values.Distinct().ToArray();
        var grids = await db.Grids.Where(g => gridIds.Contains(g.Id))
            .ToDictionaryAsync(g => g.Id, g => new CaseLocationInfo(g.Id, g.Code, g.CommunityId), cancellationToken);
        var ids = byId.Keys.ToArray();
        var cases = await db.Cases.Include(c => c.Extensions).Where(c => ids.Contains(c.Id)).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var moved = new List<Case>();
        foreach (var @case in cases)
        {
            var where = grids[byId[@case.Id]];
            if (where.CommunityId == @case.CommunityId)
            {
                @case.MoveToGrid(where, reason, actor, now);
                moved.Add(@case);
            }
        }
        // The dashboards, inboxes and case pages open now show the new grid once the change commits.
        foreach (var change in moved.Count <= AnnouncedOneByOne
                     ? moved.Select(c => new CaseChanged(c.Id, c.Number, c.State))
                     : moved.Count > 0 ? [CaseChanged.Anything] : [])
        {
            await caseChanges.EnlistAsync(change, cancellationToken);
        }
        return (moved.Count, cases.Count - moved.Count);
    }
}
