using GridGov.Application.Cases;
using GridGov.Application.Inbox;
using GridGov.Application.Ledgers;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Web.Infrastructure;
using GridGov.Web.Resources;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Localization;

namespace GridGov.Web.Endpoints.Api;

/// <summary>
/// Cases for the staff apps: my inbox, a case as the case page shows it (same visibility: a case outside one's scope is 404),
/// the actions the person may take on it (the case page's list, from the transition table and the case's scope) and taking
/// one — only through <see cref="CaseWorkflowService"/> — and reporting a problem (the report page's use case, idempotent by
/// the submission id of its author).
/// </summary>
public sealed class CaseApiEndpoints : IEndpointModule
{
    /// <summary>The actions a client may send, and the body fields each reads (the first list) and requires (the second).</summary>
    public static readonly IReadOnlyDictionary<CaseAction, (string[] Fields, string[] Required)> Actions = new Dictionary<CaseAction, (string[], string[])>
    {
        [CaseAction.Register] = (["categoryId", "priority", "text"], []),
        [CaseAction.Reject] = (["text"], ["text"]),
        [CaseAction.Merge] = (["originalCaseNumber"], ["originalCaseNumber"]),
        [CaseAction.Dispatch] = (["departmentId", "departmentIds", "text"], ["departmentId"]),
        [CaseAction.AssignLocally] = (["assigneeStaffId", "text"], ["assigneeStaffId"]),
        [CaseAction.Accept] = ([], []),
        [CaseAction.Return] = (["text"], ["text"]),
        [CaseAction.SubmitFeedback] = (["text", "photos", "lateExplanation"], ["text"]),
        [CaseAction.Verify] = (["text", "photos"], []),
        [CaseAction.Rework] = (["text"], ["text"]),
        [CaseAction.Archive] = (["text"], []),
        [CaseAction.Void] = (["text"], ["text"]),
        [CaseAction.Escalate] = (["text"], ["text"]),
        [CaseAction.Supervise] = (["text"], ["text"]),
        [CaseAction.Whistle] = (["departmentIds"], ["departmentIds"]),
        [CaseAction.RespondToWhistle] = (["text"], ["text"]),
        [CaseAction.AcceptCoHandling] = ([], []),
        [CaseAction.SubmitCoHandlingOpinion] = (["text", "photos"], ["text"]),
        [CaseAction.EndCoHandling] = (["text"], ["text"]),
        [CaseAction.RequestExtension] = (["text", "requestedDue"], ["text", "requestedDue"]),
        [CaseAction.ApproveExtension] = (["text"], []),
        [CaseAction.RefuseExtension] = (["text"], ["text"]),
        [CaseAction.CallBack] = (["satisfied", "channel", "text"], ["satisfied", "channel"]),
        [CaseAction.ConfirmOnSpot] = ([], []),
    };

