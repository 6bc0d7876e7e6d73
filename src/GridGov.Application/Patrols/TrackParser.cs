using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using GridGov.Domain.Common;
using GridGov.Domain.Patrols;
using NetTopologySuite.Geometries;

namespace GridGov.Application.Patrols;

/// <summary>A track read from a file or from the map, with the first and last GPS times when the file had them.</summary>
public sealed record ParsedTrack(LineString Line, string Format, DateTimeOffset? FirstTime, DateTimeOffset? LastTime);

/// <summary>
/// Reads a patrol track (巡查轨迹) from GPX 1.1 or GeoJSON, refusing anything that is not one line in WGS-84
/// longitude/latitude with a <see cref="DomainException"/> that says what is wrong.
/// </summary>
/// <remarks>
/// <para>GPX: the points of every <c>trk/trkseg/trkpt</c> in document order; when there are none, those of
/// <c>rte/rtept</c>. Waypoints (<c>wpt</c>) are ignored. DTDs are refused outright (no entity is ever
/// expanded, nothing external is fetched), so XXE and entity-expansion payloads cannot work.</para>
/// <para>GeoJSON: a LineString or MultiLineString geometry, a Feature holding one, or a FeatureCollection with
/// exactly one line feature (point features beside it, e.g. marks, are ignored). Any other geometry is "not a
/// line". A "crs" member (GeoJSON 2008) must name WGS-84 (CRS84, EPSG:4326) or CGCS2000 (EPSG:4490, the same
/// to within centimetres); anything else is refused as the wrong coordinate system.</para>
/// <para>Several parts (GPX segments, MultiLineString parts) are joined in order — a phone pausing its
/// recording makes them — but only when each part starts within <see cref="MaxGapMeters"/> of where the previous
/// one ended; a larger jump is refused, because joining it would draw a straight line nobody walked and count it
/// as patrolled. Repeated consecutive points are dropped.</para>
/// </remarks>
public static partial class TrackParser
{
    public const long DefaultMaxBytes = 5 * 1024 * 1024;
    public const double MaxGapMeters = 100;

    public const string GpxFormat = "GPX";
    public const string GeoJsonFormat = "GeoJSON";

    private static readonly GeometryFactory Factory = new(new PrecisionModel(), Srid.Wgs84);

