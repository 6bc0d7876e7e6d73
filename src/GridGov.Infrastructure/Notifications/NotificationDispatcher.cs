using GridGov.Application.Notifications;
using GridGov.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GridGov.Infrastructure.Notifications;

/// <summary>Empties the notification outbox every few seconds.</summary>
internal sealed class NotificationDispatcher(IServiceScopeFactory scopes, ILogger<NotificationDispatcher> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private const long OutboxLockKey = 0x4f7574626f78; // "Outbox"

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                // Several app nodes share the outbox: the node holding the lock sends, the others skip this tick.
                var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
                await using var transaction = await db.Database.BeginTransactionAsync(stoppingToken);
                var mine = await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock({OutboxLockKey}) AS \"Value\"").SingleAsync(stoppingToken);
                if (mine)
                {
                    await scope.ServiceProvider.GetRequiredService<NotificationOutbox>().SendPendingAsync(cancellationToken: stoppingToken);
                    await transaction.CommitAsync(stoppingToken);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The database may be briefly unreachable; the next tick tries again.
                logger.LogWarning(exception, "Sending notifications failed; retrying in {Interval}", Interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
