using GridGov.Application.Common;
using GridGov.Application.Grids;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace GridGov.Application.Cases;

/// <summary>What the report form offers the signed-in person, decided here rather than in the page.</summary>
/// <param name="OwnGridCodes">The grids the map opens on and warns about; empty for those who work the whole street.</param>
public sealed record ReportForm(
    IReadOnlyList<ReportCategoryGroup> Categories,
    ReportingStaff? Staff,
    CaseSource DefaultSource,
    bool CanHandleOnSpot,
    bool CanMerge,
    bool ReporterIsSelfOnPatrol,
    IReadOnlyList<string> OwnGridCodes);

public enum ReportPlaceKind
{
    InGrid,
    Uncovered,
    OutsideStreet,
}

/// <summary>Where a chosen point falls, and whether it is outside the reporter's own grids (the page warns before submit).</summary>
public sealed record ReportPlace(ReportPlaceKind Kind, string? GridCode, string? GridName, string? CommunityName, bool OutsideOwnGrids);

/// <summary>One submission of the report form, as typed; <see cref="AttachTo"/> is the number of a nearby case chosen as the same problem.</summary>
public sealed record ReportRequest(
    int CategoryId,
    string Description,
    double Longitude,
    double Latitude,
    string Address,
    CaseSource Source,
    CasePriority Priority,
    string? ReporterName,
    string? ReporterPhone,
    IReadOnlyList<EvidenceUpload> Photos,
    Guid SubmissionId,
    string? AttachTo = null,
    bool HandledOnSpot = false,
    string? Result = null);

/// <summary>The case a submission made (or made before, on a replay), and what became of the attachment.</summary>
public sealed record ReportOutcome(string Number, string? AttachedTo, bool MergeFailed);