    /// <summary>Reads at most <paramref name="maxBytes"/> from the stream and parses GPX or GeoJSON, whichever it is.</summary>
    public static async Task<ParsedTrack> ParseAsync(Stream content, long maxBytes = DefaultMaxBytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw Refuse("track.too-large", $"轨迹文件过大：不能超过{SizeText(maxBytes)}，请抽稀轨迹点后再上传", SizeText(maxBytes));
            }
            buffer.Write(chunk, 0, read);
        }
        return Parse(buffer.ToArray());
    }

    public static ParsedTrack Parse(byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var start = FirstSignificantByte(content);
        if (start < 0)
        {
            throw Refuse("track.empty-file", "轨迹文件是空的");
        }
        return content[start] switch
        {
            (byte)'<' => ParseGpx(content),
            (byte)'{' => ParseGeoJson(content),
            _ => throw Refuse("track.unreadable", "轨迹文件无法解析：既不是GPX（XML）也不是GeoJSON，请上传.gpx或.geojson文件"),
        };
    }

    /// <summary>A track drawn on the map: the browser posts its GeoJSON geometry.</summary>
    public static ParsedTrack ParseGeoJson(string json) => ParseGeoJson(Encoding.UTF8.GetBytes(json ?? ""));

    // ---- GPX ----

    private static ParsedTrack ParseGpx(byte[] content)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit, // a DOCTYPE is an error: no entity expansion, no external entities
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = true,
            MaxCharactersFromEntities = 0,
        };
        XDocument document;
        try
        {
            using var stream = new MemoryStream(content, writable: false);
            using var reader = XmlReader.Create(stream, settings);
            document = XDocument.Load(reader, LoadOptions.None);
        }
        catch (XmlException exception)
        {
            if (DocType().IsMatch(Encoding.UTF8.GetString(content, 0, Math.Min(content.Length, 4096))))
            {
                throw Refuse("track.doctype", "轨迹文件无法解析：GPX文件不能包含DOCTYPE（DTD）声明，出于安全原因不予处理");
            }
            throw Refuse("track.xml-invalid", $"轨迹文件无法解析：不是有效的XML（第{exception.LineNumber}行：{FirstSentence(exception.Message)}）", exception.LineNumber, FirstSentence(exception.Message));
        }

        var root = document.Root;
        if (root is null || root.Name.LocalName != "gpx")
        {
            throw Refuse("track.gpx-root", $"轨迹文件无法解析：根元素是<{root?.Name.LocalName}>，不是GPX的<gpx>", root?.Name.LocalName);
        }
        var ns = root.Name.Namespace;
        var parts = root.Elements(ns + "trk").Elements(ns + "trkseg")
            .Select(segment => segment.Elements(ns + "trkpt").ToList())
            .Where(points => points.Count > 0)
            .ToList();
        if (parts.Count == 0)
        {
            parts = root.Elements(ns + "rte")
                .Select(route => route.Elements(ns + "rtept").ToList())
                .Where(points => points.Count > 0)
                .ToList();
        }
        if (parts.Count == 0)
        {
            var waypoints = root.Elements(ns + "wpt").Any();
            throw waypoints
                ? Refuse("track.waypoints-only", "不是线状轨迹：GPX文件里只有航点（wpt），没有轨迹点（trkpt）或路线点（rtept）")
                : Refuse("track.no-track-points", "不是线状轨迹：GPX文件里没有轨迹点（trkpt）或路线点（rtept）");
        }
        RequirePointCount(parts.Sum(p => p.Count));

        DateTimeOffset? first = null, last = null;
        var number = 0;
        var coordinates = new List<List<Coordinate>>(parts.Count);
        foreach (var part in parts)
        {
            var line = new List<Coordinate>(part.Count);
            foreach (var point in part)
            {
                number++;
                var latitude = Number(point.Attribute("lat")?.Value);
                var longitude = Number(point.Attribute("lon")?.Value);
                if (latitude is null || longitude is null)
                {
                    throw Refuse("track.gpx-point", $"轨迹文件无法解析：第{number}个轨迹点缺少有效的lat/lon坐标", number);
                }
                line.Add(Checked(longitude.Value, latitude.Value, number));
                if (point.Element(ns + "time")?.Value is { } text
                    && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
                {
                    first ??= time.ToUniversalTime();
                    last = time.ToUniversalTime();
                }
            }
            coordinates.Add(line);
        }
        return new ParsedTrack(Join(coordinates), GpxFormat, first, last);
    }

    // ---- GeoJSON ----

    private static ParsedTrack ParseGeoJson(byte[] content)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(content, new JsonDocumentOptions
            {
                MaxDepth = 32,
                CommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
            });
        }
        catch (JsonException exception)
        {
            throw Refuse("track.json-invalid", $"轨迹文件无法解析：不是有效的JSON（第{(exception.LineNumber ?? 0) + 1}行）", (exception.LineNumber ?? 0) + 1);
        }
        using (document)
        {
            var parts = LineParts(document.RootElement);
            RequirePointCount(parts.Sum(p => p.Count));
            return new ParsedTrack(Join(parts), GeoJsonFormat, null, null);
        }
    }

    private static List<List<Coordinate>> LineParts(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Refuse("track.not-geojson-object", "轨迹文件无法解析：不是GeoJSON对象");
        }
        RequireWgs84(element);
        var type = element.TryGetProperty("type", out var typeElement) && typeElement.ValueKind == JsonValueKind.String
            ? typeElement.GetString()
            : null;
        switch (type)
        {
            case "LineString":
                return [Line(Member(element, "coordinates"), 0)];
            case "MultiLineString":
                var lines = Member(element, "coordinates");
                RequireArray(lines);
                var parts = new List<List<Coordinate>>();
                var offset = 0;
                foreach (var line in lines.EnumerateArray())
                {
                    var part = Line(line, offset);
                    offset += part.Count;
                    parts.Add(part);
                }
                return parts.Count > 0 ? parts : throw EmptyLine("MultiLineString");
            case "Feature":
                return element.TryGetProperty("geometry", out var geometry) && geometry.ValueKind == JsonValueKind.Object
                    ? LineParts(geometry)
                    : throw Refuse("track.feature-without-geometry", "不是线状轨迹：收到的是没有几何图形的Feature，请上传巡查走过的路线（LineString）");
            case "FeatureCollection":
                return FromCollection(element);
            case "Point" or "MultiPoint" or "Polygon" or "MultiPolygon" or "GeometryCollection":
                throw NotALine(type);
            default:
                throw Refuse("track.geojson-type", $"轨迹文件无法解析：不是GeoJSON（type为“{type}”）", type);
        }
    }

    private static List<List<Coordinate>> FromCollection(JsonElement collection)
    {
        var features = Member(collection, "features");
        RequireArray(features);
        var lines = new List<JsonElement>();
        var others = new List<string>();
        foreach (var feature in features.EnumerateArray())
        {
            if (feature.ValueKind == JsonValueKind.Object)
            {
                RequireWgs84(feature);
            }
            var geometry = feature.ValueKind == JsonValueKind.Object && feature.TryGetProperty("geometry", out var g) && g.ValueKind == JsonValueKind.Object ? g : default;
            var geometryType = geometry.ValueKind == JsonValueKind.Object && geometry.TryGetProperty("type", out var t) ? t.GetString() : null;
            if (geometryType is "LineString" or "MultiLineString")
            {
                lines.Add(geometry);
            }
            else
            {
                others.Add(geometryType ?? "空");
            }
        }
        return lines.Count switch
        {
            1 => LineParts(lines[0]),
            0 => throw (others.Count == 0 ? EmptyLine("FeatureCollection") : NotALine(string.Join("、", others.Distinct()))),
            _ => throw Refuse("track.several-lines", $"文件里有{lines.Count}条轨迹线，一次巡查只能上传一条；请分别登记，或先合并成一条", lines.Count),
        };
    }

    private static List<Coordinate> Line(JsonElement coordinates, int offset)
    {
        RequireArray(coordinates);
        var line = new List<Coordinate>(coordinates.GetArrayLength());
        var number = offset;
        foreach (var position in coordinates.EnumerateArray())
        {
            number++;
            if (number > TrackRules.MaxPoints)
            {
                RequirePointCount(number);
            }
            if (position.ValueKind != JsonValueKind.Array || position.GetArrayLength() < 2
                || position[0].ValueKind != JsonValueKind.Number || position[1].ValueKind != JsonValueKind.Number)
            {
                throw Refuse("track.coordinate-pair", $"轨迹文件无法解析：第{number}个坐标不是[经度, 纬度]", number);
            }
            line.Add(Checked(position[0].GetDouble(), position[1].GetDouble(), number));
        }
        return line;
    }

    private static void RequireWgs84(JsonElement element)
    {
        if (!element.TryGetProperty("crs", out var crs) || crs.ValueKind == JsonValueKind.Null)
        {
            return; // RFC 7946: no crs member means WGS-84 longitude/latitude
        }
        var name = crs.ValueKind == JsonValueKind.Object
                   && crs.TryGetProperty("type", out var kind) && kind.ValueKind == JsonValueKind.String && kind.GetString() == "name"
                   && crs.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object
                   && properties.TryGetProperty("name", out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString() ?? ""
            : null;
        if (name is null)
        {
            throw Refuse("track.crs-linked", "坐标系不对：只接受以名称声明的WGS-84坐标系（CRS84或EPSG:4326），不支持链接方式声明的坐标系");
        }
        if (!Wgs84Name().IsMatch(name))
        {
            throw Refuse("track.crs-named", $"坐标系不对：文件声明的是{name}，只接受WGS-84经纬度（CRS84或EPSG:4326），请转换后再上传", name);
        }
    }

    // ---- Shared ----

    /// <summary>Joins the parts in order, dropping repeated points; a jump of more than <see cref="MaxGapMeters"/> between parts is refused.</summary>
    private static LineString Join(List<List<Coordinate>> parts)
    {
        var all = new List<Coordinate>(parts.Sum(p => p.Count));
        for (var i = 0; i < parts.Count; i++)
        {
            if (parts[i].Count == 0)
            {
                continue;
            }
            if (all.Count > 0)
            {
                var gap = Meters(all[^1], parts[i][0]);
                if (gap > MaxGapMeters)
                {
                    throw Refuse("track.gap",
                        $"轨迹第{i + 1}段的起点离上一段的终点约{gap:0}米，多段轨迹之间的断开不能超过{MaxGapMeters:0}米；请把断开的两段分别登记为两次巡查",
                        i + 1, Math.Round(gap), Math.Round(MaxGapMeters));
                }
            }
            foreach (var coordinate in parts[i])
            {
                if (all.Count == 0 || !all[^1].Equals2D(coordinate))
                {
                    all.Add(coordinate);
                }
            }
        }
        if (all.Count < 2)
        {
            throw all.Count == 0 ? Refuse("track.no-points", "不是线状轨迹：没有任何轨迹点") : Refuse("track.one-place", "巡查轨迹至少需要两个不同位置的点");
        }
        return TrackRules.Require(Factory.CreateLineString([.. all]));
    }

    private static Coordinate Checked(double longitude, double latitude, int number)
    {
        if (!double.IsFinite(longitude) || !double.IsFinite(latitude) || longitude is < -180 or > 180 || latitude is < -90 or > 90)
        {
            throw Refuse("track.crs-not-degrees",
                $"坐标系不对：第{number}个点（{longitude.ToString(CultureInfo.InvariantCulture)}, {latitude.ToString(CultureInfo.InvariantCulture)}）不是WGS-84经纬度，" +
                "可能是投影坐标（米）或经纬度顺序颠倒；请导出为WGS-84经纬度后再上传",
                number, longitude.ToString(CultureInfo.InvariantCulture), latitude.ToString(CultureInfo.InvariantCulture));
        }
        return new Coordinate(longitude, latitude);
    }

    private static void RequirePointCount(int count)
    {
        if (count > TrackRules.MaxPoints)
        {
            throw Refuse("track.too-many-points", $"轨迹点数过多：超过{TrackRules.MaxPoints}个点，请抽稀后上传", TrackRules.MaxPoints);
        }
    }

    private static JsonElement Member(JsonElement element, string name) =>
        element.TryGetProperty(name, out var member)
            ? member
            : throw Refuse("track.geojson-missing", $"轨迹文件无法解析：GeoJSON缺少“{name}”", name);

    private static void RequireArray(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw Refuse("track.coordinates-not-array", "轨迹文件无法解析：坐标不是数组");
        }
    }

    private static DomainException NotALine(string what) =>
        Refuse("track.not-a-line", $"不是线状轨迹：收到的是{what}，请上传巡查走过的路线（LineString）", what);

    private static DomainException EmptyLine(string what) =>
        Refuse("track.empty-geometry", $"不是线状轨迹：收到的是空的{what}，请上传巡查走过的路线（LineString）", what);

    /// <summary>A refusal of the file: it belongs under the track input.</summary>
    private static DomainException Refuse(string code, string message, params object?[] arguments) =>
        new(code, message) { Field = DomainFields.Track.Name, Arguments = arguments };

    private static double? Number(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>Great-circle distance, enough to judge a gap between track parts.</summary>
    private static double Meters(Coordinate a, Coordinate b)
    {
        const double EarthRadius = 6_371_008.8;
        var lat1 = a.Y * Math.PI / 180;
        var lat2 = b.Y * Math.PI / 180;
        var dLat = lat2 - lat1;
        var dLon = (b.X - a.X) * Math.PI / 180;
        var h = (Math.Sin(dLat / 2) * Math.Sin(dLat / 2)) + (Math.Cos(lat1) * Math.Cos(lat2) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2));
        return 2 * EarthRadius * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    private static int FirstSignificantByte(byte[] content)
    {
        var i = content.Length >= 3 && content[0] == 0xEF && content[1] == 0xBB && content[2] == 0xBF ? 3 : 0;
        for (; i < content.Length; i++)
        {
            if (content[i] is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return i;
            }
        }
        return -1;
    }

    private static string SizeText(long bytes) =>
        bytes % (1024 * 1024) == 0 ? $"{bytes / 1024 / 1024}MB" : $"{bytes / 1024}KB";

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message.TrimEnd('.');
    }

    [GeneratedRegex("<!DOCTYPE", RegexOptions.IgnoreCase)]
    private static partial Regex DocType();

    [GeneratedRegex(@"^(urn:ogc:def:crs:OGC:(1\.3)?:CRS84|CRS84|(urn:ogc:def:crs:)?EPSG:{1,2}(4326|4490)|http://www\.opengis\.net/def/crs/(OGC/1\.3/CRS84|EPSG/0/(4326|4490)))$", RegexOptions.IgnoreCase)]
    private static partial Regex Wgs84Name();
}
