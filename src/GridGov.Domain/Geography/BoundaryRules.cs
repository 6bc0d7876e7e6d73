using GridGov.Domain.Common;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Valid;

namespace GridGov.Domain.Geography;

/// <summary>
/// Shape rules every boundary obeys on its own. Rules between boundaries (no overlap, inside the
/// community, inside the street) need the other polygons and run in PostGIS (Application: GridBoundaries).
/// </summary>
public static class BoundaryRules
{
    public static Polygon Require(Polygon? boundary, DomainField what)
    {
        if (boundary is null || boundary.IsEmpty)
        {
            throw DomainException.For(what, "boundary.empty", $"{what}边界不能为空");
        }
        if (boundary.SRID != Srid.Wgs84)
        {
            throw DomainException.For(what, "boundary.srid", $"{what}边界的坐标系必须是WGS-84/CGCS2000（SRID 4326），收到的是SRID {boundary.SRID}", boundary.SRID);
        }
        foreach (var coordinate in boundary.Coordinates)
        {
            if (coordinate.X is < -180 or > 180 || coordinate.Y is < -90 or > 90)
            {
                throw DomainException.For(what, "boundary.range", $"{what}边界坐标超出经纬度范围：({coordinate.X}, {coordinate.Y})", coordinate.X, coordinate.Y);
            }
        }
        var validation = new IsValidOp(boundary).ValidationError;
        if (validation is not null)
        {
            throw DomainException.For(what, "boundary.invalid", $"{what}边界不是有效的多边形（{Describe(validation.ErrorType)}），位置约在({validation.Coordinate?.X:F6}, {validation.Coordinate?.Y:F6})", validation.ErrorType.ToString(), validation.Coordinate?.X, validation.Coordinate?.Y);
        }
        return boundary;
    }

    private static string Describe(TopologyValidationErrors error) => error switch
    {
        TopologyValidationErrors.SelfIntersection or TopologyValidationErrors.RingSelfIntersection => "边界自相交",
        TopologyValidationErrors.RingNotClosed => "边界未闭合",
        TopologyValidationErrors.TooFewPoints => "顶点太少",
        TopologyValidationErrors.HoleOutsideShell => "内环在外环之外",
        TopologyValidationErrors.NestedHoles or TopologyValidationErrors.NestedShells => "环相互嵌套",
        TopologyValidationErrors.DisconnectedInteriors => "内部不连通",
        TopologyValidationErrors.InvalidCoordinate => "坐标无效",
        _ => "拓扑错误",
    };
}
