using System.Net;
using GridGov.Application.Cases;
using GridGov.Domain.Cases;
using GridGov.Domain.Ledgers;
using GridGov.Infrastructure.Persistence;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Web.Tests.Visits;

/// <summary>Reads and helpers over the running app's database for the visit and review page tests.</summary>
internal static class VisitWebData
{
    public static async Task<T> InAppAsync<T>(this WebAppFixture app, Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    public static Task<T> DbAsync<T>(this WebAppFixture app, Func<GridGovDbContext, Task<T>> work) =>
        app.InAppAsync(provider => work(provider.GetRequiredService<GridGovDbContext>()));

    public static Task<CaseActor> StaffActorAsync(this WebAppFixture app, string userName) => app.InAppAsync(async provider =>
    {
        var db = provider.GetRequiredService<GridGovDbContext>();
        var staffId = await db.Users.Where(u => u.UserName == userName).Select(u => u.StaffMemberId).SingleAsync()
            ?? throw new InvalidOperationException($"{userName} has no staff member");
        return await provider.GetRequiredService<CaseActors>().ForStaffAsync(staffId);
    });

    public static Task<string> FirstGridOfAsync(this WebAppFixture app, string userName) => app.DbAsync(db =>
        db.Users.Where(u => u.UserName == userName)
            .Join(db.GridAssignments, u => u.StaffMemberId, a => a.StaffMemberId, (u, a) => a.GridCode)
            .OrderBy(code => code).FirstAsync());

    /// <summary>Households of the grid with residents, skipping <paramref name="skip"/> (each test takes its own).</summary>
    public static Task<List<Household>> HouseholdsOfGridAsync(this WebAppFixture app, string gridCode, int skip, int count) => app.DbAsync(db =>
        db.Households.AsNoTracking()
            .Where(h => h.RemovedAt == null && db.Grids.Any(g => g.Id == h.GridId && g.Code == gridCode)
                && db.Residents.Any(r => r.HouseholdId == h.Id && r.RemovedAt == null))
            .OrderByDescending(h => h.Id).Skip(skip).Take(count).ToListAsync());

    public static async Task<HttpClient> SignedInAsync(this WebAppFixture app, string userName)
    {
        var client = app.CreateClient();
        await client.SignInAsync(userName, TestSupport.GridGov.DemoStreetDatabaseFixture.DemoPassword);
        return client;
    }

    public static void AssertRefused(HttpResponseMessage response) =>
        Assert.True(response.StatusCode == HttpStatusCode.Forbidden
                    || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("/error/403", StringComparison.Ordinal)),
            $"expected a refusal, got {(int)response.StatusCode} {response.Headers.Location}");

    public static string ChinaNow(TimeSpan shift = default) =>
        Domain.Calendar.WorkingCalendar.ToChinaTime(DateTimeOffset.UtcNow + shift).ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture);
}
