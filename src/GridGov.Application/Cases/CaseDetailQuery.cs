using GridGov.Application.Common;
using GridGov.Application.Grids;
using GridGov.Domain.Cases;
using GridGov.Domain.Categories;
using GridGov.Domain.Organisation;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Application.Cases;

public sealed record Choice(int Id, string Name);

/// <summary>What the action forms offer: departments (with the routing suggestion), local staff, categories.</summary>
public sealed record CaseActionOptions(
    IReadOnlyList<Choice> Departments,
    int? SuggestedDepartmentId,
    IReadOnlyList<Choice> LocalStaff,
    IReadOnlyList<Choice> Categories)
{
    /// <summary>立案标准 of each category offered for registration, so the form can show what the case is checked against.</summary>
    public IReadOnlyDictionary<int, string> FilingStandards { get; init; } = new Dictionary<int, string>();

    /// <summary>The active response templates (常用回复模板) of the offered actions, for the case's class or for all classes (the class's own first).</summary>
    public IReadOnlyList<CaseTemplateChoice> Templates { get; init; } = [];
}

/// <summary>A response template a form offers in its 常用语 picker.</summary>
public sealed record CaseTemplateChoice(CaseAction Action, string Title, string Text);

/// <summary>A duplicate report merged into the case: who reported what, and the photos they sent (never their phone).</summary>
public sealed record MergedReport(string Number, string ReporterName, DateTimeOffset ReportedAt, string Description, string Address, IReadOnlyList<MergedPhoto> Photos);

public sealed record MergedPhoto(string Sha256, string FileName);

public sealed record CaseDetailView(
    Case Case,
    string CategoryCode,
    string CategoryName,
    string MajorName,
    string GridName,
    string CommunityName,
    string? AssignedStaffName,
    IReadOnlyDictionary<int, string> DepartmentNames,
    string? GridBoundaryGeoJson,
    DeadlineWarning Warning,
    IReadOnlyList<CaseAction> Actions,
    CaseActionOptions Options)
{
    /// <summary>False for department handlers: they get the problem, not the reporter's phone.</summary>
    public bool ShowsReporterContact { get; init; } = true;

    /// <summary>Feedback now would come after the handling deadline, so the form asks for a 未能按期说明.</summary>
    public bool FeedbackIsLate { get; init; }

    /// <summary>The reports merged into this case as duplicates (合并), oldest first.</summary>
    public IReadOnlyList<MergedReport> MergedReports { get; init; } = [];

    /// <summary>Whose deadline <see cref="Case.CurrentDue"/> is: the stage the case is in (null when no clock runs).</summary>
    public CaseStage? DeadlineStage => Case.CurrentDue is null ? null : StageOf(Case.State);

    /// <summary>The stage whose time limit runs while a case is in <paramref name="state"/>.</summary>
    public static CaseStage? StageOf(CaseState state) => state switch
    {
        CaseState.Reported => CaseStage.Register,
        CaseState.Registered or CaseState.Returned => CaseStage.Dispatch,
        CaseState.Dispatched or CaseState.InProgress => CaseStage.Handle,
        CaseState.FeedbackSubmitted => CaseStage.Verify,
        _ => null,
    };
}

