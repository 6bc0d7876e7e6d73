using System.Globalization;
using GridGov.Application.Common;
using GridGov.Application.Reviews;
using GridGov.Application.Visits;
using GridGov.Domain.Calendar;
using GridGov.Domain.Cases;
using GridGov.Domain.Evaluation;
using GridGov.Domain.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GridGov.Application.Evaluation;

/// <summary>
/// Computes a whole street's month (月度考核): every subject's figures from a fixed number of set-based queries
/// (<see cref="IEvaluationSql"/>, the monthly review's visit and patrol figures, the closed loop's extension and
/// satisfaction figures), then scores and ranks them with the month's <see cref="ScoringRules"/>. Pure reading: it
/// stores nothing (see <see cref="MonthlyEvaluationService"/> for freezing).
/// </summary>
public sealed class MonthlyEvaluationCalculator(
    IServiceScopeFactory scopes,
    TimeProvider clock,
    ILogger<MonthlyEvaluationCalculator> logger)
{
    public const string StreetKey = "street";

    public async Task<EvaluationResults> ComputeAsync(DateOnly month, ScoringRules rules, CancellationToken cancellationToken = default)
    {
        month = ChinaMonths.MonthOf(month);
        var (start, end) = ChinaMonths.RangeOf(month);
        var now = clock.GetUtcNow();
        if (start > now)
        {
            return EvaluationResults.Empty(month, now);
        }
        var asOf = now < end ? now : end;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var laps = new System.Collections.Concurrent.ConcurrentQueue<string>();
        async Task<T> Timed<T>(string what, Func<Task<T>> part)
        {
            var started = watch.Elapsed;
            var result = await part();
            laps.Enqueue($"{what} {(watch.Elapsed - started).TotalMilliseconds:0} ms");
            return result;
        }
        var daysElapsed = now < end ? WorkingCalendar.ChinaDate(now).Day : month.AddMonths(1).AddDays(-1).Day;

        // Three independent streams of set-based queries, each on its own connection (a database context serves one query
        // at a time): the cases' figures of people and grids, the departments' and dispatchers' figures, and the grids'
        // visits and patrols. The month's time is the longest stream's, not the sum (issue 12: a city's month within 2 s).
        var peopleAndGrids = InScopeAsync(async provider =>
        {
            var sql = provider.GetRequiredService<IEvaluationSql>();
            var reporters = await Timed("reporters", () => sql.ReportersAsync(start, end, EvaluationDefinitions.DiscoveryGrace, cancellationToken));
            var verifiers = await Timed("verifiers", () => sql.VerifiersAsync(start, end, cancellationToken));
            var gridCases = await Timed("grid cases", () => sql.GridCasesAsync(start, end, EvaluationDefinitions.HazardMajorName, cancellationToken));
            var gridStates = await Timed("states", () => sql.GridStatesAsync(asOf, cancellationToken));
            return (reporters, verifiers, gridCases, gridStates);
        });
        var departmentsAndDispatchers = InScopeAsync(async provider =>
        {
            var sql = provider.GetRequiredService<IEvaluationSql>();
            var db = provider.GetRequiredService<IGridGovDbContext>();
            var closures = await Timed("closures", () => sql.ClosuresAsync(start, end, cancellationToken));
            var actions = await Timed("department actions", () => sql.DepartmentActionsAsync(start, end, cancellationToken));
            var whistles = await Timed("whistles", () => sql.WhistlesAsync(start, end, cancellationToken));
            var dispatchers = await Timed("dispatchers", () => sql.DispatchersAsync(start, end, cancellationToken));
            var loopFigures = await Timed("loop", () => provider.GetRequiredService<DepartmentLoopFiguresQuery>().ForMonthAsync(month, cancellationToken));
            var staff = await Timed("staff", () => db.StaffMembers.AsNoTracking()
                .Select(s => new StaffRow(s.Id, s.Name, s.Role, s.CommunityId))
                .ToDictionaryAsync(s => s.Id, cancellationToken));
            var departments = await db.Departments.AsNoTracking().OrderBy(d => d.Id).Select(d => new { d.Id, d.Name }).ToListAsync(cancellationToken);
            return (closures, actions, whistles, dispatchers, loopFigures, staff, departments: departments.Select(d => (d.Id, d.Name)).ToList());
        });
        var visitsAndPatrols = InScopeAsync(provider =>
            Timed("visits and patrols", () => provider.GetRequiredService<MonthlyReviewQueries>().EveryGridAsync(month, cancellationToken)));
        await Task.WhenAll(peopleAndGrids, departmentsAndDispatchers, visitsAndPatrols);
        var assemblyStarted = watch.Elapsed;

        var (reporterRows, verifierRows, gridCases, stateRows) = await peopleAndGrids;
        var reporters = reporterRows.ToDictionary(r => r.StaffMemberId);
        var verifiers = verifierRows.ToDictionary(v => v.StaffMemberId);
        var gridStates = stateRows.ToDictionary(s => s.GridId);
        var (closures, actionRows, whistleRows, dispatchers, loopRows, staff, departments) = await departmentsAndDispatchers;
        var actions = actionRows.ToDictionary(a => a.DepartmentId);
        var whistles = whistleRows.ToDictionary(w => w.DepartmentId);
        var loopFigures = loopRows.ToDictionary(f => f.DepartmentId ?? 0);
        var grids = await visitsAndPatrols;

        // Missed reports (漏报) per grid: registered cases that came through another channel than the grid's own patrols.
        var missed = gridCases.GroupBy(c => c.GridId).ToDictionary(g => g.Key, g =>
        {
            var other = g.Where(c => c.Source != nameof(CaseSource.GridWorkerPatrol)).Sum(c => c.Registered);
            var own = g.Where(c => c.Source == nameof(CaseSource.GridWorkerPatrol)).Sum(c => c.Registered);
            return new Ratio(other, other + own);
        });

        var workers = Workers(grids, staff.ToDictionary(s => s.Key, s => (s.Value.Name, s.Value.Role)), reporters, verifiers, missed, daysElapsed, rules);
        var departmentResults = Departments(departments, closures, actions, whistles, loopFigures, rules);
        var dispatcherResults = dispatchers
            .Where(d => staff.ContainsKey(d.StaffMemberId))
            .Select(d =>
            {
                var who = staff[d.StaffMemberId];
                return new DispatcherResult(d.StaffMemberId, who.Name, who.Role, who.CommunityId,
                    new Ratio(d.DispatchOnTime, d.DispatchWithDeadline),
                    new Ratio(d.Dispatched - d.DispatchReturned, d.Dispatched),
                    new Ratio(d.RegisterOnTime, d.RegisterWithDeadline),
                    new Ratio(d.Registered - d.RegisterVoided, d.Registered));
            })
            .OrderBy(d => d.Role).ThenBy(d => d.Name, StringComparer.Ordinal)
            .ToList();
        var areas = Areas(grids, gridCases, gridStates, closures);
        laps.Enqueue($"assembly {(watch.Elapsed - assemblyStarted).TotalMilliseconds:0} ms");
        logger.LogInformation("Evaluation of {Month} computed in {Elapsed} ms: {Laps}", ChinaMonths.Format(month), watch.ElapsedMilliseconds, string.Join(", ", laps));
        return new EvaluationResults(month, asOf, workers, departmentResults, dispatcherResults, areas);
    }

    private sealed record StaffRow(int Id, string Name, StaffRole Role, int? CommunityId);

    /// <summary>Runs one stream of queries on services of a scope of its own (its own database context and connection).</summary>
    private async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> stream)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await stream(scope.ServiceProvider);
    }

    private static IReadOnlyList<WorkerResult> Workers(IReadOnlyList<GridMonth> grids, Dictionary<int, (string Name, StaffRole Role)> staff,
        Dictionary<int, ReporterFigures> reporters, Dictionary<int, VerifierFigures> verifiers, Dictionary<int, Ratio> missed, int daysElapsed,
        ScoringRules rules)
    {
        var results = grids
            .SelectMany(g => g.People.Select(p => (Grid: g.Grid, Person: p)))
            .Where(x => staff.ContainsKey(x.Person.StaffMemberId))
            .GroupBy(x => x.Person.StaffMemberId)
            .Select(person =>
            {
                var id = person.Key;
                var rows = person.Select(x => x.Person).ToList();
                var gridsOf = person.Select(x => x.Grid).ToList();
                var reported = reporters.GetValueOrDefault(id);
                var verified = verifiers.GetValueOrDefault(id);
                var coverageDays = rows.Sum(r => r.PatrolFullCoverageDays ?? 0);
                return new WorkerResult(id, staff[id].Name, staff[id].Role, gridsOf[0].CommunityId, gridsOf.Select(g => g.Code).ToList(),
                    TimelyDiscovery: new Ratio(reported?.Timely ?? 0, reported?.Reports ?? 0),
                    AccurateDiscovery: new Ratio(reported?.Registered ?? 0, reported?.Decided ?? 0),
                    DiscoveryCoverage: new Ratio(coverageDays, daysElapsed * gridsOf.Count),
                    TimelyVerification: new Ratio(verified?.OnTime ?? 0, verified?.WithDeadline ?? 0),
                    MissedReports: gridsOf.Aggregate(Ratio.Zero, (sum, g) => sum + missed.GetValueOrDefault(g.Id, Ratio.Zero)),
                    FiveMustOnTime: new Ratio(rows.Sum(r => r.FiveMustInTime), rows.Sum(r => r.FiveMustDone)),
                    HasQuota: rows.Any(r => r.HasQuota),
                    HouseholdsVisited: rows.Sum(r => r.HouseholdsVisited),
                    Visits: rows.Sum(r => r.Visits),
                    OverdueHouseholds: rows.Sum(r => r.OverdueHouseholds),
                    FullCoverageDays: coverageDays,
                    Reports: reported?.Reports ?? 0,
                    Score: null);
            })
            .ToList();
        return EvaluationScoring.Workers(results, rules);
    }

    private static IReadOnlyList<DepartmentResult> Departments(IReadOnlyList<(int Id, string Name)> departments, IReadOnlyList<ClosureFigures> closures,
        Dictionary<int, DepartmentActionFigures> actions, Dictionary<int, WhistleFigures> whistles, Dictionary<int, DepartmentLoopFigures> loop,
        ScoringRules rules)
    {
        var closureByDepartment = closures.GroupBy(c => c.DepartmentId)
            .ToDictionary(g => g.Key, g => (Due: g.Sum(c => c.Due), Closed: g.Sum(c => c.Closed), OnTime: g.Sum(c => c.OnTime)));
        DepartmentResult Result(int key, string name)
        {
            var closure = closureByDepartment.GetValueOrDefault(key);
            var action = actions.GetValueOrDefault(key);
            var whistle = whistles.GetValueOrDefault(key);
            var extra = loop.GetValueOrDefault(key);
            return new DepartmentResult(key == 0 ? null : key, name,
                OnTimeClosure: new Ratio(closure.OnTime, closure.Due),
                Closure: new Ratio(closure.Closed, closure.Due),
                Rework: new Ratio(action?.Reworked ?? 0, action?.FedBack ?? 0),
                Return: new Ratio(action?.Returned ?? 0, action?.Dispatched ?? 0),
                WhistleOnTime: new Ratio(whistle?.OnTime ?? 0, whistle?.Summoned ?? 0),
                WhistleMedianMinutes: whistle?.MedianMinutes is { } minutes ? Math.Round(minutes, 1) : null,
                Supervised: action?.Supervised ?? 0,
                ExtensionsRequested: extra?.ExtensionsRequested ?? 0,
                ExtensionsApproved: extra?.ExtensionsApproved ?? 0,
                Dissatisfied: extra?.Dissatisfied ?? 0,
                Reopened: extra?.Reopened ?? 0,
                Score: null);
        }
        // Local handling (社区指派) is shown for comparison when it had any work, but it is not a department.
        var local = Result(0, DepartmentLoopFiguresQuery.LocalHandlingName);
        var hasLocal = local.OnTimeClosure.Denominator + local.Return.Denominator + local.Rework.Denominator + local.ExtensionsRequested > 0;
        return EvaluationScoring.Departments([.. departments.Select(d => Result(d.Id, d.Name)), .. hasLocal ? [local] : Array.Empty<DepartmentResult>()], rules);
    }

    private static List<AreaResult> Areas(IReadOnlyList<GridMonth> grids, IReadOnlyList<GridCaseFigures> gridCases,
        Dictionary<int, GridStateFigures> states, IReadOnlyList<ClosureFigures> closures)
    {
        var casesByGrid = gridCases.ToLookup(c => c.GridId);
        var closuresByGrid = closures.ToLookup(c => c.GridId);
        var gridResults = grids.Select(g =>
        {
            var cases = casesByGrid[g.Grid.Id].ToList();
            var closure = closuresByGrid[g.Grid.Id].ToList();
            var state = states.GetValueOrDefault(g.Grid.Id);
            var t = g.Totals;
            return new AreaResult(AreaLevel.Grid, g.Grid.Code, g.Grid.Name, g.Grid.CommunityId.ToString(CultureInfo.InvariantCulture),
                Reported: cases.Sum(c => c.Reported),
                Registered: cases.Sum(c => c.Registered),
                BySource: Counts(cases.Select(c => (c.Source, c.Source, c.Reported))),
                ByCategory: Counts(cases.Select(c => (c.MajorCode, c.MajorName, c.Reported))),
                OpenAtEnd: state?.OpenAtEnd ?? 0,
                OverdueAtEnd: state?.OverdueAtEnd ?? 0,
                OnTimeClosure: new Ratio(closure.Sum(c => c.OnTime), closure.Sum(c => c.Due)),
                Closure: new Ratio(closure.Sum(c => c.Closed), closure.Sum(c => c.Due)),
                HouseholdsVisited: t.HouseholdsVisited,
                Visits: t.Visits,
                QuotaMet: new Ratio(t.WorkersMetQuota, t.Workers),
                FullCoverageDays: t.PatrolFullCoverageDays ?? 0,
                HazardsFixed: new Ratio(cases.Sum(c => c.HazardsFixed), cases.Sum(c => c.HazardsFound)));
        }).ToList();
        var gridsOfCommunity = gridResults.ToLookup(r => r.ParentKey, StringComparer.Ordinal);
        var communities = grids.GroupBy(g => (g.Grid.CommunityId, g.Grid.CommunityName))
            .Select(c =>
            {
                var key = c.Key.CommunityId.ToString(CultureInfo.InvariantCulture);
                return Sum(AreaLevel.Community, key, c.Key.CommunityName, StreetKey, gridsOfCommunity[key].ToList());
            })
            .ToList();
        return [Sum(AreaLevel.Street, StreetKey, "全街道", null, gridResults), .. communities, .. gridResults];
    }

    internal static AreaResult Sum(AreaLevel level, string key, string name, string? parent, IReadOnlyList<AreaResult> parts) => new(
        level, key, name, parent,
        Reported: parts.Sum(p => p.Reported),
        Registered: parts.Sum(p => p.Registered),
        BySource: Counts(parts.SelectMany(p => p.BySource).Select(c => (c.Key, c.Name, c.Count))),
        ByCategory: Counts(parts.SelectMany(p => p.ByCategory).Select(c => (c.Key, c.Name, c.Count))),
        OpenAtEnd: parts.Sum(p => p.OpenAtEnd),
        OverdueAtEnd: parts.Sum(p => p.OverdueAtEnd),
        OnTimeClosure: parts.Aggregate(Ratio.Zero, (s, p) => s + p.OnTimeClosure),
        Closure: parts.Aggregate(Ratio.Zero, (s, p) => s + p.Closure),
        HouseholdsVisited: parts.Sum(p => p.HouseholdsVisited),
        Visits: parts.Sum(p => p.Visits),
        QuotaMet: parts.Aggregate(Ratio.Zero, (s, p) => s + p.QuotaMet),
        FullCoverageDays: parts.Sum(p => p.FullCoverageDays),
        HazardsFixed: parts.Aggregate(Ratio.Zero, (s, p) => s + p.HazardsFixed));

    internal static List<NamedCount> Counts(IEnumerable<(string Key, string Name, int Count)> counts) =>
        counts.GroupBy(c => c.Key, StringComparer.Ordinal)
            .Select(g => new NamedCount(g.Key, g.First().Name, g.Sum(c => c.Count)))
            .OrderByDescending(c => c.Count).ThenBy(c => c.Key, StringComparer.Ordinal)
            .ToList();
}
