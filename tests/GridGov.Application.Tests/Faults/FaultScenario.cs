using GridGov.Application.Cases;
using GridGov.Domain.Cases;
using GridGov.Domain.Ledgers;
using GridGov.Infrastructure.Persistence;
using GridGov.TestSupport;
using GridGov.TestSupport.GridGov;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace GridGov.Application.Tests.Faults;

/// <summary>
/// The real container on a copy of the demo street, with a <see cref="FaultInjector"/> in every DbContext, a fixed
/// clock and its own evidence folder. <see cref="AssertAtomicAsync"/> breaks a use case at its 1st, 2nd, … write
/// until it runs through, and checks after each break that the database is exactly as before.
/// </summary>
public sealed class FaultScenario : DemoStreetDatabaseFixture
{
    private ServiceProvider? _services;
    private FaultInjector? _injector;
    private int _householdsTaken;

    public string EvidencePath { get; } = Path.Combine(Path.GetTempPath(), "gridgov-fault-evidence-" + Guid.NewGuid().ToString("N"));

    /// <summary>Monday 2026-11-23 09:00 in China.</summary>
    public TestClock Clock { get; } = new(TestClock.China(2026, 11, 23, 9));

    public FaultInjector Injector => _injector ??= new FaultInjector(ConnectionString);

    public new ServiceProvider Services => _services ??= GridGovServices.Create(ConnectionString, Clock, services =>
    {
        services.Configure<Infrastructure.Cases.EvidenceOptions>(o => o.Path = EvidencePath);
        services.ConfigureDbContext<GridGovDbContext>(options => options.AddInterceptors(Injector));
    });

    /// <summary>
    /// Runs <paramref name="operation"/> (in a fresh scope each time) with its k-th write broken, for k = 1, 2, …,
    /// asserting after each broken run that it failed and that every table is as before; returns the number of
    /// write commands of the run that finally went through (which must have changed the database).
    /// </summary>
    public async Task<int> AssertAtomicAsync(FaultKind kind, Func<IServiceProvider, Task> operation)
    {
        var before = await DatabaseFingerprint.TakeAsync(ConnectionString);
        for (var k = 1; k <= 50; k++)
        {
            Injector.Arm(k, kind);
            Exception? error = null;
            try
            {
                await using var scope = Services.CreateAsyncScope();
                await operation(scope.ServiceProvider);
            }
            catch (Exception exception)
            {
                error = exception;
            }
            var fired = Injector.Fired;
            var writes = Injector.Writes;
            Injector.Disarm();
            var after = await DatabaseFingerprint.TakeAsync(ConnectionString);
            if (!fired)
            {
                Assert.Null(error);
                Assert.True(DatabaseFingerprint.Differences(before, after).Length > 0, "the operation ran through but changed nothing");
                return writes;
            }
            Assert.True(error is not null, $"write {k} was broken ({kind}) but the operation reported success");
            var differences = DatabaseFingerprint.Differences(before, after);
            Assert.True(differences.Length == 0, $"write {k} broken ({kind}, {error.GetType().Name}: {error.Message}); the database changed:\n{differences}");
        }
        throw new InvalidOperationException("More than 50 writes");
    }

    public async Task<T> WithAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    public Task<T> DbAsync<T>(Func<GridGovDbContext, Task<T>> work) =>
        WithAsync(provider => work(provider.GetRequiredService<GridGovDbContext>()));

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

    /// <summary>Households of the grid with a head and at least two residents, none handed out before in this class.</summary>
    public async Task<IReadOnlyList<Household>> FreshHouseholdsAsync(string gridCode, int count)
    {
        var skip = Interlocked.Add(ref _householdsTaken, count) - count;
        return await DbAsync(db => db.Households.AsNoTracking()
            .Where(h => h.RemovedAt == null && h.HeadResidentId != null && db.Grids.Any(g => g.Id == h.GridId && g.Code == gridCode)
                && db.Residents.Count(r => r.HouseholdId == h.Id && r.RemovedAt == null) >= 2)
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

    /// <summary>A line inside the grid: the part of an east-west line through the grid's point on surface that lies in it.</summary>
    public Task<LineString> TrackInGridAsync(string gridCode) => DbAsync(async db =>
    {
        var wkt = await db.Database.SqlQuery<string>($"""
            SELECT ST_AsText(ST_GeometryN(ST_Intersection(g.boundary,
                       ST_MakeLine(ST_Translate(p, -0.02, 0), ST_Translate(p, 0.02, 0))), 1)) AS "Value"
            FROM (SELECT boundary, ST_PointOnSurface(boundary) AS p FROM grids WHERE code = {gridCode} AND valid_to IS NULL) g
            """).SingleAsync();
        var line = (LineString)new WKTReader().Read(wkt);
        line.SRID = 4326;
        return line;
    });

    public override async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
        if (Directory.Exists(EvidencePath))
        {
            Directory.Delete(EvidencePath, recursive: true);
        }
        await base.DisposeAsync();
    }
}
