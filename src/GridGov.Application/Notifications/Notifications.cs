using GridGov.Application.Common;
using GridGov.Domain.Calendar;
using GridGov.Domain.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace GridGov.Application.Notifications;

/// <summary>
/// Delivers one notification by one kind of sender (the log, an SMS gateway, SMTP). The outbox picks the sender an
/// administrator chose for the notification's channel and hands it that channel's settings.
/// </summary>
public interface INotificationSender
{
    NoticeSenderKind Kind { get; }

    /// <summary>Sends the message; throws <see cref="NotificationDeliveryException"/> (or any other exception) when it was not accepted.</summary>
    Task<DeliveryReceipt> SendAsync(Notification notification, SenderSettings settings, CancellationToken cancellationToken = default);
}

/// <summary>What a gateway answered for an accepted message.</summary>
public sealed record DeliveryReceipt(string? MessageId);

/// <summary>A channel's settings as a sender needs them: the stored settings and the secret unprotected (in memory only).</summary>
public sealed record SenderSettings(NoticeSender Configuration, string? Secret);

/// <summary>A message not accepted; a <see cref="Permanent"/> refusal (no phone, a refused address) is not tried again.</summary>
public sealed class NotificationDeliveryException(string reason, bool permanent = false, Exception? inner = null) : Exception(reason, inner)
{
    public bool Permanent { get; } = permanent;
}

/// <summary>Keeps a sender's secret (gateway key, SMTP password) protected at rest (ASP.NET Data Protection in the app).</summary>
public interface INoticeSecretProtector
{
    string Protect(string secret);

    /// <summary>The plain secret; null when it can no longer be read (the keys were lost): the administrator types it again.</summary>
    string? Unprotect(string protectedSecret);
}

