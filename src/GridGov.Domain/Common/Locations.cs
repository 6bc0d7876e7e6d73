using NetTopologySuite.Geometries;

namespace GridGov.Domain.Common;

public static class Locations
{
    private static readonly GeometryFactory Factory = new(new PrecisionModel(), Srid.Wgs84);

    public static Point Point(double longitude, double latitude) =>
        Factory.CreatePoint(new Coordinate(longitude, latitude));

    public static Point Require(Point? point, DomainField field)
    {
        if (point is null || point.IsEmpty)
        {
            throw DomainException.For(field, "location.required", $"{field}不能为空");
        }
        if (point.SRID != Srid.Wgs84)
        {
            throw DomainException.For(field, "location.srid", $"{field}的坐标系必须是WGS-84/CGCS2000（SRID 4326）");
        }
        if (point.X is < -180 or > 180 || point.Y is < -90 or > 90 || double.IsNaN(point.X) || double.IsNaN(point.Y))
        {
            throw DomainException.For(field, "location.range", $"{field}超出经纬度范围");
        }
        return point;
    }
}
