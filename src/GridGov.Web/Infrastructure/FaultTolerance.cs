using System.Net.Sockets;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace GridGov.Web.Infrastructure;

/// <summary>
/// What keeps the web nodes stateless and the app alive through database outages:
/// data-protection keys in a shared folder (<c>DataProtection:KeysPath</c>) under one application name, so
/// that any node reads the cookies and form tokens of another; and a 503 page while the database is unreachable.
/// (Two nodes starting at once migrate and seed one after the other under <c>StartupLock</c>, beside the migrator.)
/// </summary>
public static class FaultTolerance
{
    public const string ApplicationName = "GridGov";
    public const string KeysPathSetting = "DataProtection:KeysPath";
    private static readonly TimeSpan HealthCheckTimeout = TimeSpan.FromSeconds(5);

    public static WebApplicationBuilder AddGridGovFaultTolerance(this WebApplicationBuilder builder)
    {
        var dataProtection = builder.Services.AddDataProtection().SetApplicationName(ApplicationName);
        if (builder.Configuration[KeysPathSetting] is { Length: > 0 } keysPath)
        {
            dataProtection.PersistKeysToFileSystem(Directory.CreateDirectory(keysPath));
        }
        // A database host that does not answer at all must not hold /health for the whole connect timeout.
        builder.Services.PostConfigure<HealthCheckServiceOptions>(options =>
        {
            foreach (var registration in options.Registrations)
            {
                registration.Timeout = registration.Timeout == Timeout.InfiniteTimeSpan ? HealthCheckTimeout : registration.Timeout;
            }
        });
        return builder;
    }

    /// <summary>Must come after the exception handler and status-code pages, so that it sees the exception first.</summary>
    public static WebApplication UseGridGovFaultTolerance(this WebApplication app)
    {
        EnsureSharedKey(app);
        app.UseMiddleware<DatabaseOutagePage>();
        return app;
    }

    /// <summary>
    /// Two nodes starting on an empty keys folder would each make a key of their own; under a file lock the first
    /// makes it and the second reads it.
    /// </summary>
    private static void EnsureSharedKey(WebApplication app)
    {
        if (app.Configuration[KeysPathSetting] is not { Length: > 0 } keysPath)
        {
            return;
        }
        var lockPath = Path.Combine(keysPath, ".key-creation.lock");
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var fileLock = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                var keys = app.Services.GetRequiredService<IKeyManager>();
                var now = DateTimeOffset.UtcNow;
                if (!keys.GetAllKeys().Any(k => !k.IsRevoked && k.ActivationDate <= now && k.ExpirationDate > now.AddDays(2)))
                {
                    keys.CreateNewKey(now, now.AddDays(90));
                }
                return;
            }
            catch (IOException) when (attempt < 100)
            {
                Thread.Sleep(100); // the other node holds the lock
            }
        }
    }
}

/// <summary>
/// While the database is unreachable, a request that needs it gets 503 with a clear message (Chinese first, then
/// English) and a Retry-After hint instead of an error page with a stack trace; the connection pool is cleared so
/// that, once the server is back, no broken pooled connection is handed out again.
/// </summary>
public sealed partial class DatabaseOutagePage(RequestDelegate next, ILogger<DatabaseOutagePage> logger)
{
    public const int RetryAfterSeconds = 30;
    public const string TitleZh = "服务暂时不可用";
    public const string DetailZh = "数据库暂时无法连接，您的操作没有保存。请约30秒后刷新页面重试；问题持续请联系系统管理员。";
    public const string TitleEn = "Service temporarily unavailable";
    public const string DetailEn = "The database cannot be reached right now and nothing was saved. Please refresh in about 30 seconds; if it persists, contact the administrator.";

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception exception) when (IsDatabaseUnavailable(exception) && !context.Response.HasStarted)
        {
            LogUnavailable(context.Request.Method, context.Request.Path, exception.GetBaseException().Message);
            context.RequestServices.GetService<NpgsqlDataSource>()?.Clear();
            await WriteAsync(context);
        }
    }

    /// <summary>Connection refused or broken, server shutting down or starting, too many connections: the database, not the request.</summary>
    public static bool IsDatabaseUnavailable(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case PostgresException postgres:
                    return postgres.SqlState.StartsWith("08", StringComparison.Ordinal) // connection exceptions
                        || postgres.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown
                            or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections;
                case NpgsqlException npgsql when npgsql.IsTransient:
                    return true;
                case SocketException or EndOfStreamException:
                    return true;
                case AggregateException aggregate when aggregate.InnerExceptions.Any(IsDatabaseUnavailable):
                    return true;
            }
        }
        return false;
    }

    private static async Task WriteAsync(HttpContext context)
    {
        var response = context.Response;
        response.Clear();
        response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers.CacheControl = "no-store";
        var accept = context.Request.Headers.Accept.ToString();
        if (context.Request.Path.StartsWithSegments("/api") || accept.Contains("application/json", StringComparison.OrdinalIgnoreCase))
        {
            await response.WriteAsJsonAsync(new { status = 503, title = TitleZh, detail = DetailZh, titleEn = TitleEn, detailEn = DetailEn, retryAfterSeconds = RetryAfterSeconds },
                options: null, contentType: "application/problem+json; charset=utf-8");
            return;
        }
        response.ContentType = "text/html; charset=utf-8";
        await response.WriteAsync($"""
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1.0" />
                <title>{TitleZh} · {TitleEn}</title>
                <link rel="stylesheet" href="/css/static.css" />
            </head>
            <body>
                <main class="gg-static-main">
                    <section class="gg-static-card gg-error" data-testid="service-unavailable">
                        <div class="gg-error-code">503</div>
                        <h1>{TitleZh}</h1>
                        <p class="gg-static-muted">{DetailZh}</p>
                        <p class="gg-static-muted" lang="en">{TitleEn}. {DetailEn}</p>
                        <a class="gg-static-primary" href="{System.Net.WebUtility.HtmlEncode(context.Request.PathBase + context.Request.Path + context.Request.QueryString)}">重试 · Retry</a>
                    </section>
                </main>
            </body>
            </html>
            """);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database unavailable: {Method} {Path} answered 503 ({Reason})")]
    private partial void LogUnavailable(string method, string path, string reason);
}
