using System.Globalization;
using System.Text;
using GridGov.Application.Common;
using GridGov.Application.Grids;
using GridGov.Domain.Calendar;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NetTopologySuite.Geometries;

namespace GridGov.Application.Patrols;

/// <summary>What a person sees of patrols: grid staff their grids (a worker lists their own patrols), a secretary their community, the street everything.</summary>
public enum PatrolViewScope
{
    None,
    OwnPatrols,
    OwnGrids,
    Community,
    Street,
}

public sealed record PatrolGridOption(int Id, string Code, string Name, string CommunityName);

public sealed record PatrolRow(
    long Id,
    string GridCode,
    string GridName,
    int PatrollerStaffId,
    string PatrollerName,
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt,
    double CoverageShare,
    int Reports,
    string? Notes);

public sealed record PatrolListPage(IReadOnlyList<PatrolRow> Rows, int Total, int Page, int PageSize)
{
    public bool HasMore => Page * PageSize < Total;
}

/// <summary>One person of the grid this month: patrols made and days with a full-coverage round of their own.</summary>
public sealed record PatrollerMonth(int StaffMemberId, string Name, GridDuty? Duty, int Patrols, int FullDays);

public sealed record PatrolOverview(
    PatrolViewScope Scope,
    IReadOnlyList<PatrolGridOption> Grids,
    PatrolGridOption? Grid,
    DateOnly Today,
    DateOnly Month,
    double? GridCoverageToday,
    double? MyCoverageToday,
    IReadOnlyList<PatrollerMonth> Patrollers,
    double BufferMeters,
    double FullCoverageShare,
    bool CanRecord)
{
    public PatrollerMonth? Me(int? staffId) => Patrollers.FirstOrDefault(p => p.StaffMemberId == staffId);
}

public sealed record PatrolFilter(string? GridCode = null, DateOnly? Month = null, int? PatrollerStaffId = null, int Page = 1);

public sealed record PatrolReportRow(string Number, CaseState State, string CategoryName, string Description, string Address, DateTimeOffset ReportedAt, double Longitude, double Latitude);

public sealed record PatrolDetailView(
    long Id,
    string GridCode,
    string GridName,
    string CommunityName,
    int PatrollerStaffId,
    string PatrollerName,
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt,
    string? Notes,
    double CoverageShare,
    double DayCoverageOfPatroller,
    double DayCoverageOfGrid,
    double LengthMeters,
    int Points,
    IReadOnlyList<PatrolReportRow> Reports,
    double BufferMeters,
    double FullCoverageShare)
{
    public DateOnly Day => WorkingCalendar.ChinaDate(StartedAt);
}

public sealed record PatrolGridChoice(string Code, string Name);

public sealed record PatrolCategoryOption(int Id, string Code, string Name);

public sealed record PatrolCategoryGroup(string Code, string Name, IReadOnlyList<PatrolCategoryOption> Categories);

public sealed record PatrolForm(IReadOnlyList<PatrolGridChoice> Grids, IReadOnlyList<PatrolCategoryGroup> Categories);

public sealed record PatrolMonthDays(string GridCode, string GridName, int? PatrollerStaffId, string? PatrollerName, DateOnly Month, DateOnly Today,
    IReadOnlyList<PatrolDayCoverage> Days, double FullCoverageShare);

/// <summary>The patrol pages' data (巡查): lists, coverage figures, one patrol, the recording form.</summary>
public sealed class PatrolQueries(IGridGovDbContext db, IPatrolCoverage coverage, IOptions<PatrolOptions> options, TimeProvider clock)
{
    public const int PageSize = 30;

    public static PatrolViewScope ScopeOf(CaseActor viewer) => viewer.Role switch
    {
        StaffRole.GridWorker => PatrolViewScope.OwnPatrols,
        StaffRole.GridLeader => PatrolViewScope.OwnGrids,
        StaffRole.CommunitySecretary => PatrolViewScope.Community,
        StaffRole.Dispatcher or StaffRole.StreetLeader or StaffRole.Administrator => PatrolViewScope.Street,
        _ => PatrolViewScope.None,
    };

