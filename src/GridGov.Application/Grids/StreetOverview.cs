using GridGov.Application.Common;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Application.Grids;

public sealed record StreetOverview(string StreetName, string StreetCode, string DivisionName, IReadOnlyList<CommunitySummary> Communities)
{
    public int GridCount => Communities.Sum(c => c.GridCount);
}

public sealed record CommunitySummary(string Code, string Name, int GridCount, int HouseholdCount, int ResidentCount);

/// <summary>What the home page shows next to the map.</summary>
public sealed class StreetOverviewQuery(IGridGovDbContext db)
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
            .Select(c => new CommunitySummary(
                c.Code,
                c.Name,
                db.Grids.Count(g => g.CommunityId == c.Id && g.ValidTo == null),
                db.Households.Count(h => db.Grids.Any(g => g.Id == h.GridId && g.CommunityId == c.Id)),
                db.Residents.Count(r => db.Grids.Any(g => g.Id == r.GridId && g.CommunityId == c.Id))))
            .ToListAsync(cancellationToken);
        return new StreetOverview(street.Name, street.Code, street.DivisionName, communities);
    }
}
