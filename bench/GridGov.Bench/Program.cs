using System.Diagnostics;
using System.Globalization;
using GridGov.Application.Evaluation;
using GridGov.Application.Visits;
using GridGov.Domain.Calendar;
using GridGov.Web;
using Microsoft.Extensions.DependencyInjection;

// GridGov's measurements that need the application's own services (bench/README.md):
//   evaluation [--months yyyy-MM,yyyy-MM] [--runs N]
// the whole street's monthly evaluation computed from the database (no cache, no snapshot), N times per month;
//   ledger-import [--rows N]
// households and then N residents (default 100,000) imported from generated XLSX files by admin1: dry run, import, and
// the same file again (LedgerImportBench.cs);
//   city-cases [--count 2000000] [--weeks 156] [--current-copies 16]
// years of cases copied from the seeded street's month of workflow-made cases (CityCasesLoader.cs).
var scenario = args.FirstOrDefault(a => !a.StartsWith('-')) ?? "evaluation";
if (scenario == "city-cases")
{
    return await GridGov.Bench.CityCasesLoader.RunAsync(args);
}
if (scenario == "ledger-import")
{
    return await GridGov.Bench.LedgerImportBench.RunAsync(args);
}
if (scenario != "evaluation")
{
    await Console.Error.WriteLineAsync($"Unknown scenario '{scenario}'. Use: evaluation [--months yyyy-MM,...] [--runs N] | ledger-import [--rows N] | city-cases [--count N]");
    return 2;
}
var runs = int.Parse(Option("--runs") ?? "7", CultureInfo.InvariantCulture);
var app = GridGovHost.CreateWebApp(["--Logging:LogLevel:Default=Warning", "--Evaluation:FreezeOnSchedule=false"]);
var today = WorkingCalendar.ChinaDate(DateTimeOffset.UtcNow);
var months = Option("--months")?.Split(',').Select(m => DateOnly.ParseExact(m + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList()
    ?? [ChinaMonths.MonthOf(today), ChinaMonths.MonthOf(today).AddMonths(-1)];

Console.WriteLine($"Monthly evaluation of the whole street, {runs} runs per month after one warm-up ({DateTimeOffset.Now:yyyy-MM-dd HH:mm}, {Environment.ProcessorCount} cores)");
Console.WriteLine();
Console.WriteLine("| month | workers | departments | grids | min ms | median ms | max ms |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
foreach (var month in months)
{
    var times = new List<double>();
    EvaluationResults? results = null;
    for (var run = 0; run <= runs; run++)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var rules = await scope.ServiceProvider.GetRequiredService<MonthlyEvaluationService>().RulesForAsync(month);
        var calculator = scope.ServiceProvider.GetRequiredService<MonthlyEvaluationCalculator>();
        var watch = Stopwatch.StartNew();
        results = await calculator.ComputeAsync(month, rules);
        if (run > 0)
        {
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
    }
    times.Sort();
    var grids = results!.Areas.Count(a => a.Level == AreaLevel.Grid);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {ChinaMonths.Format(month)} | {results.Workers.Count} | {results.Departments.Count} | {grids} | {times[0]:0} | {times[times.Count / 2]:0} | {times[^1]:0} |"));
}
return 0;

string? Option(string name)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}