/// <summary>
/// The report use case (问题上报): the form's choices for a person, where a point falls, nearby duplicates (only those the
/// person may open are shown; the rest are counted), and the submission itself — a new case, or one handled on the spot,
/// attached to a chosen duplicate (merged by those the workflow lets merge, noted in the description for the others),
/// with the submission id scoped to its author so that a replay or a concurrent second post returns the first case.
/// </summary>
public sealed class CaseReporting(
    IGridGovDbContext db,
    CaseWorkflowService workflow,
    ReportFormQuery forms,
    CaseQueries cases,
    ISpatialQueries spatial,
    ILogger<CaseReporting> logger)
{
    public const string AttachNotFoundCode = "report.attach-not-found";

    public async Task<ReportForm> FormAsync(CaseActor actor, CancellationToken cancellationToken = default)
    {
        var categories = await forms.CategoriesAsync(cancellationToken);
        var staff = actor.StaffMemberId is { } staffId ? await forms.StaffAsync(staffId, cancellationToken) : null;
        var defaultSource = actor.Role switch
        {
            StaffRole.Dispatcher => CaseSource.Hotline,
            StaffRole.CommunitySecretary => CaseSource.Resident,
            _ => CaseSource.GridWorkerPatrol,
        };
        return new ReportForm(categories, staff, defaultSource, CanHandleOnSpot(actor), CanMerge(actor),
            actor.Role is StaffRole.GridWorker or StaffRole.GridLeader, await OwnGridCodesAsync(actor, cancellationToken));
    }

    /// <summary>A worker's or leader's assigned grids, a secretary's community; nobody else is bound to grids.</summary>
    public async Task<IReadOnlyList<string>> OwnGridCodesAsync(CaseActor actor, CancellationToken cancellationToken = default)
    {
        switch (actor.Role)
        {
            case StaffRole.GridWorker or StaffRole.GridLeader:
                return [.. actor.GridCodes.Order(StringComparer.Ordinal)];
            case StaffRole.CommunitySecretary when actor.CommunityId is { } communityId:
                return await db.Grids.AsNoTracking().Where(g => g.CommunityId == communityId && g.ValidTo == null)
                    .OrderBy(g => g.Code).Select(g => g.Code).ToListAsync(cancellationToken);
            default:
                return [];
        }
    }

    public async Task<ReportPlace> PlaceAsync(double longitude, double latitude, CaseActor actor, CancellationToken cancellationToken = default)
    {
        if (!IsCoordinate(longitude, latitude))
        {
            return new ReportPlace(ReportPlaceKind.OutsideStreet, null, null, null, false);
        }
        var location = await spatial.ResolveGridAsync(Locations.Point(longitude, latitude), cancellationToken);
        if (location is not GridLocation.InGrid grid)
        {
            return new ReportPlace(location is GridLocation.Uncovered ? ReportPlaceKind.Uncovered : ReportPlaceKind.OutsideStreet, null, null, null, false);
        }
        var own = await OwnGridCodesAsync(actor, cancellationToken);
        return new ReportPlace(ReportPlaceKind.InGrid, grid.GridCode, grid.GridName, grid.CommunityName, own.Count > 0 && !own.Contains(grid.GridCode));
    }

    /// <summary>Null until there is a category and a point, or when the category does not exist.</summary>
    public async Task<PossibleDuplicates?> DuplicatesAsync(int? categoryId, double? longitude, double? latitude, CaseActor actor,
        CancellationToken cancellationToken = default)
    {
        if (categoryId is not { } category || longitude is not { } x || latitude is not { } y || !IsCoordinate(x, y))
        {
            return null;
        }
        try
        {
            return await cases.PossibleDuplicatesAsync(category, x, y, actor, cancellationToken);
        }
        catch (DomainException exception)
        {
            logger.LogInformation("No duplicates for category {CategoryId}: {Reason}", category, exception.Message);
            return null;
        }
    }

    public async Task<ReportOutcome> ReportAsync(ReportRequest request, CaseActor actor, CancellationToken cancellationToken = default)
    {
        var attachTo = string.IsNullOrWhiteSpace(request.AttachTo) ? null : request.AttachTo.Trim();
        var target = attachTo is null ? null : await forms.CaseByNumberAsync(attachTo, cancellationToken)
            ?? throw new DomainException(AttachNotFoundCode, "所选的重复案件不存在，请重新选择") { Field = DomainFields.Duplicates.Name };
        // Only roles the workflow lets merge attach directly; the others leave a note for the dispatcher.
        var merge = target is not null && !request.HandledOnSpot && CanMerge(actor);
        var description = target is not null && !merge
            ? $"{request.Description.Trim()}（疑似与案件{target.Number}重复）"
            : request.Description;

        Case created;
        try
        {
            created = request.HandledOnSpot
                ? await workflow.ReportHandledOnSpotAsync(new ReportHandledOnSpot(request.CategoryId, description, request.Longitude, request.Latitude,
                    request.Address, request.Result ?? "", request.Photos, request.SubmissionId), actor, cancellationToken)
                : await workflow.ReportAsync(new ReportCase(request.CategoryId, description, request.Longitude, request.Latitude, request.Address,
                    request.Source, request.Priority, request.ReporterName ?? "", string.IsNullOrWhiteSpace(request.ReporterPhone) ? null : request.ReporterPhone,
                    request.Photos, request.SubmissionId), actor, cancellationToken);
        }
        catch (DbUpdateException) when (actor.StaffMemberId is { } staffId)
        {
            // Two posts of one form at the same moment: the unique submission id let only one through; answer with it.
            var number = await forms.NumberForSubmissionAsync(request.SubmissionId, staffId, cancellationToken);
            if (number is null)
            {
                throw;
            }
            logger.LogInformation("Repeated submission {SubmissionId} answered with case {CaseNumber}", request.SubmissionId, number);
            return new ReportOutcome(number, target?.Number, false);
        }

        var mergeFailed = false;
        if (merge && created.State == CaseState.Reported)
        {
            try
            {
                await workflow.MergeAsync(created.Id, target!.Id, actor, cancellationToken);
            }
            catch (DomainException exception)
            {
                // The report stands as a new case; the done page says the merge did not happen.
                mergeFailed = true;
                logger.LogWarning("Report {CaseNumber} not merged into {OriginalNumber}: {Reason}", created.Number, target!.Number, exception.Message);
            }
        }
        else if (merge && created.State != CaseState.Merged)
        {
            mergeFailed = true; // an emergency goes out at once and can no longer be merged
        }
        return new ReportOutcome(created.Number, target?.Number, mergeFailed);
    }

    // Who may do what comes from the workflow table.
    private static bool CanHandleOnSpot(CaseActor actor) =>
        actor.Role is { } role && CaseWorkflow.For(CaseAction.ReportHandledOnSpot).Roles.Contains(role);

    private static bool CanMerge(CaseActor actor) =>
        actor.Role is { } role && CaseWorkflow.ActionsFor(CaseState.Reported, role).Contains(CaseAction.Merge);

    private static bool IsCoordinate(double longitude, double latitude) =>
        double.IsFinite(longitude) && double.IsFinite(latitude) && longitude is >= -180 and <= 180 && latitude is >= -90 and <= 90;
}
