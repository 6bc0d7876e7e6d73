using GridGov.Application.Notifications;
using GridGov.Domain.Notifications;
using Microsoft.Extensions.Logging;

namespace GridGov.Infrastructure.Notifications;

/// <summary>The demo's sender (the default of every channel): writes the message to the log.</summary>
internal sealed partial class LogNotificationSender(ILogger<LogNotificationSender> logger) : INotificationSender
{
    public NoticeSenderKind Kind => NoticeSenderKind.Log;

    public Task<DeliveryReceipt> SendAsync(Notification notification, SenderSettings settings, CancellationToken cancellationToken = default)
    {
        LogNotification(notification.Kind, notification.Channel, notification.RecipientName, notification.Address, notification.Body);
        return Task.FromResult(new DeliveryReceipt(null));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification {Kind} by {Channel} to {Recipient} ({Address}): {Body}")]
    private partial void LogNotification(NotificationKind kind, NotificationChannel channel, string recipient, string? address, string body);
}
