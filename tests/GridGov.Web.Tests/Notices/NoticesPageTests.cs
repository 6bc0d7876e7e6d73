using System.Globalization;
using Bunit;
using GridGov.Application.Notifications;
using GridGov.Domain.Audit;
using GridGov.Domain.Notifications;
using GridGov.Web.Components.Pages.Notices;
using GridGov.Web.Tests.Admin;
using GridGov.Web.Tests.Components;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Inbox;
using GridGov.Web.Tests.Ledgers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Web.Tests.Notices;

/// <summary>The notices page (/notices) with bUnit on the running app: a secretary notifies her grid; the outbox (the log by default) delivers it.</summary>
public sealed class NoticesPageTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private static IRenderedComponent<NoticesPage> Open(ComponentHarness harness)
    {
        var page = harness.Page<NoticesPage>("/notices");
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=notices] [data-notice], [data-testid=notices-none]")));
        return page;
    }

    [Fact]
    public async Task A_secretary_previews_and_sends_a_notice_to_her_grid_and_sees_it_delivered_and_audited()
    {
        await using var harness = await ComponentHarness.SignedInAsync(app, "secretary1");
        var page = Open(harness);
        var secretary = await app.ActorAsync("secretary1");
        var gridCode = await InboxCases.GridOfAsync(app, "leader1");
        var (gridId, communityGrids) = await app.DbAsync(async db =>
        {
            var grid = await db.Grids.SingleAsync(g => g.Code == gridCode);
            return (grid.Id, await db.Grids.Where(g => g.CommunityId == grid.CommunityId && g.ValidTo == null).Select(g => g.Id).ToListAsync());
        });
        var expected = await app.WithAsync(p => p.GetRequiredService<INoticeSql>().CountRecipientsAsync([gridId], null));
        const string text = "【会议通知】本周五19:00在社区活动室召开居民议事会，请准时参加。";

        // Only her community's grids are offered.
        Assert.Equal(communityGrids.Order(), page.FindAll("[data-testid=notice-grids] [data-grid]").Select(c => int.Parse(c.GetAttribute("data-grid")!, CultureInfo.InvariantCulture)).Order());
        page.Find($"[data-grid='{gridId}']").Click();
        page.Find("[data-testid=notice-preview]").Click();
        page.WaitForAssertion(() => Assert.Equal(expected.ToString(CultureInfo.InvariantCulture), page.Find("[data-testid=notice-recipients]").GetAttribute("data-count")));
        page.Find("textarea#notice-text").Change(text);
        page.Find("[data-testid=notice-send]").Click();
        harness.Dialogs.WaitForAssertion(() => Assert.Contains($"{expected} 个手机号码", harness.Dialogs.Markup, StringComparison.Ordinal));
        harness.Dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "发送").Click();

        var notice = await ComponentHarnessDb(async () => await app.DbAsync(db => db.Notices.AsNoTracking().SingleOrDefaultAsync(n => n.Text == text)));
        Assert.Equal((expected, NoticeTarget.Grids, (int?)secretary.CommunityId), (notice.RecipientCount, notice.Target, notice.CommunityId));
        Assert.Equal([gridId], notice.GridIds);
        page.WaitForAssertion(() => Assert.NotNull(page.Find($"tr[data-notice='{notice.Id}']")));
        // The background outbox sends it by the log (the default sender).
        await ComponentHarness.EventuallyAsync(async () => Assert.Equal(expected,
            await app.DbAsync(db => db.Notifications.CountAsync(n => n.NoticeId == notice.Id && n.Status == DeliveryStatus.Sent))), TimeSpan.FromSeconds(30));
        page.Find("[data-testid=notice-refresh]").Click();
        page.WaitForAssertion(() =>
        {
            var row = page.Find($"tr[data-notice='{notice.Id}']");
            Assert.Equal(expected.ToString(CultureInfo.InvariantCulture), row.QuerySelector("[data-count=recipients]")!.TextContent.Trim());
            Assert.Equal(expected.ToString(CultureInfo.InvariantCulture), row.QuerySelector("[data-count=sent]")!.TextContent.Trim());
            Assert.Equal("0", row.QuerySelector("[data-count=pending]")!.TextContent.Trim());
        });
        var id = notice.Id.ToString(CultureInfo.InvariantCulture);
        var audit = await app.DbAsync(db => db.AuditEntries.AsNoTracking().SingleAsync(e => e.EntityType == nameof(Notice) && e.EntityId == id));
        Assert.Equal((AuditAction.Create, "secretary1"), (audit.Action, audit.ActorUserName));
    }

    [Fact]
    public async Task Cancelling_the_confirmation_sends_nothing()
    {
        await using var harness = await ComponentHarness.SignedInAsync(app, "dispatcher1");
        var page = Open(harness);
        var before = await app.DbAsync(async db => (await db.Notices.CountAsync(), await db.Notifications.CountAsync(n => n.NoticeId != null)));

        page.FindAll("[data-testid=notice-grids] [data-grid]")[0].Click();
        page.Find("textarea#notice-text").Change("停电通知：明日9:00至12:00检修线路。");
        page.Find("[data-testid=notice-send]").Click();
        harness.Dialogs.WaitForAssertion(() => Assert.Contains("个手机号码", harness.Dialogs.Markup, StringComparison.Ordinal));
        harness.Dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "取消").Click();

        harness.Dialogs.WaitForAssertion(() => Assert.DoesNotContain("个手机号码发送", harness.Dialogs.Markup, StringComparison.Ordinal));
        Assert.Equal(before, await app.DbAsync(async db => (await db.Notices.CountAsync(), await db.Notifications.CountAsync(n => n.NoticeId != null))));
    }

    [Fact]
    public async Task The_center_chooses_grids_one_community_at_a_time_and_keeps_each_choice()
    {
        await using var harness = await ComponentHarness.SignedInAsync(app, "dispatcher1");
        var page = Open(harness);
        var communities = await app.DbAsync(db => db.Grids.Where(g => g.ValidTo == null)
            .GroupBy(g => g.Community!.Name).OrderBy(c => c.Key).Select(c => new { Name = c.Key, Grids = c.Select(g => g.Id).ToList() }).ToListAsync());
        Assert.True(communities.Count > 1, "the demo street has several communities");
        var (first, second) = (communities[0], communities[1]);

        // The shown chips are one community's grids only.
        await AccountPages.Pick(page, "notice-community", first.Name);
        page.WaitForAssertion(() => Assert.Equal(first.Grids.Order(), ShownGrids(page).Order()));
        var kept = first.Grids[0];
        page.Find($"[data-grid='{kept}']").Click();
        page.WaitForAssertion(() => Assert.Equal("1", page.Find("[data-testid=notice-grid-count]").GetAttribute("data-count")));

        // Another community: its grids replace the chips, all of them are chosen, and the first community's grid stays chosen.
        await AccountPages.Pick(page, "notice-community", second.Name);
        page.WaitForAssertion(() => Assert.Equal(second.Grids.Order(), ShownGrids(page).Order()));
        page.Find("[data-testid=notice-select-community]").Click();
        var chosen = second.Grids.Append(kept).ToArray();
        page.WaitForAssertion(() => Assert.Equal(chosen.Length.ToString(CultureInfo.InvariantCulture), page.Find("[data-testid=notice-grid-count]").GetAttribute("data-count")));
        var expected = await app.WithAsync(p => p.GetRequiredService<INoticeSql>().CountRecipientsAsync(chosen, null));
        page.Find("[data-testid=notice-preview]").Click();
        page.WaitForAssertion(() => Assert.Equal(expected.ToString(CultureInfo.InvariantCulture), page.Find("[data-testid=notice-recipients]").GetAttribute("data-count")));

        // Un-choosing a chip takes only that grid out; clearing takes all.
        page.Find($"[data-grid='{second.Grids[0]}']").Click();
        page.WaitForAssertion(() => Assert.Equal((chosen.Length - 1).ToString(CultureInfo.InvariantCulture), page.Find("[data-testid=notice-grid-count]").GetAttribute("data-count")));
        page.Find("[data-testid=notice-clear-grids]").Click();
        page.WaitForAssertion(() => Assert.Equal("0", page.Find("[data-testid=notice-grid-count]").GetAttribute("data-count")));
    }

    private static IEnumerable<int> ShownGrids(IRenderedComponent<NoticesPage> page) =>
        page.FindAll("[data-testid=notice-grids] [data-grid]").Select(c => int.Parse(c.GetAttribute("data-grid")!, CultureInfo.InvariantCulture));

    private static async Task<T> ComponentHarnessDb<T>(Func<Task<T?>> read) where T : class
    {
        T? found = null;
        await ComponentHarness.EventuallyAsync(async () => Assert.NotNull(found = await read()), TimeSpan.FromSeconds(10));
        return found!;
    }
}
