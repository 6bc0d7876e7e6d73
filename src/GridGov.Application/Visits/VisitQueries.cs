using GridGov.Application.Audit;
using GridGov.Application.Common;
using GridGov.Application.Ledgers;
using GridGov.Domain.Audit;
using GridGov.Domain.Calendar;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Ledgers;
using GridGov.Domain.Organisation;
using GridGov.Domain.Visits;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace GridGov.Application.Visits;

public sealed record VisitGrid(int Id, string Code, string Name);

/// <summary>A grid leader or worker the viewer may look at, with their distinct households visited this month.</summary>
public sealed record VisitTeamMember(int StaffMemberId, string Name, string GridCode, GridDuty Duty, int HouseholdsVisited);

public sealed record VisitRow(
    long Id,
    int HouseholdId,
    string Address,
    DateTimeOffset VisitedAt,
    string Findings,
    string? Companions,
    string? RaisedCaseNumber,
    FiveMustReason? DemandReason,
    bool Frozen);

public sealed record MustVisitRow(int HouseholdId, string Address, VisitFrequency Frequency, DateOnly? LastVisit, DateOnly NextDue, bool Overdue);

public sealed record DemandRow(
    long Id,
    int HouseholdId,
    string Address,
    FiveMustReason Reason,
    DateTimeOffset CreatedAt,
    DateTimeOffset DueBy,
    bool Overdue,
    string? CaseNumber,
    string? Note);

/// <summary>Distinct households visited in a month against the quota.</summary>
public sealed record VisitQuota(int HouseholdsVisited, int Visits, int Quota)
{
    public bool Met => HouseholdsVisited >= Quota;

    public int Percent => Quota <= 0 ? 100 : Math.Min(100, HouseholdsVisited * 100 / Quota);
}

/// <summary>
/// One grid worker's visits page: the month's progress, what is due, and what was done. <paramref name="HasQuota"/>: the
/// monthly quota applies (a grid worker); a grid leader who only leads grids reviews the quota and is not held to it, as
/// on the monthly review. The lists hold their first page (<see cref="VisitQueries.MustVisitLimit"/>,
/// <see cref="VisitQueries.VisitListLimit"/>); the rest come a page at a time.
/// </summary>
public sealed record WorkerVisitMonth(
    int StaffMemberId,
    string Name,
    StaffRole Role,
    IReadOnlyList<VisitGrid> Grids,
    DateOnly Month,
    DateOnly Today,
    VisitQuota Quota,
    bool HasQuota,
    IReadOnlyList<VisitRow> Visits,
    IReadOnlyList<MustVisitRow> MustVisit,
    int MustVisitTotal,
    int MustVisitOverdue,
    IReadOnlyList<DemandRow> OpenDemands);

/// <summary>One page of a list of the visits page, and how many rows the whole list has.</summary>
public sealed record VisitListPage<T>(IReadOnlyList<T> Rows, int Total);

public sealed record VisitsPage(WorkerVisitMonth? Worker, IReadOnlyList<VisitTeamMember> Team, bool CanRecord, DateOnly Month, DateOnly CurrentMonth);

public sealed record HouseholdHit(int Id, string Address, string GridCode, string? HeadName, int Members);

/// <summary>A member of the household being visited; the phone masked (typing a new one replaces it).</summary>
public sealed record HouseholdResident(int Id, string Name, string? MaskedPhone, PopulationKind Kind, IReadOnlyList<ResidentGroup> Groups, bool IsHead);

/// <summary>A household as the visitor sees it before a visit (sensitive tags left out).</summary>
public sealed record HouseholdForVisit(
    int Id,
    string Address,
    string Dwelling,
    HouseholdKind Kind,
    VisitGrid Grid,
    IReadOnlyList<HouseholdResident> Residents,
    VisitFrequency Frequency,
    DateOnly? LastVisit,
    DateOnly NextDue,
    bool Overdue,
    IReadOnlyList<DemandRow> OpenDemands,
    IReadOnlyList<VisitRow> RecentVisits);

