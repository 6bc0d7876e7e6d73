using GridGov.Application.Cases;
using GridGov.Application.Common;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Organisation;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Application.Residents;

/// <summary>One step of the public timeline: what happened, by which role (never a staff member's name), when.</summary>
public sealed record PublicStep(CaseAction Action, StaffRole? Role, bool BySystem, string? Department, DateTimeOffset At);

/// <summary>
/// A case as its reporter sees it on the phone page: state, the public timeline, the outcome (result text and the photos
/// of the result), whether it can be rated now, and the answer already given. Nothing about other people.
/// </summary>
public sealed record ResidentCaseView(
    string Number,
    string? MergedInto,
    CaseState State,
    string Category,
    string Description,
    string Address,
    DateTimeOffset ReportedAt,
    IReadOnlyList<PublicStep> Timeline,
    string? Result,
    IReadOnlyList<string> ResultPhotos,
    bool CanRate,
    SatisfactionLevel? Rated);

/// <summary>
/// The reporter's look-up (by case number and the confirmed phone) and rating of a case. A phone that did not report the
/// case — nor a report merged into it — learns nothing: the same null as an unknown number.
/// </summary>
public sealed class ResidentCases(IGridGovDbContext db, CaseWorkflowService workflow)
{
    /// <summary>Steps whose photos show the result (反馈, 核查, 现场处置): public to the reporter.</summary>
    public static readonly IReadOnlySet<CaseAction> ResultSteps = new HashSet<CaseAction> { CaseAction.SubmitFeedback, CaseAction.Verify, CaseAction.ReportHandledOnSpot };

    public async Task<ResidentCaseView?> FindAsync(string? caseNumber, string phone, CancellationToken cancellationToken = default)
    {
        var number = (caseNumber ?? "").Trim();
        if (number.Length != Case.NumberLength || !number.All(char.IsAsciiDigit))
        {
            return null;
        }
        var own = await db.Cases.AsNoTracking().Where(c => c.Number == number).Select(c => new { c.Id, c.ReporterPhone, c.MergedIntoCaseId }).SingleOrDefaultAsync(cancellationToken);
        if (own is null || own.ReporterPhone != phone)
        {
            return null;
        }
        // A merged report is followed through the case it was merged into (merges of merges too).
        var caseId = own.Id;
        var seen = new HashSet<int> { caseId };
        while (await db.Cases.Where(c => c.Id == caseId).Select(c => c.MergedIntoCaseId).SingleAsync(cancellationToken) is { } into && seen.Add(into))
        {
            caseId = into;
        }
        var @case = await db.Cases.AsNoTracking().Include(c => c.History).Include(c => c.Evidence)
            .SingleAsync(c => c.Id == caseId, cancellationToken);
        var category = await db.Categories.AsNoTracking().Where(c => c.Id == @case.CategoryId).Select(c => c.ResidentName ?? c.Name).SingleAsync(cancellationToken);
        var departmentIds = @case.History.Where(h => h.DepartmentId != null).Select(h => h.DepartmentId!.Value).Distinct().ToList();
        var departments = await db.Departments.AsNoTracking().Where(d => departmentIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Name, cancellationToken);
        var timeline = @case.History.OrderBy(h => h.At).ThenBy(h => h.Id)
            .Select(h => new PublicStep(h.Action, h.ActorRole, h.ActorStaffId is null && h.ActorRole is null && h.ActorName == CaseActor.System.Name,
                h.DepartmentId is { } d ? departments.GetValueOrDefault(d) : null, h.At))
            .ToList();
        var photos = @case.Evidence.Where(e => ResultSteps.Contains(e.Step)).OrderBy(e => e.AddedAt).Select(e => e.Sha256).Distinct().ToList();
        var closed = @case.State is CaseState.Verified or CaseState.Archived;
        var rated = await db.SatisfactionAnswers.AsNoTracking().Where(a => a.CaseId == @case.Id).OrderByDescending(a => a.RecordedAt)
            .Select(a => (SatisfactionLevel?)a.Level).FirstOrDefaultAsync(cancellationToken);
        return new ResidentCaseView(number, @case.Id == own.Id ? null : @case.Number, @case.State, category, @case.Description, @case.Address, @case.ReportedAt,
            timeline, closed || @case.State == CaseState.FeedbackSubmitted ? @case.Result : null, closed ? photos : [],
            closed && @case.Satisfied is null, @case.Satisfied is null ? null : rated);
    }

    /// <summary>Whether a photo is one the reporter (this phone) may see: a result photo of a case they follow.</summary>
    public async Task<bool> MayShowPhotoAsync(string caseNumber, string phone, string sha256, CancellationToken cancellationToken = default) =>
        await FindAsync(caseNumber, phone, cancellationToken) is { } view && view.ResultPhotos.Contains(sha256);

    /// <summary>The reporter's verdict through the workflow; 不满意 within the window reopens the case (the workflow's rule).</summary>
    public async Task<ResidentCaseView> RateAsync(string? caseNumber, string phone, SatisfactionLevel? level, string? comment, CancellationToken cancellationToken = default)
    {
        var view = await FindAsync(caseNumber, phone, cancellationToken) ?? throw NotFound();
        if (level is not { } chosen || !Enum.IsDefined(chosen))
        {
            throw DomainException.For(DomainFields.SatisfactionLevel, "case.satisfaction-level", "请选择满意、基本满意或不满意");
        }
        await workflow.RecordSatisfactionAsync(view.Number, phone, chosen, comment, cancellationToken);
        return await FindAsync(view.Number, phone, cancellationToken) ?? throw NotFound();
    }

    /// <summary>One answer for an unknown number and for someone else's case.</summary>
    public static DomainException NotFound() =>
        DomainException.For(DomainFields.CaseNumber, "resident.case-not-found", "没有找到该手机号上报的这个案件，请核对案件编号");
}
