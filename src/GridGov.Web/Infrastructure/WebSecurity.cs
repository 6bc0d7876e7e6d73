using System.Globalization;
using System.Security.Claims;
using GridGov.Infrastructure.Identity;
using Microsoft.AspNetCore.Authentication;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace GridGov.Web.Infrastructure;

/// <summary>
/// Sign-in hardening (section "Security"). HTTPS is opt-in because run.sh and the tests serve plain
/// http on localhost: with RequireHttps the app redirects to https, sends HSTS and marks every cookie
/// Secure; without it cookies are Secure whenever the request came over https.
/// </summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>Redirect to https, send HSTS, Secure cookies always. Set behind TLS in production.</summary>
    public bool RequireHttps { get; set; }

    /// <summary>
    /// Anonymous form posts (sign-in, language switch) per client address and window. A person never
    /// reaches it; an office behind one NAT address signing in at 8:30 should not either.
    /// </summary>
    public int SignInPermitLimit { get; set; } = 100;

    public int SignInWindowSeconds { get; set; } = 60;

    /// <summary>
    /// How often an open interactive page (a Blazor circuit) re-checks its session, and a cookie the account's security
    /// stamp. Every request checks its session anyway (<see cref="StaffSessions"/>).
    /// </summary>
    public int SessionCheckSeconds { get; set; } = 60;
}

public static class WebSecurity
{
    public const string SignInPath = "/account/login";

