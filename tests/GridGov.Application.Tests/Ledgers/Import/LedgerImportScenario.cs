using System.Globalization;
using GridGov.Application.Cases;
using GridGov.Application.Ledgers;
using GridGov.Application.Ledgers.Import;
using GridGov.Domain.Cases;
using GridGov.Domain.Ledgers;
using GridGov.Domain.Organisation;
using GridGov.Infrastructure.Persistence;
using GridGov.TestSupport.GridGov;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GridGov.Application.Tests.Ledgers.Import;

/// <summary>
/// The real container on a copy of the demo street for the ledger import: each call runs in a scope of its own as the
/// given person (the audit actor the web app would give it), the uploads go to a folder of the fixture's own.
/// </summary>
public sealed class LedgerImportScenario : DemoStreetDatabaseFixture
{
    private ServiceProvider? _services;
    private static int _sequence;

    public TestClock Clock { get; } = new(TestClock.China(2026, 11, 23, 9));

    /// <summary>The import's settings; a test may lower a limit for itself and restore it.</summary>
    public LedgerImportOptions Options { get; } = new() { Path = Path.Combine(Path.GetTempPath(), "gridgov-import-tests-" + Guid.NewGuid().ToString("N")) };

    public new ServiceProvider Services => _services ??= GridGovServices.Create(ConnectionString, Clock, services =>
    {
        services.AddSingleton<IOptions<LedgerImportOptions>>(Microsoft.Extensions.Options.Options.Create(Options));
        services.AddScoped<ScopedAuditActor>();
        services.AddScoped<IAuditActor>(provider => provider.GetRequiredService<ScopedAuditActor>());
    });

    /// <summary>Runs <paramref name="work"/> on a fresh service as <paramref name="actor"/> (who the change history records).</summary>
    public async Task<T> AsAsync<T>(CaseActor actor, Func<LedgerImportService, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ScopedAuditActor>().Set(actor);
        return await work(scope.ServiceProvider.GetRequiredService<LedgerImportService>());
    }

    public Task<ImportUpload> UploadAsync(CaseActor actor, LedgerImportKind kind, byte[] file, string name = "台账.xlsx") =>
        AsAsync(actor, imports => imports.UploadAsync(kind, name, new MemoryStream(file), actor));

    public Task<LedgerImportResult> DryRunAsync(CaseActor actor, Guid token, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default) =>
        AsAsync(actor, imports => imports.DryRunAsync(token, actor, progress, cancellationToken));

    public Task<LedgerImportResult> ImportAsync(CaseActor actor, Guid token, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default) =>
        AsAsync(actor, imports => imports.ImportAsync(token, actor, progress, cancellationToken));

    /// <summary>Upload, dry run and import in one go (the page's three steps).</summary>
    public async Task<(LedgerImportResult DryRun, LedgerImportResult Import)> ImportFileAsync(CaseActor actor, LedgerImportKind kind, byte[] file)
    {
        var upload = await UploadAsync(actor, kind, file);
        var dryRun = await DryRunAsync(actor, upload.Token);
        return (dryRun, await ImportAsync(actor, upload.Token));
    }

