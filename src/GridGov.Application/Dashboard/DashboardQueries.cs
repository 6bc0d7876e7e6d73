using GridGov.Application.Common;
using GridGov.Domain.Calendar;
using GridGov.Domain.Cases;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Application.Dashboard;

/// <summary>The dispatch center's live counters; each one is a filter of the case list.</summary>
public sealed record DashboardCounters(
    int AwaitingRegistration,
    int ToDispatch,
    int InProgress,
    int Overdue,
    int Supervised,
    int ClosedToday,
    int Open,
    DateTimeOffset At);

public sealed record CaseMarker(
    string Number,
    CaseState State,
    string CategoryName,
    string GridCode,
    double Longitude,
    double Latitude,
    DeadlineWarning Warning,
    DateTimeOffset? Due,
    bool IsSupervised);

/// <summary>Open cases for the map; <see cref="Truncated"/> when there were more than <see cref="DashboardQueries.MaxMarkers"/>.</summary>
public sealed record CaseMarkers(IReadOnlyList<CaseMarker> Cases, bool Truncated);

public sealed record CategoryCount(string Code, string Name, int Cases);

public sealed record DailyCount(DateOnly Day, int Reported, int Closed);

/// <summary>结案率 of one department this month: closed ÷ due (see <see cref="DashboardQueries.ChartsAsync"/>).</summary>
public sealed record DepartmentClosure(int DepartmentId, string Name, int Due, int Closed)
{
    public double Rate => Due == 0 ? 0 : (double)Closed / Due;
}

/// <summary>This month's figures, the month being the calendar month in China time.</summary>
public sealed record DashboardCharts(
    DateOnly Month,
    DateOnly Today,
    IReadOnlyList<CategoryCount> ByCategory,
    IReadOnlyList<DailyCount> Daily,
    IReadOnlyList<DepartmentClosure> Departments);

public sealed record GridCaseRow(
    string Number,
    CaseState State,
    string CategoryName,
    string Address,
    DateTimeOffset ReportedAt,
    DateTimeOffset? Due,
    DeadlineWarning Warning,
    bool IsSupervised);

public sealed record GridOpenCases(string GridCode, string GridName, IReadOnlyList<GridCaseRow> Cases, int Total);

/// <summary>
/// What the dispatch center's dashboard (指挥中心) shows: counters, open cases on the map, this month's
/// charts, and one grid's open cases. Every query is bounded: open cases (state index), running clocks
/// (ix_cases_running_clock), one grid (grid_id index), or one month (reported_at on the category index).
/// </summary>
public sealed class DashboardQueries(IGridGovDbContext db, IDashboardSpatialQueries spatial, TimeProvider clock)
{
    /// <summary>The most markers the map gets; beyond this the most urgent ones are kept.</summary>
    public const int MaxMarkers = 2000;

    public static readonly CaseState[] AwaitingRegistrationStates = [CaseState.Reported];
    public static readonly CaseState[] ToDispatchStates = [CaseState.Registered, CaseState.Returned];
    public static readonly CaseState[] InProgressStates = [CaseState.Dispatched, CaseState.InProgress];
    /// <summary>结案 for a department: the result passed verification (then archived).</summary>
    public static readonly CaseState[] ClosedStates = [CaseState.Verified, CaseState.Archived];

    public async Task<DashboardCounters> CountersAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var today = WorkingCalendar.ChinaDate(now);
        var todayStart = StartOfChinaDay(today);
        var tomorrowStart = StartOfChinaDay(today.AddDays(1));
        var cases = db.Cases.AsNoTracking();

        // One pass over the open cases on the (state, reported_at) index gives five of the counters.
        var byState = await cases
            .Where(c => CaseWorkflow.OpenStates.Contains(c.State))
            .GroupBy(c => c.State)
            .Select(g => new { State = g.Key, Cases = g.Count(), Supervised = g.Count(c => c.IsSupervised) })
            .ToListAsync(cancellationToken);
        // The partial index ix_cases_running_clock holds only cases whose clock runs.
        var overdue = await cases.CountAsync(c => c.CurrentDue != null && c.CurrentDue <= now, cancellationToken);
        var closedToday = await cases.CountAsync(
            c => c.State == CaseState.Archived && c.ClosedAt >= todayStart && c.ClosedAt < tomorrowStart, cancellationToken);

