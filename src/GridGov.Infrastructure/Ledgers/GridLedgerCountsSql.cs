using GridGov.Application.Grids;
using GridGov.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Infrastructure.Ledgers;

/// <summary>Reads <c>grid_ledger_counts</c>, which the triggers of migration GridLedgerCounts keep.</summary>
internal sealed class GridLedgerCountsSql(GridGovDbContext db) : IGridLedgerCounts
{
    public async Task<IReadOnlyDictionary<int, LedgerCount>> ByGridAsync(IReadOnlyCollection<int> gridIds, CancellationToken cancellationToken)
    {
        var ids = gridIds.ToArray();
        var rows = await db.Database.SqlQuery<Row>($"""
            SELECT grid_id AS "Id", households AS "Households", residents AS "Residents"
            FROM grid_ledger_counts WHERE grid_id = ANY ({ids})
            """).ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.Id, r => new LedgerCount(r.Households, r.Residents));
    }

    public async Task<IReadOnlyDictionary<int, LedgerCount>> ByCommunityAsync(CancellationToken cancellationToken)
    {
        var rows = await db.Database.SqlQuery<Row>($"""
            SELECT g.community_id AS "Id", sum(c.households)::int AS "Households", sum(c.residents)::int AS "Residents"
            FROM grid_ledger_counts c JOIN grids g ON g.id = c.grid_id
            GROUP BY g.community_id
            """).ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.Id, r => new LedgerCount(r.Households, r.Residents));
    }

    private sealed record Row(int Id, int Households, int Residents);
}
