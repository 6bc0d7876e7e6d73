using System.Globalization;
using GridGov.Application.Common;
using GridGov.Application.Patrols;
using GridGov.Application.Visits;
using GridGov.Domain.Calendar;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace GridGov.Application.Reviews;

/// <summary>One person of a grid in a month: what the grid leader reviews.</summary>
public sealed record ReviewWorkerRow(
    int StaffMemberId,
    string Name,
    GridDuty Duty,
    int HouseholdsVisited,
    int Visits,
    int OverdueHouseholds,
    int FiveMustInTime,
    int FiveMustDone,
    int? PatrolFullCoverageDays,
    int Reports)
{
    /// <summary>The quota applies to grid workers, not to the leader.</summary>
    public bool HasQuota => Duty != GridDuty.Leader;
}

/// <summary>Figures of a grid, or summed over grids.</summary>
public sealed record ReviewFigures(
    int Grids,
    int GridsSignedOff,
    int Households,
    int Workers,
    int WorkersMetQuota,
    int Visits,
    int HouseholdsVisited,
    int OverdueHouseholds,
    int FiveMustDue,
    int FiveMustInTime,
    int? PatrolFullCoverageDays,
    int Reports)
{
    public static ReviewFigures Zero { get; } = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public ReviewFigures Plus(ReviewFigures other) => new(
        Grids + other.Grids, GridsSignedOff + other.GridsSignedOff, Households + other.Households, Workers + other.Workers,
        WorkersMetQuota + other.WorkersMetQuota, Visits + other.Visits, HouseholdsVisited + other.HouseholdsVisited,
        OverdueHouseholds + other.OverdueHouseholds, FiveMustDue + other.FiveMustDue, FiveMustInTime + other.FiveMustInTime,
        PatrolFullCoverageDays + other.PatrolFullCoverageDays, Reports + other.Reports);
}

/// <summary>A grid's month for its review page; <see cref="Version"/> is the review's row version (0: none saved yet), which a save carries back.</summary>
public sealed record GridReview(
    ReviewGrid Grid,
    DateOnly Month,
    int Quota,
    bool MonthOver,
    DateOnly OverdueAsOf,
    IReadOnlyList<ReviewWorkerRow> Workers,
    ReviewFigures Totals,
    int OverdueUnattributed,
    string? Comment,
    DateTimeOffset? SignedOffAt,
    string? SignedOffByName,
    bool IsLeader,
    uint Version)
{
    public bool IsSignedOff => SignedOffAt is not null;

    public bool CanSignOff => IsLeader && MonthOver && !IsSignedOff;

    public bool CanComment => IsLeader && !IsSignedOff;
}

/// <summary>A grid's month: its people's rows and its totals.</summary>
public sealed record GridMonth(ReviewGrid Grid, IReadOnlyList<ReviewWorkerRow> People, ReviewFigures Totals);

public enum ReviewLevel
{
    Street,     // one row per community
    Community,  // one row per grid of a community
    Grids,      // a grid leader's own grids
}

/// <summary>A row of a roll-up: a community (Key = its id) or a grid (Key = its code).</summary>
public sealed record ReviewRollUpRow(string Key, string Code, string Name, ReviewFigures Figures);

public sealed record ReviewRollUp(
    DateOnly Month,
    DateOnly CurrentMonth,
    ReviewLevel Level,
    int? CommunityId,
    string? CommunityName,
    int Quota,
    IReadOnlyList<ReviewRollUpRow> Rows,
    ReviewFigures Totals);

/// <summary>A review as a table for a spreadsheet: Chinese headers, column widths, and text rows.</summary>
public sealed record ReviewTable(string SheetName, string FileStem, IReadOnlyList<string> Headers, IReadOnlyList<double> Widths, IReadOnlyList<IReadOnlyList<string>> Rows);

