using Microsoft.AspNetCore.Authorization;

namespace GridGov.Web.Infrastructure;

/// <summary>
/// The only endpoints anyone may reach without signing in, and why. Everything else falls under the
/// fallback policy (a signed-in staff member) unless it names a stricter policy of its own, so a new
/// page or endpoint is never open by accident. An endpoint is public only when its route is listed
/// here and its builder calls <see cref="AllowAnonymousWhenListed{TBuilder}"/>; the authorization
/// matrix test checks that the anonymous endpoints of the running app are exactly these.
/// </summary>
public static class PublicEndpoints
{
    /// <summary>A public route (pattern as mapped) and the reason it needs no sign-in.</summary>
    public sealed record PublicRoute(string Pattern, string Why);

    public static readonly IReadOnlyList<PublicRoute> Routes =
    [
        new("/account/login", "the sign-in page itself"),
        new("/culture", "switching the language on the sign-in page"),
        new("/health", "the load balancer's and monitoring's probe; reports no data"),
        new("/error/{StatusCode:int}", "error pages are re-executed for anonymous requests too (404, 403, 500)"),
        new("/error/404", "the router's not-found page, re-executed for anonymous requests too"),
        new(Endpoints.Open311.Open311Endpoints.ServicesPattern, "Open311 GeoReport v2 is public: the services offered"),
        new(Endpoints.Open311.Open311Endpoints.ServicePattern, "Open311: a service's definition"),
        new(Endpoints.Open311.Open311Endpoints.RequestsPattern, "Open311: published service requests (no personal data); the POST checks its API key itself"),
        new(Endpoints.Open311.Open311Endpoints.RequestPattern, "Open311: one published service request"),
        new(Endpoints.Open311.Open311Endpoints.TokenPattern, "Open311: the request a post's token led to"),
        new(Endpoints.Api.TokenEndpoints.Pattern, "the staff API's sign-in: user name and password for an access token, under the sign-in page's rules and rate limit"),
        // Scalar.AspNetCore maps its bundled files anonymous whatever the app asks; the reference page itself is for administrators.
        new(Endpoints.Api.ApiSetup.ReferencePath + "/scalar.js", "the API reference page's script, shipped in the Scalar package: no data, like wwwroot"),
        new(Endpoints.Api.ApiSetup.ReferencePath + "/scalar.aspnetcore.js", "the API reference page's loader, shipped in the Scalar package: no data"),
        new(Endpoints.Api.ApiSetup.ReferencePath + "/favicon.svg", "the API reference page's icon, shipped in the Scalar package"),
        new(Endpoints.Hotline.HotlineEndpoints.OrdersPattern, "the 12345 hotline's webhook: the HMAC signature over the body is the credential (HotlineSignature)"),
        new("/r", "residents (no staff account): confirm a phone with a one-time code (ResidentCodes)"),
        new("/r/report", "residents: report a problem with the confirmed phone (ResidentSession; limits in ResidentReports)"),
        new("/r/cases", "residents: look up and rate their own case with the confirmed phone"),
        new("/r/points", "residents: the confirmed phone's own points"),
        new(Endpoints.ResidentEndpoints.GridsPattern, "residents' report map: grid outlines, no personal data"),
        new(Endpoints.ResidentEndpoints.PhotoPattern, "residents: a result photo of their own case, only with the confirmed phone that reported it"),
        new(Endpoints.ResidentEndpoints.SignOutPattern, "residents: leave the resident session"),
    ];

    /// <summary>
    /// Also public, outside this list: the static assets under wwwroot and the packages' (CSS, scripts, icons), one
    /// endpoint each from MapStaticAssets (GET and HEAD only); they hold no data.
    /// </summary>
    public const string StaticFiles = "wwwroot/** (lib/, css/, js/, img/)";

    /// <summary>Marks the static assets' endpoints (one per file of the build's manifest).</summary>
    public sealed class StaticAsset
    {
        public static readonly StaticAsset Marker = new();

        private StaticAsset()
        {
        }
    }

    public static bool IsPublic(string? pattern) =>
        pattern is not null && Routes.Any(r => string.Equals(r.Pattern, pattern, StringComparison.OrdinalIgnoreCase));

    /// <summary>Marks the builder's endpoints anonymous when (and only when) their route is listed above.</summary>
    public static TBuilder AllowAnonymousWhenListed<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint =>
        {
            if (endpoint is RouteEndpointBuilder route && IsPublic(route.RoutePattern.RawText))
            {
                endpoint.Metadata.Add(new AllowAnonymousAttribute());
            }
        });
        return builder;
    }

    /// <summary>Any endpoint without its own authorization decision requires a signed-in staff member.</summary>
    public static IServiceCollection AddStaffFallbackPolicy(this IServiceCollection services) =>
        services.Configure<AuthorizationOptions>(options =>
            options.FallbackPolicy = new AuthorizationPolicyBuilder()
                .RequireAuthenticatedUser()
                .RequireClaim(GridGovClaimsPrincipalFactory.StaffMemberClaim)
                .Build());
}
