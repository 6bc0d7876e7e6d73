using GridGov.Application.Notifications;
using GridGov.Domain.Notifications;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace GridGov.Infrastructure.Notifications;

/// <summary>E-mail through an SMTP server with MailKit: UTF-8 plain text, TLS as configured, signed in when a user is set.</summary>
internal sealed class SmtpNotificationSender : INotificationSender
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public NoticeSenderKind Kind => NoticeSenderKind.Smtp;

    public async Task<DeliveryReceipt> SendAsync(Notification notification, SenderSettings settings, CancellationToken cancellationToken = default)
    {
        var configuration = settings.Configuration;
        if (string.IsNullOrEmpty(notification.RecipientEmail))
        {
            throw new NotificationDeliveryException("收件人没有电子邮箱地址", permanent: true);
        }
        if (configuration.SmtpHost is not { } host || configuration.FromAddress is not { } from)
        {
            throw new NotificationDeliveryException("邮件渠道尚未配置SMTP服务器");
        }
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(configuration.FromName ?? "", from));
        message.To.Add(new MailboxAddress(notification.RecipientName, notification.RecipientEmail));
        message.Subject = Subject(notification.Kind);
        message.Body = new TextPart("plain") { Text = notification.Body };
        using var client = new SmtpClient { Timeout = (int)Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(host, configuration.SmtpPort ?? 25, Options(configuration.SmtpTls), cancellationToken);
            if (!string.IsNullOrEmpty(configuration.SmtpUser))
            {
                await client.AuthenticateAsync(configuration.SmtpUser, settings.Secret ?? "", cancellationToken);
            }
            var answer = await client.SendAsync(message, cancellationToken);
            await client.DisconnectAsync(true, cancellationToken);
            return new DeliveryReceipt(string.IsNullOrWhiteSpace(answer) ? message.MessageId : answer.Trim());
        }
        catch (SmtpCommandException exception) when (exception.ErrorCode is SmtpErrorCode.RecipientNotAccepted)
        {
            throw new NotificationDeliveryException($"邮件服务器拒收该地址：{exception.Message}", permanent: true, exception);
        }
        catch (Exception exception) when (exception is SmtpCommandException or SmtpProtocolException or AuthenticationException or ServiceNotConnectedException
                                              or IOException or System.Net.Sockets.SocketException or SslHandshakeException or TimeoutException)
        {
            throw new NotificationDeliveryException($"邮件发送失败：{exception.Message}", inner: exception);
        }
    }

    private static string Subject(NotificationKind kind) => kind switch
    {
        NotificationKind.Test => "GridGov 测试消息",
        NotificationKind.Notice => "居民通知",
        _ => "GridGov 工作通知",
    };

    private static SecureSocketOptions Options(SmtpTlsMode mode) => mode switch
    {
        SmtpTlsMode.None => SecureSocketOptions.None,
        SmtpTlsMode.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.StartTls,
    };
}