public sealed record VisitCategoryGroup(string Code, string Name, IReadOnlyList<VisitCategoryOption> Minors);

public sealed record VisitCategoryOption(int Id, string Code, string Name);

/// <summary>A visit as its author edits it; <paramref name="Version"/> goes back with the amendment (a visit changed since is refused).</summary>
public sealed record VisitForEdit(long Id, int HouseholdId, string Address, DateTimeOffset VisitedAt, string Findings, string? Companions, bool Frozen, uint Version);

/// <summary>The data of the visit pages (走访): a worker's month, households to visit, the visit form.</summary>
public sealed class VisitQueries(IGridGovDbContext db, IOptions<VisitOptions> options, AuditLog audit, TimeProvider clock)
{
    /// <summary>A page of the month's visits.</summary>
    public const int VisitListLimit = 30;
    /// <summary>A page of the must-visit households and the most open 五必到 shown.</summary>
    public const int MustVisitLimit = 50;
    public const int SearchLimit = 20;

    public int Quota => options.Value.MonthlyQuota;

    /// <summary>
    /// The visits page for <paramref name="viewer"/>: their own month when they visit (grid worker or leader),
    /// or that of <paramref name="workerStaffId"/> when a leader or secretary may look at that person.
    /// </summary>
    public async Task<VisitsPage> PageAsync(CaseActor viewer, int? workerStaffId, DateOnly? month = null, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var currentMonth = ChinaMonths.MonthOf(now);
        var shownMonth = month is { } m && ChinaMonths.MonthOf(m) <= currentMonth ? ChinaMonths.MonthOf(m) : currentMonth;
        var team = await TeamAsync(viewer, shownMonth, cancellationToken);
        var isVisitor = viewer.Role is StaffRole.GridWorker or StaffRole.GridLeader && viewer.StaffMemberId is not null;
        var workerId = workerStaffId ?? (isVisitor ? viewer.StaffMemberId : null);
        if (workerId is not { } id)
        {
            return new VisitsPage(null, team, false, shownMonth, currentMonth);
        }
        RequireMayView(viewer, id, team);
        var worker = await WorkerMonthAsync(id, shownMonth, cancellationToken);
        return new VisitsPage(worker, team, isVisitor && id == viewer.StaffMemberId, shownMonth, currentMonth);
    }

    /// <summary>A page (1-based) of the households a person had to visit in the month (三必访), for whoever may see that person's page.</summary>
    public async Task<VisitListPage<MustVisitRow>> MustVisitPageAsync(CaseActor viewer, int workerStaffId, DateOnly month, int page, CancellationToken cancellationToken = default)
    {
        await RequireMayViewAsync(viewer, workerStaffId, month, cancellationToken);
        var gridIds = (await GridsOfAsync(workerStaffId, cancellationToken)).Select(g => g.Id).ToList();
        var due = await MustVisitAsync(gridIds, month, cancellationToken);
        return new VisitListPage<MustVisitRow>(due.Skip((Math.Max(page, 1) - 1) * MustVisitLimit).Take(MustVisitLimit).ToList(), due.Count);
    }

    /// <summary>A page (1-based) of a person's visits in the month, newest first, for whoever may see that person's page.</summary>
    public async Task<VisitListPage<VisitRow>> VisitPageAsync(CaseActor viewer, int workerStaffId, DateOnly month, int page, CancellationToken cancellationToken = default)
    {
        await RequireMayViewAsync(viewer, workerStaffId, month, cancellationToken);
        var quota = await QuotaAsync(workerStaffId, ChinaMonths.MonthOf(month), cancellationToken);
        var rows = await VisitRowsAsync(v => v.VisitorStaffId == workerStaffId, ChinaMonths.MonthOf(month), VisitListLimit, cancellationToken,
            skip: (Math.Max(page, 1) - 1) * VisitListLimit);
        return new VisitListPage<VisitRow>(rows, quota.Visits);
    }

