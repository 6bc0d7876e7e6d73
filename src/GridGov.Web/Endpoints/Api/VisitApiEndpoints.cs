using System.Globalization;
using GridGov.Application.Visits;
using GridGov.Domain.Common;
using GridGov.Domain.Visits;
using GridGov.Web.Components.Pages.Visits;
using GridGov.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GridGov.Web.Endpoints.Api;

/// <summary>
/// Household visits (入户走访) for the grid staff who make them: my visits of a month, a page at a time, and recording one
/// (the visit page's use case: only households of one's grids, not in the future, not in a signed-off month, idempotent by
/// the submission id of its author; a problem found can be reported as a case in the same transaction).
/// </summary>
public sealed class VisitApiEndpoints : IEndpointModule
{
    private static readonly IReadOnlyDictionary<string, string> Fields = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["household"] = "householdId", ["demand"] = "visitDemandId", ["visitedAt"] = "visitedAt", ["findings"] = "findings",
        ["companions"] = "companions", ["category"] = "raiseCase.categoryId", ["description"] = "raiseCase.description",
    };

    public void Map(IEndpointRouteBuilder endpoints)
    {
        var visits = endpoints.MapGroup(ApiProblems.Root + "/visits").RequireAuthorization(ApiSetup.Policy)
            .RequireAuthorization(new AuthorizeAttribute { Roles = VisitRoles.Visitors }).WithTags("Visits");

        visits.MapGet("", async Task<IResult> (string? month, int? page, HttpContext http, VisitQueries query, CurrentStaff staff, TimeProvider clock) =>
            {
                var input = new ApiInput(http);
                var chosen = input.Month("month", month);
                var (index, _) = input.Paging(page, null, VisitQueries.VisitListLimit);
                if (!input.IsValid)
                {
                    return input.Problem();
                }
                var actor = await staff.ActorAsync(http.RequestAborted);
                var shown = chosen ?? ChinaMonths.MonthOf(clock.GetUtcNow());
                try
                {
                    var rows = await query.VisitPageAsync(actor, actor.StaffMemberId!.Value, shown, index, http.RequestAborted);
                    return TypedResults.Ok(new VisitListResponse(shown.ToString("yyyy-MM", CultureInfo.InvariantCulture), index, VisitQueries.VisitListLimit, rows.Total,
                        [.. rows.Rows.Select(v => new VisitResponse(v.Id, v.HouseholdId, v.Address, v.VisitedAt, v.Findings, v.Companions, v.RaisedCaseNumber,
                            v.DemandReason?.ToString(), v.Frozen))]));
                }
                catch (DomainException exception)
                {
                    return ApiProblems.From(http, exception);
                }
            })
            .Produces<VisitListResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithName("ListMyVisits")
            .WithSummary("我的走访 · My visits")
            .WithDescription($"某月（yyyy-MM，默认本月）本人的走访，新的在前，每页{VisitQueries.VisitListLimit}条；page 从1开始。 · The person's visits of a month (yyyy-MM, default this month), newest first, {VisitQueries.VisitListLimit} a page; page counts from 1.");

        visits.MapPost("", async Task<IResult> (HttpContext http, VisitService service, VisitQueries query, CurrentStaff staff, ILogger<VisitApiEndpoints> logger) =>
            {
                var (body, problem) = await ApiInput.BodyAsync<VisitRequest>(http);
                if (problem is not null)
                {
                    return problem;
                }
                var input = new ApiInput(http);
                var submission = input.Required("submissionId", body!.SubmissionId);
                var household = input.Required("householdId", body.HouseholdId);
                var visitedAt = input.Time("visitedAt", body.VisitedAt, required: true);
                var findings = input.Text("findings", body.Findings, Visit.FindingsMaxLength, required: true);
                var companions = input.Text("companions", body.Companions, Visit.CompanionsMaxLength);
                RaiseCaseFromVisit? raise = null;
                if (body.RaiseCase is { } raiseCase)
                {
                    var category = input.Required("raiseCase.categoryId", raiseCase.CategoryId);
                    var description = input.Text("raiseCase.description", raiseCase.Description, Domain.Cases.Case.DescriptionMaxLength, required: true);
                    // The case's own key derives from the visit's, so a replayed visit replays its case too.
                    raise = category is null || description is null ? null : new RaiseCaseFromVisit(category.Value, description, submission);
                }
                if (!input.IsValid)
                {
                    return input.Problem();
                }
                var actor = await staff.ActorAsync(http.RequestAborted);
                try
                {
                    var visit = await service.RecordVisitAsync(new RecordVisit(household!.Value, visitedAt!.Value, findings!, companions, body.VisitDemandId, null, raise,
                        submission), actor, http.RequestAborted);
                    var caseNumber = visit.RaisedCaseId is { } caseId ? await query.CaseNumberAsync(caseId, http.RequestAborted) : null;
                    logger.LogInformation("API: visit {VisitId} recorded by {Actor}", visit.Id, actor.Name);
                    return TypedResults.Created($"{ApiProblems.Root}/visits/{visit.Id}", new VisitCreatedResponse(visit.Id, visit.HouseholdId, visit.VisitedAt, caseNumber));
                }
                catch (DomainException exception)
                {
                    logger.LogInformation("API: visit refused for {Actor}: {Code}", actor.Name, exception.Code);
                    return ApiProblems.From(http, exception, Fields);
                }
            })
            .AcceptsJson<VisitRequest>()
            .Produces<VisitCreatedResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithName("RecordVisit")
            .WithSummary("登记走访 · Record a visit")
            .WithDescription("只能登记本人负责网格内的住户；走访时间不能晚于现在、不能在已签署审核的月份；可同时上报发现的问题（raiseCase）。同一 submissionId 重复提交答复同一走访。 · Households of one's own grids only; not in the future nor in a signed-off month; a problem found may be reported at once (raiseCase). The same submissionId answers with the same visit.");
    }
}
