using GridGov.Application.Common;
using GridGov.Domain.Cases;
using GridGov.Domain.Organisation;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Application.Inbox;

/// <summary>What one inbox section lists; the page names and explains each one.</summary>
public enum InboxSectionKind
{
    // Department handler
    DepartmentAssigned,
    DepartmentWhistles,
    DepartmentCoHandling,
    // Community secretary
    CommunityToRegister,
    CommunityToAssign,
    CommunityToConfirm,
    CommunityAssignedLocally,
    // Grid leader and grid worker
    AssignedToMe,
    ToVerifyInMyGrids,
    MyReports,
    // Dispatcher
    DispatchToRegister,
    DispatchToDispatch,
    DispatchReturned,
    DispatchToVerify,
    DispatchToArchive,
    DispatchExtensions,
    // Street leader
    Overdue,
    Supervised,
    StreetExtensions,
}

/// <summary>One case in an inbox, with the deadline that matters for this section and its warning colour now.</summary>
public sealed record InboxRow(
    int CaseId,
    string Number,
    string CategoryName,
    string Address,
    string GridCode,
    CaseState State,
    DateTimeOffset ReportedAt,
    DateTimeOffset? Due,
    DeadlineWarning Warning,
    bool IsSupervised);

/// <param name="HasMore">More cases wait than the page shows (<see cref="InboxQuery.SectionLimit"/>).</param>
public sealed record InboxSection(InboxSectionKind Kind, IReadOnlyList<InboxRow> Rows, bool HasMore);

/// <param name="Role">Null when the person's role has no inbox (administrators).</param>
public sealed record InboxView(StaffRole? Role, IReadOnlyList<InboxSection> Sections)
{
    public int Total => Sections.Sum(s => s.Rows.Count);
}

/// <summary>
/// "What must I do now": the cases waiting for the signed-in person, by role, each section sorted by
/// deadline (overdue first). Every section is one bounded query on an index of <c>cases</c>.
/// </summary>
public sealed class InboxQuery(IGridGovDbContext db, TimeProvider clock)
{
    /// <summary>
    /// The most urgent cases a section lists; the rest are in the case list. A street's sections rarely reach it; a city
    /// dispatcher's would list thousands, and 200 per section made the page 0.8 MB on the city data set.
    /// </summary>
    public const int SectionLimit = 50;
    public const int MyReportsDays = 30;

    private static readonly CaseState[] Handling = [CaseState.Dispatched, CaseState.InProgress];
    private static readonly CaseState[] ToAssign = [CaseState.Registered, CaseState.Returned];

    public async Task<InboxView> ForAsync(CaseActor actor, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var cases = db.Cases.AsNoTracking();
        var sections = new List<InboxSection>();

        async Task Add(InboxSectionKind kind, IQueryable<Case> query, bool newestFirst = false) =>
            sections.Add(await SectionAsync(kind, query, now, newestFirst, cancellationToken));

        switch (actor.Role)
        {
            case StaffRole.DepartmentHandler when actor.DepartmentId is { } department:
                await Add(InboxSectionKind.DepartmentAssigned,
                    cases.Where(c => c.AssignedDepartmentId == department && Handling.Contains(c.State)));
                sections.Add(await WhistlesAsync(department, now, cancellationToken));
                // 协办: cases in handling that still wait for this department's accept or opinion.
                await Add(InboxSectionKind.DepartmentCoHandling,
                    cases.Where(c => Handling.Contains(c.State)
                                     && c.CoHandlings.Any(h => h.DepartmentId == department && h.AnsweredAt == null && h.EndedAt == null)));
                break;

            case StaffRole.CommunitySecretary when actor.CommunityId is { } community:
                var mine = cases.Where(c => c.CommunityId == community);
                await Add(InboxSectionKind.CommunityToRegister, mine.Where(c => c.State == CaseState.Reported));
                await Add(InboxSectionKind.CommunityToAssign,
                    mine.Where(c => ToAssign.Contains(c.State) && (c.Level == CaseLevel.Grid || c.Level == CaseLevel.Community)));
                await Add(InboxSectionKind.CommunityToConfirm, mine.Where(c => c.State == CaseState.HandledOnSpot));
                await Add(InboxSectionKind.CommunityAssignedLocally,
                    mine.Where(c => c.AssignedStaffId != null && Handling.Contains(c.State)));
                break;

            case StaffRole.GridLeader or StaffRole.GridWorker when actor.StaffMemberId is { } me:
                var grids = actor.GridCodes.ToArray();
                var since = now.AddDays(-MyReportsDays);
                await Add(InboxSectionKind.AssignedToMe, cases.Where(c => c.AssignedStaffId == me && Handling.Contains(c.State)));
                // Four eyes: not the cases this person accepted or fed back (Case.Verify refuses them).
                await Add(InboxSectionKind.ToVerifyInMyGrids,
                    cases.Where(c => c.State == CaseState.FeedbackSubmitted && grids.Contains(c.GridCode)
                        && !c.History.Any(h => h.ActorStaffId == me && (h.Action == CaseAction.Accept || h.Action == CaseAction.SubmitFeedback))));
                await Add(InboxSectionKind.MyReports, cases.Where(c => c.ReporterStaffId == me && c.ReportedAt >= since), newestFirst: true);
                break;

            case StaffRole.Dispatcher:
                await Add(InboxSectionKind.DispatchToRegister, cases.Where(c => c.State == CaseState.Reported));
                await Add(InboxSectionKind.DispatchToDispatch, cases.Where(c => c.State == CaseState.Registered));
                await Add(InboxSectionKind.DispatchReturned, cases.Where(c => c.State == CaseState.Returned));
                await Add(InboxSectionKind.DispatchToVerify, cases.Where(c => c.State == CaseState.FeedbackSubmitted));
                await Add(InboxSectionKind.DispatchToArchive, cases.Where(c => c.State == CaseState.Verified));
                await Add(InboxSectionKind.DispatchExtensions, WithPendingExtension(cases, StaffRole.Dispatcher));
                break;

            case StaffRole.StreetLeader:
                // Uses the partial index of running clocks (ix_cases_running_clock).
                await Add(InboxSectionKind.Overdue, cases.Where(c => c.CurrentDue != null && c.CurrentDue <= now));
                await Add(InboxSectionKind.Supervised, cases.Where(c => c.IsSupervised && CaseWorkflow.OpenStates.Contains(c.State)));
                await Add(InboxSectionKind.StreetExtensions, WithPendingExtension(cases, StaffRole.StreetLeader));
                break;

            default:
                return new InboxView(null, []);
        }
        return new InboxView(actor.Role, sections);
    }

