using GridGov.Application.Common;
using GridGov.Domain.Hotline;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Application.Hotline;

/// <summary>Where an address was found: the point a case is placed at, and by what.</summary>
public sealed record HotlinePlace(double Longitude, double Latitude, HotlinePlacement Placement, string MatchedBy);

/// <summary>
/// Places an order that came without a point, from the street's own ledgers (no external geocoder): the address, normalised
/// (spaces dropped, full-width letters and digits made half-width, anything before the street's name dropped), is matched
/// exactly against the households' addresses (placed at their building) and the units' addresses; failing that, against
/// the longest compound (小区) name it contains. A match that points into two different grids is no match: the hotline is
/// asked to send the point instead.
/// </summary>
public sealed class HotlineAddresses(IGridGovDbContext db)
{
    private const int Candidates = 20;

    public async Task<HotlinePlace?> LocateAsync(string address, CancellationToken cancellationToken = default)
    {
        var streetNames = await db.Streets.AsNoTracking().Select(s => s.Name).ToListAsync(cancellationToken);
        var core = Normalise(address, streetNames);
        if (core.Length == 0)
        {
            return null;
        }
        var forms = streetNames.Select(name => name + core).Append(core).Distinct().ToList();

        var households = await (from h in db.Households.AsNoTracking()
                                join b in db.Buildings.AsNoTracking() on h.BuildingId equals (int?)b.Id
                                where h.RemovedAt == null && forms.Contains(h.Address)
                                select new { b.GridId, b.Location }).Take(Candidates).ToListAsync(cancellationToken);
        if (Single(households.Select(h => (h.GridId, h.Location.X, h.Location.Y))) is { } household)
        {
            return new HotlinePlace(household.X, household.Y, HotlinePlacement.Address, "户籍地址");
        }
        if (households.Count > 0)
        {
            return null;
        }
        var units = await db.Units.AsNoTracking().Where(u => u.RemovedAt == null && forms.Contains(u.Address))
            .Select(u => new { u.GridId, u.Location }).Take(Candidates).ToListAsync(cancellationToken);
        if (Single(units.Select(u => (u.GridId, u.Location.X, u.Location.Y))) is { } unit)
        {
            return new HotlinePlace(unit.X, unit.Y, HotlinePlacement.Address, "单位地址");
        }
        if (units.Count > 0)
        {
            return null;
        }
        var compounds = await db.Compounds.AsNoTracking().Where(c => c.Name.Length >= 2 && core.Contains(c.Name))
            .Select(c => new { c.Name, c.GridId, c.Location }).ToListAsync(cancellationToken);
        var longest = compounds.GroupBy(c => c.Name.Length).OrderByDescending(g => g.Key).FirstOrDefault()?.ToList() ?? [];
        return Single(longest.Select(c => (c.GridId, c.Location.X, c.Location.Y))) is { } compound
            ? new HotlinePlace(compound.X, compound.Y, HotlinePlacement.Compound, "小区：" + longest[0].Name)
            : null;
    }

    /// <summary>The first candidate when they all lie in one grid; null when there is none or they disagree on the grid.</summary>
    private static (int GridId, double X, double Y)? Single(IEnumerable<(int GridId, double X, double Y)> candidates)
    {
        var list = candidates.ToList();
        return list.Count > 0 && list.All(c => c.GridId == list[0].GridId) ? list[0] : null;
    }

    public static string Normalise(string address, IReadOnlyCollection<string> streetNames)
    {
        var chars = address.Where(c => !char.IsWhiteSpace(c))
            .Select(c => c is >= '\uFF01' and <= '\uFF5E' ? (char)(c - 0xFEE0) : c)
            .ToArray();
        var text = new string(chars);
        foreach (var name in streetNames.Where(n => n.Length > 0).OrderByDescending(n => n.Length))
        {
            var at = text.IndexOf(name, StringComparison.Ordinal);
            if (at >= 0)
            {
                return text[(at + name.Length)..];
            }
        }
        return text;
    }
}
