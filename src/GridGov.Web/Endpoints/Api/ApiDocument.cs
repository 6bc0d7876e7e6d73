using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace GridGov.Web.Endpoints.Api;

/// <summary>
/// The OpenAPI document of the staff API (<c>/openapi/v1.json</c>): only the /api/v1 endpoints, the bearer scheme, and the
/// scheme required on every operation that needs a token. Operation ids and summaries (Chinese · English) come from each
/// endpoint's WithName and WithSummary; a test checks that every /api/v1 route is in the document.
/// </summary>
public static class ApiDocument
{
    public const string BearerScheme = "Bearer";

    public static void Configure(OpenApiOptions options)
    {
        options.ShouldInclude = description => description.RelativePath?.StartsWith("api/v1", StringComparison.Ordinal) == true;
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "GridGov 网格化服务管理 API",
                Version = "v1",
                Description = """
                    网格员手机端等员工应用的接口：我的待办、案件详情与办理、问题上报、走访、巡查（含GPS轨迹）、台账查询。
                    先以 POST /api/v1/tokens 用账号密码换取访问令牌（1小时有效），再以 Authorization: Bearer 令牌 调用其他接口；
                    权限与数据范围与网页相同。错误一律为 RFC 9457 problem details，按 Accept-Language 以中文或英文说明。

                    The API of the staff apps (a grid worker's phone and others): inbox, case detail and actions, reporting, visits,
                    patrols with their GPS track, ledger look-ups. Exchange a user name and password for an access token at
                    POST /api/v1/tokens (valid one hour) and send it as Authorization: Bearer <token>; roles and scopes are those of
                    the pages. Every error is RFC 9457 problem details, in Chinese or English by Accept-Language.
                    """,
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "POST /api/v1/tokens 返回的访问令牌 · the access token from POST /api/v1/tokens",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer(async (operation, context, cancellationToken) =>
        {
            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<JsonBody>().FirstOrDefault() is { } body)
            {
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(body.Type, cancellationToken: cancellationToken) },
                    },
                };
            }
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            if (metadata.OfType<IAllowAnonymous>().Any() || !metadata.OfType<IAuthorizeData>().Any())
            {
                return Task.CompletedTask;
            }
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] });
            return Task.CompletedTask;
        });
    }

    /// <summary>
    /// Documents an endpoint's JSON body. Not <c>Accepts&lt;T&gt;</c>: that also makes routing refuse another content type with an
    /// endpoint of its own, outside the API's authorization and problem details; <see cref="ApiInput.BodyAsync{T}"/> answers 415 itself.
    /// </summary>
    public static RouteHandlerBuilder AcceptsJson<T>(this RouteHandlerBuilder builder) => builder.WithMetadata(new JsonBody(typeof(T)));
}

/// <summary>The type of an endpoint's JSON body, for its OpenAPI request body.</summary>
public sealed record JsonBody(Type Type);
