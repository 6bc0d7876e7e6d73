using GridGov.Application.Notifications;
using GridGov.Domain.Audit;
using GridGov.Domain.Common;
using GridGov.Domain.Notifications;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Application.Tests.Notifications;

/// <summary>The administrator's settings of the senders: secrets stored protected, never answered back, audited redacted; bad settings refused.</summary>
public sealed class NoticeSenderSettingsTests(NoticeScenario scenario) : IClassFixture<NoticeScenario>
{
    [Fact]
    public async Task The_gateway_key_is_stored_protected_shown_only_by_its_last_characters_kept_when_left_empty_and_audited_redacted()
    {
        var admin = await scenario.Admin();
        await scenario.UseGatewayAsync();
        var stored = await scenario.DbAsync(db => db.NoticeSenders.AsNoTracking().SingleAsync(s => s.Channel == NotificationChannel.Sms));
        var view = (await scenario.Senders(s => s.ListAsync(admin))).Single(v => v.Channel == NotificationChannel.Sms);

        // Saved again without a key: the key stays, and it still reaches the gateway.
        await scenario.Senders(async s =>
        {
            await s.SaveSmsAsync(new SmsSenderInput(NoticeSenderKind.SmsGateway, 20, scenario.Gateway.Url, "", "云帆街道", "SMS_STAFF_001", "SMS_NOTICE_003", view.Version), admin);
            return true;
        });
        var id = await scenario.Senders(s => s.SendTestAsync(NotificationChannel.Sms, "13900005555", admin));
        await scenario.RunOutboxAsync();

        Assert.NotNull(stored.ProtectedSecret);
        Assert.DoesNotContain(NoticeScenario.GatewayKey, stored.ProtectedSecret, StringComparison.Ordinal);
        Assert.Equal(NoticeScenario.GatewayKey[^4..], stored.SecretHint);
        Assert.True(view.HasSecret);
        Assert.DoesNotContain(NoticeScenario.GatewayKey, view.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(stored.ProtectedSecret!, view.ToString(), StringComparison.Ordinal);
        var test = Assert.Single(scenario.Gateway.Received, m => m.Phone == "13900005555");
        Assert.Equal(("Bearer " + NoticeScenario.GatewayKey, "SMS_STAFF_001", NoticeSenders.TestText), (test.Authorization, test.TemplateId, test.Params["content"]));
        Assert.Equal(DeliveryStatus.Sent, (await scenario.NotificationAsync(id)).Status);
        var audit = await scenario.DbAsync(db => db.AuditEntries.AsNoTracking().Where(e => e.EntityType == nameof(NoticeSender)).OrderBy(e => e.Id).ToListAsync());
        Assert.Equal([AuditAction.Create, AuditAction.Update], audit.Select(e => e.Action));
        Assert.All(audit, e => Assert.DoesNotContain(NoticeScenario.GatewayKey, (e.Before ?? "") + e.After, StringComparison.Ordinal));
        Assert.All(audit, e => Assert.DoesNotContain(stored.ProtectedSecret!, (e.Before ?? "") + e.After, StringComparison.Ordinal));
        Assert.Contains("SMS_NOTICE_003", audit[1].After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_an_administrator_configures_senders()
    {
        var dispatcher = await scenario.ActorAsync("dispatcher1");
        var before = await scenario.DbAsync(db => db.NoticeSenders.AsNoTracking().OrderBy(s => s.Channel).Select(s => s.Version).ToListAsync());

        var list = await Assert.ThrowsAsync<DomainException>(() => scenario.Senders(s => s.ListAsync(dispatcher)));
        var save = await Assert.ThrowsAsync<DomainException>(() => scenario.Senders(async s =>
        {
            await s.SaveSmsAsync(new SmsSenderInput(NoticeSenderKind.Log, 5, null, null, null, null, null, null), dispatcher);
            return true;
        }));
        var test = await Assert.ThrowsAsync<DomainException>(() => scenario.Senders(s => s.SendTestAsync(NotificationChannel.Sms, "13900006666", dispatcher)));

        Assert.All(new[] { list, save, test }, e => Assert.Equal("notice-sender.admin-only", e.Code));
        Assert.Equal(before, await scenario.DbAsync(db => db.NoticeSenders.AsNoTracking().OrderBy(s => s.Channel).Select(s => s.Version).ToListAsync()));
    }

    public static TheoryData<string, string> BadSms() => new()
    {
        { "url", "网关地址格式不正确" }, { "url-ftp", "网关地址格式不正确" }, { "url-empty", "网关地址不能为空" }, { "sign-empty", "短信签名不能为空" },
        { "template-long", "不能超过50个字" }, { "cap-zero", "每人每日上限应在1至1000条之间" }, { "cap-huge", "每人每日上限应在1至1000条之间" },
        { "key-control", "控制字符" }, { "key-long", "不能超过200个字" },
    };

    [Theory]
    [MemberData(nameof(BadSms))]
    public async Task Bad_sms_settings_are_refused_in_chinese_and_change_nothing(string bad, string message)
    {
        var admin = await scenario.Admin();
        var input = new SmsSenderInput(NoticeSenderKind.SmsGateway, 10, "https://sms.example.cn/send", "key-12345678", "云帆街道", "SMS_1", "SMS_2", null);
        input = bad switch
        {
            "url" => input with { GatewayUrl = "not a url" },
            "url-ftp" => input with { GatewayUrl = "ftp://sms.example.cn/send" },
            "url-empty" => input with { GatewayUrl = " " },
            "sign-empty" => input with { SignName = "" },
            "template-long" => input with { NoticeTemplateId = new string('T', 51) },
            "cap-zero" => input with { DailyCap = 0 },
            "cap-huge" => input with { DailyCap = 100_000 },
            "key-control" => input with { GatewayKey = "key\u001b123" },
            _ => input with { GatewayKey = new string('k', 201) },
        };
        var before = await scenario.DbAsync(db => db.NoticeSenders.AsNoTracking().Select(s => new { s.Channel, s.Version }).ToListAsync());

        var refused = await Assert.ThrowsAsync<DomainException>(() => scenario.Senders(async s =>
        {
            await s.SaveSmsAsync(input with { Version = (await scenario.DbAsync(db => db.NoticeSenders.Where(x => x.Channel == NotificationChannel.Sms).Select(x => (uint?)x.Version).SingleOrDefaultAsync())) }, admin);
            return true;
        }));

        Assert.True(refused.Message.Contains(message, StringComparison.Ordinal), $"{bad}: {refused.Message}");
        Assert.NotNull(refused.Field);
        Assert.Equal(before, await scenario.DbAsync(db => db.NoticeSenders.AsNoTracking().Select(s => new { s.Channel, s.Version }).ToListAsync()));
    }

    public static TheoryData<string, string> BadEmail() => new()
    {
        { "host-empty", "SMTP服务器不能为空" }, { "host-space", "SMTP服务器格式不正确" }, { "port-zero", "SMTP端口应在1至65535之间" },
        { "port-huge", "SMTP端口应在1至65535之间" }, { "from-bad", "发件地址格式不正确" }, { "from-empty", "发件地址不能为空" },
    };

    [Theory]
    [MemberData(nameof(BadEmail))]
    public async Task Bad_email_settings_are_refused_in_chinese_and_change_nothing(string bad, string message)
    {
        var admin = await scenario.Admin();
        var input = new EmailSenderInput(NoticeSenderKind.Smtp, 10, "smtp.example.cn", 587, SmtpTlsMode.StartTls, "user", "pw", "a@example.cn", "网格中心", null);
        input = bad switch
        {
            "host-empty" => input with { SmtpHost = "" },
            "host-space" => input with { SmtpHost = "smtp example.cn" },
            "port-zero" => input with { SmtpPort = 0 },
            "port-huge" => input with { SmtpPort = 70_000 },
            "from-bad" => input with { FromAddress = "<script>" },
            _ => input with { FromAddress = null },
        };
        var before = await scenario.DbAsync(db => db.NoticeSenders.AsNoTracking().Select(s => new { s.Channel, s.Version }).ToListAsync());

        var refused = await Assert.ThrowsAsync<DomainException>(() => scenario.Senders(async s =>
        {
            await s.SaveEmailAsync(input, admin);
            return true;
        }));

        Assert.True(refused.Message.Contains(message, StringComparison.Ordinal), $"{bad}: {refused.Message}");
        Assert.Equal(before, await scenario.DbAsync(db => db.NoticeSenders.AsNoTracking().Select(s => new { s.Channel, s.Version }).ToListAsync()));
    }
}
