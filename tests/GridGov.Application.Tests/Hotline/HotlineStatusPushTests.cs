using GridGov.Application.Hotline;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Hotline;
using GridGov.Infrastructure.Persistence;
using GridGov.TestSupport.GridGov;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Application.Tests.Hotline;

/// <summary>The outbound half: pushes written with each change of a hotline case, sent in order, retried with backoff, dead-lettered, resent.</summary>
public sealed class HotlineStatusPushTests(HotlineScenario scenario) : IClassFixture<HotlineScenario>
{
    private async Task<Case> HotlineCaseAsync()
    {
        var (longitude, latitude) = await scenario.PointInGridAsync(await scenario.AnyGridCodeAsync());
        var receipt = await scenario.ReceiveAsync(HotlineScenario.Body(new
        {
            order_no = HotlineScenario.NewOrderNumber(), category_code = "0301", content = "果皮箱满溢", address = "云帆街道某路口", lng = longitude, lat = latitude,
        }));
        return await scenario.CaseAsync(receipt.CaseNumber);
    }

    private Task<List<HotlineStatusPush>> PushesAsync(int caseId) => scenario.WithAsync(p =>
        p.GetRequiredService<GridGovDbContext>().HotlineStatusPushes.AsNoTracking().Where(x => x.CaseId == caseId).OrderBy(x => x.Id).ToListAsync());

    private Task<int> SendAsync() => scenario.WithAsync(p => p.GetRequiredService<HotlineStatusSender>().SendDueAsync());

    [Fact]
    public async Task Each_change_of_state_of_a_hotline_case_writes_one_push_a_refused_change_none_and_a_case_of_another_source_none()
    {
        scenario.Clock.Set(TestClock.China(2026, 11, 24, 9));
        var dispatcher = await scenario.ActorAsync("dispatcher1");
        var handler = await scenario.ActorAsync("handler1");
        var @case = await HotlineCaseAsync();
        Assert.Empty(await PushesAsync(@case.Id)); // the report itself is the hotline's own post

        await scenario.DoAsync(s => s.RegisterAsync(@case.Id, dispatcher, null, null));
        var streetLeader = await scenario.ActorAsync("streetleader1");
        await scenario.DoAsync(s => s.SuperviseAsync(@case.Id, streetLeader, "请尽快处理")); // no change of state
        await Assert.ThrowsAsync<DomainException>(() => scenario.DoAsync(s => s.ArchiveAsync(@case.Id, dispatcher))); // refused
        await scenario.DoAsync(s => s.DispatchAsync(@case.Id, dispatcher, handler.DepartmentId!.Value));
        await scenario.DoAsync(s => s.ReturnAsync(@case.Id, handler, "不属于本部门职责"));

        var pushes = await PushesAsync(@case.Id);
        Assert.Equal([CaseAction.Register, CaseAction.Dispatch, CaseAction.Return], pushes.Select(p => p.Action));
        Assert.All(pushes, p => Assert.Equal((HotlinePushStatus.Pending, 0, @case.HotlineOrderNumber), (p.Status, p.Attempts, p.OrderNumber)));
        Assert.Equal("不属于本部门职责", pushes[^1].Note);
        Assert.Equal("accepted", HotlineStatusPush.HotlineStatusOf(pushes[0].Action, pushes[0].ToState));

        // A dispatcher's own report with source 12345 but no work order behind it pushes nothing.
        var (longitude, latitude) = await scenario.PointInGridAsync(await scenario.AnyGridCodeAsync());
        var typedIn = await scenario.DoAsync(s => s.ReportAsync(new GridGov.Application.Cases.ReportCase(@case.CategoryId, "电话记录：果皮箱满溢", longitude, latitude, "云帆街道某路口",
            CaseSource.Hotline, CasePriority.Normal, "李女士", null, []), dispatcher));
        await scenario.DoAsync(s => s.RegisterAsync(typedIn.Id, dispatcher, null, null));
        Assert.Empty(await PushesAsync(typedIn.Id));
    }

    [Fact]
    public async Task Pushes_go_out_signed_in_order_are_retried_with_doubling_delays_dead_lettered_after_the_last_attempt_and_resent_by_an_administrator()
    {
        scenario.Clock.Set(TestClock.China(2026, 11, 25, 9));
        var dispatcher = await scenario.ActorAsync("dispatcher1");
        var @case = await HotlineCaseAsync();
        await scenario.DoAsync(s => s.RegisterAsync(@case.Id, dispatcher, null, null));
        await scenario.DoAsync(s => s.VoidAsync(@case.Id, dispatcher, "重复工单，已由其他部门办理"));
        // Other tests' pushes may wait too: only this case's are looked at.
        scenario.Status.Down = true;

        var delays = new List<TimeSpan>();
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            await SendAsync();
            var first = (await PushesAsync(@case.Id))[0];
            Assert.Equal(attempt, first.Attempts);
            if (attempt < 4)
            {
                Assert.Equal(HotlinePushStatus.Pending, first.Status);
                delays.Add(first.NextAttemptAt - scenario.Clock.GetUtcNow());
                Assert.Equal(0, (await PushesAsync(@case.Id))[1].Attempts); // the later change waits for the earlier one
                scenario.Clock.Set(first.NextAttemptAt);
            }
        }
        Assert.Equal([TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(120)], delays);
        var dead = (await PushesAsync(@case.Id))[0];
        Assert.Equal((HotlinePushStatus.DeadLettered, "HTTP 503 Service Unavailable"), (dead.Status, dead.LastError));

        // Behind a dead letter the next change goes out once the hotline is back; the dead one waits for an administrator.
        scenario.Status.Down = false;
        await SendAsync();
        var afterRecovery = await PushesAsync(@case.Id);
        Assert.Equal([HotlinePushStatus.DeadLettered, HotlinePushStatus.Delivered], afterRecovery.Select(p => p.Status));
        var rejected = Assert.Single(scenario.Status.Received, d => d.RootElement.GetProperty("order_no").GetString() == @case.HotlineOrderNumber);
        Assert.Equal(("sent_back", "重复工单，已由其他部门办理", @case.Number),
            (rejected.RootElement.GetProperty("status").GetString(), rejected.RootElement.GetProperty("note").GetString(), rejected.RootElement.GetProperty("case_number").GetString()));

        var refused = await Assert.ThrowsAsync<DomainException>(() => scenario.WithAsync(async p =>
        {
            await p.GetRequiredService<HotlineAdmin>().ResendAsync(dead.Id, dispatcher);
            return 0;
        }));
        Assert.Equal("hotline.admin-only", refused.Code);
        var admin = await scenario.ActorAsync("admin1");
        await scenario.WithAsync(async p =>
        {
            await p.GetRequiredService<HotlineAdmin>().ResendAsync(dead.Id, admin);
            return 0;
        });
        var overview = await scenario.WithAsync(p => p.GetRequiredService<HotlineAdmin>().OverviewAsync(admin));
        Assert.Contains(overview.Pending, r => r.Id == dead.Id && r.Attempts == 0);
        Assert.DoesNotContain(overview.DeadLettered, r => r.Id == dead.Id);
        await SendAsync();
        Assert.Equal([HotlinePushStatus.Delivered, HotlinePushStatus.Delivered], (await PushesAsync(@case.Id)).Select(p => p.Status));
        var again = await Assert.ThrowsAsync<DomainException>(() => scenario.WithAsync(async p =>
        {
            await p.GetRequiredService<HotlineAdmin>().ResendAsync(dead.Id, admin);
            return 0;
        }));
        Assert.Equal("hotline.resend-not-dead", again.Code);
    }
}