    public async Task<T> DbAsync<T>(Func<GridGovDbContext, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<GridGovDbContext>());
    }

    public Task<CaseActor> ActorAsync(string userName) => ActorOfAsync(db => db.Users.Where(u => u.UserName == userName).Select(u => u.StaffMemberId!.Value).SingleAsync());

    /// <summary>The secretary of a community.</summary>
    public Task<CaseActor> SecretaryOfAsync(int communityId) => ActorOfAsync(db => db.StaffMembers
        .Where(s => s.Role == StaffRole.CommunitySecretary && s.CommunityId == communityId).OrderBy(s => s.Id).Select(s => s.Id).FirstAsync());

    private async Task<CaseActor> ActorOfAsync(Func<GridGovDbContext, Task<int>> staff)
    {
        await using var scope = Services.CreateAsyncScope();
        var id = await staff(scope.ServiceProvider.GetRequiredService<GridGovDbContext>());
        return await scope.ServiceProvider.GetRequiredService<CaseActors>().ForStaffAsync(id);
    }

    /// <summary>The current grids of a community (code, id), by code.</summary>
    public Task<List<(string Code, int Id)>> GridsOfAsync(int communityId) => DbAsync(async db =>
        (await db.Grids.Where(g => g.CommunityId == communityId && g.ValidTo == null).OrderBy(g => g.Code).Select(g => new { g.Code, g.Id }).ToListAsync())
        .Select(g => (g.Code, g.Id)).ToList());

    /// <summary>A point well inside a grid (its point on surface): longitude, latitude.</summary>
    public Task<(double Longitude, double Latitude)> PointInAsync(int gridId) => DbAsync(async db =>
    {
        var values = await db.Database.SqlQuery<double>($"""
            SELECT unnest(ARRAY[ST_X(p), ST_Y(p)]) AS "Value" FROM (SELECT ST_PointOnSurface(boundary) AS p FROM grids WHERE id = {gridId}) g
            """).ToListAsync();
        return (values[0], values[1]);
    });

    /// <summary>Counts of what an import writes, to compare before and after.</summary>
    public Task<Written> WrittenAsync() => DbAsync(async db => new Written(
        await db.Residents.CountAsync(), await db.Households.CountAsync(), await db.LedgerChanges.CountAsync(), await db.LedgerImports.CountAsync(),
        await db.AuditEntries.CountAsync(),
        await db.Database.SqlQuery<long>($"""SELECT coalesce(max(xmin::text::bigint), 0) AS "Value" FROM residents""").SingleAsync(),
        await db.Database.SqlQuery<long>($"""SELECT coalesce(max(xmin::text::bigint), 0) AS "Value" FROM households""").SingleAsync(),
        await db.Units.CountAsync(), await db.Components.CountAsync(),
        await db.Database.SqlQuery<long>($"""SELECT coalesce(max(xmin::text::bigint), 0) AS "Value" FROM units""").SingleAsync(),
        await db.Database.SqlQuery<long>($"""SELECT coalesce(max(xmin::text::bigint), 0) AS "Value" FROM components""").SingleAsync()));

    /// <summary>A valid ID number no demo resident has (Beijing's 东城 code, 1930s birth dates, a per-process sequence).</summary>
    public static string NewIdNumber()
    {
        var n = Interlocked.Increment(ref _sequence);
        return IdNumber.Create("110101", new DateOnly(1932, 1, 1).AddDays(n * 3 + Environment.ProcessId % 89), n % 1000).Value;
    }

    /// <summary>An address no demo household has.</summary>
    public static string NewAddress(string building = "1幢") =>
        $"云帆街道导入测试苑{Interlocked.Increment(ref _sequence).ToString(CultureInfo.InvariantCulture)}号{building}1单元101";

    /// <summary>A unit name no demo unit has.</summary>
    public static string NewUnitName(string kind = "商店") => $"导入测试{kind}{Interlocked.Increment(ref _sequence).ToString(CultureInfo.InvariantCulture)}号";

    /// <summary>A valid credit code no demo unit has (a per-process sequence in the organisation code).</summary>
    public static string NewCreditCode()
    {
        var n = Interlocked.Increment(ref _sequence) * 97 + Environment.ProcessId % 97;
        var first = $"92320508MA{n % 10_000_000:D7}";
        return first + CreditCode.ComputeCheckCharacter(first);
    }

    /// <summary>A valid component code no demo component has (division 320599, which the demo street does not use).</summary>
    public static string NewComponentCode()
    {
        var n = Interlocked.Increment(ref _sequence);
        return string.Create(CultureInfo.InvariantCulture, $"320599{n % 6 + 1:D2}{n % 99 + 1:D2}{n * 7 + Environment.ProcessId % 7:D6}");
    }

    public override async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
        if (Directory.Exists(Options.Path))
        {
            Directory.Delete(Options.Path!, recursive: true);
        }
        await base.DisposeAsync();
    }
}

/// <summary>Row counts and newest row versions of what an import writes: equal before and after means nothing was written.</summary>
public sealed record Written(int Residents, int Households, int LedgerChanges, int LedgerImports, int AuditEntries, long ResidentsXmin, long HouseholdsXmin,
    int Units, int Components, long UnitsXmin, long ComponentsXmin);

/// <summary>The audit actor of one scope: the person a test runs the import as.</summary>
public sealed class ScopedAuditActor : IAuditActor
{
    public int? StaffMemberId { get; private set; }
    public string Name { get; private set; } = SystemAuditActor.SystemName;

    public void Set(CaseActor actor) => (StaffMemberId, Name) = (actor.StaffMemberId, actor.Name);
}

/// <summary>Progress reported straight (no synchronization context), so a test can act on a phase.</summary>
public sealed class InlineProgress(Action<ImportProgress> report) : IProgress<ImportProgress>
{
    public void Report(ImportProgress value) => report(value);
}
