using GridGov.Application.Common;
using GridGov.Domain.Cases;
using GridGov.Domain.Ledgers;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Application.Ledgers;

public sealed record HouseholdFilter(
    string? Address = null,
    HouseholdKind? Kind = null,
    int? CommunityId = null,
    string? GridCode = null,
    bool IncludeRemoved = false)
{
    public const int TextMaxLength = 60;
}

public sealed record HouseholdRow(int Id, string Address, string Dwelling, HouseholdKind Kind, string? HeadName, int Members, int GridId, string GridName, bool Removed);

public sealed record HouseholdFacts(
    int Id, string Address, string Dwelling, HouseholdKind Kind, int? HeadResidentId, string? BuildingName, string? CompoundName,
    int GridId, string GridCode, string GridName, string CommunityName, DateTimeOffset? RemovedAt, string? RemovalReason, uint Version);

public sealed record HouseholdDetailView(LedgerScope Scope, HouseholdFacts Household, IReadOnlyList<MemberRow> Members, IReadOnlyList<LedgerHistoryEntry> History);

/// <summary>What the household pages (户台账) show, limited to the signed-in person's scope.</summary>
public sealed class HouseholdQueries(IGridGovDbContext db, LedgerScopes scopes, TimeProvider clock)
{
    public async Task<LedgerListContext> ContextAsync(CaseActor actor, CancellationToken cancellationToken = default)
    {
        var scope = await scopes.ForAsync(actor, cancellationToken);
        return new LedgerListContext(scope, await LedgerPlaces.LoadAsync(db, scope, cancellationToken));
    }

    /// <summary>The new-household form's context: who may register, and the grids its map opens on.</summary>
    public async Task<NewLedgerRowView> NewAsync(CaseActor actor, CancellationToken cancellationToken = default)
    {
        var scope = await scopes.ForAsync(actor, cancellationToken);
        return new NewLedgerRowView(scope, await UnitQueries.FocusGridCodesAsync(db, scope, cancellationToken));
    }

    public async Task<LedgerPage<HouseholdRow>> ListAsync(
        HouseholdFilter filter, CaseActor actor, LedgerPageRequest request, CancellationToken cancellationToken = default) =>
        await MatchingAsync(filter, actor, cancellationToken) is { } rows
            ? await LedgerPaging.PageAsync(rows, request, cancellationToken)
            : LedgerPage<HouseholdRow>.Empty;

    /// <summary>Every row of the list as the page shows it, for an export.</summary>
    public async Task<LedgerExport<HouseholdRow>> ExportAsync(HouseholdFilter filter, CaseActor actor, CancellationToken cancellationToken = default) =>
        await MatchingAsync(filter, actor, cancellationToken) is { } rows
            ? LedgerExports.Of(rows, clock.GetUtcNow(), cancellationToken)
            : LedgerExports.Empty<HouseholdRow>(clock.GetUtcNow());

    /// <summary>The list's rows in its order, within the person's scope; null when the scope holds no people.</summary>
    private async Task<IQueryable<HouseholdRow>?> MatchingAsync(HouseholdFilter filter, CaseActor actor, CancellationToken cancellationToken)
    {
        var scope = await scopes.ForAsync(actor, cancellationToken);
        if (!scope.SeesPeople)
        {
            return null;
        }
        var households = db.Households.AsNoTracking();
        if (await LedgerPlaces.GridIdsAsync(db, scope, filter.CommunityId, filter.GridCode, cancellationToken) is { } gridIds)
        {
            households = households.Where(h => gridIds.Contains(h.GridId));
        }
        if (!filter.IncludeRemoved)
        {
            households = households.Where(h => h.RemovedAt == null);
        }
        if (SearchText.Clean(filter.Address) is { } address)
        {
            households = households.Where(h => h.Address.Contains(address));
        }
        if (filter.Kind is { } kind)
        {
            households = households.Where(h => h.Kind == kind);
        }
        return households
            .OrderBy(h => h.Id)
            .Select(h => new HouseholdRow(h.Id, h.Address, h.Dwelling, h.Kind,
                db.Residents.Where(r => r.Id == h.HeadResidentId).Select(r => r.Name).FirstOrDefault(),
                db.Residents.Count(r => r.HouseholdId == h.Id && r.RemovedAt == null),
                h.GridId, db.Grids.Where(g => g.Id == h.GridId).Select(g => g.Name).FirstOrDefault() ?? "", h.RemovedAt != null));
    }

    public async Task<HouseholdDetailView?> DetailAsync(int id, CaseActor actor, CancellationToken cancellationToken = default)
    {
        var scope = await scopes.ForAsync(actor, cancellationToken);
        var row = await db.Households.AsNoTracking().SingleOrDefaultAsync(h => h.Id == id, cancellationToken);
        if (row is null || !scope.Covers(row.GridId))
        {
            return null;
        }
        var grid = await db.Grids.AsNoTracking().Where(g => g.Id == row.GridId)
            .Select(g => new { g.Code, g.Name, Community = g.Community!.Name }).SingleAsync(cancellationToken);
        var building = row.BuildingId is { } buildingId
            ? await db.Buildings.AsNoTracking().Where(b => b.Id == buildingId)
                .Select(b => new { b.Name, Compound = db.Compounds.Where(c => c.Id == b.CompoundId).Select(c => c.Name).FirstOrDefault() })
                .SingleOrDefaultAsync(cancellationToken)
            : null;
        var household = new HouseholdFacts(row.Id, row.Address, row.Dwelling, row.Kind, row.HeadResidentId, building?.Name, building?.Compound,
            row.GridId, grid.Code, grid.Name, grid.Community, row.RemovedAt, row.RemovalReason, row.Version);
        var members = await ResidentQueries.MembersAsync(db, household.Id, household.HeadResidentId, scope, Ages.Today(clock), cancellationToken);
        var gridNames = await db.Grids.AsNoTracking().ToDictionaryAsync(g => g.Id, g => g.Name, cancellationToken);
        var history = await LedgerHistory.LoadAsync(db, nameof(Household), household.Id, scope, gridNames, cancellationToken);
        return new HouseholdDetailView(scope, household, members, history);
    }
}