/// <summary>Everything the case detail page shows, and the actions the signed-in person may take.</summary>
public sealed class CaseDetailQuery(IGridGovDbContext db, ISpatialQueries spatial, CaseWorkflowService workflow, TimeProvider clock)
{
    public async Task<CaseDetailView?> GetAsync(string number, CaseActor actor, CancellationToken cancellationToken = default)
    {
        var @case = await db.Cases.AsNoTracking()
            .Include(c => c.History).Include(c => c.Evidence).Include(c => c.Whistles).Include(c => c.Followers).Include(c => c.Extensions).Include(c => c.SatisfactionAnswers)
            .Include(c => c.CoHandlings)
            .SingleOrDefaultAsync(c => c.Number == number, cancellationToken);
        // Not visible is answered like not found: the page does not tell the two apart.
        if (@case is null || !await db.Cases.Where(c => c.Id == @case.Id).VisibleTo(actor).AnyAsync(cancellationToken))
        {
            return null;
        }
        var category = await db.Categories.AsNoTracking().Where(c => c.Id == @case.CategoryId)
            .Select(c => new { c.Code, c.Name, Major = c.Major!.Name }).SingleAsync(cancellationToken);
        var grid = await db.Grids.AsNoTracking().Where(g => g.Id == @case.GridId)
            .Select(g => new { g.Name, Community = g.Community!.Name }).SingleAsync(cancellationToken);
        var departments = await db.Departments.AsNoTracking().OrderBy(d => d.Code)
            .Select(d => new Choice(d.Id, d.Name)).ToListAsync(cancellationToken);
        var assignedStaff = @case.AssignedStaffId is { } staffId
            ? await db.StaffMembers.AsNoTracking().Where(s => s.Id == staffId).Select(s => s.Name).SingleOrDefaultAsync(cancellationToken)
            : null;
        var now = clock.GetUtcNow();
        var actions = @case.ActionsFor(actor, now);
        var registrable = actions.Contains(CaseAction.Register)
            ? await db.Categories.AsNoTracking().Where(c => c.IsActive).OrderBy(c => c.Code)
                .Select(c => new { c.Id, Name = c.Code + " " + c.Name, c.FilingStandard }).ToListAsync(cancellationToken)
            : [];
        var options = new CaseActionOptions(
            departments,
            actions.Contains(CaseAction.Dispatch) ? await workflow.SuggestDepartmentAsync(@case.Id, cancellationToken) : null,
            actions.Contains(CaseAction.AssignLocally) ? await LocalStaffAsync(@case.GridCode, cancellationToken) : [],
            [.. registrable.Select(c => new Choice(c.Id, c.Name))])
        {
            FilingStandards = registrable.ToDictionary(c => c.Id, c => c.FilingStandard),
            Templates = await TemplatesAsync(@case.CategoryId, actions, cancellationToken),
        };
        return new CaseDetailView(
            @case, category.Code, category.Name, category.Major, grid.Name, grid.Community, assignedStaff,
            departments.ToDictionary(d => d.Id, d => d.Name),
            await spatial.GridBoundaryGeoJsonAsync(@case.GridId, cancellationToken),
            @case.WarningOn(now),
            actions,
            options)
        {
            ShowsReporterContact = CaseVisibility.SeesReporterContact(actor),
            FeedbackIsLate = @case.IsLateOn(now),
            MergedReports = await MergedReportsAsync(@case.Id, cancellationToken),
        };
    }

    /// <summary>One query for every form of the page; none when no offered action has a text box.</summary>
    private async Task<IReadOnlyList<CaseTemplateChoice>> TemplatesAsync(int categoryId, IReadOnlyList<CaseAction> actions, CancellationToken cancellationToken)
    {
        var withText = actions.Where(ResponseTemplate.Actions.Contains).ToList();
        return withText.Count == 0
            ? []
            : await db.ResponseTemplates.AsNoTracking()
                .Where(t => t.IsActive && withText.Contains(t.Action) && (t.CategoryId == null || t.CategoryId == categoryId))
                .OrderBy(t => t.CategoryId == null).ThenBy(t => t.Title).ThenBy(t => t.Id)
                .Select(t => new CaseTemplateChoice(t.Action, t.Title, t.Text))
                .ToListAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<MergedReport>> MergedReportsAsync(int caseId, CancellationToken cancellationToken) =>
        await db.Cases.AsNoTracking()
            .Where(c => c.MergedIntoCaseId == caseId)
            .OrderBy(c => c.ReportedAt).ThenBy(c => c.Id)
            .Select(c => new MergedReport(c.Number, c.ReporterName, c.ReportedAt, c.Description, c.Address,
                c.Evidence.OrderBy(e => e.Id).Select(e => new MergedPhoto(e.Sha256, e.FileName)).ToList()))
            .ToListAsync(cancellationToken);

    private async Task<IReadOnlyList<Choice>> LocalStaffAsync(string gridCode, CancellationToken cancellationToken) =>
        await db.AssignmentsInForce(clock).AsNoTracking()
            .Where(a => a.GridCode == gridCode)
            .OrderBy(a => a.Duty)
            .Select(a => new Choice(a.StaffMemberId, a.StaffMember!.Name + "（" + (a.Duty == GridDuty.Leader ? "网格长" : "网格员") + "）"))
            .ToListAsync(cancellationToken);
}
