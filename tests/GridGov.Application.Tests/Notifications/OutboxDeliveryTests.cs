using GridGov.Domain.Notifications;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Application.Tests.Notifications;

/// <summary>The outbox against a gateway that fails: retries with exponential backoff, then failed with the reason; and the daily cap.</summary>
public sealed class OutboxDeliveryTests(NoticeScenario scenario) : IClassFixture<NoticeScenario>
{
    [Fact]
    public async Task A_failing_gateway_is_tried_again_after_30_s_then_1_min_and_the_message_goes_out_when_it_recovers()
    {
        await scenario.UseGatewayAsync();
        const string phone = "13900001111";
        var failures = 2;
        scenario.Gateway.Answer = sms => sms.Phone == phone && failures-- > 0 ? (503, "") : (200, "OK");
        var id = await scenario.EnqueueAsync(phone);
        var start = scenario.Clock.GetUtcNow();

        await scenario.RunOutboxAsync();
        var first = await scenario.NotificationAsync(id);
        await scenario.RunOutboxAsync();  // not due yet: nothing sent
        var notDue = scenario.Gateway.Received.Count(m => m.Phone == phone);
        scenario.Clock.Advance(TimeSpan.FromSeconds(30));
        await scenario.RunOutboxAsync();
        var second = await scenario.NotificationAsync(id);
        scenario.Clock.Advance(TimeSpan.FromSeconds(59));
        await scenario.RunOutboxAsync();
        var stillWaiting = await scenario.NotificationAsync(id);
        scenario.Clock.Advance(TimeSpan.FromSeconds(1));
        await scenario.RunOutboxAsync();
        var sent = await scenario.NotificationAsync(id);

        Assert.Equal((DeliveryStatus.Pending, 1, start + TimeSpan.FromSeconds(30)), (first.Status, first.Attempts, first.NextAttemptAt));
        Assert.Contains("HTTP 503", first.LastError, StringComparison.Ordinal);
        Assert.Equal(1, notDue);
        Assert.Equal((DeliveryStatus.Pending, 2, start + TimeSpan.FromSeconds(90)), (second.Status, second.Attempts, second.NextAttemptAt));
        Assert.Equal(2, stillWaiting.Attempts);
        Assert.Equal((DeliveryStatus.Sent, 3, null, null), (sent.Status, sent.Attempts, sent.NextAttemptAt, sent.LastError));
        Assert.Equal(start + TimeSpan.FromSeconds(90), sent.SentAt);
        Assert.Equal(3, scenario.Gateway.Received.Count(m => m.Phone == phone));
    }

    [Fact]
    public async Task A_gateway_that_refuses_every_attempt_leaves_the_message_failed_with_its_code_after_five_attempts()
    {
        await scenario.UseGatewayAsync();
        const string phone = "13900002222";
        scenario.Gateway.Answer = sms => sms.Phone == phone ? (200, "isv.BUSINESS_LIMIT_CONTROL") : (200, "OK");
        var id = await scenario.EnqueueAsync(phone);

        var waits = new List<TimeSpan?>();
        for (var attempt = 0; attempt < Notification.MaxAttempts + 2; attempt++)
        {
            await scenario.RunOutboxAsync();
            var now = await scenario.NotificationAsync(id);
            waits.Add(now.NextAttemptAt - scenario.Clock.GetUtcNow());
            scenario.Clock.Advance(TimeSpan.FromHours(1));
        }
        var failed = await scenario.NotificationAsync(id);

        Assert.Equal([TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(4), null, null, null], waits);
        Assert.Equal((DeliveryStatus.Failed, Notification.MaxAttempts, null, null), (failed.Status, failed.Attempts, failed.SentAt, failed.NextAttemptAt));
        Assert.Contains("isv.BUSINESS_LIMIT_CONTROL", failed.LastError, StringComparison.Ordinal);
        Assert.Equal(Notification.MaxAttempts, scenario.Gateway.Received.Count(m => m.Phone == phone));
    }

    [Fact]
    public async Task A_message_to_a_resident_without_a_phone_fails_at_once_without_retries()
    {
        await scenario.UseGatewayAsync();
        var id = await scenario.DbAsync(async db =>
        {
            var notification = new Notification(NotificationKind.CaseClosed, "无电话居民", null, null, null, "您反映的问题已处理", scenario.Clock.GetUtcNow());
            db.Notifications.Add(notification);
            await db.SaveChangesAsync();
            return notification.Id;
        });

        await scenario.RunOutboxAsync();
        var failed = await scenario.NotificationAsync(id);

        Assert.Equal((DeliveryStatus.Failed, 1, null), (failed.Status, failed.Attempts, failed.NextAttemptAt));
        Assert.Equal("收件人没有手机号码", failed.LastError);
    }

    [Fact]
    public async Task Beyond_the_daily_cap_a_residents_messages_are_recorded_as_capped_while_staff_messages_still_go_and_the_next_day_counts_afresh()
    {
        await scenario.UseGatewayAsync(dailyCap: 2);
        const string resident = "13900003333";
        const string staffPhone = "13900004444";
        var staffId = await scenario.DbAsync(db => db.StaffMembers.OrderBy(s => s.Id).Select(s => s.Id).FirstAsync());
        var toResident = new List<long>();
        var toStaff = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            toResident.Add(await scenario.EnqueueAsync(resident, text: $"通知{i}"));
            toStaff.Add(await scenario.EnqueueAsync(staffPhone, staffId, $"派遣{i}"));
        }

        await scenario.RunOutboxAsync();
        var residentMessages = await Task.WhenAll(toResident.Select(scenario.NotificationAsync));
        var staffMessages = await Task.WhenAll(toStaff.Select(scenario.NotificationAsync));
        // The next China day (the scenario's clock is at 09:00 in China).
        scenario.Clock.Advance(TimeSpan.FromDays(1));
        var nextDay = await scenario.EnqueueAsync(resident, text: "次日通知");
        await scenario.RunOutboxAsync();

        Assert.Equal([DeliveryStatus.Sent, DeliveryStatus.Sent, DeliveryStatus.Capped], residentMessages.Select(m => m.Status));
        Assert.Equal("已达每人每日上限（2条），未发送", residentMessages[2].LastError);
        Assert.All(staffMessages, m => Assert.Equal(DeliveryStatus.Sent, m.Status));
        Assert.Equal(2, scenario.Gateway.Received.Count(m => m.Phone == resident && m.Params["content"].StartsWith("通知", StringComparison.Ordinal)));
        Assert.Equal("SMS_STAFF_001", scenario.Gateway.Received.First(m => m.Phone == staffPhone).TemplateId);
        Assert.Equal(DeliveryStatus.Sent, (await scenario.NotificationAsync(nextDay)).Status);
    }
}
