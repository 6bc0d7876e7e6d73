using System.Globalization;
using System.Text;
using GridGov.Domain.Common;
using GridGov.Infrastructure.Persistence;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NetTopologySuite.Geometries;

namespace GridGov.Web.Tests.Patrols;

/// <summary>Tracks for the patrol tests: lawnmower rounds over a real grid of the demo street, as GPX or GeoJSON.</summary>
internal static class PatrolTracks
{
    private static readonly GeometryFactory Factory = new(new PrecisionModel(), Srid.Wgs84);

    /// <summary>
    /// Last month in China time ("yyyy-MM"), for pages that must show the demo street's patrols: the seeded
    /// months before this one are full on any day, while this one may still be empty (its first hours, or a
    /// month that opens with holidays such as National Day).
    /// </summary>
    public static string LastMonth() =>
        Domain.Calendar.WorkingCalendar.ToChinaTime(DateTimeOffset.UtcNow).AddMonths(-1).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

    public sealed record GridOf(int StaffId, string GridCode, int GridId, Polygon Boundary);

    public static async Task<GridOf> GridOfAsync(IServiceProvider services, string userName)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
        var staffId = await db.Users.Where(u => u.UserName == userName).Select(u => u.StaffMemberId!.Value).SingleAsync();
        var code = await db.GridAssignments.Where(a => a.StaffMemberId == staffId).OrderBy(a => a.GridCode).Select(a => a.GridCode).FirstAsync();
        var grid = await db.Grids.AsNoTracking().Where(g => g.Code == code).Select(g => new { g.Id, g.Boundary }).SingleAsync();
        return new GridOf(staffId, code, grid.Id, grid.Boundary);
    }

    /// <summary>Sweeps about 50 m apart across the grid, each clipped to it.</summary>
    public static LineString Lawnmower(Polygon boundary, double east = 0)
    {
        var envelope = boundary.EnvelopeInternal;
        var inset = boundary.Buffer(-0.00005);
        var points = new List<Coordinate>();
        var row = 0;
        for (var y = envelope.MinY + 0.0002; y < envelope.MaxY; y += 0.00045, row++)
        {
            var sweep = Factory.CreateLineString([new Coordinate(envelope.MinX - 0.001, y), new Coordinate(envelope.MaxX + 0.001, y)]);
            if (inset.Intersection(sweep) is LineString { IsEmpty: false } inside)
            {
                var (a, b) = row % 2 == 0 ? (inside.StartPoint, inside.EndPoint) : (inside.EndPoint, inside.StartPoint);
                points.Add(new Coordinate(a.X + east, a.Y));
                points.Add(new Coordinate(b.X + east, b.Y));
            }
        }
        return Factory.CreateLineString([.. points]);
    }

    public static string Gpx(LineString line, DateTimeOffset? start = null)
    {
        var text = new StringBuilder("""<?xml version="1.0" encoding="UTF-8"?>""")
            .Append("""<gpx version="1.1" creator="GridGov tests" xmlns="http://www.topografix.com/GPX/1/1"><trk><name>巡查</name><trkseg>""");
        for (var i = 0; i < line.NumPoints; i++)
        {
            var c = line.GetCoordinateN(i);
            text.Append(CultureInfo.InvariantCulture, $"""<trkpt lat="{c.Y:0.0000000}" lon="{c.X:0.0000000}">""");
            if (start is { } time)
            {
                text.Append(CultureInfo.InvariantCulture, $"<time>{time.AddMinutes(i).UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}</time>");
            }
            text.Append("</trkpt>");
        }
        return text.Append("</trkseg></trk></gpx>").ToString();
    }

    public static string GeoJson(LineString line) =>
        "{\"type\":\"LineString\",\"coordinates\":[" +
        string.Join(",", line.Coordinates.Select(c => string.Create(CultureInfo.InvariantCulture, $"[{c.X:0.0000000},{c.Y:0.0000000}]"))) + "]}";

    /// <summary>China wall-clock time as the form's datetime-local inputs send it.</summary>
    public static string Local(DateTimeOffset moment) =>
        moment.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);

    public static async Task<HttpClient> SignedInAsync(this WebAppFixture app, string userName)
    {
        var client = app.CreateClient();
        await client.SignInAsync(userName, GridGov.TestSupport.GridGov.DemoStreetDatabaseFixture.DemoPassword);
        return client;
    }
}