    private async Task RequireMayViewAsync(CaseActor viewer, int workerStaffId, DateOnly month, CancellationToken cancellationToken)
    {
        if (workerStaffId != viewer.StaffMemberId)
        {
            RequireMayView(viewer, workerStaffId, await TeamAsync(viewer, ChinaMonths.MonthOf(month), cancellationToken));
        }
    }

    private static void RequireMayView(CaseActor viewer, int workerStaffId, IReadOnlyList<VisitTeamMember> team)
    {
        if (workerStaffId != viewer.StaffMemberId && team.All(t => t.StaffMemberId != workerStaffId))
        {
            throw new DomainException("visit.out-of-scope", "您无权查看该工作人员的走访");
        }
    }

    /// <summary>Distinct households a person visited in the China-time month, against the quota.</summary>
    public async Task<VisitQuota> QuotaAsync(int staffMemberId, DateOnly month, CancellationToken cancellationToken = default)
    {
        var (start, end) = ChinaMonths.RangeOf(month);
        var visits = db.Visits.AsNoTracking().Where(v => v.VisitorStaffId == staffMemberId && v.VisitedAt >= start && v.VisitedAt < end);
        var households = await visits.Select(v => v.HouseholdId).Distinct().CountAsync(cancellationToken);
        var count = await visits.CountAsync(cancellationToken);
        return new VisitQuota(households, count, Quota);
    }

    public async Task<WorkerVisitMonth?> WorkerMonthAsync(int staffMemberId, DateOnly month, CancellationToken cancellationToken = default)
    {
        var staff = await db.StaffMembers.AsNoTracking()
            .Where(s => s.Id == staffMemberId)
            .Select(s => new { s.Id, s.Name, s.Role })
            .SingleOrDefaultAsync(cancellationToken);
        if (staff is null)
        {
            return null;
        }
        var now = clock.GetUtcNow();
        var today = WorkingCalendar.ChinaDate(now);
        month = ChinaMonths.MonthOf(month);
        var grids = await GridsOfAsync(staffMemberId, cancellationToken);
        var gridIds = grids.Select(g => g.Id).ToList();
        var quota = await QuotaAsync(staffMemberId, month, cancellationToken);
        // Held to the quota unless every grid the person is assigned to is one they lead (the review's rule).
        var hasQuota = await db.AssignmentsInForce(clock).AsNoTracking().AnyAsync(a => a.StaffMemberId == staffMemberId && a.Duty != GridDuty.Leader, cancellationToken)
            || staff.Role == StaffRole.GridWorker;
        var visits = await VisitRowsAsync(v => v.VisitorStaffId == staffMemberId, month, VisitListLimit, cancellationToken);

        var due = await MustVisitAsync(gridIds, month, cancellationToken);
        var mustVisit = due.Take(MustVisitLimit).ToList();

        var demands = await OpenDemandsAsync(gridIds, householdId: null, cancellationToken);
        return new WorkerVisitMonth(staff.Id, staff.Name, staff.Role, grids, month, today, quota, hasQuota, visits, mustVisit,
            due.Count, due.Count(x => x.Overdue), demands);
    }

