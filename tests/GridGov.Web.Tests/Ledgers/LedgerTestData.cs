using System.Net;
using System.Text.RegularExpressions;
using GridGov.Domain.Ledgers;
using GridGov.Infrastructure.Persistence;
using GridGov.TestSupport.GridGov;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Web.Tests.Ledgers;

/// <summary>Reads the running app's database for the ledger tests, and a few page helpers.</summary>
internal static partial class LedgerTestData
{
    private static int _sequence;

    public static async Task<HttpClient> SignedInAsync(this WebAppFixture app, string userName)
    {
        var client = app.CreateClient();
        await client.SignInAsync(userName, DemoStreetDatabaseFixture.DemoPassword);
        return client;
    }

    public static async Task<T> DbAsync<T>(this WebAppFixture app, Func<GridGovDbContext, Task<T>> work)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<GridGovDbContext>());
    }

    /// <summary>The id and code of the (first) grid a grid worker or leader serves.</summary>
    public static Task<(int Id, string Code)> GridOfAsync(this WebAppFixture app, string userName) => app.DbAsync(async db =>
    {
        var grid = await db.Users.Where(u => u.UserName == userName)
            .Join(db.GridAssignments, u => u.StaffMemberId, a => a.StaffMemberId, (u, a) => a.GridCode)
            .Join(db.Grids, code => code, g => g.Code, (code, g) => new { g.Id, g.Code })
            .OrderBy(g => g.Id).FirstAsync();
        return (grid.Id, grid.Code);
    });

    /// <summary>An active resident with a household and a phone, inside (or outside) a grid; the n-th, so tests do not share people.</summary>
    public static Task<Resident> ResidentAsync(this WebAppFixture app, int gridId, int skip, bool inGrid = true) => app.DbAsync(db =>
        db.Residents.AsNoTracking()
            .Where(r => (inGrid ? r.GridId == gridId : r.GridId != gridId) && r.HouseholdId != null && r.Phone != null && r.RemovedAt == null)
            .OrderBy(r => r.Id).Skip(skip).FirstAsync());

    public static Task<Resident> ReloadResidentAsync(this WebAppFixture app, int id) =>
        app.DbAsync(db => db.Residents.AsNoTracking().SingleAsync(r => r.Id == id));

    public static Task<List<LedgerChange>> ChangesAsync(this WebAppFixture app, string entityType, int id) =>
        app.DbAsync(db => db.LedgerChanges.AsNoTracking().Where(c => c.EntityType == entityType && c.EntityId == id).OrderBy(c => c.Id).ToListAsync());

    public static Task<string> StaffNameAsync(this WebAppFixture app, string userName) =>
        app.DbAsync(db => db.Users.Where(u => u.UserName == userName).Select(u => u.DisplayName).SingleAsync());

    /// <summary>A point well inside a grid (PostGIS's point on surface).</summary>
    public static Task<(double Longitude, double Latitude)> PointInGridAsync(this WebAppFixture app, int gridId) => app.DbAsync(async db =>
    {
        var xy = await db.Database.SqlQuery<double>($"""
            SELECT unnest(ARRAY[ST_X(p), ST_Y(p)]) AS "Value" FROM (SELECT ST_PointOnSurface(boundary) AS p FROM grids WHERE id = {gridId}) g
            """).ToListAsync();
        return (xy[0], xy[1]);
    });

    /// <summary>A valid ID number nobody in the demo street has (born in the 1930s).</summary>
    public static string NewIdNumber()
    {
        var n = Interlocked.Increment(ref _sequence);
        return IdNumber.Create("110105", new DateOnly(1932, 2, 1).AddDays(n * 11 + Environment.ProcessId % 89), (n * 7) % 1000).Value;
    }

    /// <summary>The page's text for one data-testid element (first match), HTML-decoded.</summary>
    public static string? TestId(string html, string testId)
    {
        var match = Regex.Match(html, $"data-testid=\"{Regex.Escape(testId)}\"[^>]*>(.*?)</", RegexOptions.Singleline);
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value).Trim() : null;
    }

    /// <summary>The error message shown next to a field (data-error-for), HTML-decoded.</summary>
    public static string? ErrorFor(string html, string field)
    {
        var match = Regex.Match(html, $"data-error-for=\"{Regex.Escape(field)}\"[^>]*>(.*?)</div>", RegexOptions.Singleline);
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value).Trim() : null;
    }

    [GeneratedRegex("[0-9]{6}\\*{8}[0-9]{3}[0-9X]")]
    public static partial Regex MaskedIdNumber();

    [GeneratedRegex("1[3-9][0-9]\\*{4}[0-9]{4}")]
    public static partial Regex MaskedMobile();
}
