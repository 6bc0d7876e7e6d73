using GridGov.Application.Ledgers;
using GridGov.Domain.Ledgers;
using GridGov.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GridGov.Web.Endpoints.Api;

/// <summary>
/// Ledger look-ups within the person's scope (台账查询), through the ledger pages' queries: ID numbers and phones masked as in
/// the lists, a resident found by a whole ID number or phone only (never by part of one), each such look-up audited and
/// counted against the hourly budget; department handlers see no people's ledgers.
/// </summary>
public sealed class LedgerApiEndpoints : IEndpointModule
{
    /// <summary>Everyone on staff but department handlers, as the ledger pages (their lists show handlers nothing).</summary>
    public const string Readers = "Dispatcher,CommunitySecretary,GridLeader,GridWorker,StreetLeader,Administrator";

    private const int MaxPage = LedgerPaging.CountLimit;

    public void Map(IEndpointRouteBuilder endpoints)
    {
        var ledgers = endpoints.MapGroup(ApiProblems.Root).RequireAuthorization(ApiSetup.Policy)
            .RequireAuthorization(new AuthorizeAttribute { Roles = Readers }).WithTags("Ledgers");

        ledgers.MapGet("/residents", async Task<IResult> (string? q, string? address, string? grid, int? page, int? pageSize, HttpContext http, ResidentQueries query,
                CurrentStaff staff) =>
            {
                var input = new ApiInput(http);
                var text = input.Text("q", q, ResidentFilter.TextMaxLength);
                var street = input.Text("address", address, HouseholdFilter.TextMaxLength);
                var gridCode = input.Text("grid", grid, 15);
                var (index, size) = input.Paging(page, pageSize, LedgerPaging.PageSize, MaxPage);
                if (!input.IsValid)
                {
                    return input.Problem();
                }
                var request = new LedgerPageRequest(index - 1, size);
                var view = await query.ListAsync(new ResidentFilter(text, street, GridCode: gridCode), await staff.ActorAsync(http.RequestAborted), request, http.RequestAborted);
                return view.Refusal switch
                {
                    ResidentSearchRefusal.PartialNumber => ApiProblems.Validation(http, "q", input.Messages["PartialNumber"]),
                    ResidentSearchRefusal.LookupBudgetSpent => ApiProblems.Problem(http, StatusCodes.Status429TooManyRequests,
                        input.Messages["LookupBudget", ResidentSearch.LookupBudget], "api.lookup-budget"),
                    _ => TypedResults.Ok(new LedgerPageResponse<ResidentSummary>(request.Index + 1, request.Size, view.Page.Count, view.Page.CountCapped,
                        [.. view.Page.Rows.Select(r => new ResidentSummary(r.Id, r.Name, r.MaskedIdNumber, r.Sex.ToString(), r.Age, r.MaskedPhone, r.HouseholdId, r.Address,
                            r.PopulationKind.ToString(), [.. r.Groups.Select(g => g.ToString())], r.GridId, r.Removed))])),
                };
            })
            .Produces<LedgerPageResponse<ResidentSummary>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithName("SearchResidents")
            .WithSummary("查找居民 · Search residents")
            .WithDescription($"q 为姓名开头，或完整的身份证号、手机号（不接受号码的一部分）；按完整号码查找记入审计，每人每小时最多{ResidentSearch.LookupBudget}次。号码一律遮蔽。page 从1开始，pageSize 1–{ApiInput.MaxPageSize}。 · q is the start of a name, or a whole ID number or phone (never part of one); look-ups by whole number are audited, {ResidentSearch.LookupBudget} per person per hour. Numbers are masked. page from 1, pageSize 1–{ApiInput.MaxPageSize}.");

        ledgers.MapGet("/households", async Task<IResult> (string? address, string? grid, int? page, int? pageSize, HttpContext http, HouseholdQueries query, CurrentStaff staff) =>
            {
                var input = new ApiInput(http);
                var street = input.Text("address", address, HouseholdFilter.TextMaxLength);
                var gridCode = input.Text("grid", grid, 15);
                var (index, size) = input.Paging(page, pageSize, LedgerPaging.PageSize, MaxPage);
                if (!input.IsValid)
                {
                    return input.Problem();
                }
                var request = new LedgerPageRequest(index - 1, size);
                var rows = await query.ListAsync(new HouseholdFilter(street, GridCode: gridCode), await staff.ActorAsync(http.RequestAborted), request, http.RequestAborted);
                return TypedResults.Ok(new LedgerPageResponse<HouseholdSummaryResponse>(request.Index + 1, request.Size, rows.Count, rows.CountCapped,
                    [.. rows.Rows.Select(h => new HouseholdSummaryResponse(h.Id, h.Address, h.Dwelling, h.Kind.ToString(), h.HeadName, h.Members, h.GridId, h.Removed))]));
            })
            .Produces<LedgerPageResponse<HouseholdSummaryResponse>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithName("SearchHouseholds")
            .WithSummary("查找住户 · Search households")
            .WithDescription("按地址的一部分、网格编码查找本人范围内的住户。 · Households in one's scope by part of the address or by grid code.");

        ledgers.MapGet("/units", async Task<IResult> (string? q, string? grid, string? kind, int? page, int? pageSize, HttpContext http, UnitQueries query, CurrentStaff staff) =>
            {
                var input = new ApiInput(http);
                var text = input.Text("q", q, UnitFilter.TextMaxLength);
                var gridCode = input.Text("grid", grid, 15);
                var unitKind = input.Enum<UnitKind>("kind", kind);
                var (index, size) = input.Paging(page, pageSize, LedgerPaging.PageSize, MaxPage);
                if (!input.IsValid)
                {
                    return input.Problem();
                }
                var request = new LedgerPageRequest(index - 1, size);
                var rows = await query.ListAsync(new UnitFilter(text, unitKind, GridCode: gridCode), await staff.ActorAsync(http.RequestAborted), request, http.RequestAborted);
                return TypedResults.Ok(new LedgerPageResponse<UnitSummary>(request.Index + 1, request.Size, rows.Count, rows.CountCapped,
                    [.. rows.Rows.Select(u => new UnitSummary(u.Id, u.Name, u.Kind.ToString(), u.Address, u.EmployeeCount, u.ContactName, u.MaskedContactPhone,
                        u.HasPartyOrganisation, u.PartyMemberCount, u.GridId, u.Removed))]));
            })
            .Produces<LedgerPageResponse<UnitSummary>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithName("SearchUnits")
            .WithSummary("查找单位、门店 · Search units and shops")
            .WithDescription("按名称或地址、类别、网格编码查找本人范围内的单位；联系电话遮蔽。 · Units in one's scope by name or address, kind, grid code; contact phones masked.");
    }
}
