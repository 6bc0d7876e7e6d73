using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using GridGov.Infrastructure.Persistence;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Web.Tests.Report;

/// <summary>A file for the report form's Photos field.</summary>
internal sealed record ReportPhoto(string FileName, byte[] Content, string ContentType = "image/png");

/// <summary>A point inside a grid, computed by PostGIS.</summary>
internal sealed record GridPoint(double Longitude, double Latitude, int GridId, string GridCode, string GridName);

/// <summary>
/// Posts the report form the way the static page's browser did: multipart, with an antiforgery token of the session and
/// photos. The page is interactive now (the circuit sends reports), so such a post only proves that it makes nothing.
/// </summary>
internal static partial class ReportPosting
{
    public const string PageUrl = "/cases/report";

    public static async Task<HttpResponseMessage> PostReportAsync(this HttpClient client, IReadOnlyDictionary<string, string> fields, params ReportPhoto[] photos)
    {
        var page = await client.GetStringAsync("/");
        var token = AntiforgeryToken().Match(page);
        if (!token.Success)
        {
            throw new InvalidOperationException("No antiforgery token on the home page");
        }
        using var content = new MultipartFormDataContent();
        content.Add(new StringContent(WebUtility.HtmlDecode(token.Groups[1].Value)), "__RequestVerificationToken");
        content.Add(new StringContent("report"), "_handler");
        foreach (var (name, value) in fields)
        {
            content.Add(new StringContent(value, Encoding.UTF8), name);
        }
        foreach (var photo in photos)
        {
            var file = new ByteArrayContent(photo.Content);
            file.Headers.ContentType = new MediaTypeHeaderValue(photo.ContentType);
            content.Add(file, "Photos", photo.FileName);
        }
        return await client.PostAsync(PageUrl, content);
    }

    /// <summary>The fields of a complete report at <paramref name="point"/>.</summary>
    public static Dictionary<string, string> Fields(int categoryId, double longitude, double latitude, string description, Guid? submissionId = null) => new()
    {
        ["Input.SubmissionId"] = (submissionId ?? Guid.NewGuid()).ToString(),
        ["Input.CategoryId"] = categoryId.ToString(CultureInfo.InvariantCulture),
        ["Input.Description"] = description,
        ["Input.Longitude"] = longitude.ToString("R", CultureInfo.InvariantCulture),
        ["Input.Latitude"] = latitude.ToString("R", CultureInfo.InvariantCulture),
        ["Input.Address"] = "云帆路88号东侧人行道",
        ["Input.Priority"] = "Normal",
        ["Input.Source"] = "GridWorkerPatrol",
        ["Input.ReporterName"] = "张建国",
        ["Input.ReporterPhone"] = "13812345678",
    };

    public static async Task<GridPoint> PointInGridOfAsync(this WebAppFixture app, string userName)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
        var staffId = await db.Users.Where(u => u.UserName == userName).Select(u => u.StaffMemberId).SingleAsync();
        var gridCode = await db.GridAssignments.Where(a => a.StaffMemberId == staffId).OrderBy(a => a.GridCode).Select(a => a.GridCode).FirstAsync();
        return await db.Database.SqlQuery<GridPoint>($"""
            SELECT ST_X(p) AS "Longitude", ST_Y(p) AS "Latitude", id AS "GridId", code AS "GridCode", name AS "GridName"
            FROM (SELECT id, code, name, ST_PointOnSurface(boundary) AS p FROM grids WHERE code = {gridCode} AND valid_to IS NULL) g
            """).SingleAsync();
    }

    /// <summary>A point a few kilometres east of the street's boundary.</summary>
    public static async Task<(double Longitude, double Latitude)> PointOutsideStreetAsync(this WebAppFixture app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
        var xy = await db.Database.SqlQuery<double>($"""
            SELECT unnest(ARRAY[ST_XMax(boundary) + 0.05, (ST_YMin(boundary) + ST_YMax(boundary)) / 2]) AS "Value" FROM streets
            """).ToListAsync();
        return (xy[0], xy[1]);
    }

    public static async Task<int> CategoryIdAsync(this WebAppFixture app, string code)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<GridGovDbContext>().Categories.Where(c => c.Code == code).Select(c => c.Id).SingleAsync();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}

/// <summary>Real, tiny PNG images (valid chunks and CRCs), so browsers can preview them too.</summary>
internal static class TestImages
{
    public static byte[] Png(int width = 4, int height = 3, byte red = 220, byte green = 90, byte blue = 40)
    {
        using var pixels = new MemoryStream();
        for (var y = 0; y < height; y++)
        {
            pixels.WriteByte(0); // filter: none
            for (var x = 0; x < width; x++)
            {
                pixels.Write([red, green, blue]);
            }
        }
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(pixels.ToArray());
        }

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;  // bit depth
        header[9] = 2;  // colour type: RGB
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>A PNG signature followed by filler: passes the content check, weighs what the test needs.</summary>
    public static byte[] PngOfSize(int bytes)
    {
        var content = new byte[bytes];
        Png().AsSpan().CopyTo(content);
        return content;
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typeAndData);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typeAndData));
        png.Write(crc);
    }

    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }
        return ~crc;
    }
}