    public static bool CanRecord(CaseActor viewer) => viewer.Role is StaffRole.GridWorker or StaffRole.GridLeader && viewer.GridCodes.Count > 0;

    public DateOnly Today => WorkingCalendar.ChinaDate(clock.GetUtcNow());

    public double FullCoverageShare => options.Value.FullCoverageShare;

    /// <summary>The grids the viewer may look at, in code order.</summary>
    public async Task<IReadOnlyList<PatrolGridOption>> GridsAsync(CaseActor viewer, CancellationToken cancellationToken = default)
    {
        var codes = viewer.GridCodes.ToList();
        var grids = db.Grids.AsNoTracking().Where(g => g.ValidTo == null);
        grids = ScopeOf(viewer) switch
        {
            PatrolViewScope.OwnPatrols or PatrolViewScope.OwnGrids => grids.Where(g => codes.Contains(g.Code)),
            PatrolViewScope.Community => grids.Where(g => g.CommunityId == viewer.CommunityId),
            PatrolViewScope.Street => grids,
            _ => grids.Where(_ => false),
        };
        return await grids
            .OrderBy(g => g.Code)
            .Select(g => new PatrolGridOption(g.Id, g.Code, g.Name, g.Community!.Name))
            .ToListAsync(cancellationToken);
    }

