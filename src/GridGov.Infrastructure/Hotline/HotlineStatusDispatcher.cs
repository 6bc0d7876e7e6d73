using GridGov.Application.Hotline;
using GridGov.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GridGov.Infrastructure.Hotline;

/// <summary>
/// Sends the hotline's outbox every few seconds (<see cref="HotlineOptions.SendIntervalSeconds"/>). Several app nodes
/// share the outbox: the node that holds the advisory lock sends, the others skip the tick, so no push goes out twice.
/// </summary>
internal sealed partial class HotlineStatusDispatcher(IServiceScopeFactory scopes, IOptions<HotlineOptions> options, ILogger<HotlineStatusDispatcher> logger)
    : BackgroundService
{
    private const long OutboxLockKey = 0x31323334350001; // "12345", hotline outbox

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(Math.Max(0.05, options.Value.SendIntervalSeconds));
        if (options.Value.SharedSecret == HotlineOptions.DemoSecret)
        {
            LogDemoSecret();
        }
        using var timer = new PeriodicTimer(interval);
        do
        {
            if (!Uri.TryCreate(options.Value.StatusUrl, UriKind.Absolute, out _))
            {
                continue; // no hotline to tell: the pushes wait in the outbox, and the database is left alone
            }
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
                // A session lock (not a transaction's): each push's outcome commits on its own while the lock is held.
                await db.Database.OpenConnectionAsync(stoppingToken);
                var mine = await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_lock({OutboxLockKey}) AS \"Value\"").SingleAsync(stoppingToken);
                if (mine)
                {
                    try
                    {
                        await scope.ServiceProvider.GetRequiredService<HotlineStatusSender>().SendDueAsync(cancellationToken: stoppingToken);
                    }
                    finally
                    {
                        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({OutboxLockKey})", CancellationToken.None);
                    }
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The database may be briefly unreachable; the next tick tries again.
                LogTickFailed(exception, interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hotline:SharedSecret is the demo value shipped in appsettings.json: set a secret of your own before linking a real 12345 hotline")]
    private partial void LogDemoSecret();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending the hotline's outbox failed; retrying in {Interval}")]
    private partial void LogTickFailed(Exception exception, TimeSpan interval);
}
