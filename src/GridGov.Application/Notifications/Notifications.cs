using GridGov.Application.Common;
using GridGov.Domain.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace GridGov.Application.Notifications;

/// <summary>Delivers one notification (SMS, WeChat …). The default writes it to the log.</summary>
public interface INotificationSender
{
    Task SendAsync(Notification notification, CancellationToken cancellationToken = default);
}

/// <summary>Sends what waits in the outbox; called periodically by a background service.</summary>
public sealed class NotificationOutbox(IGridGovDbContext db, INotificationSender sender, TimeProvider clock, ILogger<NotificationOutbox> logger)
{
    public const int MaxAttempts = 5;

    public async Task<int> SendPendingAsync(int batchSize = 100, CancellationToken cancellationToken = default)
    {
        var pending = await db.Notifications
            .Where(n => n.SentAt == null && n.Attempts < MaxAttempts)
            .OrderBy(n => n.Id)
            .Take(batchSize)
            .ToListAsync(cancellationToken);
        foreach (var notification in pending)
        {
            try
            {
                await sender.SendAsync(notification, cancellationToken);
                notification.MarkSent(clock.GetUtcNow());
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogWarning(exception, "Notification {NotificationId} to {Recipient} failed", notification.Id, notification.RecipientName);
                notification.MarkFailed(exception.Message);
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        return pending.Count;
    }
}
