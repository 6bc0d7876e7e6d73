using GridGov.Application.Common;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Notifications;
using GridGov.Domain.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace GridGov.Application.Notifications;

/// <summary>One channel's sender as the admin page shows it: never the secret, only whether one is set and its last characters.</summary>
public sealed record NoticeSenderView(
    NotificationChannel Channel, NoticeSenderKind Kind, int DailyCap,
    string? GatewayUrl, string? SignName, string? StaffTemplateId, string? NoticeTemplateId,
    string? SmtpHost, int? SmtpPort, SmtpTlsMode SmtpTls, string? SmtpUser, string? FromAddress, string? FromName,
    bool HasSecret, string? SecretHint, DateTimeOffset? UpdatedAt, string? UpdatedByName, uint Version);

/// <summary>What the SMS form sends. An empty <see cref="GatewayKey"/> keeps the key already set.</summary>
public sealed record SmsSenderInput(NoticeSenderKind Kind, int DailyCap, string? GatewayUrl, string? GatewayKey, string? SignName,
    string? StaffTemplateId, string? NoticeTemplateId, uint? Version);

/// <summary>What the e-mail form sends. An empty <see cref="Password"/> keeps the password already set.</summary>
public sealed record EmailSenderInput(NoticeSenderKind Kind, int DailyCap, string? SmtpHost, int? SmtpPort, SmtpTlsMode SmtpTls, string? SmtpUser,
    string? Password, string? FromAddress, string? FromName, uint? Version);

/// <summary>
/// The senders of the channels, configured by an administrator (/admin/notice-senders): SMS through an HTTP gateway or the
/// log, e-mail through SMTP or the log. Secrets are stored protected and never answered back; each save is audited by the
/// database context (secret columns redacted). A test message goes through the outbox like any other.
/// </summary>
public sealed partial class NoticeSenders(IGridGovDbContext db, INoticeSecretProtector protector, TimeProvider clock, ILogger<NoticeSenders> logger)
{
    public const string TestText = "【GridGov】这是一条测试消息：发送渠道配置正确。";

    public static void RequireAdministrator(CaseActor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.Role != StaffRole.Administrator)
        {
            throw new DomainException("notice-sender.admin-only", "只有系统管理员可以配置消息发送渠道");
        }
    }

    public async Task<IReadOnlyList<NoticeSenderView>> ListAsync(CaseActor actor, CancellationToken cancellationToken = default)
    {
        RequireAdministrator(actor);
        var stored = await db.NoticeSenders.AsNoTracking().ToDictionaryAsync(s => s.Channel, cancellationToken);
        return Enum.GetValues<NotificationChannel>().Select(channel => View(stored.GetValueOrDefault(channel) ?? NoticeSender.Default(channel))).ToList();
    }

    public async Task SaveSmsAsync(SmsSenderInput input, CaseActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        RequireAdministrator(actor);
        var sender = await LoadAsync(NotificationChannel.Sms, input.Version, cancellationToken);
        sender.ConfigureSms(input.Kind, input.DailyCap, input.GatewayUrl, input.SignName, input.StaffTemplateId, input.NoticeTemplateId,
            Protect(input.GatewayKey, DomainFields.SenderGatewayKey), actor, clock.GetUtcNow());
        await SaveAsync(sender, actor, cancellationToken);
    }

    public async Task SaveEmailAsync(EmailSenderInput input, CaseActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        RequireAdministrator(actor);
        var sender = await LoadAsync(NotificationChannel.Email, input.Version, cancellationToken);
        sender.ConfigureEmail(input.Kind, input.DailyCap, input.SmtpHost, input.SmtpPort, input.SmtpTls, input.SmtpUser, input.FromAddress, input.FromName,
            Protect(input.Password, DomainFields.SenderSmtpPassword), actor, clock.GetUtcNow());
        await SaveAsync(sender, actor, cancellationToken);
    }

    /// <summary>Puts a test message for <paramref name="address"/> (a phone for SMS, an e-mail address) into the outbox.</summary>
    public async Task<long> SendTestAsync(NotificationChannel channel, string? address, CaseActor actor, CancellationToken cancellationToken = default)
    {
        RequireAdministrator(actor);
        var notification = Notification.Test(channel, Cut(actor.Name, Notification.RecipientMaxLength), address ?? "", TestText, clock.GetUtcNow());
        db.Notifications.Add(notification);
        await db.SaveChangesAsync(cancellationToken);
        LogTest(channel, actor.Name);
        return notification.Id;
    }

    private async Task<NoticeSender> LoadAsync(NotificationChannel channel, uint? version, CancellationToken cancellationToken)
    {
        var sender = await db.NoticeSenders.SingleOrDefaultAsync(s => s.Channel == channel, cancellationToken);
        if (sender is null)
        {
            sender = NoticeSender.Default(channel);
            db.NoticeSenders.Add(sender);
        }
        else if (version is { } seen && seen != sender.Version)
        {
            throw new DomainException("notice-sender.changed", $"该渠道已被{sender.UpdatedByName}修改，请刷新页面后重试");
        }
        return sender;
    }

    private async Task SaveAsync(NoticeSender sender, CaseActor actor, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Changed since it was read (xmin), or its first save raced another administrator's (the channel is the key).
            throw new DomainException("notice-sender.changed", "该渠道刚被他人修改，请刷新页面后重试");
        }
        LogSaved(sender.Channel, sender.Kind, actor.Name);
    }

    private ProtectedValue? Protect(string? secret, DomainField field)
    {
        if (string.IsNullOrEmpty(secret))
        {
            return null;
        }
        NoticeSender.RequireSecret(secret, field);
        var hint = secret.Length > NoticeSender.SecretHintLength * 2 ? secret[^NoticeSender.SecretHintLength..] : "";
        return new ProtectedValue(protector.Protect(secret), hint);
    }

    private static NoticeSenderView View(NoticeSender s) => new(s.Channel, s.Kind, s.DailyCap, s.GatewayUrl, s.SignName, s.StaffTemplateId, s.NoticeTemplateId,
        s.SmtpHost, s.SmtpPort, s.SmtpTls, s.SmtpUser, s.FromAddress, s.FromName, s.HasSecret, s.SecretHint, s.UpdatedAt,
        s.UpdatedAt is null ? null : s.UpdatedByName, s.Version);

    private static string Cut(string value, int length) => value.Length <= length ? value : value[..length];

    [LoggerMessage(Level = LogLevel.Information, Message = "Sender of {Channel} set to {Kind} by {Actor}")]
    private partial void LogSaved(NotificationChannel channel, NoticeSenderKind kind, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Test message by {Channel} queued by {Actor}")]
    private partial void LogTest(NotificationChannel channel, string actor);
}
