using System.Text.Encodings.Web;
using GridGov.Domain.Common;
using GridGov.Infrastructure.Identity;
using GridGov.Web.Components.Pages.Admin;
using GridGov.Web.Infrastructure;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace GridGov.Web.Endpoints.Api;

/// <summary>
/// The staff JSON API (/api/v1) for the grid workers' phone app and other clients: bearer tokens (JWT) that apply to
/// /api/v1 only (pages keep their cookies), problem details for every refusal, the request's Accept-Language, and the
/// OpenAPI document (/openapi/v1.json) with its reference page (/scalar), both for administrators.
/// </summary>
public static class ApiSetup
{
    /// <summary>Every /api/v1 endpoint but the token endpoint: a bearer token of a signed-in staff member.</summary>
    public const string Policy = "StaffApi";

    public const string DocumentName = "v1";
    public const string OpenApiPattern = "/openapi/{documentName}.json";
    public const string ReferencePath = "/scalar";

    /// <summary>Largest JSON body the API reads (photos travel in it as Base64: 9 photos of 10 MB at most would not fit, 4 or 5 do).</summary>
    public const int MaxBodyBytes = 64 * 1024 * 1024;

    public static WebApplicationBuilder AddGridGovApi(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<ApiOptions>(builder.Configuration.GetSection(ApiOptions.Section));
        builder.Services.AddHostedService<ApiSigningKeyCheck>();
        builder.Services.AddScoped<ApiTokens>();
        builder.Services.AddProblemDetails();
        // Chinese as it is in the answers (not \u-escaped): the app's developers read them in their logs.
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping);

        builder.Services.AddAuthentication().AddJwtBearer(ApiTokens.Scheme, _ => { });
        builder.Services.AddOptions<JwtBearerOptions>(ApiTokens.Scheme).Configure<IOptions<ApiOptions>>((jwt, api) =>
        {
            jwt.MapInboundClaims = false;
            jwt.TokenValidationParameters = ApiTokens.ValidationParameters(api.Value);
            jwt.Events = new JwtBearerEvents
            {
                OnTokenValidated = async context =>
                {
                    // The session the sign-in opened must still be open: signed out, a reset password or a disabled account end it.
                    if (context.Principal is not { } token || ApiTokens.PrincipalOf(token) is not { } principal
                        || !await context.HttpContext.RequestServices.GetRequiredService<StaffSessions>().IsOpenAsync(principal, context.HttpContext.RequestAborted))
                    {
                        context.Fail("The session of this access token has ended.");
                        return;
                    }
                    context.Principal = principal;
                },
                OnChallenge = async context =>
                {
                    context.HandleResponse();
                    var invalid = context.AuthenticateFailure is not null;
                    context.Response.Headers.WWWAuthenticate = invalid ? "Bearer error=\"invalid_token\"" : "Bearer";
                    var text = context.HttpContext.RequestServices.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<Resources.ApiResource>>();
                    await ApiProblems.WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, invalid ? text["Detail401Invalid"].Value : null);
                },
                OnForbidden = context => ApiProblems.WriteAsync(context.HttpContext, StatusCodes.Status403Forbidden),
            };
        });
        builder.Services.Configure<AuthorizationOptions>(options => options.AddPolicy(Policy, policy => policy
            .AddAuthenticationSchemes(ApiTokens.Scheme)
            .RequireAuthenticatedUser()
            .RequireClaim(GridGovClaimsPrincipalFactory.StaffMemberClaim)));

        // The API answers in the language the client asks for (Accept-Language); pages keep Chinese unless a person chose English.
        builder.Services.Configure<RequestLocalizationOptions>(options => options.RequestCultureProviders.Insert(0, new ApiAcceptLanguageProvider()));

        builder.Services.AddOpenApi(DocumentName, ApiDocument.Configure);
        return builder;
    }

    /// <summary>
    /// Around everything under /api/v1 after localization: an empty error (405, 415, a route that does not exist, a refused
    /// binding) gets its problem details, an exception a 500 problem (nothing half-written: every use case is one
    /// transaction), and the HTML error pages never run for the API.
    /// </summary>
    public static WebApplication UseGridGovApiProblems(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (!ApiProblems.IsApi(context))
            {
                await next(context);
                return;
            }
            if (context.Features.Get<IStatusCodePagesFeature>() is { } pages)
            {
                pages.Enabled = false;
            }
            // No route here (404), or routing's own endpoint for a method the route does not take (405): answered before
            // authorization, whose fallback (the pages' cookie) would call a token holder "not signed in".
            if (context.GetEndpoint() is not RouteEndpoint)
            {
                await ApiProblems.WriteAsync(context, context.GetEndpoint() is null ? StatusCodes.Status404NotFound : StatusCodes.Status405MethodNotAllowed);
                return;
            }
            try
            {
                await next(context);
            }
            catch (DomainException exception) when (!context.Response.HasStarted)
            {
                context.Response.Clear();
                await ApiProblems.From(context, exception).ExecuteAsync(context);
                return;
            }
            catch (BadHttpRequestException exception) when (!context.Response.HasStarted)
            {
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("GridGov.Api")
                    .LogInformation("{Method} {Path} refused with {Status}: {Reason}", context.Request.Method, context.Request.Path.Value, exception.StatusCode, exception.Message);
                context.Response.Clear();
                await ApiProblems.WriteAsync(context, exception.StatusCode);
                return;
            }
            catch (Exception exception) when (!context.Response.HasStarted && exception is not OperationCanceledException)
            {
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("GridGov.Api")
                    .LogError(exception, "{Method} {Path} failed", context.Request.Method, context.Request.Path.Value);
                context.Response.Clear();
                await ApiProblems.WriteAsync(context, StatusCodes.Status500InternalServerError);
                return;
            }
            if (context.Response.StatusCode >= 400 && !context.Response.HasStarted && context.Response.ContentLength is null or 0)
            {
                await ApiProblems.WriteAsync(context, context.Response.StatusCode);
            }
        });
        return app;
    }

    /// <summary>The OpenAPI document and its reference page (Scalar, served from the package: no CDN), for administrators.</summary>
    public static WebApplication MapGridGovApiDocuments(this WebApplication app)
    {
        var administrators = new AuthorizeAttribute { Roles = AdminRoles.Administrators };
        app.MapOpenApi(OpenApiPattern).RequireAuthorization(administrators);
        app.MapScalarApiReference(ReferencePath, scalar => scalar
                .WithTitle("GridGov API")
                .WithOpenApiRoutePattern(OpenApiPattern)
                .AddDocument(DocumentName, "GridGov API v1")
                .AddPreferredSecuritySchemes(ApiDocument.BearerScheme)
                .ShowOperationId()
                // What the page must not do under the app's Content-Security-Policy: inline script without a nonce, fonts and
                // telemetry from Scalar's servers, its AI agent.
                .WithNonce()
                .DisableDefaultFonts()
                .DisableTelemetry()
                .DisableAgent()
                .DisableMcp())
            .RequireAuthorization(administrators);
        return app;
    }

    /// <summary>Accept-Language for /api/v1 only (RFC 9457 details in Chinese or English as the client asks).</summary>
    private sealed class ApiAcceptLanguageProvider : RequestCultureProvider
    {
        private readonly AcceptLanguageHeaderRequestCultureProvider _header = new();

        public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext)
        {
            if (!ApiProblems.IsApi(httpContext))
            {
                return NullProviderCultureResult;
            }
            _header.Options = Options;
            return _header.DetermineProviderCultureResult(httpContext);
        }
    }
}