    public async Task<PatrolOverview> OverviewAsync(CaseActor viewer, string? gridCode, DateOnly? month, CancellationToken cancellationToken = default)
    {
        var scope = ScopeOf(viewer);
        var grids = await GridsAsync(viewer, cancellationToken);
        var grid = grids.FirstOrDefault(g => g.Code == gridCode?.Trim())
                   ?? (scope is PatrolViewScope.OwnPatrols or PatrolViewScope.OwnGrids ? grids.FirstOrDefault() : null);
        var today = Today;
        var chosenMonth = ChinaDays.MonthOf(month ?? today);
        var rules = options.Value;
        if (grid is null)
        {
            return new PatrolOverview(scope, grids, null, today, chosenMonth, null, null, [], rules.BufferMeters, rules.FullCoverageShare, CanRecord(viewer));
        }

        var gridToday = await coverage.DailyCoverageAsync(grid.Id, today, null, cancellationToken);
        double? mineToday = viewer.StaffMemberId is { } me && viewer.GridCodes.Contains(grid.Code)
            ? await coverage.DailyCoverageAsync(grid.Id, today, me, cancellationToken)
            : null;
        var fullDays = await coverage.FullCoverageDaysByPatrollerAsync(grid.Id, chosenMonth, cancellationToken);
        var (from, to) = ChinaDays.MonthRange(chosenMonth);
        var counts = await db.Patrols.AsNoTracking()
            .Where(p => p.GridId == grid.Id && p.StartedAt >= from && p.StartedAt < to)
            .GroupBy(p => p.PatrollerStaffId)
            .Select(g => new { StaffId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.StaffId, g => g.Count, cancellationToken);
        var assigned = await db.AssignmentsInForce(clock).AsNoTracking()
            .Where(a => a.GridCode == grid.Code)
            .Select(a => new { a.StaffMemberId, a.Duty })
            .ToListAsync(cancellationToken);
        var staffIds = assigned.Select(a => a.StaffMemberId).Concat(counts.Keys).Distinct().ToList();
        var names = await db.StaffMembers.AsNoTracking()
            .Where(s => staffIds.Contains(s.Id))
            .ToDictionaryAsync(s => s.Id, s => s.Name, cancellationToken);
        var patrollers = staffIds
            .Select(id => new PatrollerMonth(id, names.GetValueOrDefault(id, ""),
                assigned.FirstOrDefault(a => a.StaffMemberId == id)?.Duty,
                counts.GetValueOrDefault(id), fullDays.GetValueOrDefault(id)))
            // Leaders first, then workers by duty; people who only patrolled here last.
            .OrderBy(p => p.Duty is null ? 99 : (int)p.Duty.Value)
            .ThenBy(p => p.Name, StringComparer.Ordinal)
            .ToList();
        return new PatrolOverview(scope, grids, grid, today, chosenMonth, gridToday, mineToday, patrollers, rules.BufferMeters, rules.FullCoverageShare, CanRecord(viewer));
    }

    public async Task<PatrolListPage> ListAsync(CaseActor viewer, PatrolFilter filter, CancellationToken cancellationToken = default)
    {
        var page = Math.Max(1, filter.Page);
        var patrols = await VisibleAsync(viewer, cancellationToken);
        if (ScopeOf(viewer) == PatrolViewScope.OwnPatrols)
        {
            patrols = patrols.Where(p => p.PatrollerStaffId == viewer.StaffMemberId);
        }
        else if (filter.PatrollerStaffId is { } patroller)
        {
            patrols = patrols.Where(p => p.PatrollerStaffId == patroller);
        }
        if (!string.IsNullOrWhiteSpace(filter.GridCode))
        {
            var code = filter.GridCode.Trim();
            patrols = patrols.Where(p => db.Grids.Any(g => g.Id == p.GridId && g.Code == code));
        }
        if (filter.Month is { } month)
        {
            var (from, to) = ChinaDays.MonthRange(month);
            patrols = patrols.Where(p => p.StartedAt >= from && p.StartedAt < to);
        }
        var total = await patrols.CountAsync(cancellationToken);
        var rows = await patrols
            .OrderByDescending(p => p.StartedAt).ThenByDescending(p => p.Id)
            .Skip((page - 1) * PageSize).Take(PageSize)
            .Join(db.Grids, p => p.GridId, g => g.Id, (p, g) => new { p, g })
            .Join(db.StaffMembers, x => x.p.PatrollerStaffId, s => s.Id, (x, s) => new
            {
                x.p.Id,
                GridCode = x.g.Code,
                GridName = x.g.Name,
                x.p.PatrollerStaffId,
                PatrollerName = s.Name,
                x.p.StartedAt,
                x.p.EndedAt,
                x.p.CoverageShare,
                x.p.Notes,
            })
            .OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id)
            .ToListAsync(cancellationToken);
        var reports = await ReportCountsAsync(rows.ToDictionary(r => r.Id, r => r.PatrollerStaffId), cancellationToken);
        return new PatrolListPage(
            rows.Select(r => new PatrolRow(r.Id, r.GridCode, r.GridName, r.PatrollerStaffId, r.PatrollerName, r.StartedAt, r.EndedAt,
                r.CoverageShare, reports.GetValueOrDefault(r.Id), r.Notes)).ToList(),
            total, page, PageSize);
    }