    /// <summary>
    /// Households of the grids due in the month (三必访), by default the current one: not yet visited in their current
    /// period, and overdue or due by the month's last day. Elderly living alone first, then overdue, then by due date.
    /// A past month is shown as it stood at its end: visits made before its end, due dates as of its last day, and
    /// overdue as of the day after it (the households it left unvisited, as the monthly review counts them).
    /// </summary>
    public async Task<IReadOnlyList<MustVisitRow>> MustVisitAsync(IReadOnlyCollection<int> gridIds, DateOnly? month = null, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var today = WorkingCalendar.ChinaDate(now);
        var currentMonth = ChinaMonths.MonthOf(today);
        var shown = month is { } m && ChinaMonths.MonthOf(m) < currentMonth ? ChinaMonths.MonthOf(m) : currentMonth;
        var past = shown < currentMonth;
        var monthLastDay = shown.AddMonths(1).AddDays(-1);
        var asOfDay = past ? monthLastDay : today;
        var overdueDay = past ? shown.AddMonths(1) : today;
        var visitsBefore = past ? ChinaMonths.RangeOf(shown).End : now;
        return (await HouseholdSchedules.LoadAsync(db, gridIds, visitsBefore, withAddresses: true, withLastVisitor: false, cancellationToken))
            .Where(h => !VisitSchedule.VisitedThisPeriod(h.Frequency, h.LastVisit, asOfDay))
            .Select(h => (Household: h, Status: h.StatusOn(asOfDay), Overdue: h.StatusOn(overdueDay).Overdue))
            .Where(x => x.Overdue || x.Status.NextDue <= monthLastDay)
            .OrderByDescending(x => x.Household.Frequency)
            .ThenByDescending(x => x.Overdue)
            .ThenBy(x => x.Status.NextDue)
            .ThenBy(x => x.Household.Address, StringComparer.Ordinal)
            .ThenBy(x => x.Household.HouseholdId)
            .Select(x => new MustVisitRow(x.Household.HouseholdId, x.Household.Address, x.Household.Frequency, x.Household.LastVisit, x.Status.NextDue, x.Overdue))
            .ToList();
    }

    /// <summary>
    /// Households of the visitor's grids whose address, room or a member's name contains the text, or with a member whose
    /// phone is the text, whole (never part of one); a look-up by a whole phone is audited, as in the resident list.
    /// </summary>
    public async Task<IReadOnlyList<HouseholdHit>> SearchHouseholdsAsync(CaseActor visitor, string? text, CancellationToken cancellationToken = default)
    {
        var term = SearchText.Clean(text);
        if (string.IsNullOrEmpty(term))
        {
            return [];
        }
        var gridIds = await ScopeGridIdsAsync(visitor, cancellationToken);
        if (Phone.IsValid(term))
        {
            await audit.RecordAsync(AuditAction.Lookup, nameof(Household), null, $"走访找户，按完整号码查找：电话 {Masking.Phone(term)}", cancellationToken);
        }
        return await db.Households.AsNoTracking()
            .Where(h => gridIds.Contains(h.GridId) && h.RemovedAt == null)
            .Where(h => h.Address.Contains(term) || h.Dwelling.Contains(term)
                || db.Residents.Any(r => r.HouseholdId == h.Id && r.RemovedAt == null && (r.Name.Contains(term) || r.Phone == term)))
            .OrderBy(h => h.Address)
            .Take(SearchLimit)
            .Select(h => new HouseholdHit(
                h.Id,
                h.Address,
                db.Grids.Where(g => g.Id == h.GridId).Select(g => g.Code).Single(),
                db.Residents.Where(r => r.Id == h.HeadResidentId).Select(r => r.Name).SingleOrDefault(),
                db.Residents.Count(r => r.HouseholdId == h.Id && r.RemovedAt == null)))
            .ToListAsync(cancellationToken);
    }

    /// <summary>The grids whose households a person may visit or ask a visit for: their own, or a secretary's community's.</summary>
    public async Task<IReadOnlyList<int>> ScopeGridIdsAsync(CaseActor actor, CancellationToken cancellationToken = default)
    {
        if (actor.GridCodes.Count > 0)
        {
            var codes = actor.GridCodes.ToList();
            return await db.Grids.AsNoTracking().Where(g => codes.Contains(g.Code)).Select(g => g.Id).ToListAsync(cancellationToken);
        }
        return actor.Role == StaffRole.CommunitySecretary && actor.CommunityId is { } communityId
            ? await db.Grids.AsNoTracking().Where(g => g.CommunityId == communityId && g.ValidTo == null).Select(g => g.Id).ToListAsync(cancellationToken)
            : [];
    }

