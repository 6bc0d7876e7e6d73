using GridGov.Application.Common;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Organisation;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Application.Cases;

public sealed record ReportCategoryGroup(string Code, string Name, IReadOnlyList<ReportCategoryOption> Minors);

public sealed record ReportCategoryOption(int Id, string Code, string Name, string FilingStandard);

/// <summary>Who is reporting: their own name and phone prefill the reporter fields.</summary>
public sealed record ReportingStaff(int StaffMemberId, string Name, string Phone, StaffRole Role);

/// <summary>An open case a report may be attached to (补充到该案件).</summary>
public sealed record AttachableCase(int Id, string Number, CaseState State);

/// <summary>What the "report done" page shows about a case the signed-in person reported.</summary>
public sealed record ReportedCaseSummary(
    string Number,
    CaseState State,
    string CategoryName,
    string GridCode,
    string GridName,
    string CommunityName,
    string Address,
    DateTimeOffset ReportedAt,
    string? MergedIntoNumber);

/// <summary>The data of the report page (问题上报): categories by major class, the reporter, and the outcome.</summary>
public sealed class ReportFormQuery(IGridGovDbContext db)
{
    /// <summary>Active minor classes grouped under their major class, both in code order.</summary>
    public async Task<IReadOnlyList<ReportCategoryGroup>> CategoriesAsync(CancellationToken cancellationToken = default)
    {
        var rows = await db.Categories.AsNoTracking()
            .Where(c => c.IsActive)
            .Join(db.CategoryMajors, c => c.MajorId, m => m.Id, (c, m) => new
            {
                MajorCode = m.Code,
                MajorName = m.Name,
                c.Id,
                c.Code,
                c.Name,
                c.FilingStandard,
            })
            .OrderBy(r => r.MajorCode).ThenBy(r => r.Code)
            .ToListAsync(cancellationToken);
        return rows
            .GroupBy(r => (r.MajorCode, r.MajorName))
            .Select(g => new ReportCategoryGroup(g.Key.MajorCode, g.Key.MajorName,
                g.Select(r => new ReportCategoryOption(r.Id, r.Code, r.Name, r.FilingStandard)).ToList()))
            .ToList();
    }

    public Task<ReportingStaff?> StaffAsync(int staffMemberId, CancellationToken cancellationToken = default) =>
        db.StaffMembers.AsNoTracking()
            .Where(s => s.Id == staffMemberId && s.IsActive)
            .Select(s => new ReportingStaff(s.Id, s.Name, s.Phone, s.Role))
            .SingleOrDefaultAsync(cancellationToken);

    /// <summary>The case a form chose to attach to, by number; null when there is no such case.</summary>
    public Task<AttachableCase?> CaseByNumberAsync(string number, CancellationToken cancellationToken = default) =>
        db.Cases.AsNoTracking()
            .Where(c => c.Number == number)
            .Select(c => new AttachableCase(c.Id, c.Number, c.State))
            .SingleOrDefaultAsync(cancellationToken);

    /// <summary>
    /// The number of the case the reporter's own report form already created with this submission id (a repeated post),
    /// or null: a key counts only as its author's, as in <see cref="CaseWorkflowService"/>.
    /// </summary>
    public Task<string?> NumberForSubmissionAsync(Guid submissionId, int reporterStaffId, CancellationToken cancellationToken = default) =>
        db.Cases.AsNoTracking()
            .Where(c => c.SubmissionPurpose == SubmissionPurpose.CaseReport && c.SubmissionId == submissionId && c.ReporterStaffId == reporterStaffId)
            .Select(c => c.Number)
            .SingleOrDefaultAsync(cancellationToken);

    /// <summary>A case as its reporter sees it after submitting; null when it does not exist or someone else reported it.</summary>
    public Task<ReportedCaseSummary?> ReportedAsync(string number, int reporterStaffId, CancellationToken cancellationToken = default) =>
        db.Cases.AsNoTracking()
            .Where(c => c.Number == number && c.ReporterStaffId == reporterStaffId)
            .Select(c => new ReportedCaseSummary(
                c.Number,
                c.State,
                db.Categories.Where(k => k.Id == c.CategoryId).Select(k => k.Name).Single(),
                c.GridCode,
                db.Grids.Where(g => g.Id == c.GridId).Select(g => g.Name).Single(),
                db.Communities.Where(m => m.Id == c.CommunityId).Select(m => m.Name).Single(),
                c.Address,
                c.ReportedAt,
                db.Cases.Where(o => o.Id == c.MergedIntoCaseId).Select(o => o.Number).SingleOrDefault()))
            .SingleOrDefaultAsync(cancellationToken);
}
