using GridGov.Domain.Common;
using GridGov.Domain.Patrols;
using NetTopologySuite.Geometries;

namespace GridGov.Domain.Tests.Patrols;

public class PatrolTests
{
    private static readonly GeometryFactory Wgs84 = new(new PrecisionModel(), Srid.Wgs84);
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 1, 0, 0, TimeSpan.Zero);

    private static LineString Line(GeometryFactory factory, params (double X, double Y)[] points) =>
        factory.CreateLineString(points.Select(p => new Coordinate(p.X, p.Y)).ToArray());

    private static LineString Track => Line(Wgs84, (120.600, 31.300), (120.601, 31.300), (120.601, 31.301));

    [Fact]
    public void A_patrol_keeps_its_track_and_trimmed_notes_and_starts_with_no_coverage()
    {
        var patrol = new Patrol(7, 9, Start, Start.AddMinutes(45), Track, "  沿街巡查  ");

        Assert.Equal(3, patrol.Track.NumPoints);
        Assert.Equal("沿街巡查", patrol.Notes);
        Assert.Equal(0, patrol.CoverageShare);
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(1.7, 1)]
    [InlineData(0.42, 0.42)]
    public void Coverage_is_kept_between_0_and_1(double given, double kept)
    {
        var patrol = new Patrol(7, 9, Start, Start.AddMinutes(45), Track, null);

        patrol.SetCoverage(given);

        Assert.Equal(kept, patrol.CoverageShare);
    }

    [Fact]
    public void A_patrol_must_end_after_it_starts_and_last_at_most_a_day()
    {
        var backwards = Assert.Throws<DomainException>(() => new Patrol(7, 9, Start, Start, Track, null));
        var tooLong = Assert.Throws<DomainException>(() => new Patrol(7, 9, Start, Start.AddHours(25), Track, null));

        Assert.Equal("patrol.times", backwards.Code);
        Assert.Equal("patrol.too-long", tooLong.Code);
    }

    [Fact]
    public void A_track_in_another_coordinate_system_is_refused_with_its_srid()
    {
        var mercator = Line(new GeometryFactory(new PrecisionModel(), 3857), (13425000, 3670000), (13425100, 3670100));

        var error = Assert.Throws<DomainException>(() => TrackRules.Require(mercator));

        Assert.Equal("track.srid", error.Code);
        Assert.Contains("3857", error.Message);
    }

    [Fact]
    public void A_track_needs_two_distinct_points_within_the_point_limit()
    {
        var single = Assert.Throws<DomainException>(() => TrackRules.Require(Wgs84.CreateLineString()));
        var samePlace = Assert.Throws<DomainException>(() => TrackRules.Require(Line(Wgs84, (120.6, 31.3), (120.6, 31.3))));
        var many = Wgs84.CreateLineString(Enumerable.Range(0, TrackRules.MaxPoints + 1).Select(i => new Coordinate(120.6 + (i * 1e-6), 31.3)).ToArray());
        var tooMany = Assert.Throws<DomainException>(() => TrackRules.Require(many));

        Assert.Equal("track.empty", single.Code);
        Assert.Equal("track.degenerate", samePlace.Code);
        Assert.Equal("track.point-limit", tooMany.Code);
    }
}