    private async Task<InboxSection> SectionAsync(InboxSectionKind kind, IQueryable<Case> query, DateTimeOffset now, bool newestFirst,
        CancellationToken cancellationToken)
    {
        // Deadline order: the earliest (so the overdue) first, cases without a running clock last.
        var ordered = newestFirst
            ? query.OrderByDescending(c => c.ReportedAt).ThenByDescending(c => c.Id)
            : query.OrderBy(c => c.CurrentDue == null).ThenBy(c => c.CurrentDue).ThenBy(c => c.ReportedAt).ThenBy(c => c.Id);
        var rows = await ordered
            .Take(SectionLimit + 1)
            .Join(db.Categories, c => c.CategoryId, category => category.Id, (c, category) => new
            {
                c.Id, c.Number, CategoryName = category.Name, c.Address, c.GridCode, c.State, c.ReportedAt,
                c.CurrentDue, c.WarningAt, c.IsSupervised,
            })
            .ToListAsync(cancellationToken); // EF keeps the order through the join (it orders the outer query too)
        var result = rows
            .Select(r => new InboxRow(r.Id, r.Number, r.CategoryName, r.Address, r.GridCode, r.State, r.ReportedAt,
                r.CurrentDue, DeadlineWarnings.Of(r.CurrentDue, r.WarningAt, now), r.IsSupervised))
            .ToList();
        return Bounded(kind, result);
    }

    /// <summary>吹哨: open cases that summoned the department and still wait for its report (报到), by the report-by time.</summary>
    private async Task<InboxSection> WhistlesAsync(int department, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rows = await db.Whistles.AsNoTracking()
            .Where(w => w.DepartmentId == department && w.RespondedAt == null)
            .Join(db.Cases.Where(c => CaseWorkflow.OpenStates.Contains(c.State)), w => w.CaseId, c => c.Id, (w, c) => new { w.RespondBy, Case = c })
            .Join(db.Categories, x => x.Case.CategoryId, category => category.Id, (x, category) => new
            {
                x.Case.Id, x.Case.Number, CategoryName = category.Name, x.Case.Address, x.Case.GridCode, x.Case.State,
                x.Case.ReportedAt, x.RespondBy, x.Case.IsSupervised,
            })
            .OrderBy(r => r.RespondBy).ThenBy(r => r.Id)
            .Take(SectionLimit + 1)
            .ToListAsync(cancellationToken);
        var result = rows
            .Select(r => new InboxRow(r.Id, r.Number, r.CategoryName, r.Address, r.GridCode, r.State, r.ReportedAt,
                r.RespondBy, now >= r.RespondBy ? DeadlineWarning.Red : DeadlineWarning.None, r.IsSupervised))
            .ToList();
        return Bounded(InboxSectionKind.DepartmentWhistles, result);
    }

    /// <summary>延期申请 waiting for this role's decision (the dispatcher's up to the limit, the street leader's above it).</summary>
    private IQueryable<Case> WithPendingExtension(IQueryable<Case> cases, StaffRole approver) =>
        cases.Where(c => db.CaseExtensions.Any(e => e.CaseId == c.Id && e.Status == ExtensionStatus.Pending && e.Approver == approver));

    private static InboxSection Bounded(InboxSectionKind kind, List<InboxRow> rows) =>
        rows.Count > SectionLimit ? new InboxSection(kind, rows[..SectionLimit], HasMore: true) : new InboxSection(kind, rows, HasMore: false);

}
