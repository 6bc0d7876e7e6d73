using System.Diagnostics;
using System.Globalization;
using GridGov.Application.Ledgers.Import;
using GridGov.Domain.Cases;
using GridGov.Domain.Ledgers;
using GridGov.Infrastructure.Identity;
using GridGov.Infrastructure.Persistence;
using GridGov.Web;
using GridGov.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;

namespace GridGov.Bench;

/// <summary>
/// The ledger import at scale (issue 14: "100,000 rows in under a minute"): generates an XLSX of households (one per 2.5
/// residents, spread over every grid of the street by grid code), one of N residents (new ID numbers), one of N units (half
/// placed by coordinates, half by an address naming a registered compound and building) and one of N components (16-digit
/// codes, an owner department, a building's point), then, as admin1 through LedgerImportService exactly as the page calls
/// it, times each file's upload, dry run and import, and the residents file's import once more (every row unchanged).
/// Each run adds its rows to the database.
/// </summary>
internal static class LedgerImportBench
{
    private static readonly string[] HouseholdKinds = ["人户一致", "人户一致", "人户一致", "人户分离", "租房户"];
    private static readonly string[] PopulationKinds = ["户籍", "户籍", "户籍", "流动", "暂住"];
    private static readonly string[] Tags = ["", "", "", "党员", "退休职工", "党员、退休职工", "低保户", "独居老人"];

