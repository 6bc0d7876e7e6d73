using GridGov.Application.Notifications;
using GridGov.Application.Tests.Cases;
using GridGov.Domain.Cases;
using GridGov.Domain.Notifications;
using GridGov.Infrastructure.Persistence;
using GridGov.TestSupport.Fakes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Application.Tests.Notifications;

/// <summary>
/// The demo street with its outbox emptied (what the seed left pending marked sent), a fake SMS gateway and a fake SMTP
/// server on real sockets, and helpers to configure the senders as admin1 and run the outbox.
/// </summary>
public class NoticeScenario : CaseScenario
{
    public const string GatewayKey = "sk-test-9f8e7d6c5b4a";
    public const string SmtpPassword = "Smtp@Pass-2026";

    public FakeSmsGateway Gateway { get; private set; } = null!;

    public FakeSmtpServer Smtp { get; } = new();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Gateway = await FakeSmsGateway.StartAsync();
        await WithAsync(provider => provider.GetRequiredService<GridGovDbContext>().Database.ExecuteSqlRawAsync(
            "UPDATE notifications SET status = 'Sent', sent_at = created_at WHERE status = 'Pending'"));
    }

    public override async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Smtp.DisposeAsync();
        await base.DisposeAsync();
    }

    public Task<T> Senders<T>(Func<NoticeSenders, Task<T>> work) => WithAsync(provider => work(provider.GetRequiredService<NoticeSenders>()));

    public Task<T> Notices<T>(Func<Notices, Task<T>> work) => WithAsync(provider => work(provider.GetRequiredService<Notices>()));

    public Task<T> DbAsync<T>(Func<GridGovDbContext, Task<T>> work) => WithAsync(provider => work(provider.GetRequiredService<GridGovDbContext>()));

    public async Task UseGatewayAsync(int dailyCap = NoticeSender.DefaultDailyCap)
    {
        var admin = await ActorAsync("admin1");
        var version = await DbAsync(db => db.NoticeSenders.Where(s => s.Channel == NotificationChannel.Sms).Select(s => (uint?)s.Version).SingleOrDefaultAsync());
        await Senders(async s =>
        {
            await s.SaveSmsAsync(new SmsSenderInput(NoticeSenderKind.SmsGateway, dailyCap, Gateway.Url, GatewayKey, "云帆街道", "SMS_STAFF_001", "SMS_NOTICE_002", version), admin);
            return true;
        });
    }

    public async Task UseSmtpAsync()
    {
        var admin = await ActorAsync("admin1");
        var version = await DbAsync(db => db.NoticeSenders.Where(s => s.Channel == NotificationChannel.Email).Select(s => (uint?)s.Version).SingleOrDefaultAsync());
        await Senders(async s =>
        {
            await s.SaveEmailAsync(new EmailSenderInput(NoticeSenderKind.Smtp, 10, "127.0.0.1", Smtp.Port, SmtpTlsMode.None, "notice@yunfan.gov.cn", SmtpPassword,
                "notice@yunfan.gov.cn", "云帆街道网格中心", version), admin);
            return true;
        });
    }

    /// <summary>One run of the outbox, as the background service does it.</summary>
    public Task<int> RunOutboxAsync() => WithAsync(provider => provider.GetRequiredService<NotificationOutbox>().SendPendingAsync(batchSize: 10_000));

    public Task<Notification> NotificationAsync(long id) => DbAsync(db => db.Notifications.AsNoTracking().SingleAsync(n => n.Id == id));

    /// <summary>A message to a resident (no staff id: the daily cap applies) or to a staff member, written as a case change would.</summary>
    public Task<long> EnqueueAsync(string phone, int? staffId = null, string text = "您反映的问题已处理完毕") => DbAsync(async db =>
    {
        var notification = new Notification(NotificationKind.CaseClosed, "测试收件人", phone, staffId, null, text, Clock.GetUtcNow());
        db.Notifications.Add(notification);
        await db.SaveChangesAsync();
        return notification.Id;
    });

    public Task<CaseActor> Admin() => ActorAsync("admin1");
}
