using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using GridGov.Application.Cases;
using GridGov.Domain.Cases;
using GridGov.Infrastructure.Persistence;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Web.Tests.Dashboard;

/// <summary>
/// Cases for the dashboard tests, made through the running app's own <see cref="CaseWorkflowService"/>
/// (its container, its clock), and the counters read back from the fragment's HTML.
/// </summary>
internal static partial class DashboardTestData
{
    public const string ExposedRubbish = "0501";      // 暴露垃圾, major class 05 市容环境
    public const string StreetVending = "0801";       // 占道经营, major class 08 街面秩序

    public static readonly string[] CounterIds = ["awaiting-registration", "to-dispatch", "in-progress", "overdue", "supervised", "closed-today"];

    public static async Task<T> WithAsync<T>(this WebAppFixture app, Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    public static Task<T> DbAsync<T>(this WebAppFixture app, Func<GridGovDbContext, Task<T>> work) =>
        app.WithAsync(provider => work(provider.GetRequiredService<GridGovDbContext>()));

    public static Task<Case> DoAsync(this WebAppFixture app, Func<CaseWorkflowService, Task<Case>> action) =>
        app.WithAsync(provider => action(provider.GetRequiredService<CaseWorkflowService>()));

    /// <summary>The workflow actor of a demo sign-in (dispatcher1, handler1, streetleader1 …).</summary>
    public static Task<CaseActor> ActorAsync(this WebAppFixture app, string userName) => app.WithAsync(async provider =>
    {
        var db = provider.GetRequiredService<GridGovDbContext>();
        var staffId = await db.Users.Where(u => u.UserName == userName).Select(u => u.StaffMemberId).SingleAsync()
            ?? throw new InvalidOperationException($"{userName} has no staff member");
        return await provider.GetRequiredService<CaseActors>().ForStaffAsync(staffId);
    });

    public static Task<string> GridOfAsync(this WebAppFixture app, string userName) => app.DbAsync(db =>
        db.Users.Where(u => u.UserName == userName)
            .Join(db.GridAssignments, u => u.StaffMemberId, a => a.StaffMemberId, (u, a) => a.GridCode)
            .OrderBy(code => code).FirstAsync());

    /// <summary>A point well inside the grid (PostGIS's point on surface).</summary>
    public static Task<(double Longitude, double Latitude)> PointInGridAsync(this WebAppFixture app, string gridCode) => app.DbAsync(async db =>
    {
        var xy = await db.Database.SqlQuery<double>($"""
            SELECT unnest(ARRAY[ST_X(p), ST_Y(p)]) AS "Value" FROM (SELECT ST_PointOnSurface(boundary) AS p FROM grids WHERE code = {gridCode}) g
            """).ToListAsync();
        return (xy[0], xy[1]);
    });

    /// <summary>A resident's report in leader1's grid (or <paramref name="gridCode"/>), waiting for registration.</summary>
    public static async Task<Case> ReportAsync(this WebAppFixture app, string category = ExposedRubbish, string? gridCode = null)
    {
        var grid = gridCode ?? await app.GridOfAsync("leader1");
        var (longitude, latitude) = await app.PointInGridAsync(grid);
        var categoryId = await app.DbAsync(db => db.Categories.Where(c => c.Code == category).Select(c => c.Id).SingleAsync());
        return await app.DoAsync(s => s.ReportAsync(new ReportCase(categoryId, "路口有一堆生活垃圾无人清理", longitude, latitude,
            "云帆街道测试路口", CaseSource.Resident, CasePriority.Normal, "李明", "13912345678", []), CaseActor.Public("李明")));
    }

    /// <summary>Registered by dispatcher1 and dispatched to handler1's department.</summary>
    public static async Task<Case> DispatchedAsync(this WebAppFixture app, string category = ExposedRubbish)
    {
        var dispatcher = await app.ActorAsync("dispatcher1");
        var handler = await app.ActorAsync("handler1");
        var @case = await app.ReportAsync(category);
        await app.DoAsync(s => s.RegisterAsync(@case.Id, dispatcher, null, null));
        return await app.DoAsync(s => s.DispatchAsync(@case.Id, dispatcher, handler.DepartmentId!.Value));
    }

    /// <summary>The whole loop: reported, registered, dispatched, accepted, fed back with a photo, verified and archived now.</summary>
    public static async Task<Case> ArchivedAsync(this WebAppFixture app)
    {
        var dispatcher = await app.ActorAsync("dispatcher1");
        var handler = await app.ActorAsync("handler1");
        var @case = await app.DispatchedAsync();
        await app.DoAsync(s => s.AcceptAsync(@case.Id, handler));
        await app.DoAsync(s => s.SubmitFeedbackAsync(@case.Id, handler, "垃圾已清运完毕", [Photo()]));
        await app.DoAsync(s => s.VerifyAsync(@case.Id, dispatcher));
        return await app.DoAsync(s => s.ArchiveAsync(@case.Id, dispatcher));
    }

    /// <summary>Moves a case's running clock into the past, as if its deadline had passed (the app's clock is the real one).</summary>
    public static Task MakeOverdueAsync(this WebAppFixture app, int caseId) => app.DbAsync(db =>
    {
        var now = DateTimeOffset.UtcNow;
        return db.Cases.Where(c => c.Id == caseId).ExecuteUpdateAsync(set => set
            .SetProperty(c => c.CurrentDue, now.AddHours(-1))
            .SetProperty(c => c.WarningAt, now.AddHours(-3)));
    });

    /// <summary>The PNG signature (what the content check reads) and random bytes.</summary>
    public static EvidenceUpload Photo() =>
        new("after.png", new MemoryStream([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. Guid.NewGuid().ToByteArray()]));

    /// <summary>The counters of the fragment's HTML, by data-counter id.</summary>
    public static Dictionary<string, int> Counters(string html) =>
        CounterPattern().Matches(html).ToDictionary(m => m.Groups["id"].Value, m => int.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));

    /// <summary>Where a counter of the fragment links to (decoded).</summary>
    public static string CounterLink(string html, string counter) =>
        WebUtility.HtmlDecode(Regex.Match(html, $"<a [^>]*href=\"([^\"]+)\"[^>]*data-counter=\"{counter}\"").Groups[1].Value);

    /// <summary>The moment the fragment's counts were taken.</summary>
    public static DateTimeOffset CountedAt(string html) =>
        DateTimeOffset.Parse(WebUtility.HtmlDecode(AtPattern().Match(html).Groups[1].Value), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    [GeneratedRegex("data-counter=\"(?<id>[a-z-]+)\" data-value=\"(?<value>[0-9]+)\"")]
    private static partial Regex CounterPattern();

    [GeneratedRegex("data-at=\"([^\"]+)\"")]
    private static partial Regex AtPattern();
}