    /// <summary>The household card of the visit form; null when it does not exist, is removed or is not in the person's grids.</summary>
    public async Task<HouseholdForVisit?> HouseholdAsync(CaseActor visitor, int householdId, CancellationToken cancellationToken = default)
    {
        var household = await db.Households.AsNoTracking()
            .Where(h => h.Id == householdId && h.RemovedAt == null)
            .Join(db.Grids, h => h.GridId, g => g.Id, (h, g) => new { h.Id, h.Address, h.Dwelling, h.Kind, h.HeadResidentId, Grid = new VisitGrid(g.Id, g.Code, g.Name) })
            .SingleOrDefaultAsync(cancellationToken);
        if (household is null || !(await ScopeGridIdsAsync(visitor, cancellationToken)).Contains(household.Grid.Id))
        {
            return null;
        }
        var residents = await db.Residents.AsNoTracking()
            .Where(r => r.HouseholdId == householdId && r.RemovedAt == null)
            .OrderBy(r => r.Id)
            .Select(r => new { r.Id, r.Name, r.Phone, r.PopulationKind, r.Groups })
            .ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var today = WorkingCalendar.ChinaDate(now);
        var frequency = VisitSchedule.FrequencyFor(residents.Select(r => ((IReadOnlyCollection<ResidentGroup>)r.Groups, r.PopulationKind)));
        var lastVisitAt = await db.Visits.AsNoTracking()
            .Where(v => v.HouseholdId == householdId && v.VisitedAt <= now)
            .MaxAsync(v => (DateTimeOffset?)v.VisitedAt, cancellationToken);
        var lastVisit = lastVisitAt is { } at ? WorkingCalendar.ChinaDate(at) : (DateOnly?)null;
        var (nextDue, overdue) = VisitSchedule.Status(frequency, lastVisit, today);
        var recent = await VisitRowsAsync(v => v.HouseholdId == householdId, month: null, 5, cancellationToken);
        return new HouseholdForVisit(household.Id, household.Address, household.Dwelling, household.Kind, household.Grid,
            residents.Select(r => new HouseholdResident(r.Id, r.Name, Ledgers.Masking.Phone(r.Phone), r.PopulationKind,
                r.Groups.Where(g => !g.IsSensitive()).ToList(), r.Id == household.HeadResidentId)).ToList(),
            frequency, lastVisit, nextDue, overdue,
            await OpenDemandsAsync([household.Grid.Id], householdId, cancellationToken), recent);
    }

    /// <summary>Active minor classes under their major class, for raising a case from a visit.</summary>
    public async Task<IReadOnlyList<VisitCategoryGroup>> CategoriesAsync(CancellationToken cancellationToken = default)
    {
        var rows = await db.Categories.AsNoTracking()
            .Where(c => c.IsActive)
            .Join(db.CategoryMajors, c => c.MajorId, m => m.Id, (c, m) => new { MajorCode = m.Code, MajorName = m.Name, c.Id, c.Code, c.Name })
            .OrderBy(r => r.MajorCode).ThenBy(r => r.Code)
            .ToListAsync(cancellationToken);
        return rows.GroupBy(r => (r.MajorCode, r.MajorName))
            .Select(g => new VisitCategoryGroup(g.Key.MajorCode, g.Key.MajorName, g.Select(r => new VisitCategoryOption(r.Id, r.Code, r.Name)).ToList()))
            .ToList();
    }

    public Task<string?> CaseNumberAsync(int caseId, CancellationToken cancellationToken = default) =>
        db.Cases.AsNoTracking().Where(c => c.Id == caseId).Select(c => c.Number).SingleOrDefaultAsync(cancellationToken);

