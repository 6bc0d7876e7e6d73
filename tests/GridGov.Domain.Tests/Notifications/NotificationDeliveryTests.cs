using GridGov.Domain.Common;
using GridGov.Domain.Notifications;

namespace GridGov.Domain.Tests.Notifications;

/// <summary>A notification's delivery: backoff after failures, failed after the last attempt or a permanent refusal, capped, and a test message's address.</summary>
public sealed class NotificationDeliveryTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 0, 0, TimeSpan.FromHours(8));

    private static Notification ToResident() => new(NotificationKind.Notice, "李明", "13800001111", null, null, "停水通知", Now);

    [Fact]
    public void Each_failed_attempt_doubles_the_wait_and_the_fifth_leaves_it_failed()
    {
        var notification = ToResident();
        var waits = new List<TimeSpan?>();
        for (var i = 0; i < Notification.MaxAttempts; i++)
        {
            notification.MarkAttemptFailed("网关超时", Now);
            waits.Add(notification.NextAttemptAt - Now);
        }

        Assert.Equal([TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(240), null], waits);
        Assert.Equal((DeliveryStatus.Failed, 5, "网关超时"), (notification.Status, notification.Attempts, notification.LastError));
        Assert.Throws<InvalidOperationException>(() => notification.MarkSent(Now, NoticeSenderKind.Log, null));
    }

    [Fact]
    public void A_permanent_refusal_fails_at_once_and_a_capped_message_is_never_sent()
    {
        var refused = ToResident();
        refused.MarkAttemptFailed("号码不存在", Now, permanent: true);
        var capped = ToResident();
        capped.MarkCapped("已达每人每日上限（10条），未发送");

        Assert.Equal((DeliveryStatus.Failed, 1, null), (refused.Status, refused.Attempts, refused.NextAttemptAt));
        Assert.Equal((DeliveryStatus.Capped, 0), (capped.Status, capped.Attempts));
        Assert.Throws<InvalidOperationException>(() => capped.MarkSent(Now, NoticeSenderKind.SmsGateway, "x"));
    }

    [Fact]
    public void A_sent_message_keeps_the_gateways_id_and_who_sent_it()
    {
        var notification = ToResident();
        notification.MarkAttemptFailed("HTTP 503", Now);
        notification.MarkSent(Now.AddMinutes(1), NoticeSenderKind.SmsGateway, "biz-123");

        Assert.Equal((DeliveryStatus.Sent, 2, null, null, "biz-123", NoticeSenderKind.SmsGateway),
            (notification.Status, notification.Attempts, notification.LastError, notification.NextAttemptAt, notification.GatewayMessageId, notification.SentBy));
        Assert.True(notification.IsCapped);
        Assert.False(new Notification(NotificationKind.Assignment, "王芳", "13800002222", 7, null, "新派遣", Now).IsCapped);
    }

    [Theory]
    [InlineData(NotificationChannel.Sms, "12345")]
    [InlineData(NotificationChannel.Email, "not-an-address")]
    [InlineData(NotificationChannel.Email, "a@b")]
    [InlineData(NotificationChannel.Email, "")]
    public void A_test_message_needs_a_valid_phone_or_address(NotificationChannel channel, string address)
    {
        var refused = Assert.Throws<DomainException>(() => Notification.Test(channel, "管理员", address, "测试", Now));

        Assert.Equal(DomainFields.SenderTestAddress.Name, refused.Field);
    }
}
