namespace GridGov.Application.Grids;

/// <summary>A grid's or community's households and residents in the ledgers (not removed).</summary>
public readonly record struct LedgerCount(int Households, int Residents);

/// <summary>
/// The ledgers' counts per grid as the database keeps them while rows are added, moved and removed (table
/// <c>grid_ledger_counts</c>, migration GridLedgerCounts): reading them costs what reading the grids costs, where
/// counting a city's residents takes a second.
/// </summary>
public interface IGridLedgerCounts
{
    /// <summary>Each grid's counts; a grid without households or residents is absent.</summary>
    Task<IReadOnlyDictionary<int, LedgerCount>> ByGridAsync(IReadOnlyCollection<int> gridIds, CancellationToken cancellationToken);

    /// <summary>Each community's counts (its grids', current and retired); a community without any is absent.</summary>
    Task<IReadOnlyDictionary<int, LedgerCount>> ByCommunityAsync(CancellationToken cancellationToken);
}
