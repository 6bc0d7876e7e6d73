using System.Text.RegularExpressions;
using GridGov.Application.Cases;
using GridGov.Domain.Cases;
using GridGov.Infrastructure.Persistence;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Web.Tests.Inbox;

/// <summary>Cases made through the app's own workflow service, as the demo people, for the inbox tests.</summary>
internal static partial class InboxCases
{
    public const string ExposedRubbish = "0501";
    public const string StreetOccupyingBusiness = "0801";  // 4 working hours to handle
    public const string IllegalConstruction = "1201";      // 15 working days to handle

    public static async Task<T> WithAsync<T>(this WebAppFixture app, Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    public static Task<Case> DoAsync(this WebAppFixture app, Func<CaseWorkflowService, Task<Case>> action) =>
        app.WithAsync(provider => action(provider.GetRequiredService<CaseWorkflowService>()));

    public static Task<CaseActor> ActorAsync(this WebAppFixture app, string userName) => app.WithAsync(async provider =>
    {
        var db = provider.GetRequiredService<GridGovDbContext>();
        var staffId = await db.Users.Where(u => u.UserName == userName).Select(u => u.StaffMemberId).SingleAsync()
            ?? throw new InvalidOperationException($"{userName} has no staff member");
        return await provider.GetRequiredService<CaseActors>().ForStaffAsync(staffId);
    });

    /// <summary>The user name of a department handler of another department than handler1's.</summary>
    public static Task<string> HandlerOfAnotherDepartmentAsync(this WebAppFixture app, int notDepartmentId) => app.WithAsync(provider =>
    {
        var db = provider.GetRequiredService<GridGovDbContext>();
        return db.Users
            .Join(db.StaffMembers, u => u.StaffMemberId, s => s.Id, (u, s) => new { u.UserName, s.DepartmentId, s.Role })
            .Where(x => x.Role == Domain.Organisation.StaffRole.DepartmentHandler && x.DepartmentId != null && x.DepartmentId != notDepartmentId)
            .OrderBy(x => x.UserName).Select(x => x.UserName!).FirstAsync();
    });

    /// <summary>The user name of the secretary of another community than <paramref name="notCommunityId"/>.</summary>
    public static Task<string> SecretaryOfAnotherCommunityAsync(this WebAppFixture app, int notCommunityId) => app.WithAsync(provider =>
    {
        var db = provider.GetRequiredService<GridGovDbContext>();
        return db.Users
            .Join(db.StaffMembers, u => u.StaffMemberId, s => s.Id, (u, s) => new { u.UserName, s.CommunityId, s.Role })
            .Where(x => x.Role == Domain.Organisation.StaffRole.CommunitySecretary && x.CommunityId != notCommunityId)
            .OrderBy(x => x.UserName).Select(x => x.UserName!).FirstAsync();
    });

    public static Task<string> GridOfAsync(this WebAppFixture app, string userName) => app.WithAsync(provider =>
    {
        var db = provider.GetRequiredService<GridGovDbContext>();
        return db.Users.Where(u => u.UserName == userName)
            .Join(db.GridAssignments, u => u.StaffMemberId, a => a.StaffMemberId, (u, a) => a.GridCode)
            .OrderBy(code => code).FirstAsync();
    });

    public static Task<(double Longitude, double Latitude)> PointInGridAsync(this WebAppFixture app, string gridCode) => app.WithAsync(async provider =>
    {
        var db = provider.GetRequiredService<GridGovDbContext>();
        var xy = await db.Database.SqlQuery<double>($"""
            SELECT unnest(ARRAY[ST_X(p), ST_Y(p)]) AS "Value" FROM (SELECT ST_PointOnSurface(boundary) AS p FROM grids WHERE code = {gridCode}) g
            """).ToListAsync();
        return (xy[0], xy[1]);
    });

    public static Task<int> CategoryIdAsync(this WebAppFixture app, string code) =>
        app.WithAsync(provider => provider.GetRequiredService<GridGovDbContext>().Categories.Where(c => c.Code == code).Select(c => c.Id).SingleAsync());

    /// <summary>A resident's report in leader1's and worker1's grid (community 001).</summary>
    public static async Task<Case> ResidentReportAsync(this WebAppFixture app, string category = ExposedRubbish)
    {
        var (longitude, latitude) = await app.PointInGridAsync(await app.GridOfAsync("leader1"));
        var categoryId = await app.CategoryIdAsync(category);
        return await app.DoAsync(s => s.ReportAsync(new ReportCase(categoryId, "路边有一堆生活垃圾无人清理", longitude, latitude,
            "云帆街道某路口", CaseSource.Resident, CasePriority.Normal, "李明", "13912345678", []), CaseActor.Public("李明")));
    }

    /// <summary>Reported by a resident, registered and dispatched to handler1's department by dispatcher1.</summary>
    public static async Task<Case> DispatchedToHandler1Async(this WebAppFixture app, string category = ExposedRubbish)
    {
        var dispatcher = await app.ActorAsync("dispatcher1");
        var handler = await app.ActorAsync("handler1");
        var @case = await app.ResidentReportAsync(category);
        await app.DoAsync(s => s.RegisterAsync(@case.Id, dispatcher, null, null));
        return await app.DoAsync(s => s.DispatchAsync(@case.Id, dispatcher, handler.DepartmentId!.Value));
    }

    public static EvidenceUpload Photo() =>
        new("photo.png", new MemoryStream([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. Guid.NewGuid().ToByteArray()]));

    /// <summary>The HTML of one inbox section (data-section="…"), or "" when the page has no such section.</summary>
    public static string Section(string html, string kind)
    {
        var start = html.IndexOf($"data-section=\"{kind}\"", StringComparison.Ordinal);
        if (start < 0)
        {
            return "";
        }
        var end = html.IndexOf("</section>", start, StringComparison.Ordinal);
        return html[start..end];
    }

    /// <summary>The case numbers of a section's rows, in page order.</summary>
    public static IReadOnlyList<string> Numbers(string sectionHtml) =>
        CaseNumber().Matches(sectionHtml).Select(m => m.Groups[1].Value).ToList();

    /// <summary>The count shown in a section's heading.</summary>
    public static string Count(string sectionHtml) => SectionCount().Match(sectionHtml).Groups[1].Value;

    [GeneratedRegex("data-case-number=\"([0-9]{14})\"")]
    private static partial Regex CaseNumber();

    [GeneratedRegex("data-testid=\"section-count\">([^<]*)<")]
    private static partial Regex SectionCount();
}
