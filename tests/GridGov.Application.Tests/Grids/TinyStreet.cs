using GridGov.Domain.Common;
using GridGov.Domain.Geography;
using GridGov.Infrastructure.Persistence;
using NetTopologySuite.Geometries;

namespace GridGov.Application.Tests.Grids;

/// <summary>
/// A hand-made street of 0.02° × 0.02° with two communities side by side, west (001) and east (002),
/// so that expected answers can be worked out by hand.
/// </summary>
internal static class TinyStreet
{
    public const double West = 120.60, East = 120.62, South = 31.30, North = 31.32, Middle = 120.61;

    private static readonly GeometryFactory Factory = new(new PrecisionModel(), Srid.Wgs84);

    public static Polygon Rectangle(double minX, double minY, double maxX, double maxY) =>
        Factory.CreatePolygon([
            new Coordinate(minX, minY), new Coordinate(maxX, minY), new Coordinate(maxX, maxY),
            new Coordinate(minX, maxY), new Coordinate(minX, minY),
        ]);

    public static async Task<(Community WestCommunity, Community EastCommunity)> CreateAsync(GridGovDbContext db)
    {
        var street = new Street("320508021", "测试街道", "苏州市姑苏区", Rectangle(West, South, East, North));
        var west = new Community(street, 1, "西园社区", Rectangle(West, South, Middle, North));
        var east = new Community(street, 2, "东园社区", Rectangle(Middle, South, East, North));
        db.Streets.Add(street);
        db.Communities.AddRange(west, east);
        await db.SaveChangesAsync();
        return (west, east);
    }
}
