using GridGov.Application.Notifications;
using GridGov.Domain.Notifications;
using Microsoft.Extensions.Logging;

namespace GridGov.Infrastructure.Notifications;

/// <summary>The default sender: writes the message to the log. Replace with an SMS/WeChat gateway.</summary>
internal sealed class LogNotificationSender(ILogger<LogNotificationSender> logger) : INotificationSender
{
    public Task SendAsync(Notification notification, CancellationToken cancellationToken = default)
    {
        logger.LogInformation("Notification {Kind} to {Recipient} ({Phone}): {Body}",
            notification.Kind, notification.RecipientName, notification.RecipientPhone, notification.Body);
        return Task.CompletedTask;
    }
}