        int Sum(CaseState[] states) => byState.Where(s => states.Contains(s.State)).Sum(s => s.Cases);
        return new DashboardCounters(
            Sum(AwaitingRegistrationStates),
            Sum(ToDispatchStates),
            Sum(InProgressStates),
            overdue,
            byState.Sum(s => s.Supervised),
            closedToday,
            byState.Sum(s => s.Cases),
            now);
    }

    public async Task<CaseMarkers> MarkersAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var rows = await spatial.CaseLocationsAsync(CaseWorkflow.OpenStates, MaxMarkers + 1, cancellationToken);
        var markers = rows.Take(MaxMarkers)
            .Select(r => new CaseMarker(r.Number, Enum.Parse<CaseState>(r.State), r.CategoryName, r.GridCode, r.Longitude, r.Latitude,
                DeadlineWarnings.Of(r.CurrentDue, r.WarningAt, now), r.CurrentDue, r.IsSupervised))
            .ToList();
        return new CaseMarkers(markers, rows.Count > MaxMarkers);
    }

    /// <summary>
    /// This month in China time: cases reported by major class, reported and archived per day, and each
    /// department's closure rate (结案率 = closed ÷ due, domain §7). Due (应结): cases dispatched to the
    /// department whose handling deadline fell this month and has passed, plus those it fed back this month
    /// that were then verified; closed (已结): those of them verified or archived.
    /// </summary>
    public async Task<DashboardCharts> ChartsAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var today = WorkingCalendar.ChinaDate(now);
        var first = new DateOnly(today.Year, today.Month, 1);
        var start = StartOfChinaDay(first);
        var end = StartOfChinaDay(first.AddMonths(1));
        var cases = db.Cases.AsNoTracking();
        var reportedThisMonth = cases.Where(c => c.ReportedAt >= start && c.ReportedAt < end);

        var byMajor = await reportedThisMonth
            .Join(db.Categories, c => c.CategoryId, k => k.Id, (c, k) => k.MajorId)
            .GroupBy(majorId => majorId)
            .Select(g => new { MajorId = g.Key, Cases = g.Count() })
            .ToListAsync(cancellationToken);
        var majors = await db.CategoryMajors.AsNoTracking()
            .Select(m => new { m.Id, m.Code, m.Name })
            .ToDictionaryAsync(m => m.Id, cancellationToken);
        var byCategory = byMajor
            .Select(m => new CategoryCount(majors[m.MajorId].Code, majors[m.MajorId].Name, m.Cases))
            .OrderByDescending(c => c.Cases).ThenBy(c => c.Code, StringComparer.Ordinal)
            .ToList();

        // Whole days since the month began, counted in the database: China keeps no daylight saving, so a day is 24 h.
        var reportedPerDay = await reportedThisMonth
            .GroupBy(c => (c.ReportedAt - start).Days)
            .Select(g => new { Day = g.Key, Cases = g.Count() })
            .ToDictionaryAsync(d => d.Day, d => d.Cases, cancellationToken);
        var closedPerDay = await cases
            .Where(c => c.State == CaseState.Archived && c.ClosedAt >= start && c.ClosedAt < end)
            .GroupBy(c => (c.ClosedAt!.Value - start).Days)
            .Select(g => new { Day = g.Key, Cases = g.Count() })
            .ToDictionaryAsync(d => d.Day, d => d.Cases, cancellationToken);
        var daily = Enumerable.Range(0, today.Day)
            .Select(i => new DailyCount(first.AddDays(i), reportedPerDay.GetValueOrDefault(i), closedPerDay.GetValueOrDefault(i)))
            .ToList();

        var closure = await cases
            .Where(c => c.AssignedDepartmentId != null && c.HandleDue != null
                        && ((c.HandleDue >= start && c.HandleDue < now)
                            || (ClosedStates.Contains(c.State) && c.FeedbackAt >= start)))
            .GroupBy(c => c.AssignedDepartmentId!.Value)
            .Select(g => new { DepartmentId = g.Key, Due = g.Count(), Closed = g.Count(c => ClosedStates.Contains(c.State)) })
            .ToListAsync(cancellationToken);
        var departmentIds = closure.Select(c => c.DepartmentId).ToList();
        var names = await db.Departments.AsNoTracking()
            .Where(d => departmentIds.Contains(d.Id))
            .Select(d => new { d.Id, d.Name })
            .ToDictionaryAsync(d => d.Id, d => d.Name, cancellationToken);
        var departments = closure
            .Select(c => new DepartmentClosure(c.DepartmentId, names.GetValueOrDefault(c.DepartmentId, "—"), c.Due, c.Closed))
            .OrderBy(d => d.Rate).ThenByDescending(d => d.Due).ThenBy(d => d.DepartmentId) // who needs attention first
            .ToList();

        return new DashboardCharts(first, today, byCategory, daily, departments);
    }

    /// <summary>A grid's open cases, most urgent first; null when no current grid has that code.</summary>
    public async Task<GridOpenCases?> GridCasesAsync(string gridCode, int take = 10, CancellationToken cancellationToken = default)
    {
        var grid = await db.Grids.AsNoTracking()
            .Where(g => g.Code == gridCode && g.ValidTo == null)
            .Select(g => new { g.Id, g.Code, g.Name })
            .FirstOrDefaultAsync(cancellationToken);
        if (grid is null)
        {
            return null;
        }
        var now = clock.GetUtcNow();
        var open = db.Cases.AsNoTracking().Where(c => c.GridId == grid.Id && CaseWorkflow.OpenStates.Contains(c.State));
        var total = await open.CountAsync(cancellationToken);
        var rows = await open
            .OrderBy(c => c.CurrentDue == null).ThenBy(c => c.CurrentDue).ThenByDescending(c => c.ReportedAt)
            .Take(take)
            .Join(db.Categories, c => c.CategoryId, k => k.Id, (c, k) => new
            {
                c.Number, c.State, Category = k.Name, c.Address, c.ReportedAt, c.CurrentDue, c.WarningAt, c.IsSupervised,
            })
            .ToListAsync(cancellationToken);
        var list = rows
            .Select(r => new GridCaseRow(r.Number, r.State, r.Category, r.Address, r.ReportedAt, r.CurrentDue,
                DeadlineWarnings.Of(r.CurrentDue, r.WarningAt, now), r.IsSupervised))
            .ToList();
        return new GridOpenCases(grid.Code, grid.Name, list, total);
    }

    /// <summary>Midnight in China of <paramref name="date"/>, as UTC (what timestamptz parameters need).</summary>
    public static DateTimeOffset StartOfChinaDay(DateOnly date) =>
        new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), WorkingCalendar.ChinaOffset).ToUniversalTime();

}
