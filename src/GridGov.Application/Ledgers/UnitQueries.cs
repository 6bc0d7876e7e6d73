using GridGov.Application.Common;
using GridGov.Application.Grids;
using GridGov.Domain.Cases;
using GridGov.Domain.Ledgers;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Application.Ledgers;

public sealed record UnitFilter(
    string? Text = null,
    UnitKind? Kind = null,
    int? CommunityId = null,
    string? GridCode = null,
    bool IncludeRemoved = false,
    bool SmallVenuesOnly = false)
{
    public const int TextMaxLength = 60;
}

public sealed record UnitRow(
    int Id, string Name, UnitKind Kind, string Address, int EmployeeCount, string ContactName, string? MaskedContactPhone,
    bool HasPartyOrganisation, int PartyMemberCount, int GridId, string GridName, bool Removed, bool IsSmallVenue = false, string? CreditCode = null);

public sealed record UnitFacts(
    int Id, string Name, UnitKind Kind, string Address, double Longitude, double Latitude, int EmployeeCount, string ContactName,
    string ContactPhone, bool HasPartyOrganisation, int PartyMemberCount, int GridId, string GridCode, string GridName, string CommunityName,
    DateTimeOffset? RemovedAt, string? RemovalReason, uint Version, bool IsSmallVenue = false, string? CreditCode = null);

public sealed record UnitDetailView(LedgerScope Scope, UnitFacts Unit, IReadOnlyList<LedgerHistoryEntry> History);

/// <summary>What a registration form (unit, household) needs: who may register, and the grids its map opens on (none for the whole street).</summary>
public sealed record NewLedgerRowView(LedgerScope Scope, IReadOnlyList<string> FocusGridCodes);

/// <summary>What the unit pages (单位/门店台账) show, limited to the signed-in person's scope.</summary>
public sealed class UnitQueries(IGridGovDbContext db, LedgerScopes scopes, ISpatialQueries spatial, TimeProvider clock)
{
    public async Task<LedgerListContext> ContextAsync(CaseActor actor, CancellationToken cancellationToken = default)
    {
        var scope = await scopes.ForAsync(actor, cancellationToken);
        return new LedgerListContext(scope, await LedgerPlaces.LoadAsync(db, scope, cancellationToken));
    }

    public async Task<LedgerPage<UnitRow>> ListAsync(UnitFilter filter, CaseActor actor, LedgerPageRequest request, CancellationToken cancellationToken = default)
    {
        if (await MatchingAsync(filter, actor, cancellationToken) is not { } units)
        {
            return LedgerPage<UnitRow>.Empty;
        }
        var page = await LedgerPaging.PageAsync(units, request, cancellationToken);
        return new LedgerPage<UnitRow>(page.Rows.Select(u => u.ToRow()).ToList(), page.Count, page.CountCapped);
    }

    /// <summary>Every row of the list as the page shows it (the contact phone masked), for an export.</summary>
    public async Task<LedgerExport<UnitRow>> ExportAsync(UnitFilter filter, CaseActor actor, CancellationToken cancellationToken = default) =>
        await MatchingAsync(filter, actor, cancellationToken) is { } units
            ? LedgerExports.Of(units, u => u.ToRow(), clock.GetUtcNow(), cancellationToken)
            : LedgerExports.Empty<UnitRow>(clock.GetUtcNow());

    /// <summary>What the list reads of the units in its order, within the person's scope; null when the scope holds no people.</summary>
    private async Task<IQueryable<ListedUnit>?> MatchingAsync(UnitFilter filter, CaseActor actor, CancellationToken cancellationToken)
    {
        var scope = await scopes.ForAsync(actor, cancellationToken);
        if (!scope.SeesPeople)
        {
            return null;
        }
        var units = db.Units.AsNoTracking();
        if (await LedgerPlaces.GridIdsAsync(db, scope, filter.CommunityId, filter.GridCode, cancellationToken) is { } gridIds)
        {
            units = units.Where(u => gridIds.Contains(u.GridId));
        }
        if (!filter.IncludeRemoved)
        {
            units = units.Where(u => u.RemovedAt == null);
        }
        if (SearchText.Clean(filter.Text) is { } text)
        {
            // A credit code is found whole (as typed, in any case); names and addresses by any part.
            var code = text.ToUpperInvariant();
            units = units.Where(u => u.Name.Contains(text) || u.Address.Contains(text) || u.CreditCode == code);
        }
        if (filter.Kind is { } kind)
        {
            units = units.Where(u => u.Kind == kind);
        }
        if (filter.SmallVenuesOnly)
        {
            units = units.Where(u => u.IsSmallVenue);
        }
        return units.OrderBy(u => u.Id).Select(u => new ListedUnit(u.Id, u.Name, u.Kind, u.Address, u.EmployeeCount, u.ContactName, u.ContactPhone,
            u.HasPartyOrganisation, u.PartyMemberCount, u.GridId, db.Grids.Where(g => g.Id == u.GridId).Select(g => g.Name).FirstOrDefault() ?? "", u.RemovedAt, u.IsSmallVenue, u.CreditCode));
    }

