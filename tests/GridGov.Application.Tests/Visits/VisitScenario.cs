using GridGov.Application.Cases;
using GridGov.Application.Visits;
using GridGov.Domain.Cases;
using GridGov.Domain.Ledgers;
using GridGov.Domain.Reviews;
using GridGov.Domain.Visits;
using GridGov.Infrastructure.Persistence;
using GridGov.TestSupport.GridGov;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Application.Tests.Visits;

/// <summary>
/// The real container on a copy of the demo street with a movable clock, for visits and reviews. Tests of a
/// class share the database, so each takes households of its own (<see cref="FreshHouseholdsAsync"/>).
/// </summary>
public sealed class VisitScenario : DemoStreetDatabaseFixture
{
    private ServiceProvider? _services;
    private int _householdsTaken;

    /// <summary>Monday 2026-11-23 09:00 in China.</summary>
    public TestClock Clock { get; } = new(TestClock.China(2026, 11, 23, 9));

    public new ServiceProvider Services => _services ??= GridGovServices.Create(ConnectionString, Clock);

    public async Task<T> WithAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    public Task<T> VisitsAsync<T>(Func<VisitService, Task<T>> action) =>
        WithAsync(provider => action(provider.GetRequiredService<VisitService>()));

    public Task<T> QueriesAsync<T>(Func<VisitQueries, Task<T>> query) =>
        WithAsync(provider => query(provider.GetRequiredService<VisitQueries>()));

    public Task<Case> CasesAsync(Func<CaseWorkflowService, Task<Case>> action) =>
        WithAsync(provider => action(provider.GetRequiredService<CaseWorkflowService>()));

    public Task<T> DbAsync<T>(Func<GridGovDbContext, Task<T>> work) =>
        WithAsync(provider => work(provider.GetRequiredService<GridGovDbContext>()));

    /// <summary>The actor for a demo sign-in (worker1, leader1, secretary1, dispatcher1 …) or any other user name.</summary>
    public Task<CaseActor> ActorAsync(string userName) => WithAsync(async provider =>
    {
        var db = provider.GetRequiredService<GridGovDbContext>();
        var staffId = await db.Users.Where(u => u.UserName == userName).Select(u => u.StaffMemberId).SingleAsync()
            ?? throw new InvalidOperationException($"{userName} has no staff member");
        return await provider.GetRequiredService<CaseActors>().ForStaffAsync(staffId);
    });

    public Task<string> GridOfAsync(string userName) => DbAsync(db =>
        db.Users.Where(u => u.UserName == userName)
            .Join(db.GridAssignments, u => u.StaffMemberId, a => a.StaffMemberId, (u, a) => a.GridCode)
            .OrderBy(code => code).FirstAsync());

    /// <summary>A grid worker of another grid than <paramref name="gridCode"/>, by user name.</summary>
    public Task<string> WorkerOfAnotherGridAsync(string gridCode) => DbAsync(db =>
        db.Users.Join(db.GridAssignments, u => u.StaffMemberId, a => a.StaffMemberId, (u, a) => new { u.UserName, a.GridCode, a.Duty })
            .Where(x => x.GridCode != gridCode && x.Duty != Domain.Organisation.GridDuty.Leader)
            .OrderBy(x => x.UserName).Select(x => x.UserName!).FirstAsync());

    /// <summary>Households of the grid no earlier test of this class has used, each with at least one resident.</summary>
    public async Task<IReadOnlyList<Household>> FreshHouseholdsAsync(string gridCode, int count)
    {
        var skip = Interlocked.Add(ref _householdsTaken, count) - count;
        return await DbAsync(db => db.Households.AsNoTracking()
            .Where(h => h.RemovedAt == null && db.Grids.Any(g => g.Id == h.GridId && g.Code == gridCode)
                && db.Residents.Any(r => r.HouseholdId == h.Id && r.RemovedAt == null))
            .OrderBy(h => h.Id).Skip(skip).Take(count).ToListAsync());
    }

    public Task<List<Resident>> ResidentsOfAsync(int householdId) => DbAsync(db =>
        db.Residents.AsNoTracking().Where(r => r.HouseholdId == householdId && r.RemovedAt == null).OrderBy(r => r.Id).ToListAsync());

    public Task<int> CategoryIdAsync(string code) => DbAsync(db => db.Categories.Where(c => c.Code == code).Select(c => c.Id).SingleAsync());

    public Task<(double Longitude, double Latitude)> PointInGridAsync(string gridCode) => DbAsync(async db =>
    {
        var xy = await db.Database.SqlQuery<double>($"""
            SELECT unnest(ARRAY[ST_X(p), ST_Y(p)]) AS "Value" FROM (SELECT ST_PointOnSurface(boundary) AS p FROM grids WHERE code = {gridCode}) g
            """).ToListAsync();
        return (xy[0], xy[1]);
    });

    /// <summary>The visit's row version, as the amendment form would carry it.</summary>
    public Task<uint> VisitVersionAsync(long visitId) => DbAsync(db => db.Visits.Where(v => v.Id == visitId).Select(v => v.Version).SingleAsync());

    /// <summary>Signs the grid's month off directly (the review service has its own tests).</summary>
    public Task SignOffDirectlyAsync(string gridCode, DateOnly month) => DbAsync(async db =>
    {
        var leaderId = await db.GridAssignments.Where(a => a.GridCode == gridCode && a.Duty == Domain.Organisation.GridDuty.Leader)
            .Select(a => a.StaffMemberId).FirstAsync();
        var review = await db.MonthlyReviews.SingleOrDefaultAsync(r => r.GridCode == gridCode && r.Month == month);
        if (review is null)
        {
            review = new MonthlyReview(gridCode, month);
            db.MonthlyReviews.Add(review);
        }
        review.SignOff(leaderId, "测试签署", Clock.GetUtcNow(), month.AddMonths(1));
        return await db.SaveChangesAsync();
    });

    /// <summary>A resident's case at the household's address (or <paramref name="address"/>), as reported: not yet registered.</summary>
    public async Task<Case> ReportedCaseAtAsync(Household household, string categoryCode, string? address = null, CasePriority priority = CasePriority.Normal)
    {
        var gridCode = await DbAsync(db => db.Grids.Where(g => g.Id == household.GridId).Select(g => g.Code).SingleAsync());
        var (longitude, latitude) = await PointInGridAsync(gridCode);
        var categoryId = await CategoryIdAsync(categoryCode);
        return await CasesAsync(s => s.ReportAsync(new ReportCase(categoryId, "居民反映家中发生纠纷，需要上门了解", longitude, latitude,
            address ?? " " + household.Address + " ", CaseSource.Resident, priority, "李明", "13912345678", []), CaseActor.Public("李明")));
    }

    /// <summary>A resident's case at the household's address (or <paramref name="address"/>), registered by dispatcher1.</summary>
    public async Task<Case> RegisteredCaseAtAsync(Household household, string categoryCode, string? address = null)
    {
        var reported = await ReportedCaseAtAsync(household, categoryCode, address);
        var dispatcher = await ActorAsync("dispatcher1");
        return await CasesAsync(s => s.RegisterAsync(reported.Id, dispatcher, null, null));
    }

    public Task<List<VisitDemand>> DemandsOfCaseAsync(int caseId) =>
        DbAsync(db => db.VisitDemands.AsNoTracking().Where(d => d.CaseId == caseId).ToListAsync());

    public override async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
        await base.DisposeAsync();
    }
}
