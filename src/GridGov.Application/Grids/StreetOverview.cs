using GridGov.Application.Common;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Application.Grids;

public sealed record StreetOverview(string StreetName, string StreetCode, string DivisionName, IReadOnlyList<CommunitySummary> Communities)
{
    public int GridCount => Communities.Sum(c => c.GridCount);
}

public sealed record CommunitySummary(string Code, string Name, int GridCount, int HouseholdCount, int ResidentCount);

/// <summary>What the home page shows next to the map; households and residents are those in the ledgers (not removed).</summary>
public sealed class StreetOverviewQuery(IGridGovDbContext db, IGridLedgerCounts ledgerCounts)
{
    public async Task<StreetOverview?> GetAsync(CancellationToken cancellationToken = default)
    {
        var street = await db.Streets.AsNoTracking().OrderBy(s => s.Id).FirstOrDefaultAsync(cancellationToken);
        if (street is null)
        {
            return null;
        }
        var communities = await db.Communities.AsNoTracking()
            .Where(c => c.StreetId == street.Id)
            .OrderBy(c => c.Code)
            .Select(c => new { c.Id, c.Code, c.Name, Grids = db.Grids.Count(g => g.CommunityId == c.Id && g.ValidTo == null) })
            .ToListAsync(cancellationToken);
        var counts = await ledgerCounts.ByCommunityAsync(cancellationToken);
        return new StreetOverview(street.Name, street.Code, street.DivisionName, communities.Select(c =>
        {
            var count = counts.GetValueOrDefault(c.Id);
            return new CommunitySummary(c.Code, c.Name, c.Grids, count.Households, count.Residents);
        }).ToList());
    }
}