    public static async Task<int> RunAsync(string[] args)
    {
        var rows = int.Parse(Option(args, "--rows") ?? "100000", CultureInfo.InvariantCulture);
        var app = GridGovHost.CreateWebApp(["--Logging:LogLevel:Default=Warning", "--Evaluation:FreezeOnSchedule=false", $"--LedgerImport:MaxRows={Math.Max(rows, 200_000)}"]);
        var folder = Path.Combine(Path.GetTempPath(), "gridgov-import-bench");
        Directory.CreateDirectory(folder);

        var (grids, run, places, departments, componentRuns) = await InScopeAsync(app.Services, async provider =>
        {
            var db = provider.GetRequiredService<GridGovDbContext>();
            var codes = await db.Grids.Where(g => g.ValidTo == null).OrderBy(g => g.Code).Select(g => g.Code).ToListAsync();
            // Each run its own addresses and ID numbers (birth dates moved on by the rows of earlier runs).
            var earlier = await db.Residents.CountAsync(r => r.IdNumber.StartsWith("110108"));
            var street = await db.Streets.OrderBy(s => s.Id).Select(s => s.Name).FirstAsync();
            var buildings = (await db.Buildings.AsNoTracking()
                .Join(db.Compounds, b => b.CompoundId, c => c.Id, (b, c) => new { c.Name, Building = b.Name, b.Location })
                .OrderBy(b => b.Name).ThenBy(b => b.Building).Take(5_000).ToListAsync())
                .Select(b => new BuildingPlace(street + b.Name + b.Building, b.Location.X, b.Location.Y)).ToList();
            var owners = await db.Departments.OrderBy(d => d.Code).Select(d => d.Name).ToListAsync();
            // Component codes of division 39xxxx, one division per run.
            var componentRuns = await db.Components.Where(c => c.Code.StartsWith("39")).Select(c => c.Code.Substring(0, 6)).Distinct().CountAsync();
            return (codes, earlier, buildings, owners, componentRuns);
        });
        var households = (int)Math.Ceiling(rows / 2.5);
        var stamp = DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        var householdFile = Path.Combine(folder, $"households-{stamp}.xlsx");
        var residentFile = Path.Combine(folder, $"residents-{stamp}.xlsx");
        var generate = Stopwatch.StartNew();
        await MiniExcel.SaveAsAsync(householdFile, Enumerable.Range(0, households).Select(i => new Dictionary<string, object>
        {
            ["户地址"] = Address(stamp, i), ["房号"] = Dwelling(i), ["户别"] = HouseholdKinds[i % HouseholdKinds.Length], ["网格编码"] = grids[i % grids.Count],
        }));
        await MiniExcel.SaveAsAsync(residentFile, Enumerable.Range(0, rows).Select(i => new Dictionary<string, object>
        {
            ["姓名"] = "测试居民" + i.ToString(CultureInfo.InvariantCulture),
            ["身份证号"] = IdNumber.Create("110108", new DateOnly(1940, 1, 1).AddDays((run + i) / 1000), (run + i) % 1000).Value,
            ["联系电话"] = "139" + (10_000_000 + i).ToString("D8", CultureInfo.InvariantCulture),
            ["人口类型"] = PopulationKinds[i % PopulationKinds.Length],
            ["户地址"] = Address(stamp, (int)(i / 2.5)),
            ["人群标签"] = Tags[i % Tags.Length],
        }));
        var unitFile = Path.Combine(folder, $"units-{stamp}.xlsx");
        var componentFile = Path.Combine(folder, $"components-{stamp}.xlsx");
        await MiniExcel.SaveAsAsync(unitFile, Enumerable.Range(0, rows).Select(i =>
        {
            var place = places[i % places.Count];
            var byAddress = i % 2 == 1;
            return new Dictionary<string, object?>
            {
                ["单位名称"] = string.Create(CultureInfo.InvariantCulture, $"基准测试商户{stamp}-{i}"),
                ["单位类别"] = "门店/商户",
                ["经营地址"] = byAddress ? string.Create(CultureInfo.InvariantCulture, $"{place.Address}底商{i}号") : string.Create(CultureInfo.InvariantCulture, $"基准测试路{stamp}-{i}号"),
                ["负责人"] = "测试店主",
                ["联系电话"] = "139" + (10_000_000 + i).ToString("D8", CultureInfo.InvariantCulture),
                ["从业人数"] = 1 + i % 20,
                ["经度"] = byAddress ? null : place.Longitude,
                ["纬度"] = byAddress ? null : place.Latitude,
            };
        }));
        var division = string.Create(CultureInfo.InvariantCulture, $"39{componentRuns % 10_000:D4}");
        await MiniExcel.SaveAsAsync(componentFile, Enumerable.Range(0, rows).Select(i =>
        {
            var place = places[i % places.Count];
            return new Dictionary<string, object?>
            {
                ["部件编码"] = string.Create(CultureInfo.InvariantCulture, $"{division}0101{i + 1:D6}"),
                ["部件名称"] = "上水井盖",
                ["权属部门"] = departments[i % departments.Count],
                ["经度"] = place.Longitude,
                ["纬度"] = place.Latitude,
            };
        }));
        Console.WriteLine($"Ledger import of {households:N0} households and {rows:N0} each of residents, units and components by admin1 ({DateTimeOffset.Now:yyyy-MM-dd HH:mm}, {Environment.ProcessorCount} cores)");
        Console.WriteLine($"files generated in {generate.Elapsed.TotalSeconds:0.0} s: households {new FileInfo(householdFile).Length / 1024:N0} KB, residents {new FileInfo(residentFile).Length / 1024:N0} KB, " +
                          $"units {new FileInfo(unitFile).Length / 1024:N0} KB, components {new FileInfo(componentFile).Length / 1024:N0} KB");
        Console.WriteLine();
        Console.WriteLine("| file | rows | upload s | dry run s | import s | new | changed | unchanged | refused |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        await MeasureAsync(app.Services, LedgerImportKind.Households, householdFile);
        await MeasureAsync(app.Services, LedgerImportKind.Residents, residentFile);
        await MeasureAsync(app.Services, LedgerImportKind.Residents, residentFile, "residents again");
        await MeasureAsync(app.Services, LedgerImportKind.Units, unitFile);
        await MeasureAsync(app.Services, LedgerImportKind.Components, componentFile);
        await MeasureAsync(app.Services, LedgerImportKind.Components, componentFile, "components again");
        foreach (var file in new[] { householdFile, residentFile, unitFile, componentFile })
        {
            File.Delete(file);
        }
        return 0;
    }

    private static async Task MeasureAsync(IServiceProvider services, LedgerImportKind kind, string path, string? label = null)
    {
        var watch = Stopwatch.StartNew();
        var upload = await AsAdminAsync(services, async (imports, actor) =>
        {
            await using var file = File.OpenRead(path);
            return await imports.UploadAsync(kind, Path.GetFileName(path), file, actor);
        });
        var uploaded = watch.Elapsed;
        watch.Restart();
        var dryRun = await AsAdminAsync(services, (imports, actor) => imports.DryRunAsync(upload.Token, actor));
        var checkedIn = watch.Elapsed;
        watch.Restart();
        var imported = await AsAdminAsync(services, (imports, actor) => imports.ImportAsync(upload.Token, actor));
        var importedIn = watch.Elapsed;
        await AsAdminAsync(services, async (imports, actor) =>
        {
            await imports.DiscardAsync(upload.Token, actor);
            return true;
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {label ?? kind.ToString().ToLowerInvariant()} | {imported.Rows:N0} | {uploaded.TotalSeconds:0.0} | {checkedIn.TotalSeconds:0.0} | {importedIn.TotalSeconds:0.0} | {imported.Created:N0} | {imported.Updated:N0} | {imported.Unchanged:N0} | {imported.Refused:N0} |"));
        if (dryRun.Refused > 0)
        {
            Console.WriteLine($"  refused, e.g. row {dryRun.RefusedSample[0].Row}: {dryRun.RefusedSample[0].Reasons[0].Reason.Message}");
        }
    }

    /// <summary>A scope signed in as admin1, as the page's PageData scope is for its person.</summary>
    private static Task<T> AsAdminAsync<T>(IServiceProvider services, Func<LedgerImportService, CaseActor, Task<T>> work) => InScopeAsync(services, async provider =>
    {
        var users = provider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByNameAsync("admin1") ?? throw new InvalidOperationException("No admin1: load the demo street first.");
        var principal = await provider.GetRequiredService<IUserClaimsPrincipalFactory<ApplicationUser>>().CreateAsync(user);
        provider.GetRequiredService<SignedInUser>().UseCircuit(principal, "127.0.0.1", "GridGov.Bench");
        var actor = await provider.GetRequiredService<CurrentStaff>().ActorAsync();
        return await work(provider.GetRequiredService<LedgerImportService>(), actor);
    });

    private static async Task<T> InScopeAsync<T>(IServiceProvider services, Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    /// <summary>A registered building as an address names it (street, compound, building) and its point.</summary>
    private sealed record BuildingPlace(string Address, double Longitude, double Latitude);

    private static string Address(string stamp, int household) =>
        string.Create(CultureInfo.InvariantCulture, $"基准测试苑{stamp}{household / 400 + 1}幢{Dwelling(household)}");

    private static string Dwelling(int household) =>
        string.Create(CultureInfo.InvariantCulture, $"{household % 400 / 40 + 1}单元{household % 40 / 2 + 1}0{household % 2 + 1}");

    private static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