/// <summary>
/// The grid leader's monthly review (月度审核), per person of a grid, and its roll-ups for a community and the street.
/// Definitions (shown on the pages too):
/// visits = distinct households visited in the grid in the China-time month (quota for grid workers);
/// overdue = households whose 三必访 period ended unvisited, as of the month's end (or today for the running month),
/// attributed to whoever of the grid visited the household last (never visited: the grid only);
/// five-must = demands of the grid's households due in the month, done in time when visited by the due time;
/// patrol days = days whose own tracks covered the grid fully (patrol coverage);
/// reports = cases in the grid reported by the person in the month.
/// </summary>
public sealed class MonthlyReviewQueries(IGridGovDbContext db, IPatrolCoverage coverage, IHouseholdVisitSql householdVisits, IOptions<VisitOptions> options,
    TimeProvider clock)
{
    public int Quota => options.Value.MonthlyQuota;

    public DateOnly CurrentMonth => ChinaMonths.MonthOf(clock.GetUtcNow());

    /// <summary>The previous month: the one a leader signs off now.</summary>
    public DateOnly DefaultMonth => CurrentMonth.AddMonths(-1);

    public async Task<GridReview> GridAsync(string gridCode, DateOnly month, CaseActor actor, CancellationToken cancellationToken = default)
    {
        month = ChinaMonths.MonthOf(month);
        var grid = (await ReviewScope.GridsAsync(db, actor, null, WorkingCalendar.ChinaDate(clock.GetUtcNow()), cancellationToken)).SingleOrDefault(g => g.Code == gridCode)
            ?? throw ReviewScope.Forbidden();
        var figures = (await ComputeAsync([grid], month, withPatrols: true, withWorkers: true, cancellationToken))[grid.Id];
        var review = await db.MonthlyReviews.AsNoTracking()
            .Where(r => r.GridCode == gridCode && r.Month == month)
            .Select(r => new
            {
                r.Comment,
                r.SignedOffAt,
                r.Version,
                SignedOffBy = db.StaffMembers.Where(s => s.Id == r.SignedOffByStaffId).Select(s => s.Name).SingleOrDefault(),
            })
            .SingleOrDefaultAsync(cancellationToken);
        return new GridReview(grid, month, Quota, MonthOver(month), figures.OverdueAsOf, figures.Workers, figures.Totals, figures.OverdueUnattributed,
            review?.Comment, review?.SignedOffAt, review?.SignedOffBy, await ReviewScope.LeadsAsync(db, actor, gridCode, WorkingCalendar.ChinaDate(clock.GetUtcNow()), cancellationToken),
            review?.Version ?? 0);
    }

    /// <summary>
    /// What /reviews shows: the street by community (or one community's grids when <paramref name="communityId"/>
    /// is given), a secretary their community's grids, a grid leader their own grids.
    /// </summary>
    public async Task<ReviewRollUp> RollUpAsync(DateOnly month, CaseActor actor, int? communityId, CancellationToken cancellationToken = default) =>
        await RollUpAsync(month, actor, communityId, withPatrols: null, cancellationToken);

    /// <summary>
    /// Patrol coverage is computed in PostGIS per grid and day; for the whole street it costs more than a page may
    /// take, so the street's page leaves it to the community pages (and the export) unless asked.
    /// </summary>
    private async Task<ReviewRollUp> RollUpAsync(DateOnly month, CaseActor actor, int? communityId, bool? withPatrols, CancellationToken cancellationToken)
    {
        month = ChinaMonths.MonthOf(month);
        var street = ReviewScope.IsStreet(actor);
        var level = street ? (communityId is null ? ReviewLevel.Street : ReviewLevel.Community)
            : actor.Role == StaffRole.CommunitySecretary ? ReviewLevel.Community
            : ReviewLevel.Grids;
        var grids = await ReviewScope.GridsAsync(db, actor, street ? communityId : null, WorkingCalendar.ChinaDate(clock.GetUtcNow()), cancellationToken);
        var figures = await ComputeAsync(grids, month, withPatrols ?? level != ReviewLevel.Street, withWorkers: false, cancellationToken);
        var rows = level == ReviewLevel.Street
            ? grids.GroupBy(g => (g.CommunityId, g.CommunityName))
                .Select(c => new ReviewRollUpRow(c.Key.CommunityId.ToString(CultureInfo.InvariantCulture), c.First().Code[..12], c.Key.CommunityName,
                    c.Aggregate(ReviewFigures.Zero, (sum, g) => sum.Plus(figures[g.Id].Totals))))
                .ToList()
            : grids.Select(g => new ReviewRollUpRow(g.Code, g.Code, g.Name, figures[g.Id].Totals)).ToList();
        var community = level == ReviewLevel.Community && grids.Count > 0 ? grids[0] : null;
        return new ReviewRollUp(month, CurrentMonth, level, community?.CommunityId ?? communityId, community?.CommunityName, Quota, rows,
            rows.Aggregate(ReviewFigures.Zero, (sum, r) => sum.Plus(r.Figures)));
    }

    public async Task<ReviewTable> GridTableAsync(string gridCode, DateOnly month, CaseActor actor, CancellationToken cancellationToken = default)
    {
        var review = await GridAsync(gridCode, month, actor, cancellationToken);
        var headers = new[] { "姓名", "职责", "走访户数", $"走访配额", "是否达标", "走访次数", "逾期未访户数", "五必到按时", "五必到完成", "满覆盖巡查天数", "上报问题数" };
        var rows = review.Workers.Select(w => (IReadOnlyList<string>)
        [
            w.Name, w.Duty.ChineseName(), Number(w.HouseholdsVisited), w.HasQuota ? Number(review.Quota) : "", w.HasQuota ? (w.HouseholdsVisited >= review.Quota ? "达标" : "未达标") : "不计配额",
            Number(w.Visits), Number(w.OverdueHouseholds), Number(w.FiveMustInTime), Number(w.FiveMustDone), Number(w.PatrolFullCoverageDays), Number(w.Reports),
        ]).ToList();
        var t = review.Totals;
        rows.Add(["合计", $"{t.WorkersMetQuota}/{t.Workers}人达标", Number(t.HouseholdsVisited), "", "", Number(t.Visits), Number(t.OverdueHouseholds),
            Number(t.FiveMustInTime), $"应到{t.FiveMustDue}", Number(t.PatrolFullCoverageDays), Number(t.Reports)]);
        rows.Add([]);
        rows.Add(["网格", $"{review.Grid.Code} {review.Grid.Name}（{review.Grid.CommunityName}）"]);
        rows.Add(["月份", review.Month.ToString("yyyy年M月", CultureInfo.InvariantCulture)]);
        rows.Add(["审核意见", review.Comment ?? ""]);
        rows.Add(["签署", review.SignedOffAt is { } at ? $"{review.SignedOffByName} {WorkingCalendar.ToChinaTime(at):yyyy-MM-dd HH:mm}" : "未签署"]);
        var stem = $"月度审核-{review.Grid.Code}-{ChinaMonths.Format(review.Month)}";
        return new ReviewTable("月度审核", stem, headers, [12, 12, 10, 10, 10, 10, 12, 12, 12, 14, 12], rows);
    }

    public async Task<ReviewTable> RollUpTableAsync(DateOnly month, CaseActor actor, int? communityId, CancellationToken cancellationToken = default)
    {
        var rollUp = await RollUpAsync(month, actor, communityId, withPatrols: true, cancellationToken);
        var headers = new[] { rollUp.Level == ReviewLevel.Street ? "社区" : "网格", "编码", "网格数", "已签署", "网格员", "达标人数", "走访户数", "走访次数", "逾期未访户数", "五必到应到", "五必到按时", "满覆盖巡查人天", "上报问题数" };
        IReadOnlyList<string> Row(string name, string code, ReviewFigures f) =>
        [
            name, code, Number(f.Grids), Number(f.GridsSignedOff), Number(f.Workers), Number(f.WorkersMetQuota), Number(f.HouseholdsVisited), Number(f.Visits),
            Number(f.OverdueHouseholds), Number(f.FiveMustDue), Number(f.FiveMustInTime), Number(f.PatrolFullCoverageDays), Number(f.Reports),
        ];
        var rows = rollUp.Rows.Select(r => Row(r.Name, r.Code, r.Figures)).ToList();
        rows.Add(Row("合计", "", rollUp.Totals));
        var scope = rollUp.CommunityName ?? (rollUp.Level == ReviewLevel.Street ? "街道" : "网格");
        return new ReviewTable("月度审核汇总", $"月度审核汇总-{scope}-{ChinaMonths.Format(rollUp.Month)}", headers,
            [16, 16, 8, 8, 8, 8, 10, 10, 12, 10, 10, 14, 10], rows);
    }

    /// <summary>Every current grid's month with its people, patrol days included (the monthly evaluation's visit and patrol figures).</summary>
    public async Task<IReadOnlyList<GridMonth>> EveryGridAsync(DateOnly month, CancellationToken cancellationToken = default)
    {
        var grids = await ReviewScope.EveryGridAsync(db, cancellationToken);
        var figures = await ComputeAsync(grids, ChinaMonths.MonthOf(month), withPatrols: true, withWorkers: true, cancellationToken);
        return grids.Select(g => new GridMonth(g, figures[g.Id].Workers, figures[g.Id].Totals)).ToList();
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Number(int? value) => value is { } v ? Number(v) : "";

    private bool MonthOver(DateOnly month) => WorkingCalendar.ChinaDate(clock.GetUtcNow()) >= month.AddMonths(1);

    private sealed record GridFigures(IReadOnlyList<ReviewWorkerRow> Workers, ReviewFigures Totals, int OverdueUnattributed, DateOnly OverdueAsOf);

    /// <summary>Every figure of the grids' month in a fixed number of queries, whatever the number of grids.</summary>
    /// <param name="withWorkers">Attribute overdue households to people (the grid page); roll-ups show grid totals only.</param>
    private async Task<Dictionary<int, GridFigures>> ComputeAsync(IReadOnlyList<ReviewGrid> grids, DateOnly month, bool withPatrols, bool withWorkers, CancellationToken cancellationToken)
    {
        var gridIds = grids.Select(g => g.Id).ToList();
        var codes = grids.Select(g => g.Code).ToList();
        var (start, end) = ChinaMonths.RangeOf(month);
        var now = clock.GetUtcNow();
        var monthOver = now >= end;

        var people = await db.AssignmentsInForce(clock).AsNoTracking()
            .Where(a => codes.Contains(a.GridCode))
            .Join(db.StaffMembers, a => a.StaffMemberId, s => s.Id, (a, s) => new { a.GridCode, s.Id, s.Name, a.Duty })
            .ToListAsync(cancellationToken);

        var tallies = await householdVisits.TallyAsync(gridIds, start, end, cancellationToken);

        // Overdue as of the month's end: on the first day after it, a period that ended with the month is "previous".
        var asOfMoment = monthOver ? end : now;
        var asOfDay = monthOver ? month.AddMonths(1) : WorkingCalendar.ChinaDate(now);
        var households = await HouseholdSchedules.CountAsync(householdVisits, gridIds, asOfMoment, asOfDay, withLastVisitor: withWorkers, cancellationToken);

        var demands = await db.VisitDemands.AsNoTracking()
            .Where(d => d.DueBy >= start && d.DueBy < end)
            .Join(db.Households.Where(h => gridIds.Contains(h.GridId)), d => d.HouseholdId, h => h.Id, (d, h) => new
            {
                h.GridId,
                d.DueBy,
                d.FulfilledAt,
                VisitorStaffId = db.Visits.Where(v => v.Id == d.FulfilledByVisitId).Select(v => (int?)v.VisitorStaffId).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);

        var patrols = withPatrols ? await coverage.FullCoverageDaysAsync(gridIds, month, cancellationToken) : [];

        var reports = await db.Cases.AsNoTracking()
            .Where(c => gridIds.Contains(c.GridId) && c.ReportedAt >= start && c.ReportedAt < end && c.ReporterStaffId != null)
            .GroupBy(c => new { c.GridId, c.ReporterStaffId })
            .Select(g => new { g.Key.GridId, g.Key.ReporterStaffId, Count = g.Count() })
            .ToListAsync(cancellationToken);

        var signedOff = (await db.MonthlyReviews.AsNoTracking()
            .Where(r => codes.Contains(r.GridCode) && r.Month == month && r.SignedOffAt != null)
            .Select(r => r.GridCode)
            .ToListAsync(cancellationToken)).ToHashSet();

        var peopleByGrid = people.ToLookup(p => p.GridCode);
        var visitsByGrid = tallies.ByVisitor.ToLookup(v => v.GridId);
        var overdueByGrid = households.Overdue.ToLookup(h => h.GridId);
        var demandsByGrid = demands.ToLookup(d => d.GridId);
        var patrolsByGrid = patrols.ToLookup(x => x.GridId);
        var reportsByGrid = reports.ToLookup(r => r.GridId);
        var result = new Dictionary<int, GridFigures>(grids.Count);
        foreach (var grid in grids)
        {
            // A person with two duties in one grid is listed once, under the first duty.
            var staff = peopleByGrid[grid.Code]
                .GroupBy(p => p.Id)
                .Select(g => g.OrderBy(p => p.Duty).First())
                .OrderBy(p => p.Duty == GridDuty.Leader ? 1 : 0).ThenBy(p => p.Duty).ThenBy(p => p.Name, StringComparer.Ordinal)
                .ToList();
            var staffIds = staff.Select(p => p.Id).ToHashSet();
            var gridVisits = visitsByGrid[grid.Id].ToDictionary(v => v.VisitorStaffId);
            var gridOverdue = overdueByGrid[grid.Id].ToList();
            var gridDemands = demandsByGrid[grid.Id].ToList();
            var gridPatrols = patrolsByGrid[grid.Id].ToList();
            var gridReports = reportsByGrid[grid.Id].ToList();
            var rows = staff.Select(p =>
            {
                var own = gridVisits.GetValueOrDefault(p.Id);
                var done = gridDemands.Where(d => d.VisitorStaffId == p.Id).ToList();
                return new ReviewWorkerRow(p.Id, p.Name, p.Duty,
                    own?.Households ?? 0,
                    own?.Visits ?? 0,
                    gridOverdue.Where(h => h.LastVisitorStaffId == p.Id).Sum(h => h.Households),
                    done.Count(d => d.FulfilledAt <= d.DueBy),
                    done.Count,
                    withPatrols ? gridPatrols.Where(x => x.PatrollerStaffId == p.Id).Sum(x => x.Days) : null,
                    gridReports.Where(r => r.ReporterStaffId == p.Id).Sum(r => r.Count));
            }).ToList();
            var workers = rows.Where(r => r.HasQuota).ToList();
            var totals = new ReviewFigures(
                Grids: 1,
                GridsSignedOff: signedOff.Contains(grid.Code) ? 1 : 0,
                Households: households.HouseholdsPerGrid.GetValueOrDefault(grid.Id),
                Workers: workers.Count,
                WorkersMetQuota: workers.Count(w => w.HouseholdsVisited >= Quota),
                Visits: gridVisits.Values.Sum(v => v.Visits),
                HouseholdsVisited: tallies.HouseholdsPerGrid.GetValueOrDefault(grid.Id),
                OverdueHouseholds: gridOverdue.Sum(h => h.Households),
                FiveMustDue: gridDemands.Count,
                FiveMustInTime: gridDemands.Count(d => d.FulfilledAt <= d.DueBy),
                PatrolFullCoverageDays: withPatrols ? gridPatrols.Sum(x => x.Days) : null,
                Reports: gridReports.Sum(r => r.Count));
            var unattributed = gridOverdue.Where(h => h.LastVisitorStaffId is not { } id || !staffIds.Contains(id)).Sum(h => h.Households);
            result[grid.Id] = new GridFigures(rows, totals, unattributed, monthOver ? month.AddMonths(1).AddDays(-1) : asOfDay);
        }
        return result;
    }
}
