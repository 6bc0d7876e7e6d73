using GridGov.Application.Notifications;
using GridGov.Domain.Audit;
using GridGov.Domain.Notifications;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Application.Tests.Notifications;

/// <summary>A notice composed by a community secretary for a grid reaches the fake SMS gateway, once per phone number.</summary>
public sealed class NoticeSmsTests(NoticeScenario scenario) : IClassFixture<NoticeScenario>
{
    [Fact]
    public async Task A_notice_to_a_grid_reaches_the_gateway_once_per_phone_without_removed_residents_and_is_counted()
    {
        await scenario.UseGatewayAsync(dailyCap: 50);
        var secretary = await scenario.ActorAsync("secretary1");
        var gridCode = await scenario.GridOfAsync("leader1");
        var gridId = await scenario.DbAsync(db => db.Grids.Where(g => g.Code == gridCode).Select(g => g.Id).SingleAsync());
        // Two residents share a phone (one message), one resident is removed (moved out: none), one household is removed (none for its members).
        var residents = await scenario.DbAsync(db => db.Residents.AsNoTracking()
            .Where(r => r.GridId == gridId && r.RemovedAt == null && r.Phone != null && r.HouseholdId != null).OrderBy(r => r.Id).Take(4)
            .Select(r => new { r.Id, r.Phone, r.HouseholdId }).ToListAsync());
        var shared = residents[0].Phone!;
        var movedOut = residents[2].Phone!;
        await scenario.DbAsync(async db =>
        {
            await db.Database.ExecuteSqlAsync($"UPDATE residents SET phone = {shared} WHERE id = {residents[1].Id}");
            await db.Database.ExecuteSqlAsync($"UPDATE residents SET removed_at = now(), removal_reason = '迁出' WHERE id = {residents[2].Id}");
            return true;
        });
        var expected = await scenario.DbAsync(db => db.Residents.AsNoTracking()
            .Where(r => r.GridId == gridId && r.RemovedAt == null && r.Phone != null && r.Phone != "")
            .Where(r => r.HouseholdId == null || db.Households.Any(h => h.Id == r.HouseholdId && h.RemovedAt == null))
            .Select(r => r.Phone!).Distinct().ToListAsync());
        var movedOutPhoneKept = await scenario.DbAsync(db => db.Residents.AnyAsync(r => r.Phone == movedOut && r.Id != residents[2].Id && r.GridId == gridId && r.RemovedAt == null));

        var target = new NoticeTargetInput(NoticeTarget.Grids, [gridId], null);
        var preview = await scenario.Notices(n => n.PreviewAsync(target, secretary));
        const string text = "【停水通知】因管网维修，12月9日8:00至18:00停水，请提前储水。";
        var sent = await scenario.Notices(n => n.SendAsync(new NoticeDraft(target, text, Guid.NewGuid()), secretary));
        while (await scenario.RunOutboxAsync() > 0)
        {
        }

        Assert.Equal(expected.Count, preview);
        Assert.Equal(expected.Count, sent.Recipients);
        var received = scenario.Gateway.Received.Where(m => m.Params["content"] == text).ToList();
        Assert.Equal(expected.Order(), received.Select(m => m.Phone).Order());
        Assert.Single(received, m => m.Phone == shared);
        Assert.True(movedOutPhoneKept || received.All(m => m.Phone != movedOut), "the moved-out resident was notified");
        Assert.All(received, m =>
        {
            Assert.Equal("SMS_NOTICE_002", m.TemplateId);
            Assert.Equal("云帆街道", m.SignName);
            Assert.Equal("Bearer " + NoticeScenario.GatewayKey, m.Authorization);
        });
        var messages = await scenario.DbAsync(db => db.Notifications.AsNoTracking().Where(n => n.NoticeId == sent.Id).ToListAsync());
        Assert.All(messages, m =>
        {
            Assert.Equal(DeliveryStatus.Sent, m.Status);
            Assert.Equal(NoticeSenderKind.SmsGateway, m.SentBy);
            Assert.StartsWith("fake-", m.GatewayMessageId, StringComparison.Ordinal);
        });
        var row = Assert.Single(await scenario.Notices(n => n.ListAsync(secretary)), r => r.Id == sent.Id);
        Assert.Equal((expected.Count, expected.Count, 0, 0, 0), (row.Recipients, row.Sent, row.Failed, row.Capped, row.Pending));
        var id = sent.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var audit = await scenario.DbAsync(db => db.AuditEntries.AsNoTracking().Where(e => e.EntityType == nameof(Notice) && e.EntityId == id).ToListAsync());
        Assert.Equal(AuditAction.Create, Assert.Single(audit).Action);
        Assert.Contains(text, audit[0].After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_replayed_notice_form_answers_with_the_first_notice_and_sends_nothing_more()
    {
        var secretary = await scenario.ActorAsync("secretary1");
        var gridCode = await scenario.GridOfAsync("leader1");
        var gridId = await scenario.DbAsync(db => db.Grids.Where(g => g.Code == gridCode).Select(g => g.Id).SingleAsync());
        var draft = new NoticeDraft(new NoticeTargetInput(NoticeTarget.Grids, [gridId], null), "居民议事会：周五19:00在社区活动室召开。", Guid.NewGuid());

        var first = await scenario.Notices(n => n.SendAsync(draft, secretary));
        var count = await scenario.DbAsync(db => db.Notifications.CountAsync());
        var again = await scenario.Notices(n => n.SendAsync(draft, secretary));

        Assert.Equal(first, again);
        Assert.Equal(count, await scenario.DbAsync(db => db.Notifications.CountAsync()));
        Assert.Equal(1, await scenario.DbAsync(db => db.Notices.CountAsync(n => n.Text == draft.Text)));
    }
}