    /// <summary>One patrol, when the viewer may see it.</summary>
    public async Task<PatrolDetailView?> DetailAsync(long patrolId, CaseActor viewer, CancellationToken cancellationToken = default)
    {
        var visible = await VisibleAsync(viewer, cancellationToken);
        var row = await visible
            .Where(p => p.Id == patrolId)
            .Join(db.Grids, p => p.GridId, g => g.Id, (p, g) => new { p, g })
            .Join(db.StaffMembers, x => x.p.PatrollerStaffId, s => s.Id, (x, s) => new
            {
                x.p.Id,
                x.p.GridId,
                GridCode = x.g.Code,
                GridName = x.g.Name,
                CommunityName = x.g.Community!.Name,
                x.p.PatrollerStaffId,
                PatrollerName = s.Name,
                x.p.StartedAt,
                x.p.EndedAt,
                x.p.Notes,
                x.p.CoverageShare,
                x.p.Track,
            })
            .SingleOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }
        var day = WorkingCalendar.ChinaDate(row.StartedAt);
        var ofPatroller = await coverage.DailyCoverageAsync(row.GridId, day, row.PatrollerStaffId, cancellationToken);
        var ofGrid = await coverage.DailyCoverageAsync(row.GridId, day, null, cancellationToken);
        var reports = await PatrolReports.Of(db.Cases.AsNoTracking(), row.Id, row.PatrollerStaffId)
            .Join(db.Categories, c => c.CategoryId, k => k.Id, (c, k) => new { c.Number, c.State, CategoryName = k.Name, c.Description, c.Address, c.ReportedAt, c.Location })
            .OrderBy(c => c.Number)
            .ToListAsync(cancellationToken);
        var rules = options.Value;
        return new PatrolDetailView(row.Id, row.GridCode, row.GridName, row.CommunityName, row.PatrollerStaffId, row.PatrollerName,
            row.StartedAt, row.EndedAt, row.Notes, row.CoverageShare, ofPatroller, ofGrid, LengthMeters(row.Track), row.Track.NumPoints,
            reports.Select(c => new PatrolReportRow(c.Number, c.State, c.CategoryName, c.Description, c.Address, c.ReportedAt, c.Location.X, c.Location.Y)).ToList(),
            rules.BufferMeters, rules.FullCoverageShare);
    }

    /// <summary>The map of one patrol (grid, covered area, track) when the viewer may see it.</summary>
    public async Task<string?> MapGeoJsonAsync(long patrolId, CaseActor viewer, CancellationToken cancellationToken = default)
    {
        var visible = await VisibleAsync(viewer, cancellationToken);
        return await visible.AnyAsync(p => p.Id == patrolId, cancellationToken)
            ? await coverage.PatrolMapGeoJsonAsync(patrolId, cancellationToken)
            : null;
    }

    /// <summary>Coverage of each day of a month in a grid the viewer may see: one patroller's (default: the viewer's own when they serve it) or everyone's.</summary>
    public async Task<PatrolMonthDays?> MonthDaysAsync(CaseActor viewer, string? gridCode, DateOnly? month, int? patrollerStaffId, CancellationToken cancellationToken = default)
    {
        var grid = (await GridsAsync(viewer, cancellationToken)).FirstOrDefault(g => g.Code == gridCode?.Trim());
        if (grid is null)
        {
            return null;
        }
        if (ScopeOf(viewer) == PatrolViewScope.OwnPatrols)
        {
            patrollerStaffId = viewer.StaffMemberId;
        }
        var chosenMonth = ChinaDays.MonthOf(month ?? Today);
        var days = await coverage.DaysOfMonthAsync(grid.Id, chosenMonth, patrollerStaffId, cancellationToken);
        var name = patrollerStaffId is { } id
            ? await db.StaffMembers.AsNoTracking().Where(s => s.Id == id).Select(s => s.Name).SingleOrDefaultAsync(cancellationToken)
            : null;
        return new PatrolMonthDays(grid.Code, grid.Name, patrollerStaffId, name, chosenMonth, Today, days, options.Value.FullCoverageShare);
    }

    /// <summary>What the recording form offers: the grids the person serves (the map draws them from the street's layer) and the case categories.</summary>
    public async Task<PatrolForm> FormAsync(CaseActor viewer, CancellationToken cancellationToken = default)
    {
        var codes = viewer.GridCodes.ToList();
        var choices = await db.Grids.AsNoTracking()
            .Where(g => g.ValidTo == null && codes.Contains(g.Code))
            .OrderBy(g => g.Code)
            .Select(g => new PatrolGridChoice(g.Code, g.Name))
            .ToListAsync(cancellationToken);
        var categories = await db.Categories.AsNoTracking()
            .Where(c => c.IsActive)
            .Join(db.CategoryMajors, c => c.MajorId, m => m.Id, (c, m) => new { MajorCode = m.Code, MajorName = m.Name, c.Id, c.Code, c.Name })
            .OrderBy(r => r.MajorCode).ThenBy(r => r.Code)
            .ToListAsync(cancellationToken);
        return new PatrolForm(choices, categories
            .GroupBy(r => (r.MajorCode, r.MajorName))
            .Select(g => new PatrolCategoryGroup(g.Key.MajorCode, g.Key.MajorName, g.Select(r => new PatrolCategoryOption(r.Id, r.Code, r.Name)).ToList()))
            .ToList());
    }

    /// <summary>A line as GeoJSON (for a track read from a file and shown again on the form's map).</summary>
    public static string LineGeoJson(LineString line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var text = new StringBuilder("{\"type\":\"LineString\",\"coordinates\":[");
        for (var i = 0; i < line.NumPoints; i++)
        {
            var c = line.GetCoordinateN(i);
            text.Append(i == 0 ? "[" : ",[")
                .Append(Math.Round(c.X, 7).ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(Math.Round(c.Y, 7).ToString(CultureInfo.InvariantCulture)).Append(']');
        }
        return text.Append("]}").ToString();
    }

    /// <summary>Length along the ground (great-circle), for display.</summary>
    public static double LengthMeters(LineString line)
    {
        ArgumentNullException.ThrowIfNull(line);
        const double EarthRadius = 6_371_008.8;
        double total = 0;
        for (var i = 1; i < line.NumPoints; i++)
        {
            var a = line.GetCoordinateN(i - 1);
            var b = line.GetCoordinateN(i);
            var lat1 = a.Y * Math.PI / 180;
            var lat2 = b.Y * Math.PI / 180;
            var dLat = lat2 - lat1;
            var dLon = (b.X - a.X) * Math.PI / 180;
            var h = (Math.Sin(dLat / 2) * Math.Sin(dLat / 2)) + (Math.Cos(lat1) * Math.Cos(lat2) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2));
            total += 2 * EarthRadius * Math.Asin(Math.Min(1, Math.Sqrt(h)));
        }
        return total;
    }

    private async Task<IQueryable<Domain.Patrols.Patrol>> VisibleAsync(CaseActor viewer, CancellationToken cancellationToken)
    {
        var patrols = db.Patrols.AsNoTracking();
        switch (ScopeOf(viewer))
        {
            case PatrolViewScope.OwnPatrols or PatrolViewScope.OwnGrids:
                var codes = viewer.GridCodes.ToList();
                var gridIds = await db.Grids.AsNoTracking().Where(g => codes.Contains(g.Code)).Select(g => g.Id).ToListAsync(cancellationToken);
                // A worker also sees their own patrols of grids they no longer serve.
                return patrols.Where(p => gridIds.Contains(p.GridId) || p.PatrollerStaffId == viewer.StaffMemberId);
            case PatrolViewScope.Community:
                return patrols.Where(p => db.Grids.Any(g => g.Id == p.GridId && g.CommunityId == viewer.CommunityId));
            case PatrolViewScope.Street:
                return patrols;
            default:
                return patrols.Where(_ => false);
        }
    }

    /// <param name="patrollers">Patrol id → its patroller: a patrol's reports are the patroller's own (keys are per author).</param>
    private async Task<Dictionary<long, int>> ReportCountsAsync(Dictionary<long, int> patrollers, CancellationToken cancellationToken)
    {
        if (patrollers.Count == 0)
        {
            return [];
        }
        var owner = new Dictionary<Guid, long>();
        foreach (var id in patrollers.Keys)
        {
            foreach (var submission in PatrolReports.SubmissionIds(id))
            {
                owner[submission!.Value] = id;
            }
        }
        var keys = owner.Keys.Select(k => (Guid?)k).ToList();
        var found = await db.Cases.AsNoTracking()
            .Where(c => c.SubmissionPurpose == SubmissionPurpose.PatrolReport && keys.Contains(c.SubmissionId))
            .Select(c => new { Key = c.SubmissionId!.Value, c.ReporterStaffId })
            .ToListAsync(cancellationToken);
        return found.Where(f => f.ReporterStaffId == patrollers[owner[f.Key]])
            .GroupBy(f => owner[f.Key]).ToDictionary(g => g.Key, g => g.Count());
    }
}