    public async Task<VisitForEdit?> VisitForEditAsync(CaseActor actor, long visitId, CancellationToken cancellationToken = default)
    {
        var visit = await db.Visits.AsNoTracking()
            .Where(v => v.Id == visitId)
            .Join(db.Households, v => v.HouseholdId, h => h.Id, (v, h) => new { v.Id, v.HouseholdId, h.Address, v.VisitedAt, v.Findings, v.Companions, v.VisitorStaffId, v.GridId, v.Version })
            .SingleOrDefaultAsync(cancellationToken);
        if (visit is null || visit.VisitorStaffId != actor.StaffMemberId)
        {
            return null; // only one's own visits are edited; others' findings are not shown here
        }
        var gridCode = await db.Grids.Where(g => g.Id == visit.GridId).Select(g => g.Code).SingleAsync(cancellationToken);
        var month = ChinaMonths.MonthOf(visit.VisitedAt);
        var frozen = await db.MonthlyReviews.AnyAsync(r => r.GridCode == gridCode && r.Month == month && r.SignedOffAt != null, cancellationToken);
        return new VisitForEdit(visit.Id, visit.HouseholdId, visit.Address, visit.VisitedAt, visit.Findings, visit.Companions, frozen, visit.Version);
    }

    private async Task<List<VisitGrid>> GridsOfAsync(int staffMemberId, CancellationToken cancellationToken) =>
        await db.AssignmentsInForce(clock).AsNoTracking()
            .Where(a => a.StaffMemberId == staffMemberId)
            .Join(db.Grids, a => a.GridCode, g => g.Code, (a, g) => new { g.Id, g.Code, g.Name })
            .Distinct()
            .OrderBy(g => g.Code)
            .Select(g => new VisitGrid(g.Id, g.Code, g.Name))
            .ToListAsync(cancellationToken);

    /// <summary>Who a leader (their grids' people) or a secretary (the community's grid people) may look at.</summary>
    private async Task<IReadOnlyList<VisitTeamMember>> TeamAsync(CaseActor viewer, DateOnly month, CancellationToken cancellationToken)
    {
        IQueryable<string> gridCodes;
        if (viewer.Role == StaffRole.GridLeader && viewer.StaffMemberId is { } leaderId)
        {
            gridCodes = db.AssignmentsInForce(clock).Where(a => a.StaffMemberId == leaderId && a.Duty == GridDuty.Leader).Select(a => a.GridCode);
        }
        else if (viewer.Role == StaffRole.CommunitySecretary && viewer.CommunityId is { } communityId)
        {
            gridCodes = db.Grids.Where(g => g.CommunityId == communityId && g.ValidTo == null).Select(g => g.Code);
        }
        else
        {
            return [];
        }
        var members = await db.AssignmentsInForce(clock).AsNoTracking()
            .Where(a => gridCodes.Contains(a.GridCode) && a.StaffMemberId != viewer.StaffMemberId)
            .Join(db.StaffMembers, a => a.StaffMemberId, s => s.Id, (a, s) => new { s.Id, s.Name, a.GridCode, a.Duty, s.IsActive })
            .Where(x => x.IsActive)
            .ToListAsync(cancellationToken);
        // Duties are stored as text: order them here, workers first and the leader last, as on the review.
        members = members.OrderBy(x => x.GridCode, StringComparer.Ordinal).ThenBy(x => x.Duty == GridDuty.Leader).ThenBy(x => x.Duty).ThenBy(x => x.Name, StringComparer.Ordinal).ToList();
        var ids = members.Select(m => m.Id).Distinct().ToList();
        var (start, end) = ChinaMonths.RangeOf(month);
        var visited = await db.Visits.AsNoTracking()
            .Where(v => ids.Contains(v.VisitorStaffId) && v.VisitedAt >= start && v.VisitedAt < end)
            .GroupBy(v => v.VisitorStaffId)
            .Select(g => new { StaffId = g.Key, Households = g.Select(v => v.HouseholdId).Distinct().Count() })
            .ToDictionaryAsync(x => x.StaffId, x => x.Households, cancellationToken);
        return members
            .DistinctBy(m => m.Id)
            .Select(m => new VisitTeamMember(m.Id, m.Name, m.GridCode, m.Duty, visited.GetValueOrDefault(m.Id)))
            .ToList();
    }

