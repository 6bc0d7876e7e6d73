using GridGov.Application.Grids;
using GridGov.Domain.Common;
using GridGov.Domain.Geography;
using GridGov.Domain.Organisation;
using GridGov.Infrastructure.Persistence;
using Microsoft.Extensions.DependencyInjection;
using NetTopologySuite.Geometries;

namespace GridGov.Application.Tests.Patrols;

/// <summary>
/// A hand-made grid of 200 m × 200 m in a tiny street, with positions in metres from its south-west corner, so
/// that coverage has answers worked out on paper: a track along one edge with a 30 m buffer covers a 30 m × 200 m
/// strip (15%), one down the middle a 60 m × 200 m strip (30%).
/// </summary>
internal static class SquareGrid
{
    public const double Side = 200;
    public const double West = 120.605, South = 31.305;
    public const string GridCode = "320508021001001";

    private static readonly GeometryFactory Factory = new(new PrecisionModel(), Srid.Wgs84);

    // Metres per degree on the WGS-84 ellipsoid at the grid's latitude (series expansion, good to centimetres here).
    private static readonly double Phi = South * Math.PI / 180;
    private static readonly double MetresPerDegreeLatitude = 111132.92 - (559.82 * Math.Cos(2 * Phi)) + (1.175 * Math.Cos(4 * Phi));
    private static readonly double MetresPerDegreeLongitude = (111412.84 * Math.Cos(Phi)) - (93.5 * Math.Cos(3 * Phi));

    public static Coordinate At(double east, double north) =>
        new(West + (east / MetresPerDegreeLongitude), South + (north / MetresPerDegreeLatitude));

    public static LineString Line(params (double East, double North)[] points) =>
        Factory.CreateLineString(points.Select(p => At(p.East, p.North)).ToArray());

    public static Polygon Square() =>
        Factory.CreatePolygon([At(0, 0), At(Side, 0), At(Side, Side), At(0, Side), At(0, 0)]);

    /// <summary>Sweeps 60 m apart (30 m on each side of each), the last one 10 m from the north edge.</summary>
    public static LineString Lawnmower() =>
        Line((0, 30), (Side, 30), (Side, 90), (0, 90), (0, 150), (Side, 150), (Side, 190), (0, 190));

    public static LineString SouthHalf() => Line((0, 30), (Side, 30), (Side, 90), (0, 90));

    public static LineString NorthHalf() => Line((0, 150), (Side, 150), (Side, 190), (0, 190));

    /// <summary>The tiny street of the grid tests with this square as grid 001 of its west community, and two patrollers.</summary>
    public static async Task<(int GridId, int FirstStaffId, int SecondStaffId)> CreateAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
        var (west, _) = await Grids.TinyStreet.CreateAsync(db);
        var grid = await scope.ServiceProvider.GetRequiredService<GridBoundaries>().AddGridAsync(west.Id, 1, "方格网格", Square());
        var first = new StaffMember("赵巡查", "13800000001", StaffRole.GridWorker, west.Id);
        var second = new StaffMember("钱巡查", "13800000002", StaffRole.GridWorker, west.Id);
        db.StaffMembers.AddRange(first, second);
        await db.SaveChangesAsync();
        db.GridAssignments.AddRange(
            new GridAssignment(grid.Code, first.Id, GridDuty.FullTimeWorker, new DateOnly(2026, 1, 1)),
            new GridAssignment(grid.Code, second.Id, GridDuty.AuxiliaryWorker, new DateOnly(2026, 1, 1)));
        await db.SaveChangesAsync();
        return (grid.Id, first.Id, second.Id);
    }
}
