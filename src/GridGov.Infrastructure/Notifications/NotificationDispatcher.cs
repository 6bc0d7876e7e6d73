using GridGov.Application.Notifications;
using GridGov.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GridGov.Infrastructure.Notifications;

/// <summary>Empties the notification outbox every few seconds: batch after batch while batches come back full (a notice to a grid).</summary>
internal sealed class NotificationDispatcher(IServiceScopeFactory scopes, ILogger<NotificationDispatcher> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private const long OutboxLockKey = 0x4f7574626f78; // "Outbox"
    private const int BatchSize = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                while (await SendBatchAsync(stoppingToken) == BatchSize)
                {
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

    /// <summary>One batch in a transaction of its own; how many messages it handled (0 when another node holds the lock).</summary>
    private async Task<int> SendBatchAsync(CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        // Several app nodes share the outbox: the node holding the lock sends, the others skip this tick.
        var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(stoppingToken);
        var mine = await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock({OutboxLockKey}) AS \"Value\"").SingleAsync(stoppingToken);
        if (!mine)
        {
            return 0;
        }
        var handled = await scope.ServiceProvider.GetRequiredService<NotificationOutbox>().SendPendingAsync(BatchSize, stoppingToken);
        await transaction.CommitAsync(stoppingToken);
        return handled;
    }
}
