using GridGov.Application.Patrols;
using GridGov.Domain.Common;
using GridGov.Domain.Patrols;
using GridGov.Web.Components.Pages.Patrols;
using GridGov.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GridGov.Web.Endpoints.Api;

/// <summary>
/// Patrols from the phone (巡查): my patrols, a page at a time; a patrol recorded as it happens — start in one of one's
/// grids, post the GPS points as they come, finish (recorded by the patrol page's use case, with its rules: the track mostly
/// in the grid, no signed-off month, problems found reported as cases in the same transaction).
/// </summary>
public sealed class PatrolApiEndpoints : IEndpointModule
{
    private static readonly IReadOnlyDictionary<string, string> Fields = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["grid"] = "gridCode", ["times"] = "startedAt", ["track"] = "points", ["notes"] = "notes", ["problems"] = "problems",
    };

    public void Map(IEndpointRouteBuilder endpoints)
    {
        var patrols = endpoints.MapGroup(ApiProblems.Root + "/patrols").RequireAuthorization(ApiSetup.Policy)
            .RequireAuthorization(new AuthorizeAttribute { Roles = PatrolRoles.Record }).WithTags("Patrols");

        patrols.MapGet("", async Task<IResult> (string? month, int? page, HttpContext http, PatrolQueries query, CurrentStaff staff) =>
            {
                var input = new ApiInput(http);
                var chosen = input.Month("month", month);
                var (index, _) = input.Paging(page, null, PatrolQueries.PageSize);
                if (!input.IsValid)
                {
                    return input.Problem();
                }
                var actor = await staff.ActorAsync(http.RequestAborted);
                var list = await query.ListAsync(actor, new PatrolFilter(Month: chosen, PatrollerStaffId: actor.StaffMemberId, Page: index), http.RequestAborted);
                return TypedResults.Ok(new PatrolListResponse(list.Page, list.PageSize, list.Total,
                    [.. list.Rows.Select(p => new PatrolSummary(p.Id, p.GridCode, p.GridName, p.StartedAt, p.EndedAt, p.CoverageShare, p.Reports, p.Notes))]));
            })
            .Produces<PatrolListResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithName("ListMyPatrols")
            .WithSummary("我的巡查 · My patrols")
            .WithDescription($"本人登记的巡查，新的在前，每页{PatrolQueries.PageSize}条；month 为 yyyy-MM（可选），page 从1开始。 · The person's recorded patrols, newest first, {PatrolQueries.PageSize} a page; month as yyyy-MM (optional), page from 1.");

        patrols.MapPost("", async Task<IResult> (HttpContext http, OngoingPatrols ongoing, CurrentStaff staff) =>
            {
                var (body, problem) = await ApiInput.BodyAsync<StartPatrolRequest>(http);
                if (problem is not null)
                {
                    return problem;
                }
                var input = new ApiInput(http);
                var id = input.Required("patrolId", body!.PatrolId);
                var grid = input.Text("gridCode", body.GridCode, 15, required: true);
                var startedAt = input.Time("startedAt", body.StartedAt);
                if (!input.IsValid)
                {
                    return input.Problem();
                }
                try
                {
                    var (patrol, started) = await ongoing.StartAsync(await staff.ActorAsync(http.RequestAborted), id!.Value, grid!, startedAt, http.RequestAborted);
                    var response = Response(patrol);
                    return started ? TypedResults.Created($"{ApiProblems.Root}/patrols/{patrol.Id}", response) : TypedResults.Ok(response);
                }
                catch (DomainException exception)
                {
                    return ApiProblems.From(http, exception, Fields);
                }
            })
            .AcceptsJson<StartPatrolRequest>()
            .Produces<OngoingPatrolResponse>(StatusCodes.Status201Created)
            .Produces<OngoingPatrolResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("StartPatrol")
            .WithSummary("开始巡查 · Start a patrol")
            .WithDescription("在本人负责的网格开始一次巡查；patrolId 由手机生成，重复开始答复200和同一巡查。 · Starts a patrol in one of one's grids; patrolId is the phone's, a repeated start answers 200 with the same patrol.");

        patrols.MapGet("/{patrolId:guid}", async Task<IResult> (Guid patrolId, HttpContext http, OngoingPatrols ongoing, CurrentStaff staff) =>
            {
                try
                {
                    return TypedResults.Ok(Response(await ongoing.GetAsync(await staff.ActorAsync(http.RequestAborted), patrolId, http.RequestAborted)));
                }
                catch (DomainException exception)
                {
                    return ApiProblems.From(http, exception, Fields);
                }
            })
            .Produces<OngoingPatrolResponse>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("GetPatrol")
            .WithSummary("进行中的巡查 · A patrol under way")
            .WithDescription("已收到的轨迹点数和最后一个点的时间（断线重连后据此补发）。 · Points received and the last one's time (to resume after a dropped connection).");

        patrols.MapPost("/{patrolId:guid}/track", async Task<IResult> (Guid patrolId, HttpContext http, OngoingPatrols ongoing, CurrentStaff staff) =>
            {
                var (body, problem) = await ApiInput.BodyAsync<TrackPointsRequest>(http);
                if (problem is not null)
                {
                    return problem;
                }
                var input = new ApiInput(http);
                var points = new List<TrackPoint>();
                if (body!.Points is not { Count: > 0 } sent)
                {
                    input.Add("points", input.Messages["FieldRequired"]);
                }
                else if (sent.Count > OngoingPatrol.MaxPointsPerPost)
                {
                    input.Add("points", input.Messages["TrackPointsTooMany", OngoingPatrol.MaxPointsPerPost]);
                }
                else
                {
                    for (var i = 0; i < sent.Count; i++)
                    {
                        var longitude = input.Coordinate($"points[{i}].longitude", sent[i]?.Longitude, -180, 180);
                        var latitude = input.Coordinate($"points[{i}].latitude", sent[i]?.Latitude, -90, 90);
                        var at = input.Time($"points[{i}].recordedAt", sent[i]?.RecordedAt, required: true);
                        if (longitude is { } x && latitude is { } y && at is { } time)
                        {
                            points.Add(new TrackPoint(x, y, time));
                        }
                    }
                }
                if (!input.IsValid)
                {
                    return input.Problem();
                }
                try
                {
                    var added = await ongoing.AddPointsAsync(await staff.ActorAsync(http.RequestAborted), patrolId, points, http.RequestAborted);
                    return TypedResults.Ok(new TrackPointsResponse(patrolId, added.Added, added.Points));
                }
                catch (DomainException exception)
                {
                    return ApiProblems.From(http, exception, Fields);
                }
            })
            .AcceptsJson<TrackPointsRequest>()
            .Produces<TrackPointsResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("PostPatrolTrack")
            .WithSummary("提交GPS轨迹点 · Post GPS track points")
            .WithDescription($"一次最多{OngoingPatrol.MaxPointsPerPost}个点（WGS-84 经纬度和带时区的定位时间）；已收到的同一时间的点不再重复记录，可放心重发。 · At most {OngoingPatrol.MaxPointsPerPost} points a post (WGS-84 and the fix's time with its offset); a point of a time already received is skipped, so a batch may be sent again.");

        patrols.MapPost("/{patrolId:guid}/finish", async Task<IResult> (Guid patrolId, HttpContext http, OngoingPatrols ongoing, CurrentStaff staff) =>
            {
                var (body, problem) = await ApiInput.BodyAsync<FinishPatrolRequest>(http);
                if (problem is not null)
                {
                    return problem;
                }
                var input = new ApiInput(http);
                var endedAt = input.Time("endedAt", body!.EndedAt);
                var notes = input.Text("notes", body.Notes, Patrol.NotesMaxLength);
                var problems = new List<PatrolProblem>();
                if (body.Problems is { Count: > PatrolReports.MaxPerPatrol })
                {
                    input.Add("problems", input.Messages["TooManyItems", PatrolReports.MaxPerPatrol]);
                }
                else
                {
                    for (var i = 0; i < (body.Problems?.Count ?? 0); i++)
                    {
                        var found = body.Problems![i];
                        var category = input.Required($"problems[{i}].categoryId", found?.CategoryId);
                        var description = input.Text($"problems[{i}].description", found?.Description, Domain.Cases.Case.DescriptionMaxLength, required: true);
                        var longitude = input.Coordinate($"problems[{i}].longitude", found?.Longitude, -180, 180);
                        var latitude = input.Coordinate($"problems[{i}].latitude", found?.Latitude, -90, 90);
                        var address = input.Text($"problems[{i}].address", found?.Address, 200);
                        if (category is { } c && description is not null && longitude is { } x && latitude is { } y)
                        {
                            problems.Add(new PatrolProblem(c, description, x, y, address));
                        }
                    }
                }
                if (!input.IsValid)
                {
                    return input.Problem();
                }
                try
                {
                    var recorded = await ongoing.FinishAsync(await staff.ActorAsync(http.RequestAborted), patrolId, endedAt, notes, problems, http.RequestAborted);
                    return TypedResults.Ok(new FinishedPatrolResponse(recorded.PatrolId, recorded.Coverage, recorded.CaseNumbers, recorded.AlreadyRecorded));
                }
                catch (DomainException exception)
                {
                    return ApiProblems.From(http, exception, Fields);
                }
            })
            .AcceptsJson<FinishPatrolRequest>()
            .Produces<FinishedPatrolResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithName("FinishPatrol")
            .WithSummary("结束巡查 · Finish a patrol")
            .WithDescription("以收到的轨迹点登记巡查（与巡查页面相同的规则：轨迹大部分须在该网格内，已签署审核的月份不能补录）并计算覆盖率；巡查中发现的问题（problems）同时上报为案件。重复结束答复同一巡查。 · Records the patrol with the points received (the patrol page's rules) and its coverage; problems found are reported as cases at once. Finishing again answers with the same patrol.");
    }

    private static OngoingPatrolResponse Response(OngoingPatrolView patrol) =>
        new(patrol.Id, patrol.GridCode, patrol.StartedAt, patrol.Points, patrol.LastPointAt, patrol.RecordedPatrolId);
}
