using GridGov.Application.Cases;
using GridGov.Domain.Cases;
using GridGov.Domain.Categories;
using GridGov.Infrastructure.Persistence;
using GridGov.TestSupport.GridGov;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Application.Tests.Cases;

/// <summary>
/// The real container on a copy of the demo street, with a movable clock and the demo people as actors.
/// Each test class gets its own database (and evidence folder).
/// </summary>
public class CaseScenario : DemoStreetDatabaseFixture
{
    private ServiceProvider? _services;
    private readonly string _evidencePath = Path.Combine(Path.GetTempPath(), "gridgov-evidence-" + Guid.NewGuid().ToString("N"));

    /// <summary>Monday 2026-11-23 09:00 in China: a plain working day.</summary>
    public TestClock Clock { get; } = new(TestClock.China(2026, 11, 23, 9));

    public new ServiceProvider Services => _services ??= GridGovServices.Create(ConnectionString, Clock, services =>
    {
        services.Configure<Infrastructure.Cases.EvidenceOptions>(o => o.Path = _evidencePath);
        ConfigureServices(services);
    });

    /// <summary>What a scenario of its own adds to the container (options, fakes), after the evidence folder.</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public async Task<T> WithAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    public Task<Case> DoAsync(Func<CaseWorkflowService, Task<Case>> action) =>
        WithAsync(provider => action(provider.GetRequiredService<CaseWorkflowService>()));

    /// <summary>The actor for a demo sign-in (dispatcher1, handler1, secretary1, leader1, worker1, streetleader1 …).</summary>
    public Task<CaseActor> ActorAsync(string userName) => WithAsync(async provider =>
    {
        var db = provider.GetRequiredService<GridGovDbContext>();
        var staffId = await db.Users.Where(u => u.UserName == userName).Select(u => u.StaffMemberId).SingleAsync()
            ?? throw new InvalidOperationException($"{userName} has no staff member");
        return await provider.GetRequiredService<CaseActors>().ForStaffAsync(staffId);
    });

    public Task<Category> CategoryAsync(string code) =>
        WithAsync(provider => provider.GetRequiredService<GridGovDbContext>().Categories.AsNoTracking().SingleAsync(c => c.Code == code));

    /// <summary>A point well inside the grid (PostGIS's point on surface).</summary>
    public Task<(double Longitude, double Latitude)> PointInGridAsync(string gridCode) => WithAsync(async provider =>
    {
        var db = provider.GetRequiredService<GridGovDbContext>();
        var xy = await db.Database.SqlQuery<double>($"""
            SELECT unnest(ARRAY[ST_X(p), ST_Y(p)]) AS "Value" FROM (SELECT ST_PointOnSurface(boundary) AS p FROM grids WHERE code = {gridCode}) g
            """).ToListAsync();
        return (xy[0], xy[1]);
    });

    public Task<string> GridOfAsync(string userName) => WithAsync(provider =>
    {
        var db = provider.GetRequiredService<GridGovDbContext>();
        return db.Users.Where(u => u.UserName == userName)
            .Join(db.GridAssignments, u => u.StaffMemberId, a => a.StaffMemberId, (u, a) => a.GridCode)
            .OrderBy(code => code).FirstAsync();
    });

    public Task<Case> ReloadAsync(int caseId) => WithAsync(provider =>
        provider.GetRequiredService<GridGovDbContext>().Cases.AsNoTracking()
            .Include(c => c.History).Include(c => c.Evidence).Include(c => c.Whistles).Include(c => c.Followers).Include(c => c.Extensions).Include(c => c.SatisfactionAnswers)
            .AsSplitQuery()
            .SingleAsync(c => c.Id == caseId));

    public static EvidenceUpload Photo(string name = "photo.png") => new(name, new MemoryStream(TinyPng()));

    /// <summary>The PNG signature (what the content check reads) and random bytes, so each photo has its own hash.</summary>
    public static byte[] TinyPng()
    {
        byte[] signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        var noise = Guid.NewGuid().ToByteArray();
        return [.. signature, .. noise];
    }

    public override async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
        await base.DisposeAsync();
        if (Directory.Exists(_evidencePath))
        {
            Directory.Delete(_evidencePath, recursive: true);
        }
    }
}