    /// <summary>The domain's field names (of the page's forms) as this API's JSON names.</summary>
    private static readonly IReadOnlyDictionary<string, string> ActionFields = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["reason"] = "text", ["result"] = "text", ["note"] = "text", ["comment"] = "text", ["category"] = "categoryId", ["photos"] = "photos",
        ["lateExplanation"] = "lateExplanation", ["channel"] = "channel", ["priority"] = "priority",
    };

    private static readonly IReadOnlyDictionary<string, string> ReportFields = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["category"] = "categoryId", ["location"] = "longitude", ["duplicates"] = "attachTo",
    };

    public const int TextMaxLength = 2000;

    public void Map(IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(ApiProblems.Root).RequireAuthorization(ApiSetup.Policy).WithTags("Cases");

        api.MapGet("/inbox", async Task<Ok<InboxResponse>> (HttpContext http, InboxQuery inbox, CurrentStaff staff, IStringLocalizer<DomainNamesResource> names) =>
            {
                var view = await inbox.ForAsync(await staff.ActorAsync(http.RequestAborted), http.RequestAborted);
                return TypedResults.Ok(new InboxResponse(view.Role?.ToString(), [.. view.Sections.Select(s => new InboxSectionResponse(s.Kind.ToString(),
                    [.. s.Rows.Select(r => new CaseSummary(r.Number, r.CategoryName, r.Address, r.GridCode, r.State.ToString(), names.Of(r.State), r.ReportedAt, r.Due,
                        r.Warning.ToString(), r.IsSupervised))], s.HasMore))]));
            })
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithName("GetInbox")
            .WithSummary("我的待办 · My inbox")
            .WithDescription($"按角色列出等待本人办理的案件，每节按期限排序（超期在前），每节最多{InboxQuery.SectionLimit}件。 · The cases waiting for the person, by role; each section by deadline (overdue first), at most {InboxQuery.SectionLimit}.");

        api.MapGet("/categories", async Task<Ok<IReadOnlyList<CategoryGroupResponse>>> (HttpContext http, CaseReporting reporting, CurrentStaff staff) =>
            {
                var form = await reporting.FormAsync(await staff.ActorAsync(http.RequestAborted), http.RequestAborted);
                return TypedResults.Ok<IReadOnlyList<CategoryGroupResponse>>([.. form.Categories.Select(g => new CategoryGroupResponse(g.Code, g.Name,
                    [.. g.Minors.Select(m => new CategoryResponse(m.Id, m.Code, m.Name, m.FilingStandard))]))]);
            })
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithName("ListCategories")
            .WithSummary("案件类别（大类、小类及立案标准）· Case categories (major, minor, filing standard)");

        api.MapGet("/cases/{number}", async Task<Results<Ok<CaseResponse>, ProblemHttpResult, ValidationProblem>> (string number, HttpContext http, CaseDetailQuery detail,
                CurrentStaff staff, IStringLocalizer<DomainNamesResource> names) =>
            {
                var input = new ApiInput(http);
                if (input.CaseNumber("number", number) is not { } valid)
                {
                    return (ValidationProblem)input.Problem();
                }
                var view = await detail.GetAsync(valid, await staff.ActorAsync(http.RequestAborted), http.RequestAborted);
                return view is null ? ApiProblems.Problem(http, StatusCodes.Status404NotFound) : TypedResults.Ok(CaseOf(view, names));
            })
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("GetCase")
            .WithSummary("案件详情 · A case")
            .WithDescription("与案件页面相同的可见范围：看不到的案件答复404；部门承办人看不到上报人电话，其他人看到遮蔽后的号码。 · Visible as on the case page (404 otherwise); department handlers get no reporter phone, the others a masked one.");

        api.MapGet("/cases/{number}/actions", async Task<Results<Ok<CaseActionsResponse>, ProblemHttpResult, ValidationProblem>> (string number, HttpContext http,
                CaseDetailQuery detail, CurrentStaff staff, IStringLocalizer<DomainNamesResource> names) =>
            {
                var input = new ApiInput(http);
                if (input.CaseNumber("number", number) is not { } valid)
                {
                    return (ValidationProblem)input.Problem();
                }
                var view = await detail.GetAsync(valid, await staff.ActorAsync(http.RequestAborted), http.RequestAborted);
                if (view is null)
                {
                    return ApiProblems.Problem(http, StatusCodes.Status404NotFound);
                }
                var options = view.Options;
                return TypedResults.Ok(new CaseActionsResponse(view.Case.Number,
                    [.. Offered(view).Select(a => new CaseActionOption(a.ToString(), names.Of(a), Actions[a].Fields, Actions[a].Required))],
                    [.. options.Departments.Select(Choice)], options.SuggestedDepartmentId, [.. options.LocalStaff.Select(Choice)], [.. options.Categories.Select(Choice)]));
            })
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("ListCaseActions")
            .WithSummary("我现在可以办理的操作 · The actions I may take on a case")
            .WithDescription("与案件页面相同的规则（流转表与案件范围），及各操作读取和必填的字段、可选的部门、人员和类别。 · The case page's rules (transition table and scope), each action's fields, and the departments, staff and categories to choose from.");

        api.MapPost("/cases/{number}/actions/{action}", async Task<IResult> (string number, string action, HttpContext http, CaseDetailQuery detail,
                CaseWorkflowService workflow, CurrentStaff staff, IStringLocalizer<DomainNamesResource> names, ILogger<CaseApiEndpoints> logger) =>
            {
                var input = new ApiInput(http);
                var valid = input.CaseNumber("number", number);
                var chosen = input.Enum<CaseAction>("action", action, allowed: [.. Actions.Keys]);
                if (!input.IsValid)
                {
                    return input.Problem();
                }
                var (body, problem) = await ApiInput.BodyAsync<CaseActionRequest>(http);
                if (problem is not null)
                {
                    return problem;
                }
                var actor = await staff.ActorAsync(http.RequestAborted);
                var view = await detail.GetAsync(valid!, actor, http.RequestAborted);
                if (view is null)
                {
                    return ApiProblems.Problem(http, StatusCodes.Status404NotFound);
                }
                var taken = chosen!.Value;
                if (!Offered(view).Contains(taken))
                {
                    return ApiProblems.Problem(http, StatusCodes.Status403Forbidden, input.Messages["ActionNotAllowed", names.Of(taken)], "api.action-not-allowed");
                }
                var command = Command(input, taken, body!);
                if (!input.IsValid || command is null)
                {
                    return input.Problem();
                }
                try
                {
                    await command(workflow, view.Case.Id, actor, http.RequestAborted);
                }
                catch (DomainException exception)
                {
                    logger.LogInformation("API: case {CaseNumber} {Action} refused for {Actor}: {Code}", view.Case.Number, taken, actor.Name, exception.Code);
                    return ApiProblems.From(http, exception, ActionFields);
                }
                logger.LogInformation("API: case {CaseNumber} {Action} by {Actor}", view.Case.Number, taken, actor.Name);
                var after = await detail.GetAsync(view.Case.Number, actor, http.RequestAborted);
                // Still visible to the person after the action? Then the case as it is now; otherwise (e.g. returned) nothing more to show.
                return after is null ? TypedResults.NoContent() : TypedResults.Ok(CaseOf(after, names));
            })
            .AcceptsJson<CaseActionRequest>()
            .Produces<CaseResponse>()
            .Produces(StatusCodes.Status204NoContent)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithName("TakeCaseAction")
            .WithSummary("办理案件操作 · Take an action on a case")
            .WithDescription("action 为 GET …/actions 列出的操作之一（如 Accept、SubmitFeedback）；只经由案件流转服务办理，规则与案件页面相同。答复办理后的案件。 · action is one listed by GET …/actions (e.g. Accept, SubmitFeedback); it goes through the case workflow service only, under the case page's rules. Answers the case as it is after.");

        api.MapPost("/cases", async Task<IResult> (HttpContext http, CaseReporting reporting, ReportFormQuery forms, CurrentStaff staff, ILogger<CaseApiEndpoints> logger) =>
            {
                var (body, problem) = await ApiInput.BodyAsync<ReportRequest>(http);
                if (problem is not null)
                {
                    return problem;
                }
                var input = new ApiInput(http);
                var submission = input.Required("submissionId", body!.SubmissionId);
                var category = input.Required("categoryId", body.CategoryId);
                var description = input.Text("description", body.Description, Case.DescriptionMaxLength, required: true);
                var longitude = input.Coordinate("longitude", body.Longitude, -180, 180);
                var latitude = input.Coordinate("latitude", body.Latitude, -90, 90);
                var address = input.Text("address", body.Address, 200, required: true);
                var priority = input.Enum<CasePriority>("priority", body.Priority, CasePriority.Normal);
                var source = input.Enum<CaseSource>("source", body.Source);
                var reporterName = input.Text("reporterName", body.ReporterName, 30, required: !body.HandledOnSpot);
                var reporterPhone = input.Text("reporterPhone", body.ReporterPhone, 20);
                var attachTo = body.AttachTo is null ? null : input.CaseNumber("attachTo", body.AttachTo);
                var result = input.Text("result", body.Result, TextMaxLength, required: body.HandledOnSpot);
                var photos = input.Photos("photos", body.Photos, required: body.HandledOnSpot);
                if (!input.IsValid)
                {
                    return input.Problem();
                }
                var actor = await staff.ActorAsync(http.RequestAborted);
                if (actor.StaffMemberId is { } me && await forms.NumberForSubmissionAsync(submission!.Value, me, http.RequestAborted) is { } earlier)
                {
                    logger.LogInformation("API: report {SubmissionId} replayed by {Actor}; answered with case {CaseNumber}", submission, actor.Name, earlier);
                    return TypedResults.Ok(new ReportResponse(earlier, null, false, Replayed: true));
                }
                ReportOutcome outcome;
                try
                {
                    var defaultSource = source ?? (await reporting.FormAsync(actor, http.RequestAborted)).DefaultSource;
                    outcome = await reporting.ReportAsync(new Application.Cases.ReportRequest(category!.Value, description!, longitude!.Value, latitude!.Value, address!,
                        defaultSource, priority!.Value, reporterName, reporterPhone, photos, submission!.Value, attachTo, body.HandledOnSpot, result), actor, http.RequestAborted);
                }
                catch (DomainException exception)
                {
                    logger.LogInformation("API: report refused for {Actor}: {Code}", actor.Name, exception.Code);
                    return ApiProblems.From(http, exception, ReportFields);
                }
                return TypedResults.Created($"{ApiProblems.Root}/cases/{outcome.Number}", new ReportResponse(outcome.Number, outcome.AttachedTo, outcome.MergeFailed, Replayed: false));
            })
            .RequireAuthorization(Policies.Report)
            .AcceptsJson<ReportRequest>()
            .Produces<ReportResponse>(StatusCodes.Status201Created)
            .Produces<ReportResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithName("ReportCase")
            .WithSummary("问题上报 · Report a problem")
            .WithDescription("与上报页面相同的用例：按位置确定网格，照片以Base64随请求提交（最多9张）。submissionId 由客户端生成：本人以同一编号重复提交答复200和同一案件，他人使用的编号答复409。 · The report page's use case: the grid comes from the point, photos travel as Base64 (at most 9). submissionId is the client's: the author's replay answers 200 with the same case, someone else's key 409.");
    }

    /// <summary>What the case page offers the person (the transition table narrowed by the case's scope), as far as this API takes it.</summary>
    private static IEnumerable<CaseAction> Offered(CaseDetailView view) => view.Actions.Where(Actions.ContainsKey).Distinct();

    private static ChoiceResponse Choice(Choice choice) => new(choice.Id, choice.Name);

    /// <summary>The action as the workflow service's call, its input checked here; null (with the problems in <paramref name="input"/>) when it cannot be sent.</summary>
    private static Func<CaseWorkflowService, int, CaseActor, CancellationToken, Task>? Command(ApiInput input, CaseAction action, CaseActionRequest body)
    {
        var text = input.Text("text", body.Text, TextMaxLength);
        string Reason() => text ?? "";
        switch (action)
        {
            case CaseAction.Register:
                var priority = input.Enum<CasePriority>("priority", body.Priority);
                return (w, id, a, t) => w.RegisterAsync(id, a, body.CategoryId, priority, text, t);
            case CaseAction.Reject:
                return (w, id, a, t) => w.RejectAsync(id, a, Reason(), t);
            case CaseAction.Merge:
                var original = input.CaseNumber("originalCaseNumber", body.OriginalCaseNumber);
                return original is null ? null : async (w, id, a, t) =>
                    await w.MergeAsync(id, await w.FindIdAsync(original, t)
                        ?? throw new DomainException("case.number-not-found", $"案件{original}不存在") { Arguments = [original], Field = "originalCaseNumber" }, a, t);
            case CaseAction.Dispatch:
                var department = input.Required("departmentId", body.DepartmentId);
                var coHandling = Departments(input, body.DepartmentIds, required: false);
                return department is null ? null : (w, id, a, t) => w.DispatchAsync(id, a, department.Value, coHandling, text, t);
            case CaseAction.AssignLocally:
                var assignee = input.Required("assigneeStaffId", body.AssigneeStaffId);
                return assignee is null ? null : (w, id, a, t) => w.AssignLocallyAsync(id, a, assignee.Value, text, t);
            case CaseAction.Accept:
                return (w, id, a, t) => w.AcceptAsync(id, a, t);
            case CaseAction.Return:
                return (w, id, a, t) => w.ReturnAsync(id, a, Reason(), t);
            case CaseAction.SubmitFeedback:
                var feedbackPhotos = input.Photos("photos", body.Photos);
                var late = input.Text("lateExplanation", body.LateExplanation, TextMaxLength);
                return (w, id, a, t) => w.SubmitFeedbackAsync(id, a, Reason(), feedbackPhotos, t, late);
            case CaseAction.Verify:
                var verifyPhotos = input.Photos("photos", body.Photos);
                return (w, id, a, t) => w.VerifyAsync(id, a, text, verifyPhotos, t);
            case CaseAction.Rework:
                return (w, id, a, t) => w.ReworkAsync(id, a, Reason(), t);
            case CaseAction.Archive:
                return (w, id, a, t) => w.ArchiveAsync(id, a, text, t);
            case CaseAction.Void:
                return (w, id, a, t) => w.VoidAsync(id, a, Reason(), t);
            case CaseAction.Escalate:
                return (w, id, a, t) => w.EscalateAsync(id, a, Reason(), t);
            case CaseAction.Supervise:
                return (w, id, a, t) => w.SuperviseAsync(id, a, Reason(), t);
            case CaseAction.Whistle:
                var summoned = Departments(input, body.DepartmentIds, required: true);
                return (w, id, a, t) => w.WhistleAsync(id, a, summoned, cancellationToken: t);
            case CaseAction.RespondToWhistle:
                return (w, id, a, t) => w.RespondToWhistleAsync(id, a, Reason(), t);
            case CaseAction.AcceptCoHandling:
                return (w, id, a, t) => w.AcceptCoHandlingAsync(id, a, t);
            case CaseAction.SubmitCoHandlingOpinion:
                var opinionPhotos = input.Photos("photos", body.Photos);
                return (w, id, a, t) => w.SubmitCoHandlingOpinionAsync(id, a, Reason(), opinionPhotos, t);
            case CaseAction.EndCoHandling:
                return (w, id, a, t) => w.EndCoHandlingAsync(id, a, Reason(), t);
            case CaseAction.RequestExtension:
                var due = input.Time("requestedDue", body.RequestedDue, required: true);
                return due is null ? null : (w, id, a, t) => w.RequestExtensionAsync(id, a, Reason(), due.Value, t);
            case CaseAction.ApproveExtension:
                return (w, id, a, t) => w.ApproveExtensionAsync(id, a, text, t);
            case CaseAction.RefuseExtension:
                return (w, id, a, t) => w.RefuseExtensionAsync(id, a, Reason(), t);
            case CaseAction.CallBack:
                var satisfied = input.Required("satisfied", body.Satisfied);
                var channel = input.Enum<SatisfactionChannel>("channel", body.Channel);
                if (channel is null && string.IsNullOrWhiteSpace(body.Channel))
                {
                    input.Add("channel", input.Messages["FieldRequired"]);
                }
                return satisfied is null || channel is null ? null : (w, id, a, t) => w.RecordCallBackAsync(id, a, satisfied.Value, channel.Value, text, t);
            case CaseAction.ConfirmOnSpot:
                return (w, id, a, t) => w.ConfirmOnSpotAsync(id, a, t);
            default:
                input.Add("action", input.Messages["ActionUnknown"]);
                return null;
        }
    }

    private static List<int> Departments(ApiInput input, IReadOnlyList<int>? ids, bool required)
    {
        if (ids is null || ids.Count == 0)
        {
            if (required)
            {
                input.Add("departmentIds", input.Messages["FieldRequired"]);
            }
            return [];
        }
        if (ids.Count > 20)
        {
            input.Add("departmentIds", input.Messages["TooManyItems", 20]);
            return [];
        }
        return [.. ids.Distinct()];
    }

    internal static CaseResponse CaseOf(CaseDetailView view, IStringLocalizer<DomainNamesResource> names)
    {
        var c = view.Case;
        return new CaseResponse(
            c.Number, c.State.ToString(), names.Of(c.State), c.Priority.ToString(), c.Source.ToString(), c.Level.ToString(),
            view.CategoryCode, view.CategoryName, view.MajorName, c.Description, c.Address, c.Location.X, c.Location.Y,
            c.GridCode, view.GridName, view.CommunityName, c.ReportedAt, c.ReporterName,
            view.ShowsReporterContact ? Masking.Phone(c.ReporterPhone) : null,
            c.CurrentDue, view.Warning.ToString(), c.HandleDue,
            c.AssignedDepartmentId is { } department ? view.DepartmentNames.GetValueOrDefault(department) : null,
            view.AssignedStaffName, c.Result, c.IsSupervised,
            [.. c.Evidence.OrderBy(e => e.AddedAt).Select(e => new CasePhoto(e.Sha256, e.FileName, e.Step.ToString(), e.AddedAt))],
            [.. c.History.OrderBy(h => h.At).ThenBy(h => h.Id).Select(h => new CaseHistoryItem(h.At, h.Action.ToString(), names.Of(h.Action),
                h.FromState?.ToString(), h.ToState.ToString(), h.ActorName, h.Note))],
            [.. Offered(view).Select(a => a.ToString())],
            c.Version);
    }
}
