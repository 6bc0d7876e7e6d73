using GridGov.Domain.Common;
using GridGov.Domain.Geography;
using NetTopologySuite.Geometries;

namespace GridGov.Domain.Tests.Geography;

public class BoundaryRulesTests
{
    private static readonly GeometryFactory Wgs84 = new(new PrecisionModel(), Srid.Wgs84);

    private static Polygon Polygon(GeometryFactory factory, params (double X, double Y)[] ring) =>
        factory.CreatePolygon(ring.Select(p => new Coordinate(p.X, p.Y)).ToArray());

    [Fact]
    public void A_simple_square_in_wgs84_is_accepted()
    {
        var square = Polygon(Wgs84, (120.60, 31.30), (120.61, 31.30), (120.61, 31.31), (120.60, 31.31), (120.60, 31.30));

        Assert.Same(square, BoundaryRules.Require(square, "网格"));
    }

    [Fact]
    public void A_self_intersecting_bow_tie_is_refused_as_self_intersecting()
    {
        var bowTie = Polygon(Wgs84, (120.60, 31.30), (120.61, 31.31), (120.61, 31.30), (120.60, 31.31), (120.60, 31.30));

        var exception = Assert.Throws<DomainException>(() => BoundaryRules.Require(bowTie, "网格"));

        Assert.Equal("boundary.invalid", exception.Code);
        Assert.Contains("自相交", exception.Message);
    }

    [Fact]
    public void A_polygon_in_another_srid_is_refused_naming_the_srid()
    {
        var mercator = Polygon(new GeometryFactory(new PrecisionModel(), 3857),
            (0, 0), (100, 0), (100, 100), (0, 100), (0, 0));

        var exception = Assert.Throws<DomainException>(() => BoundaryRules.Require(mercator, "网格"));

        Assert.Equal("boundary.srid", exception.Code);
        Assert.Contains("3857", exception.Message);
    }

    [Fact]
    public void Coordinates_outside_longitude_latitude_range_are_refused()
    {
        var projected = Polygon(Wgs84, (500000, 3400000), (500100, 3400000), (500100, 3400100), (500000, 3400000));

        var exception = Assert.Throws<DomainException>(() => BoundaryRules.Require(projected, "网格"));

        Assert.Equal("boundary.range", exception.Code);
    }

    [Fact]
    public void An_empty_polygon_is_refused()
    {
        var exception = Assert.Throws<DomainException>(() => BoundaryRules.Require(Wgs84.CreatePolygon(), "网格"));

        Assert.Equal("boundary.empty", exception.Code);
    }

    [Fact]
    public void An_unclosed_ring_cannot_even_be_built()
    {
        // NetTopologySuite refuses an open ring at construction; the GeoJSON/WKT parser turns this into a message.
        Assert.ThrowsAny<ArgumentException>(() =>
            Polygon(Wgs84, (120.60, 31.30), (120.61, 31.30), (120.61, 31.31), (120.60, 31.31)));
    }

    [Fact]
    public void Redrawing_a_grid_keeps_its_code_and_returns_the_old_boundary_as_history()
    {
        var square = Polygon(Wgs84, (120.60, 31.30), (120.61, 31.30), (120.61, 31.31), (120.60, 31.31), (120.60, 31.30));
        var smaller = Polygon(Wgs84, (120.60, 31.30), (120.605, 31.30), (120.605, 31.31), (120.60, 31.31), (120.60, 31.30));
        var street = new Street("320508021", "云帆街道", "苏州市姑苏区", square);
        var community = new Community(street, 1, "桂花苑社区", square);
        var grid = new Grid(community, 3, "第3网格", square, new DateOnly(2026, 1, 1));

        var history = grid.Redraw(smaller, new DateOnly(2026, 7, 1));

        Assert.Equal("320508021001003", grid.Code);
        Assert.Same(smaller, grid.Boundary);
        Assert.NotNull(history);
        Assert.Same(square, history.Boundary);
        Assert.Equal((new DateOnly(2026, 1, 1), new DateOnly(2026, 7, 1)), (history.ValidFrom, history.ValidTo));
        Assert.Equal("grid.redraw-date", Assert.Throws<DomainException>(() => grid.Redraw(square, new DateOnly(2026, 6, 30))).Code);
    }

    [Fact]
    public void A_boundary_corrected_the_day_it_was_drawn_leaves_no_history_and_a_retired_grid_is_frozen()
    {
        var square = Polygon(Wgs84, (120.60, 31.30), (120.61, 31.30), (120.61, 31.31), (120.60, 31.31), (120.60, 31.30));
        var smaller = Polygon(Wgs84, (120.60, 31.30), (120.605, 31.30), (120.605, 31.31), (120.60, 31.31), (120.60, 31.30));
        var street = new Street("320508021", "云帆街道", "苏州市姑苏区", square);
        var grid = new Grid(new Community(street, 1, "桂花苑社区", square), 3, "第3网格", square, new DateOnly(2026, 7, 1));

        Assert.Null(grid.Redraw(smaller, new DateOnly(2026, 7, 1)));
        Assert.Same(smaller, grid.Boundary);
        Assert.Equal("grid.retire-date", Assert.Throws<DomainException>(() => grid.Retire(new DateOnly(2026, 7, 1))).Code);

        grid.Retire(new DateOnly(2026, 7, 2));

        Assert.False(grid.IsCurrent);
        Assert.Equal("grid.not-current", Assert.Throws<DomainException>(() => grid.Redraw(square, new DateOnly(2026, 8, 1))).Code);
        Assert.Equal("grid.not-current", Assert.Throws<DomainException>(() => grid.Rename("新名称")).Code);
    }
}
