using System.Net;
using System.Text.RegularExpressions;
using GridGov.Application.Cases;
using GridGov.Domain.Cases;
using GridGov.Infrastructure.Persistence;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Web.Tests.CaseList;

/// <summary>
/// Cases for the case list tests, made through the workflow service of the running app. Each test marks its
/// cases with its own word in the description and searches for it, so tests sharing a database stay apart.
/// </summary>
internal static partial class CaseListData
{
    public const string ExposedRubbish = "0501";

    public static string NewMarker() => "标记" + Guid.NewGuid().ToString("N")[..10];

    public static async Task<T> WithAsync<T>(this WebAppFixture app, Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    public static Task<CaseActor> ActorAsync(this WebAppFixture app, string userName) => app.WithAsync(async provider =>
    {
        var db = provider.GetRequiredService<GridGovDbContext>();
        var staffId = await db.Users.Where(u => u.UserName == userName).Select(u => u.StaffMemberId).SingleAsync()
            ?? throw new InvalidOperationException($"{userName} has no staff member");
        return await provider.GetRequiredService<CaseActors>().ForStaffAsync(staffId);
    });

    /// <summary>A current grid of the community, or of any other community when <paramref name="otherThan"/> is set.</summary>
    public static Task<string> GridAsync(this WebAppFixture app, int? communityId = null, int? otherThan = null) => app.WithAsync(provider =>
        provider.GetRequiredService<GridGovDbContext>().Grids.AsNoTracking()
            .Where(g => g.ValidTo == null && (communityId == null || g.CommunityId == communityId) && (otherThan == null || g.CommunityId != otherThan))
            .OrderBy(g => g.Code).Select(g => g.Code).FirstAsync());

    public static Task<string> GridOutsideAsync(this WebAppFixture app, IReadOnlySet<string> gridCodes) => app.WithAsync(provider =>
    {
        var codes = gridCodes.ToList();
        return provider.GetRequiredService<GridGovDbContext>().Grids.AsNoTracking()
            .Where(g => g.ValidTo == null && !codes.Contains(g.Code)).OrderBy(g => g.Code).Select(g => g.Code).FirstAsync();
    });

    public static Task<int> DepartmentOtherThanAsync(this WebAppFixture app, int departmentId) => app.WithAsync(provider =>
        provider.GetRequiredService<GridGovDbContext>().Departments.Where(d => d.Id != departmentId).OrderBy(d => d.Id).Select(d => d.Id).FirstAsync());

    public static async Task<Case> ReportAsync(this WebAppFixture app, string gridCode, string description, string address = "云帆街道测试路1号",
        CasePriority priority = CasePriority.Normal) =>
        await app.WithAsync(async provider =>
        {
            var db = provider.GetRequiredService<GridGovDbContext>();
            var xy = await db.Database.SqlQuery<double>($"""
                SELECT unnest(ARRAY[ST_X(p), ST_Y(p)]) AS "Value" FROM (SELECT ST_PointOnSurface(boundary) AS p FROM grids WHERE code = {gridCode}) g
                """).ToListAsync();
            var categoryId = await db.Categories.Where(c => c.Code == ExposedRubbish).Select(c => c.Id).SingleAsync();
            return await provider.GetRequiredService<CaseWorkflowService>().ReportAsync(new ReportCase(categoryId, description, xy[0], xy[1],
                address, CaseSource.Resident, priority, "李明", "13912345678", []), CaseActor.Public("李明"));
        });

    public static Task<Case> DoAsync(this WebAppFixture app, Func<CaseWorkflowService, Task<Case>> action) =>
        app.WithAsync(provider => action(provider.GetRequiredService<CaseWorkflowService>()));

    /// <summary>Moves a case's stored deadline and warning point relative to now (the list reads them as stored).</summary>
    public static Task SetClockAsync(this WebAppFixture app, int caseId, TimeSpan dueFromNow, TimeSpan warningFromNow) => app.WithAsync(async provider =>
    {
        var now = DateTimeOffset.UtcNow;
        DateTimeOffset due = now + dueFromNow, warning = now + warningFromNow;
        return await provider.GetRequiredService<GridGovDbContext>().Database.ExecuteSqlInterpolatedAsync(
            $"UPDATE cases SET current_due = {due}, warning_at = {warning} WHERE id = {caseId}");
    });

    /// <summary>The case numbers of the list's rows, in order.</summary>
    public static IReadOnlyList<string> Numbers(string html) => RowNumber().Matches(html).Select(m => m.Groups[1].Value).ToList();

    /// <summary>The href of the "next page" link (a MudButton rendered as a link; its attributes in any order).</summary>
    public static string? NextPageUrl(string html) =>
        NextLink().Matches(html).Select(tag => Href().Match(tag.Value)).FirstOrDefault(href => href.Success) is { } match ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;

    public static string Query(string value) => Uri.EscapeDataString(value);

    [GeneratedRegex("data-testid=\"case-row\" data-number=\"([0-9]{14})\"")]
    private static partial Regex RowNumber();

    [GeneratedRegex("<a [^>]*data-testid=\"next-page\"[^>]*>")]
    private static partial Regex NextLink();

    [GeneratedRegex(" href=\"([^\"]+)\"")]
    private static partial Regex Href();
}
