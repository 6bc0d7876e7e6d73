using System.Globalization;
using System.Threading.RateLimiting;
using GridGov.Web.Resources;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace GridGov.Web.Endpoints.Open311;

/// <summary>Open311 settings (section "Open311"): how many reads and posts one client address may make per window.</summary>
public sealed class Open311Options
{
    public const string Section = "Open311";

    public int ReadPermitLimit { get; set; } = 600;

    public int PostPermitLimit { get; set; } = 60;

    public int WindowSeconds { get; set; } = 60;
}

/// <summary>
/// The Open311 endpoints' own limits, per client address (they are anonymous: the app's limit of anonymous posts does not
/// count them). Beyond a limit a client gets 429 with Retry-After and the GeoReport error list.
/// </summary>
public static class Open311RateLimits
{
    public const string ReadPolicy = "open311-read";
    public const string PostPolicy = "open311-post";

    public static WebApplicationBuilder AddGridGovOpen311(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<Open311Options>(builder.Configuration.GetSection(Open311Options.Section));
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<Open311Options>>((limiter, options) =>
        {
            var window = TimeSpan.FromSeconds(Math.Max(1, options.Value.WindowSeconds));
            limiter.AddPolicy(ReadPolicy, new Policy("read", Math.Max(1, options.Value.ReadPermitLimit), window));
            limiter.AddPolicy(PostPolicy, new Policy("post", Math.Max(1, options.Value.PostPermitLimit), window));
        });
        return builder;
    }

    private sealed class Policy(string kind, int permits, TimeSpan window) : IRateLimiterPolicy<string>
    {
        public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = async (rejected, cancellationToken) =>
        {
            var http = rejected.HttpContext;
            Open311Culture.Apply(http);
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(window.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("GridGov.RateLimit")
                .LogWarning("Too many Open311 requests from {ClientAddress} to {Path}", http.Connection.RemoteIpAddress?.ToString(), http.Request.Path.Value);
            var text = http.RequestServices.GetRequiredService<IStringLocalizer<Open311Resource>>();
            var format = http.Request.Path.Value?.EndsWith(".json", StringComparison.OrdinalIgnoreCase) == true ? Open311Format.Json : Open311Format.Xml;
            await Open311Writer.WriteAsync(http.Response, StatusCodes.Status429TooManyRequests, format,
                Open311Fields.Errors(StatusCodes.Status429TooManyRequests, text["TooManyRequests"]), cancellationToken);
        };

        public RateLimitPartition<string> GetPartition(HttpContext httpContext) =>
            RateLimitPartition.GetFixedWindowLimiter($"{kind}:{httpContext.Connection.RemoteIpAddress}", _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = permits,
                Window = window,
                QueueLimit = 0,
                AutoReplenishment = true,
            });
    }
}
