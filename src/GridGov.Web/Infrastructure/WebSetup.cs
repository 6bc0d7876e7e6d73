using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using GridGov.Application;
using GridGov.Infrastructure;
using GridGov.Infrastructure.Identity;
using GridGov.Infrastructure.Persistence;
using GridGov.Web.Components;
using GridGov.Web.Endpoints;
using GridGov.Web.Endpoints.Api;
using GridGov.Web.Endpoints.Open311;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using MudBlazor.Services;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace GridGov.Web.Infrastructure;

public static class WebSetup
{
    public static readonly CultureInfo[] SupportedCultures = [new("zh-CN"), new("en")];

    public static WebApplicationBuilder AddGridGov(this WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        // A logger per app instance (the tests run several in one process), not the static Log.Logger.
        builder.Services.AddSerilog(CreateLogger(builder.Configuration), dispose: true);

        builder.Services.AddGridGovApplication();
        builder.Services.AddGridGovInfrastructure(builder.Configuration);
        builder.Services.AddGridGovBackgroundServices();

        builder.Services.AddIdentityCore<ApplicationUser>(options =>
            {
                options.Password.RequiredLength = 10;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<GridGovDbContext>()
            .AddSignInManager<AuditingSignInManager>() // sign-ins, failures and sign-outs go to the audit log
            .AddClaimsPrincipalFactory<GridGovClaimsPrincipalFactory>()
            .AddErrorDescriber<ChineseIdentityErrorDescriber>()
            .AddPasswordValidator<PasswordNotUserNameValidator>()
            .AddDefaultTokenProviders();
        builder.Services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        builder.Services.ConfigureApplicationCookie(options =>
        {
            options.LoginPath = "/account/login";
            options.AccessDeniedPath = "/error/403";
            options.Cookie.Name = "gridgov.auth";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.SlidingExpiration = true;
            options.ExpireTimeSpan = TimeSpan.FromHours(10);
        });
        builder.AddGridGovSecurity();
        builder.AddGridGovOpen311();
        builder.Services.AddAuthorization(Policies.Add);
        builder.Services.AddStaffFallbackPolicy();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<SignedInUser>();
        builder.Services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler, CircuitUserHandler>();
        builder.Services.AddScoped<CurrentStaff>();
        builder.Services.AddScoped<PageData>();
        builder.Services.AddSingleton<ResidentSession>();
        builder.Services.AddScoped<GridGov.Application.Ledgers.IAuditActor, HttpAuditActor>();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, CircuitSessionValidator>();

        builder.Services.AddLocalization();
        builder.Services.AddSingleton<Resources.DomainMessages>();
        // Emit Chinese as text, not as &#x...; entities: smaller pages that read in view-source.
        builder.Services.AddSingleton(HtmlEncoder.Create(UnicodeRanges.All));
        builder.Services.Configure<RequestLocalizationOptions>(options =>
        {
            options.DefaultRequestCulture = new RequestCulture("zh-CN");
            options.SupportedCultures = SupportedCultures;
            options.SupportedUICultures = SupportedCultures;
            // Chinese first: only an explicit choice (cookie or ?culture=) switches to English.
            options.RequestCultureProviders = [new QueryStringRequestCultureProvider(), new CookieRequestCultureProvider()];
        });
        builder.AddGridGovApi();

        // Static web assets (blazor.web.js, MudBlazor's files, components' .razor.js) from the build's manifest, in
        // every environment: run.sh and the tests run the Release build from the project folder, not a publish folder.
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddRazorComponents()
            .AddInteractiveServerComponents(circuits =>
            {
                // A phone on a train drops for a while: keep its circuit (and what it typed) for three minutes.
                circuits.DisconnectedCircuitRetentionPeriod = TimeSpan.FromMinutes(3);
                circuits.DisconnectedCircuitMaxRetained = 200;
                circuits.JSInteropDefaultCallTimeout = TimeSpan.FromSeconds(30);
            })
            .AddHubOptions(hub =>
            {
                // Photos picked on an interactive page stream through the circuit in chunks well below this limit (InputFile's
                // OpenReadStream), never as one message. The largest message a browser sends is the start of
                // a circuit, which carries the prerendered pages' persisted state back (a ledger list's first 50 rows and
                // the person's grids, protected and base64-encoded), which passed 32 KB for a dispatcher's resident list; above
                // the limit the server closes the circuit ("Connection closed with an error", seen by the CSP browser test).
                hub.MaximumReceiveMessageSize = 128 * 1024;
            });
        builder.Services.AddMudServices(mud =>
        {
            mud.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomRight;
            mud.SnackbarConfiguration.VisibleStateDuration = 4000;
        });
        builder.Services.AddTransient<MudBlazor.MudLocalizer, ChineseMudLocalizer>();
        builder.Services.AddHealthChecks().AddDbContextCheck<GridGovDbContext>("database");
        builder.Services.Configure<MapOptions>(builder.Configuration.GetSection(MapOptions.Section));
        builder.AddGridGovFaultTolerance();
        return builder;
    }

    public static WebApplication UseGridGov(this WebApplication app)
    {
        app.UseGridGovSecurityHeaders();
        app.UseSerilogRequestLogging(requests =>
        {
            requests.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms";
            // This app instance's logger, not the static Log.Logger (the default).
            requests.Logger = app.Services.GetRequiredService<Serilog.ILogger>();
            // The signed-in person (by sign-in name) on every request line, for following one person's session.
            requests.EnrichDiagnosticContext = (context, request) =>
                context.Set("UserName", request.User.Identity?.IsAuthenticated == true ? request.User.Identity.Name : null);
        });
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error/500", createScopeForErrors: true);
        }
        // A fresh scope for the re-executed error page: the failed request's NavigationManager is already initialised.
        app.UseStatusCodePagesWithReExecute("/error/{0}", createScopeForStatusCodePages: true);
        app.UseGridGovFaultTolerance();
        app.UseGridGovHttps();
        app.UseRequestLocalization();
        app.UseGridGovApiProblems();
        app.UseAuthentication();
        app.UseGridGovRateLimiting();
        app.UseAuthorization();
        app.UseGridGovAntiforgery();
        app.UseControlCharacterGuard();

        // The files under wwwroot and the packages' (MudBlazor, Blazor's script): compressed, ETagged, and fingerprinted
        // where a page links them through @Assets (cached for good); they hold no data, so anyone may fetch them.
        app.MapStaticAssets().AllowAnonymous().WithMetadata(PublicEndpoints.StaticAsset.Marker);
        app.MapHealthChecks("/health").AllowAnonymousWhenListed();
        app.MapAccountEndpoints();
        app.MapMapEndpoints();
        app.MapEndpointModules();
        app.MapGridGovApiDocuments();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode().AllowAnonymousWhenListed();
        return app;
    }

    private static Serilog.Core.Logger CreateLogger(IConfiguration configuration)
    {
        var logger = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.EntityFrameworkCore", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .ReadFrom.Configuration(configuration)
            .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}");
        if (configuration["Logging:File:Path"] is { Length: > 0 } path)
        {
            if (string.Equals(configuration["Logging:File:Format"], "json", StringComparison.OrdinalIgnoreCase))
            {
                // One compact JSON event per line (CLEF), for log shippers.
                logger.WriteTo.File(new CompactJsonFormatter(), path, rollingInterval: RollingInterval.Day, retainedFileCountLimit: 14);
            }
            else
            {
                logger.WriteTo.File(path, rollingInterval: RollingInterval.Day, retainedFileCountLimit: 14,
                    outputTemplate: "{Timestamp:o} [{Level:u3}] {SourceContext}: {Message:lj} {Properties:j}{NewLine}{Exception}");
            }
        }
        return logger.CreateLogger();
    }
}

/// <summary>Map settings: the tile layer is off unless configured, so the map works offline.</summary>
public sealed class MapOptions
{
    public const string Section = "Map";

    /// <summary>e.g. Tianditu's vec_w with your tk key; WGS-84 data lines up with *_w tiles directly.</summary>
    public string? TileUrl { get; set; }
    public string? TileAttribution { get; set; }
}