    private async Task<List<VisitRow>> VisitRowsAsync(System.Linq.Expressions.Expression<Func<Visit, bool>> which, DateOnly? month, int limit, CancellationToken cancellationToken,
        int skip = 0)
    {
        var visits = db.Visits.AsNoTracking().Where(which);
        if (month is { } m)
        {
            var (start, end) = ChinaMonths.RangeOf(m);
            visits = visits.Where(v => v.VisitedAt >= start && v.VisitedAt < end);
        }
        var rows = await visits
            .OrderByDescending(v => v.VisitedAt).ThenByDescending(v => v.Id)
            .Skip(skip)
            .Take(limit)
            .Select(v => new
            {
                v.Id,
                v.HouseholdId,
                Address = db.Households.Where(h => h.Id == v.HouseholdId).Select(h => h.Address).Single(),
                GridCode = db.Grids.Where(g => g.Id == v.GridId).Select(g => g.Code).Single(),
                v.VisitedAt,
                v.Findings,
                v.Companions,
                CaseNumber = db.Cases.Where(c => c.Id == v.RaisedCaseId).Select(c => c.Number).SingleOrDefault(),
                DemandReason = db.VisitDemands.Where(d => d.Id == v.VisitDemandId).Select(d => (FiveMustReason?)d.Reason).SingleOrDefault(),
            })
            .ToListAsync(cancellationToken);
        if (rows.Count == 0)
        {
            return [];
        }
        // Which of these (grid, month) pairs are signed off: a handful of keys, checked in one query.
        var codes = rows.Select(r => r.GridCode).Distinct().ToList();
        var months = rows.Select(r => ChinaMonths.MonthOf(r.VisitedAt)).Distinct().ToList();
        var signed = (await db.MonthlyReviews.AsNoTracking()
                .Where(r => codes.Contains(r.GridCode) && months.Contains(r.Month) && r.SignedOffAt != null)
                .Select(r => new { r.GridCode, r.Month })
                .ToListAsync(cancellationToken))
            .Select(r => (r.GridCode, r.Month))
            .ToHashSet();
        return rows.Select(r => new VisitRow(r.Id, r.HouseholdId, r.Address, r.VisitedAt, r.Findings, r.Companions, r.CaseNumber, r.DemandReason,
                signed.Contains((r.GridCode, ChinaMonths.MonthOf(r.VisitedAt)))))
            .ToList();
    }

    private async Task<List<DemandRow>> OpenDemandsAsync(IReadOnlyCollection<int> gridIds, int? householdId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var demands = db.VisitDemands.AsNoTracking().Where(d => d.FulfilledAt == null);
        if (householdId is { } id)
        {
            demands = demands.Where(d => d.HouseholdId == id);
        }
        var rows = await demands
            .Join(db.Households.Where(h => gridIds.Contains(h.GridId) && h.RemovedAt == null), d => d.HouseholdId, h => h.Id,
                (d, h) => new { d.Id, d.HouseholdId, h.Address, d.Reason, d.CreatedAt, d.DueBy, d.CaseId, d.Note })
            .OrderBy(d => d.DueBy)
            .Take(MustVisitLimit)
            .Select(d => new
            {
                d.Id,
                d.HouseholdId,
                d.Address,
                d.Reason,
                d.CreatedAt,
                d.DueBy,
                CaseNumber = db.Cases.Where(c => c.Id == d.CaseId).Select(c => c.Number).SingleOrDefault(),
                d.Note,
            })
            .ToListAsync(cancellationToken);
        return rows.Select(d => new DemandRow(d.Id, d.HouseholdId, d.Address, d.Reason, d.CreatedAt, d.DueBy, now > d.DueBy, d.CaseNumber, d.Note)).ToList();
    }
}
