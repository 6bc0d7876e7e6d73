using GridGov.Application.Common;
using GridGov.Application.Grids;
using GridGov.Domain.Cases;
using GridGov.Domain.Geography;

namespace GridGov.Application.Ledgers;

/// <summary>The grid filter of the ledger lists: the grids of the person's scope, searched as they type.</summary>
public sealed class LedgerPlaceQuery(IGridGovDbContext db, LedgerScopes scopes)
{
    /// <param name="components">For the component list, whose department handlers filter the whole street (<see cref="LedgerScope.ComponentPlaces"/>).</param>
    public async Task<IReadOnlyList<GridChoice>> SearchGridsAsync(
        CaseActor actor, bool components, int? communityId, string? text, CancellationToken cancellationToken = default) =>
        await GridChoices.SearchAsync(await GridsAsync(actor, components, cancellationToken), communityId, text, cancellationToken);

    /// <summary>The grid a list's address names, if the person's scope covers it.</summary>
    public async Task<GridChoice?> FindGridAsync(CaseActor actor, bool components, string? code, CancellationToken cancellationToken = default) =>
        await GridChoices.FindAsync(await GridsAsync(actor, components, cancellationToken), code, cancellationToken);

    private async Task<IQueryable<Grid>> GridsAsync(CaseActor actor, bool components, CancellationToken cancellationToken)
    {
        var scope = await scopes.ForAsync(actor, cancellationToken);
        return LedgerPlaces.Grids(db, components ? scope.ComponentPlaces : scope);
    }
}
