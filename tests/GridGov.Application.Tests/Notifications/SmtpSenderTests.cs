using GridGov.Domain.Notifications;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace GridGov.Application.Tests.Notifications;

/// <summary>E-mail through a tiny SMTP server on a real socket: what arrives, signed in with the stored password; a refused address.</summary>
public sealed class SmtpSenderTests(NoticeScenario scenario) : IClassFixture<NoticeScenario>
{
    [Fact]
    public async Task A_test_mail_arrives_at_the_smtp_server_in_utf8_chinese_signed_in_with_the_stored_password()
    {
        await scenario.UseSmtpAsync();
        var admin = await scenario.Admin();

        var id = await scenario.Senders(s => s.SendTestAsync(NotificationChannel.Email, "wangli@yunfan.gov.cn", admin));
        await scenario.RunOutboxAsync();

        var mail = Assert.Single(scenario.Smtp.Received, m => m.Recipients.Contains("wangli@yunfan.gov.cn"));
        Assert.Equal("notice@yunfan.gov.cn", mail.From);
        Assert.Equal(("notice@yunfan.gov.cn", NoticeScenario.SmtpPassword), (mail.User, mail.Password));
        Assert.Equal("GridGov 测试消息", mail.Message.Subject);
        Assert.Equal("云帆街道网格中心", ((MailboxAddress)mail.Message.From.Single()).Name);
        var body = Assert.IsType<TextPart>(mail.Message.Body);
        Assert.Equal("utf-8", body.ContentType.Charset, ignoreCase: true);
        Assert.Equal(Application.Notifications.NoticeSenders.TestText, body.Text.Trim());
        var stored = await scenario.NotificationAsync(id);
        Assert.Equal((DeliveryStatus.Sent, NoticeSenderKind.Smtp), (stored.Status, stored.SentBy));
        Assert.Contains("queued as FAKE", stored.GatewayMessageId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_address_the_server_refuses_fails_at_once_with_the_servers_reason()
    {
        await scenario.UseSmtpAsync();
        var admin = await scenario.Admin();

        var id = await scenario.Senders(s => s.SendTestAsync(NotificationChannel.Email, "reject-me@yunfan.gov.cn", admin));
        await scenario.RunOutboxAsync();

        var stored = await scenario.NotificationAsync(id);
        Assert.Equal((DeliveryStatus.Failed, 1), (stored.Status, stored.Attempts));
        Assert.Contains("拒收", stored.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain(scenario.Smtp.Received, m => m.Recipients.Contains("reject-me@yunfan.gov.cn"));
    }

    [Fact]
    public async Task An_smtp_server_that_is_down_leaves_the_message_pending_for_a_retry()
    {
        var admin = await scenario.Admin();
        await scenario.UseSmtpAsync();
        // A port nobody listens on: the listener of a fresh server, stopped at once.
        int port;
        await using (var gone = new FakeSmtpServer())
        {
            port = gone.Port;
        }
        var version = await scenario.DbAsync(db => db.NoticeSenders.Where(s => s.Channel == NotificationChannel.Email).Select(s => s.Version).SingleAsync());
        await scenario.Senders(async s =>
        {
            await s.SaveEmailAsync(new Application.Notifications.EmailSenderInput(NoticeSenderKind.Smtp, 10, "127.0.0.1", port, SmtpTlsMode.None, null, null,
                "notice@yunfan.gov.cn", null, version), admin);
            return true;
        });

        var id = await scenario.Senders(s => s.SendTestAsync(NotificationChannel.Email, "liuqiang@yunfan.gov.cn", admin));
        await scenario.RunOutboxAsync();

        var stored = await scenario.NotificationAsync(id);
        Assert.Equal((DeliveryStatus.Pending, 1), (stored.Status, stored.Attempts));
        Assert.Equal(scenario.Clock.GetUtcNow() + TimeSpan.FromSeconds(30), stored.NextAttemptAt);
        Assert.StartsWith("邮件发送失败", stored.LastError, StringComparison.Ordinal);
    }
}
