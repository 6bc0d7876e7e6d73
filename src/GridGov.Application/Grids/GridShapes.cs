using GridGov.Domain.Common;
using GridGov.Domain.Geography;
using NetTopologySuite.Geometries;

namespace GridGov.Application.Grids;

/// <summary>
/// Shapes drawn on the grid editor's map, as the browser sends them ([longitude, latitude] pairs), turned into WGS-84
/// geometries; anything else is refused with a message. The shape rules themselves are <see cref="BoundaryRules"/>'.
/// </summary>
public static class GridShapes
{
    public const int MaxPoints = 5000;

    private static readonly GeometryFactory Factory = new(new PrecisionModel(), Srid.Wgs84);

    /// <summary>A boundary from its outer ring (closed here when the last point is not the first).</summary>
    public static Polygon Boundary(IReadOnlyList<double[]>? ring)
    {
        var coordinates = Coordinates(ring, DomainFields.GridBoundary, "boundary.points", "请在地图上画出网格边界（至少3个点）");
        if (!coordinates[0].Equals2D(coordinates[^1]))
        {
            coordinates.Add(coordinates[0].Copy());
        }
        if (coordinates.Count < 4)
        {
            throw DomainException.For(DomainFields.GridBoundary, "boundary.points", "请在地图上画出网格边界（至少3个点）");
        }
        return BoundaryRules.Require(Factory.CreatePolygon(coordinates.ToArray()), DomainFields.GridBoundary);
    }

    public static LineString Cut(IReadOnlyList<double[]>? points)
    {
        var coordinates = Coordinates(points, DomainFields.SplitLine, "grid.split-line", "请在地图上画一条穿过网格的分割线");
        if (coordinates.Count < 2)
        {
            throw DomainException.For(DomainFields.SplitLine, "grid.split-line", "请在地图上画一条穿过网格的分割线");
        }
        return Factory.CreateLineString(coordinates.ToArray());
    }

    private static List<Coordinate> Coordinates(IReadOnlyList<double[]>? points, DomainField field, string code, string message)
    {
        if (points is null || points.Count == 0 || points.Count > MaxPoints)
        {
            throw DomainException.For(field, code, message);
        }
        var coordinates = new List<Coordinate>(points.Count + 1);
        foreach (var point in points)
        {
            if (point is not { Length: 2 } || !double.IsFinite(point[0]) || !double.IsFinite(point[1])
                || point[0] is < -180 or > 180 || point[1] is < -90 or > 90)
            {
                throw DomainException.For(field, "shape.range", $"{field}坐标超出经纬度范围", point?.FirstOrDefault() ?? double.NaN, point?.Skip(1).FirstOrDefault() ?? double.NaN);
            }
            var coordinate = new Coordinate(Math.Round(point[0], 7), Math.Round(point[1], 7));
            if (coordinates.Count == 0 || !coordinates[^1].Equals2D(coordinate))
            {
                coordinates.Add(coordinate);
            }
        }
        return coordinates;
    }
}