    private sealed record ListedUnit(
        int Id, string Name, UnitKind Kind, string Address, int EmployeeCount, string ContactName, string ContactPhone,
        bool HasPartyOrganisation, int PartyMemberCount, int GridId, string GridName, DateTimeOffset? RemovedAt, bool IsSmallVenue, string? CreditCode)
    {
        /// <summary>The contact phone is masked here, after the query: the list never carries a whole number to the page.</summary>
        public UnitRow ToRow() => new(Id, Name, Kind, Address, EmployeeCount, ContactName, Masking.Phone(ContactPhone),
            HasPartyOrganisation, PartyMemberCount, GridId, GridName, RemovedAt is not null, IsSmallVenue, CreditCode);
    }

    public async Task<UnitDetailView?> DetailAsync(int id, CaseActor actor, CancellationToken cancellationToken = default)
    {
        var scope = await scopes.ForAsync(actor, cancellationToken);
        var unit = await db.Units.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (unit is null || !scope.Covers(unit.GridId))
        {
            return null;
        }
        var grid = await db.Grids.AsNoTracking().Where(g => g.Id == unit.GridId)
            .Select(g => new { g.Code, g.Name, Community = g.Community!.Name }).SingleAsync(cancellationToken);
        var gridNames = await db.Grids.AsNoTracking().ToDictionaryAsync(g => g.Id, g => g.Name, cancellationToken);
        var detail = new UnitFacts(unit.Id, unit.Name, unit.Kind, unit.Address, unit.Location.X, unit.Location.Y, unit.EmployeeCount,
            unit.ContactName, unit.ContactPhone, unit.HasPartyOrganisation, unit.PartyMemberCount, unit.GridId, grid.Code, grid.Name, grid.Community,
            unit.RemovedAt, unit.RemovalReason, unit.Version, unit.IsSmallVenue, unit.CreditCode);
        return new UnitDetailView(scope, detail, await LedgerHistory.LoadAsync(db, nameof(Unit), unit.Id, scope, gridNames, cancellationToken));
    }

    /// <summary>The registration form: the scope, and the grids a worker's or secretary's map opens zoomed on.</summary>
    public async Task<NewLedgerRowView> NewAsync(CaseActor actor, CancellationToken cancellationToken = default)
    {
        var scope = await scopes.ForAsync(actor, cancellationToken);
        return new NewLedgerRowView(scope, await FocusGridCodesAsync(db, scope, cancellationToken));
    }

    /// <summary>The grids a new row's map opens on: the person's own, or none (the whole street) for street roles.</summary>
    internal static async Task<IReadOnlyList<string>> FocusGridCodesAsync(IGridGovDbContext db, LedgerScope scope, CancellationToken cancellationToken)
    {
        var gridIds = scope.GridIds.ToList();
        return scope.WholeStreet || gridIds.Count == 0
            ? []
            : await db.Grids.AsNoTracking().Where(g => gridIds.Contains(g.Id)).OrderBy(g => g.Code).Select(g => g.Code).ToListAsync(cancellationToken);
    }

    /// <summary>Where a point chosen on the map falls, for the form's live hint.</summary>
    public async Task<GridLocation?> WhereAsync(double? longitude, double? latitude, CancellationToken cancellationToken = default)
    {
        if (longitude is not { } x || latitude is not { } y || !double.IsFinite(x) || !double.IsFinite(y) || x is < -180 or > 180 || y is < -90 or > 90)
        {
            return null;
        }
        return await spatial.ResolveGridAsync(Domain.Common.Locations.Point(x, y), cancellationToken);
    }
}
