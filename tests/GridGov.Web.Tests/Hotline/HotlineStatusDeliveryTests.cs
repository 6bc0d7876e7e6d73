using System.Globalization;
using System.Net;
using Bunit;
using GridGov.Domain.Audit;
using GridGov.Domain.Cases;
using GridGov.Domain.Hotline;
using GridGov.Web.Components.Pages.Admin;
using GridGov.Web.Tests.Components;
using GridGov.Web.Tests.Inbox;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Web.Tests.Hotline;

/// <summary>
/// The status pushes reach the fake hotline over real HTTP through the app's background sender: in order, after the
/// hotline was down for a while, and — when it stays down — dead-lettered and resent from the administrator's page.
/// </summary>
[Collection(HotlineCollection.Name)]
public sealed class HotlineStatusDeliveryTests(HotlineFixture app)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private async Task<Case> OrderAsync()
    {
        var (longitude, latitude) = await app.PointInGridAsync(await app.GridOfAsync("leader1"));
        var posted = await app.PostOrderAsync(HotlineFixture.Json(new
        {
            order_no = HotlineFixture.NewOrderNumber(), category_code = "0501", content = "路口垃圾满溢", address = "云帆街道某路口", lng = longitude, lat = latitude,
        }));
        Assert.Equal(HttpStatusCode.Created, posted.Status);
        var number = posted.Json.GetProperty("case_number").GetString()!;
        return await app.DbAsync(db => db.Cases.AsNoTracking().SingleAsync(c => c.Number == number));
    }

    private Task<List<HotlineStatusPush>> PushesAsync(int caseId) =>
        app.DbAsync(db => db.HotlineStatusPushes.AsNoTracking().Where(p => p.CaseId == caseId).OrderBy(p => p.Id).ToListAsync());

    [Fact]
    public async Task An_order_is_handled_and_each_change_reaches_the_hotline_in_order_also_after_the_hotline_was_down_for_a_while()
    {
        app.Hotline.Down = false;
        var dispatcher = await app.ActorAsync("dispatcher1");
        var handler = await app.ActorAsync("handler1");
        var @case = await OrderAsync();
        var order = @case.HotlineOrderNumber!;

        await app.DoAsync(s => s.RegisterAsync(@case.Id, dispatcher, null, null));
        await ComponentHarness.EventuallyAsync(() =>
        {
            Assert.Equal(["accepted"], app.Hotline.ReceivedFor(order).Select(p => p.GetProperty("status").GetString()));
            return Task.CompletedTask;
        }, Patience);

        app.Hotline.Down = true;
        var refusedBefore = app.Hotline.Refused;
        await app.DoAsync(s => s.DispatchAsync(@case.Id, dispatcher, handler.DepartmentId!.Value));
        await app.DoAsync(s => s.AcceptAsync(@case.Id, handler));
        // Retried while down: the dispatch's push fails again and again, the acceptance's waits behind it.
        await ComponentHarness.EventuallyAsync(async () =>
        {
            var pushes = await PushesAsync(@case.Id);
            Assert.True(pushes[1].Attempts >= 2, $"attempts {pushes[1].Attempts}");
            Assert.Equal((HotlinePushStatus.Pending, 0), (pushes[2].Status, pushes[2].Attempts));
        }, Patience);
        Assert.True(app.Hotline.Refused - refusedBefore >= 2);
        Assert.Single(app.Hotline.ReceivedFor(order));

        app.Hotline.Down = false;
        await ComponentHarness.EventuallyAsync(async () =>
            Assert.All(await PushesAsync(@case.Id), p => Assert.Equal(HotlinePushStatus.Delivered, p.Status)), Patience);
        var received = app.Hotline.ReceivedFor(order);
        Assert.Equal(["Register", "Dispatch", "Accept"], received.Select(p => p.GetProperty("action").GetString()));
        Assert.Equal(["accepted", "in_progress", "in_progress"], received.Select(p => p.GetProperty("status").GetString()));
        Assert.All(received, p => Assert.Equal(@case.Number, p.GetProperty("case_number").GetString()));
        Assert.Equal("处置中", received[^1].GetProperty("state_name").GetString());
    }

    [Fact]
    public async Task A_hotline_that_stays_down_dead_letters_the_push_and_the_administrator_resends_it_from_the_page_after_a_confirmation_audited()
    {
        app.Hotline.Down = true;
        var dispatcher = await app.ActorAsync("dispatcher1");
        var @case = await OrderAsync();
        await app.DoAsync(s => s.VoidAsync(@case.Id, dispatcher, "重复工单"));

        await ComponentHarness.EventuallyAsync(async () =>
        {
            var push = Assert.Single(await PushesAsync(@case.Id));
            Assert.Equal((HotlinePushStatus.DeadLettered, HotlineFixture.MaxAttempts), (push.Status, push.Attempts));
            Assert.Equal("HTTP 503 Service Unavailable", push.LastError);
        }, Patience);
        var dead = Assert.Single(await PushesAsync(@case.Id));
        Assert.Empty(app.Hotline.ReceivedFor(@case.HotlineOrderNumber!));
        app.Hotline.Down = false;

        await using var harness = await ComponentHarness.SignedInAsync(app, "admin1");
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-CN");
        harness.Navigation.NavigateTo("/admin/hotline");
        var page = harness.Context.Render<HotlinePage>();
        var id = dead.Id.ToString(CultureInfo.InvariantCulture);
        page.WaitForElement($"[data-testid=hotline-dead] tr[data-push='{id}']");
        Assert.Contains(@case.HotlineOrderNumber!, page.Find($"[data-testid=hotline-dead] tr[data-push='{id}']").TextContent, StringComparison.Ordinal);

        // Cancelled first: nothing changes.
        page.Find($"[data-testid=hotline-resend-{id}]").Click();
        harness.Dialogs.WaitForElement("[data-testid=hotline-resend-dialog]");
        harness.Dialogs.Find("[data-testid=hotline-resend-cancel]").Click();
        Assert.Equal(HotlinePushStatus.DeadLettered, (await PushesAsync(@case.Id))[0].Status);

        page.Find($"[data-testid=hotline-resend-{id}]").Click();
        harness.Dialogs.WaitForElement("[data-testid=hotline-resend-dialog]");
        harness.Dialogs.Find("[data-testid=hotline-resend-confirm]").Click();

        await ComponentHarness.EventuallyAsync(async () =>
            Assert.Equal(HotlinePushStatus.Delivered, (await PushesAsync(@case.Id))[0].Status), Patience);
        var received = Assert.Single(app.Hotline.ReceivedFor(@case.HotlineOrderNumber!));
        Assert.Equal(("sent_back", "重复工单"), (received.GetProperty("status").GetString(), received.GetProperty("note").GetString()));
        var resend = await app.DbAsync(db => db.AuditEntries.AsNoTracking()
            .Where(e => e.EntityType == nameof(HotlineStatusPush) && e.EntityId == id && e.Action == AuditAction.Update && e.ActorUserName == "admin1").CountAsync());
        Assert.Equal(1, resend);
    }
}
