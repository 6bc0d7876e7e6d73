using System.Text;
using GridGov.Application.Patrols;
using GridGov.Domain.Common;
using GridGov.Domain.Patrols;

namespace GridGov.Application.Tests.Patrols;

/// <summary>Reading tracks from GPX and GeoJSON, and every kind of bad file refused with a message that says what is wrong.</summary>
public sealed class TrackParserTests
{
    private const string Gpx11 = "http://www.topografix.com/GPX/1/1";

    private static ParsedTrack Parse(string text) => TrackParser.Parse(Encoding.UTF8.GetBytes(text));

    private static DomainException Refused(string text) => Assert.Throws<DomainException>(() => Parse(text));

    [Fact]
    public void A_gpx_track_is_read_point_by_point_with_its_first_and_last_times()
    {
        var track = Parse($"""
            <?xml version="1.0" encoding="UTF-8"?>
            <gpx version="1.1" creator="test" xmlns="{Gpx11}">
              <wpt lat="31.0" lon="120.0"><name>ignored</name></wpt>
              <trk><name>巡查</name><trkseg>
                <trkpt lat="31.3050" lon="120.6050"><ele>3</ele><time>2026-11-20T01:00:00Z</time></trkpt>
                <trkpt lat="31.3051" lon="120.6060"><time>2026-11-20T01:05:00Z</time></trkpt>
                <trkpt lat="31.3051" lon="120.6060"><time>2026-11-20T01:06:00Z</time></trkpt>
                <trkpt lat="31.3060" lon="120.6065"><time>2026-11-20T01:20:00Z</time></trkpt>
              </trkseg></trk>
            </gpx>
            """);

        Assert.Equal(TrackParser.GpxFormat, track.Format);
        Assert.Equal(3, track.Line.NumPoints); // the repeated point is dropped
        Assert.Equal(Srid.Wgs84, track.Line.SRID);
        Assert.Equal(120.6050, track.Line.GetCoordinateN(0).X);
        Assert.Equal(31.3050, track.Line.GetCoordinateN(0).Y);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 1, 0, 0, TimeSpan.Zero), track.FirstTime);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 1, 20, 0, TimeSpan.Zero), track.LastTime);
    }

    [Fact]
    public void A_gpx_route_is_read_when_there_is_no_track()
    {
        var track = Parse("""<gpx version="1.1"><rte><rtept lat="31.30" lon="120.60"/><rtept lat="31.301" lon="120.601"/></rte></gpx>""");

        Assert.Equal(2, track.Line.NumPoints);
        Assert.Null(track.FirstTime);
    }

    [Fact]
    public void Gpx_segments_close_together_are_joined_in_order()
    {
        var track = Parse($"""
            <gpx xmlns="{Gpx11}"><trk>
              <trkseg><trkpt lat="31.3000" lon="120.6000"/><trkpt lat="31.3000" lon="120.6010"/></trkseg>
              <trkseg><trkpt lat="31.3002" lon="120.6010"/><trkpt lat="31.3010" lon="120.6010"/></trkseg>
            </trk></gpx>
            """);

        Assert.Equal(4, track.Line.NumPoints);
        Assert.Equal(31.3010, track.Line.GetCoordinateN(3).Y);
    }

    [Fact]
    public void Parts_more_than_100_metres_apart_are_refused_rather_than_joined_by_a_line_nobody_walked()
    {
        var error = Refused("""
            {"type":"MultiLineString","coordinates":[[[120.600,31.300],[120.601,31.300]],[[120.610,31.300],[120.611,31.300]]]}
            """);

        Assert.Equal("track.gap", error.Code);
        Assert.Contains("第2段", error.Message);
        Assert.Contains("100米", error.Message);
    }

    [Fact]
    public void A_geojson_line_a_feature_and_a_collection_with_one_line_are_read()
    {
        var line = Parse("""{"type":"LineString","coordinates":[[120.60,31.30],[120.601,31.301,12.5]]}""");
        var feature = Parse("""{"type":"Feature","properties":{"name":"巡查"},"geometry":{"type":"LineString","coordinates":[[120.60,31.30],[120.601,31.301]]}}""");
        var collection = Parse("""
            {"type":"FeatureCollection","features":[
              {"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[120.60,31.30]}},
              {"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[120.60,31.30],[120.601,31.301],[120.602,31.301]]}}]}
            """);
        var named = Parse("""{"type":"LineString","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},"coordinates":[[120.60,31.30],[120.601,31.301]]}""");

        Assert.Equal(2, line.Line.NumPoints);
        Assert.Equal(TrackParser.GeoJsonFormat, line.Format);
        Assert.Equal(2, feature.Line.NumPoints);
        Assert.Equal(3, collection.Line.NumPoints);
        Assert.Equal(2, named.Line.NumPoints);
    }

    [Theory]
    [InlineData("""{"type":"Point","coordinates":[120.60,31.30]}""", "Point")]
    [InlineData("""{"type":"Polygon","coordinates":[[[120.60,31.30],[120.61,31.30],[120.61,31.31],[120.60,31.30]]]}""", "Polygon")]
    [InlineData("""{"type":"Feature","properties":{},"geometry":{"type":"MultiPoint","coordinates":[[120.60,31.30]]}}""", "MultiPoint")]
    [InlineData("""{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[120.6,31.3]}}]}""", "Point")]
    public void A_geojson_that_is_not_a_line_is_refused_as_not_a_line(string json, string what)
    {
        var error = Refused(json);

        Assert.Equal("track.not-a-line", error.Code);
        Assert.StartsWith("不是线状轨迹", error.Message);
        Assert.Contains(what, error.Message);
    }

    [Fact]
    public void A_geojson_in_web_mercator_is_refused_as_the_wrong_coordinate_system()
    {
        var error = Refused("""
            {"type":"LineString","crs":{"type":"name","properties":{"name":"EPSG:3857"}},
             "coordinates":[[13425000.0,3670000.0],[13425100.0,3670100.0]]}
            """);

        Assert.Equal("track.crs-named", error.Code);
        Assert.StartsWith("坐标系不对", error.Message);
        Assert.Contains("EPSG:3857", error.Message);
    }

    [Fact]
    public void Projected_coordinates_without_a_crs_member_are_refused_as_the_wrong_coordinate_system()
    {
        var error = Refused("""{"type":"LineString","coordinates":[[13425000.0,3670000.0],[13425100.0,3670100.0]]}""");

        Assert.Equal("track.crs-not-degrees", error.Code);
        Assert.Contains("不是WGS-84经纬度", error.Message);
    }

    [Fact]
    public void Two_lines_in_one_collection_are_refused()
    {
        var error = Refused("""
            {"type":"FeatureCollection","features":[
              {"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[120.60,31.30],[120.601,31.301]]}},
              {"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[120.61,31.30],[120.611,31.301]]}}]}
            """);

        Assert.Equal("track.several-lines", error.Code);
    }

    [Theory]
    [InlineData("<gpx><trk><trkseg><trkpt lat=\"31.3\" lon=\"120.6\"></trkseg></trk></gpx>", "track.xml-invalid")]
    [InlineData("{\"type\":\"LineString\",\"coordinates\":[[120.6,31.3],", "track.json-invalid")]
    [InlineData("just some text", "track.unreadable")]
    [InlineData("<html><body>not a track</body></html>", "track.gpx-root")]
    public void An_unparsable_file_is_refused_as_unreadable(string text, string code)
    {
        var error = Refused(text);

        Assert.Equal(code, error.Code);
        Assert.StartsWith("轨迹文件无法解析", error.Message);
    }

    [Fact]
    public void A_gpx_with_an_external_entity_is_refused_without_reading_the_entity()
    {
        var secret = Path.Combine(Path.GetTempPath(), $"gridgov-xxe-{Guid.NewGuid():N}.txt");
        File.WriteAllText(secret, "120.6");
        try
        {
            var error = Refused($"""
                <?xml version="1.0"?>
                <!DOCTYPE gpx [ <!ENTITY lon SYSTEM "file://{secret}"> ]>
                <gpx xmlns="{Gpx11}"><trk><trkseg>
                  <trkpt lat="31.3" lon="&lon;"/><trkpt lat="31.301" lon="&lon;"/>
                </trkseg></trk></gpx>
                """);

            Assert.Equal("track.doctype", error.Code);
            Assert.Contains("DOCTYPE", error.Message);
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Fact]
    public void A_billion_laughs_gpx_is_refused_at_once()
    {
        var laughs = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE gpx [<!ENTITY lol \"lol\">");
        for (var i = 1; i <= 9; i++)
        {
            laughs.Append($"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{(i == 1 ? "" : (i - 1).ToString(System.Globalization.CultureInfo.InvariantCulture))};", 10))}\">");
        }
        laughs.Append("]><gpx><trk><trkseg><trkpt lat=\"31.3\" lon=\"120.6\"><name>&lol9;</name></trkpt></trkseg></trk></gpx>");

        var error = Refused(laughs.ToString());

        Assert.Equal("track.doctype", error.Code);
    }

    [Fact]
    public void More_points_than_the_limit_are_refused()
    {
        var points = string.Join(",", Enumerable.Range(0, TrackRules.MaxPoints + 1).Select(i => $"[{120.6 + (i * 1e-6):0.000000},31.3]"));

        var error = Refused($$"""{"type":"LineString","coordinates":[{{points}}]}""");

        Assert.Equal("track.too-many-points", error.Code);
        Assert.Contains("点数过多", error.Message);
    }

    [Fact]
    public async Task A_file_larger_than_the_limit_is_refused_before_it_is_parsed()
    {
        await using var big = new MemoryStream(new byte[1024 * 1024 + 1]);

        var error = await Assert.ThrowsAsync<DomainException>(() => TrackParser.ParseAsync(big, maxBytes: 1024 * 1024));

        Assert.Equal("track.too-large", error.Code);
        Assert.Contains("1MB", error.Message);
    }

    [Fact]
    public void A_track_of_one_place_is_refused()
    {
        var error = Refused("""{"type":"LineString","coordinates":[[120.6,31.3],[120.6,31.3]]}""");

        Assert.Contains("两个", error.Message);
    }

    [Fact]
    public void A_gpx_with_only_waypoints_is_not_a_line()
    {
        var error = Refused("""<gpx><wpt lat="31.3" lon="120.6"/><wpt lat="31.31" lon="120.61"/></gpx>""");

        Assert.Equal("track.waypoints-only", error.Code);
        Assert.Contains("wpt", error.Message);
    }
}
