using GridGov.Application.Cases;
using GridGov.Infrastructure.Identity;
using GridGov.Web.Infrastructure;
using GridGov.Web.Resources;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Localization;

namespace GridGov.Web.Endpoints.Api;

/// <summary>
/// Sign-in for API clients: user name and password for a short-lived access token (the sign-in page's rules: lockout, one
/// answer for an unknown, locked or disabled account, audited), who the token belongs to, and signing a token out.
/// </summary>
public sealed class TokenEndpoints : IEndpointModule
{
    public const string Pattern = ApiProblems.Root + "/tokens";

    public void Map(IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(ApiProblems.Root).WithTags("Tokens");

        api.MapPost("/tokens", async Task<Results<Ok<TokenResponse>, ProblemHttpResult, ValidationProblem>> (HttpContext http, ApiTokens tokens, ILogger<TokenEndpoints> logger) =>
            {
                var (body, problem) = await ApiInput.BodyAsync<TokenRequest>(http);
                if (problem is not null)
                {
                    return Refused(problem);
                }
                var input = new ApiInput(http);
                var userName = input.Text("userName", body!.UserName, 64, required: true);
                // The password as typed (spaces are characters of it); only its presence and length are checked here.
                if (string.IsNullOrEmpty(body.Password))
                {
                    input.Add("password", input.Messages["FieldRequired"]);
                }
                else if (body.Password.Length > 128)
                {
                    input.Add("password", input.Messages["FieldTooLong", 128]);
                }
                if (!input.IsValid)
                {
                    return Refused(input.Problem());
                }
                var issued = await tokens.IssueAsync(userName!, body.Password!);
                if (issued is null)
                {
                    logger.LogWarning("API sign-in refused for {UserName}", userName);
                    http.Response.Headers.WWWAuthenticate = "Bearer";
                    return ApiProblems.Problem(http, StatusCodes.Status401Unauthorized, input.Messages["WrongCredentials"], "api.credentials");
                }
                logger.LogInformation("API token issued to {UserName}, valid until {ExpiresAt}", issued.UserName, issued.ExpiresAt);
                return TypedResults.Ok(new TokenResponse(issued.AccessToken, "Bearer", issued.ExpiresIn, issued.ExpiresAt, issued.UserName,
                    issued.DisplayName, issued.StaffMemberId, issued.Roles));
            })
            .AllowAnonymousWhenListed()
            .AcceptsJson<TokenRequest>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithName("CreateToken")
            .WithSummary("登录换取访问令牌 · Sign in for an access token")
            .WithDescription("用户名和密码正确时返回1小时有效的访问令牌；连续5次失败锁定15分钟；用户名不存在、已锁定或已停用的账号与密码错误得到同一答复。" +
                             " · Returns an access token valid for one hour; 5 failures lock the account for 15 minutes; an unknown, locked or disabled account gets the answer of a wrong password.");

        var signedIn = api.MapGroup("").RequireAuthorization(ApiSetup.Policy);

        signedIn.MapDelete("/tokens/current", async Task<NoContent> (HttpContext http, StaffSessions sessions, Application.Audit.AuditLog audit) =>
            {
                await sessions.EndAsync(http.User, http.RequestAborted);
                await audit.RecordAsync(Domain.Audit.AuditAction.SignOut, nameof(ApplicationUser), http.User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value,
                    "接口退出登录（访问令牌作废）", http.RequestAborted);
                return TypedResults.NoContent();
            })
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithName("RevokeToken")
            .WithSummary("作废当前访问令牌（退出登录）· Sign the current access token out")
            .WithDescription("令牌所属的会话立即结束，此后该令牌不再可用。 · The token's session ends at once; the token no longer works.");

        signedIn.MapGet("/me", async Task<Ok<MeResponse>> (HttpContext http, CurrentStaff staff, IStringLocalizer<DomainNamesResource> names) =>
            {
                var actor = await staff.ActorAsync(http.RequestAborted);
                return TypedResults.Ok(new MeResponse(http.User.Identity?.Name ?? "", staff.DisplayName, actor.StaffMemberId ?? 0, actor.Role?.ToString(),
                    actor.Role is { } role ? names.Of(role) : null, [.. actor.GridCodes.Order(StringComparer.Ordinal)], actor.CommunityId, actor.DepartmentId));
            })
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithName("GetMe")
            .WithSummary("当前用户 · Who the token belongs to")
            .WithDescription("角色、负责的网格、社区或部门。 · Role, grids, community or department.");
    }

    private static Results<Ok<TokenResponse>, ProblemHttpResult, ValidationProblem> Refused(IResult problem) => problem switch
    {
        ValidationProblem validation => validation,
        ProblemHttpResult other => other,
        _ => throw new InvalidOperationException("Not a problem result."),
    };
}