    public static WebApplicationBuilder AddGridGovSecurity(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(SecurityOptions.Section);
        builder.Services.Configure<SecurityOptions>(section);
        var options = section.Get<SecurityOptions>() ?? new SecurityOptions();
        var securePolicy = options.RequireHttps ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;

        builder.Services.ConfigureApplicationCookie(cookie =>
        {
            cookie.Cookie.SecurePolicy = securePolicy;
            cookie.Cookie.IsEssential = true;
            // The session behind the cookie must still be open (signed out, reset or disabled end it on every instance at
            // once); then Identity's own check of the security stamp.
            var checkStamp = cookie.Events.OnValidatePrincipal;
            cookie.Events.OnValidatePrincipal = async context =>
            {
                if (context.Principal is not { } principal
                    || !await context.HttpContext.RequestServices.GetRequiredService<StaffSessions>().IsOpenAsync(principal, context.HttpContext.RequestAborted))
                {
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                    return;
                }
                await checkStamp(context);
            };
            // Scripts and other programs call /api/*: they get a status they can act on, not the HTML sign-in page.
            var toSignIn = cookie.Events.OnRedirectToLogin;
            var toDenied = cookie.Events.OnRedirectToAccessDenied;
            cookie.Events.OnRedirectToLogin = context => IsApi(context.Request)
                ? ApiRefusalAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "请先登录")
                : toSignIn(context);
            cookie.Events.OnRedirectToAccessDenied = context => IsApi(context.Request)
                ? ApiRefusalAsync(context.HttpContext, StatusCodes.Status403Forbidden, "无权访问")
                : toDenied(context);
        });
        builder.Services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.HttpOnly = true;
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.SecurePolicy = securePolicy;
            // X-Frame-Options: DENY comes from SecurityHeaders on every response.
            antiforgery.SuppressXFrameOptionsHeader = true;
        });
        builder.Services.Configure<SecurityStampValidatorOptions>(stamp =>
        {
            stamp.ValidationInterval = TimeSpan.FromSeconds(Math.Max(0, options.SessionCheckSeconds));
            // A principal renewed after the stamp check keeps the session it belongs to.
            stamp.OnRefreshingPrincipal = context =>
            {
                if (context.CurrentPrincipal?.FindFirst(StaffSessions.ClaimType) is { } session && context.NewPrincipal?.Identity is ClaimsIdentity identity)
                {
                    identity.AddClaim(new Claim(session.Type, session.Value));
                }
                return Task.CompletedTask;
            };
        });
        builder.Services.AddScoped<StaffSessions>();
        if (options.RequireHttps)
        {
            builder.Services.AddHsts(hsts =>
            {
                hsts.MaxAge = TimeSpan.FromDays(365);
                hsts.IncludeSubDomains = true;
            });
        }

        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<SecurityOptions>>((limiter, security) =>
        {
            var permits = Math.Max(1, security.Value.SignInPermitLimit);
            var window = TimeSpan.FromSeconds(Math.Max(1, security.Value.SignInWindowSeconds));
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => IsSignInOrPublicPost(context)
                ? RateLimitPartition.GetFixedWindowLimiter(ClientAddress(context), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = permits,
                    Window = window,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                })
                : RateLimitPartition.GetNoLimiter(""));
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (rejected, cancellationToken) => RejectAsync(rejected.HttpContext, window, cancellationToken);
        });

        builder.Services.AddScoped<GridGov.Application.Accounts.IUserAccounts, UserAccounts>();
        return builder;
    }

    /// <summary>HSTS and the redirect to https when Security:RequireHttps is set; nothing otherwise.</summary>
    public static WebApplication UseGridGovHttps(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<SecurityOptions>>().Value.RequireHttps)
        {
            app.UseHsts();
            app.UseHttpsRedirection();
        }
        return app;
    }

    /// <summary>After authentication: signed-in people's posts are not limited, anonymous ones are.</summary>
    public static WebApplication UseGridGovRateLimiting(this WebApplication app)
    {
        app.UseRateLimiter();
        return app;
    }

    /// <summary>
    /// Antiforgery validation, enforced for every endpoint that asks for it: minimal APIs that do not
    /// read a form (sign-out) would otherwise run anyway. A refused post gets 400 and the Chinese error
    /// page (re-executed by the status code pages), and its endpoint never runs.
    /// </summary>
    /// <summary>Where the interactive pages' circuits connect (Blazor Server's hub).</summary>
    public const string HubPath = "/_blazor";

    public static WebApplication UseGridGovAntiforgery(this WebApplication app)
    {
        // The Blazor hub takes no antiforgery token: refuse it to pages of other origins instead (a browser always sends
        // Origin on cross-origin requests and WebSocket handshakes).
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(HubPath) && context.Request.Headers.Origin is [{ } origin]
                && !string.Equals(origin, $"{context.Request.Scheme}://{context.Request.Host}", StringComparison.OrdinalIgnoreCase))
            {
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("GridGov.Antiforgery")
                    .LogWarning("Blazor hub request from {Origin} refused", origin);
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            }
            return next(context);
        });
        // An error page re-executed for a refused or failed post renders as a GET: otherwise antiforgery
        // would validate the same post again and read a form it has already refused (a 500).
        app.Use(async (context, next) =>
        {
            var method = context.Request.Method;
            var reExecuted = context.Features.Get<IStatusCodeReExecuteFeature>() is not null
                || context.Features.Get<IExceptionHandlerFeature>() is not null;
            if (!reExecuted || HttpMethods.IsGet(method))
            {
                await next(context);
                return;
            }
            context.Request.Method = HttpMethods.Get;
            try
            {
                await next(context);
            }
            finally
            {
                context.Request.Method = method;
            }
        });
        app.UseAntiforgery();
        app.Use((context, next) =>
        {
            if (context.Features.Get<Microsoft.AspNetCore.Antiforgery.IAntiforgeryValidationFeature>() is { IsValid: false } failed
                && context.Features.Get<IStatusCodeReExecuteFeature>() is null)
            {
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("GridGov.Antiforgery")
                    .LogWarning(failed.Error, "Post to {Path} refused: no valid antiforgery token", context.Request.Path.Value);
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return Task.CompletedTask;
            }
            return next(context);
        });
        // A post a page turns away with an empty 400 (a form name that is not on the page, e.g. an action the person
        // may no longer take) is not re-executed as an error page by Razor components: answer it in Chinese here.
        app.Use(async (context, next) =>
        {
            await next(context);
            if (HttpMethods.IsPost(context.Request.Method) && context.Response.StatusCode == StatusCodes.Status400BadRequest
                && !context.Response.HasStarted && context.Features.Get<IStatusCodeReExecuteFeature>() is null)
            {
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync(FormNotOnPageMessage, context.RequestAborted);
            }
        });
        return app;
    }

    public const string FormNotOnPageMessage = "该表单在当前页面上不可用（可能已被他人办理或您无权操作），未做任何更改。请刷新页面后重试。";

    public const string ApiPath = "/api";

    private static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments(ApiPath);

    private static Task ApiRefusalAsync(HttpContext context, int status, string title) =>
        Endpoints.Api.ApiProblems.IsApi(context)
            ? Endpoints.Api.ApiProblems.WriteAsync(context, status)
            : WriteRefusalAsync(context, status, title);

    private static Task WriteRefusalAsync(HttpContext context, int status, string title)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { status, title }, options: null, contentType: "application/problem+json; charset=utf-8");
    }

    private static bool IsSignInOrPublicPost(HttpContext context) =>
        HttpMethods.IsPost(context.Request.Method)
        // The error page re-executed for a refused post is not a second attempt.
        && context.Features.Get<IStatusCodeReExecuteFeature>() is null
        // Open311 clients are other systems, limited by the Open311 endpoints' own policies (Open311RateLimits).
        && !context.Request.Path.StartsWithSegments(Endpoints.Open311.Open311Endpoints.Root)
        // The 12345 hotline posts every order of the street from one address; its signature is checked before any work.
        && !context.Request.Path.StartsWithSegments(Endpoints.Hotline.HotlineEndpoints.Root)
        // The staff API's posts carry a bearer token the cookie middleware does not read; an unsigned one is refused before any
        // work. Its sign-in (the token endpoint) is limited like the sign-in page.
        && (!Endpoints.Api.ApiProblems.IsApi(context) || context.Request.Path.StartsWithSegments(Endpoints.Api.TokenEndpoints.Pattern))
        && (context.Request.Path.Equals(SignInPath, StringComparison.OrdinalIgnoreCase) || context.User.Identity?.IsAuthenticated != true);

    private static string ClientAddress(HttpContext context) =>
        context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static async ValueTask RejectAsync(HttpContext context, TimeSpan window, CancellationToken cancellationToken)
    {
        context.Response.Headers.RetryAfter = ((int)Math.Ceiling(window.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("GridGov.RateLimit");
        logger.LogWarning("Too many anonymous posts from {ClientAddress} to {Path}", ClientAddress(context), context.Request.Path.Value);
        if (Endpoints.Api.ApiProblems.IsApi(context))
        {
            await Endpoints.Api.ApiProblems.WriteAsync(context, StatusCodes.Status429TooManyRequests);
            return;
        }
        if (context.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase))
        {
            // Browsers get the error page (re-executed by the status code pages with the 429 text).
            return;
        }
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(TooManyRequestsMessage, cancellationToken);
    }

    public const string TooManyRequestsMessage = "请求过于频繁，请稍后再试。/ Too many requests, please try again later.";
}
