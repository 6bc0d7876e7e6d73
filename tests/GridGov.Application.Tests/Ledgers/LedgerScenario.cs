using GridGov.Application.Cases;
using GridGov.Application.Ledgers;
using GridGov.Domain.Cases;
using GridGov.Domain.Ledgers;
using GridGov.Infrastructure.Persistence;
using GridGov.TestSupport.GridGov;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Application.Tests.Ledgers;

/// <summary>
/// The real container on a copy of the demo street, with a movable clock and a changeable audit actor
/// (the system by default, as in commands and seeding).
/// </summary>
public sealed class LedgerScenario : DemoStreetDatabaseFixture
{
    private ServiceProvider? _services;
    private static int _sequence;

    /// <summary>Monday 2026-11-23 09:00 in China.</summary>
    public TestClock Clock { get; } = new(TestClock.China(2026, 11, 23, 9));

    /// <summary>Who the interceptor records; tests may set a named person.</summary>
    public IAuditActor AuditActor { get; set; } = new SystemAuditActor();

    public new ServiceProvider Services => _services ??= GridGovServices.Create(ConnectionString, Clock,
        services => services.AddScoped(_ => AuditActor));

    public async Task<T> WithAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    public Task WithAsync(Func<IServiceProvider, Task> work) => WithAsync(async provider =>
    {
        await work(provider);
        return true;
    });

    public Task<T> DbAsync<T>(Func<GridGovDbContext, Task<T>> work) =>
        WithAsync(provider => work(provider.GetRequiredService<GridGovDbContext>()));

    public Task LedgerAsync(Func<LedgerService, Task> work) =>
        WithAsync(provider => work(provider.GetRequiredService<LedgerService>()));

    /// <summary>The actor for a demo sign-in (dispatcher1, worker1, secretary1, streetleader1, handler1…).</summary>
    public Task<CaseActor> ActorAsync(string userName) => WithAsync(async provider =>
    {
        var db = provider.GetRequiredService<GridGovDbContext>();
        var staffId = await db.Users.Where(u => u.UserName == userName).Select(u => u.StaffMemberId).SingleAsync()
            ?? throw new InvalidOperationException($"{userName} has no staff member");
        return await provider.GetRequiredService<CaseActors>().ForStaffAsync(staffId);
    });

    /// <summary>The id of the (first) grid a grid worker or leader serves.</summary>
    public Task<int> GridIdOfAsync(string userName) => DbAsync(db =>
        db.Users.Where(u => u.UserName == userName)
            .Join(db.GridAssignments, u => u.StaffMemberId, a => a.StaffMemberId, (u, a) => a.GridCode)
            .Join(db.Grids, code => code, g => g.Code, (code, g) => g.Id)
            .OrderBy(id => id).FirstAsync());

    /// <summary>An active resident of a grid with a household (the n-th, so tests of one class do not share people).</summary>
    public Task<Resident> ResidentAsync(int gridId, int skip, bool? inGrid = true) => DbAsync(db =>
        db.Residents.AsNoTracking()
            .Where(r => (inGrid == true ? r.GridId == gridId : r.GridId != gridId) && r.HouseholdId != null && r.RemovedAt == null)
            .OrderBy(r => r.Id).Skip(skip).FirstAsync());

    public Task<Resident> ReloadResidentAsync(int id) => DbAsync(db => db.Residents.AsNoTracking().SingleAsync(r => r.Id == id));

    public Task<List<LedgerChange>> ChangesAsync(string entityType, int entityId) => DbAsync(db =>
        db.LedgerChanges.AsNoTracking().Where(c => c.EntityType == entityType && c.EntityId == entityId).OrderBy(c => c.Id).ToListAsync());

    public Task<int> ChangeCountAsync() => DbAsync(db => db.LedgerChanges.CountAsync());

    /// <summary>A valid ID number nobody in the demo street has (a 1930s birth date and a per-process sequence).</summary>
    public static string NewIdNumber()
    {
        var n = Interlocked.Increment(ref _sequence);
        return IdNumber.Create("110105", new DateOnly(1931, 1, 1).AddDays(n * 7 + Environment.ProcessId % 97), n % 1000).Value;
    }

    /// <summary>The same number with a wrong check character.</summary>
    public static string WithWrongCheck(string idNumber)
    {
        var wrong = idNumber[17] == '0' ? '1' : '0';
        return idNumber[..17] + wrong;
    }

    public override async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
        await base.DisposeAsync();
    }
}

/// <summary>A named person as the audit actor.</summary>
public sealed record FixedAuditActor(int? StaffMemberId, string Name) : IAuditActor;