/// <summary>
/// Sends what waits in the outbox; called every few seconds by a background service (on the node holding the lock). Each
/// message goes by the sender configured for its channel; a failure is tried again with exponential backoff (the next
/// attempt's time stored on the row) and recorded as failed after <see cref="Notification.MaxAttempts"/>; a message to a
/// resident beyond the channel's daily cap per recipient is recorded as capped.
/// </summary>
public sealed partial class NotificationOutbox(IGridGovDbContext db, IEnumerable<INotificationSender> senders, INoticeSecretProtector protector,
    TimeProvider clock, ILogger<NotificationOutbox> logger)
{
    public const int MaxAttempts = Notification.MaxAttempts;

    public async Task<int> SendPendingAsync(int batchSize = 100, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var pending = await db.Notifications
            .Where(n => n.Status == DeliveryStatus.Pending && (n.NextAttemptAt == null || n.NextAttemptAt <= now))
            .OrderBy(n => n.Id)
            .Take(batchSize)
            .ToListAsync(cancellationToken);
        if (pending.Count == 0)
        {
            return 0;
        }
        var settings = await SettingsAsync(cancellationToken);
        var sentToday = await SentTodayAsync(pending, now, cancellationToken);
        foreach (var notification in pending)
        {
            var setting = settings[notification.Channel];
            var key = (notification.Channel, notification.Address ?? "");
            if (notification.IsCapped && notification.Address is not null && sentToday.GetValueOrDefault(key) >= setting.Configuration.DailyCap)
            {
                notification.MarkCapped($"已达每人每日上限（{setting.Configuration.DailyCap}条），未发送");
                LogCapped(notification.Id, notification.Channel, setting.Configuration.DailyCap);
                continue;
            }
            if (await DeliverAsync(notification, setting, now, permanent: false, cancellationToken))
            {
                sentToday[key] = sentToday.GetValueOrDefault(key) + 1;
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        return pending.Count;
    }

    /// <summary>
    /// Sends one message at once by its channel's sender, outside the outbox's rhythm (a resident's one-time code: waiting
    /// 5 s for the next tick, or behind a notice to a whole grid, would outlast the person's patience). One attempt: a
    /// failure is final (the person asks again). The caller saves the row; true when the gateway accepted it.
    /// </summary>
    public async Task<bool> SendNowAsync(Notification notification, CancellationToken cancellationToken = default)
    {
        var settings = await SettingsAsync(cancellationToken);
        return await DeliverAsync(notification, settings[notification.Channel], clock.GetUtcNow(), permanent: true, cancellationToken);
    }

    private async Task<Dictionary<NotificationChannel, SenderSettings>> SettingsAsync(CancellationToken cancellationToken)
    {
        var configured = await db.NoticeSenders.AsNoTracking().ToDictionaryAsync(s => s.Channel, cancellationToken);
        return Enum.GetValues<NotificationChannel>().ToDictionary(channel => channel, channel =>
        {
            var configuration = configured.GetValueOrDefault(channel) ?? NoticeSender.Default(channel);
            return new SenderSettings(configuration, configuration.ProtectedSecret is { } secret ? protector.Unprotect(secret) : null);
        });
    }

    private async Task<bool> DeliverAsync(Notification notification, SenderSettings setting, DateTimeOffset now, bool permanent, CancellationToken cancellationToken)
    {
        var sender = senders.FirstOrDefault(s => s.Kind == setting.Configuration.Kind)
            ?? throw new InvalidOperationException($"No sender of kind {setting.Configuration.Kind} is registered.");
        try
        {
            if (setting.Configuration.Kind != NoticeSenderKind.Log && setting.Configuration.HasSecret && setting.Secret is null)
            {
                throw new NotificationDeliveryException("发送渠道的密钥无法读取，请管理员重新填写");
            }
            var receipt = await sender.SendAsync(notification, setting, cancellationToken);
            notification.MarkSent(now, sender.Kind, receipt.MessageId);
            return true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            notification.MarkAttemptFailed(exception.Message, now, permanent || exception is NotificationDeliveryException { Permanent: true });
            LogFailed(exception, notification.Id, notification.RecipientName, notification.Attempts, notification.Status, notification.NextAttemptAt);
            return false;
        }
    }

    /// <summary>Messages sent today (China day) to the addresses of the batch's capped messages, per channel and address, in one query each.</summary>
    private async Task<Dictionary<(NotificationChannel, string), int>> SentTodayAsync(List<Notification> batch, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var dayStart = new DateTimeOffset(WorkingCalendar.ChinaDate(now).ToDateTime(TimeOnly.MinValue), WorkingCalendar.ChinaOffset).ToUniversalTime();
        var phones = batch.Where(n => n.IsCapped && n.Channel == NotificationChannel.Sms && n.RecipientPhone != null).Select(n => n.RecipientPhone!).Distinct().ToList();
        var emails = batch.Where(n => n.IsCapped && n.Channel == NotificationChannel.Email && n.RecipientEmail != null).Select(n => n.RecipientEmail!).Distinct().ToList();
        var counts = new Dictionary<(NotificationChannel, string), int>();
        if (phones.Count > 0)
        {
            foreach (var row in await db.Notifications.AsNoTracking()
                         .Where(n => n.Status == DeliveryStatus.Sent && n.SentAt >= dayStart && n.Channel == NotificationChannel.Sms && n.Kind != NotificationKind.ResidentCode
                             && phones.Contains(n.RecipientPhone!))
                         .GroupBy(n => n.RecipientPhone!).Select(g => new { Address = g.Key, Count = g.Count() }).ToListAsync(cancellationToken))
            {
                counts[(NotificationChannel.Sms, row.Address)] = row.Count;
            }
        }
        if (emails.Count > 0)
        {
            foreach (var row in await db.Notifications.AsNoTracking()
                         .Where(n => n.Status == DeliveryStatus.Sent && n.SentAt >= dayStart && n.Channel == NotificationChannel.Email && emails.Contains(n.RecipientEmail!))
                         .GroupBy(n => n.RecipientEmail!).Select(g => new { Address = g.Key, Count = g.Count() }).ToListAsync(cancellationToken))
            {
                counts[(NotificationChannel.Email, row.Address)] = row.Count;
            }
        }
        return counts;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification {NotificationId} to {Recipient} failed (attempt {Attempts}, now {Status}, next attempt {NextAttemptAt})")]
    private partial void LogFailed(Exception exception, long notificationId, string recipient, int attempts, DeliveryStatus status, DateTimeOffset? nextAttemptAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification {NotificationId} by {Channel} capped at {Cap} a day")]
    private partial void LogCapped(long notificationId, NotificationChannel channel, int cap);
}
