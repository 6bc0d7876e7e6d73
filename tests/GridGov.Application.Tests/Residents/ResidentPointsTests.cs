using GridGov.Application.Residents;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Residents;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Application.Tests.Residents;

/// <summary>Points (积分): earned once by a registered resident's report, never by a rejected or merged one, reversed on void; redemptions never overdraw.</summary>
public sealed class ResidentPointsTests(ResidentScenario scenario) : IClassFixture<ResidentScenario>
{
    [Fact]
    public async Task A_registered_report_earns_its_points_once_in_the_registrations_transaction_and_a_void_reverses_them()
    {
        const string phone = "13800000001";
        var reported = await scenario.ReportAsync(phone, "10.2.0.1");
        var caseId = await scenario.CaseIdAsync(reported.CaseNumber!);
        Assert.Equal(0, await scenario.BalanceAsync(phone)); // reported is not yet valid

        var registered = await scenario.RegisterAsync(caseId);

        var credit = Assert.Single(await scenario.EntriesAsync(phone));
        Assert.Equal((PointEntryKind.ValidReport, ResidentScenario.Points, ResidentScenario.Points, caseId), (credit.Kind, credit.Points, credit.BalanceAfter, credit.CaseId));
        // Written with the registration: the same moment as its history row.
        Assert.Equal(registered.History.Single(h => h.Action == CaseAction.Register).At, credit.At);
        Assert.Equal(ResidentScenario.Points, await scenario.BalanceAsync(phone));

        // Escalating and other steps earn nothing more.
        var dispatcher = await scenario.ActorAsync("dispatcher1");
        await scenario.DoAsync(s => s.VoidAsync(caseId, dispatcher, "重复上报，作废"));

        var entries = await scenario.EntriesAsync(phone);
        Assert.Equal([PointEntryKind.ValidReport, PointEntryKind.Reversal], entries.Select(e => e.Kind));
        Assert.Equal(-ResidentScenario.Points, entries[1].Points);
        Assert.Equal(0, await scenario.BalanceAsync(phone));
    }

    [Fact]
    public async Task A_rejected_or_merged_report_earns_nothing()
    {
        const string phone = "13800000002";
        var dispatcher = await scenario.ActorAsync("dispatcher1");
        var first = await scenario.CaseIdAsync((await scenario.ReportAsync(phone, "10.2.0.2")).CaseNumber!);
        var second = await scenario.CaseIdAsync((await scenario.ReportAsync("13800000003", "10.2.0.2")).CaseNumber!);
        var original = await scenario.CaseIdAsync((await scenario.ReportAsync("13800000004", "10.2.0.2")).CaseNumber!);

        await scenario.DoAsync(s => s.RejectAsync(first, dispatcher, "不属于网格管理范围"));
        await scenario.DoAsync(s => s.MergeAsync(second, original, dispatcher));

        Assert.Empty(await scenario.EntriesAsync(phone));
        Assert.Empty(await scenario.EntriesAsync("13800000003"));
        Assert.Equal(0, await scenario.BalanceAsync(phone));
    }

    [Fact]
    public async Task A_case_reported_by_staff_for_a_resident_earns_no_points()
    {
        var secretary = await scenario.ActorAsync("secretary1");
        var (x, y) = await scenario.PointInGridAsync(await scenario.GridOfAsync("worker1"));
        var category = await scenario.CategoryAsync("0501");
        var @case = await scenario.DoAsync(s => s.ReportAsync(new GridGov.Application.Cases.ReportCase(category.Id, "居民来电反映垃圾", x, y, "幸福路1号", CaseSource.Resident,
            CasePriority.Normal, "张女士", "13800000005", []), secretary));

        await scenario.RegisterAsync(@case.Id);

        Assert.Empty(await scenario.EntriesAsync("13800000005")); // the phone was never confirmed by a code
    }

    [Fact]
    public async Task Two_redemptions_at_the_same_moment_never_overdraw_and_a_later_void_takes_back_only_what_is_left()
    {
        const string phone = "13800000006";
        var admin = await scenario.ActorAsync("admin1");
        var dispatcher = await scenario.ActorAsync("dispatcher1");
        var caseId = await scenario.CaseIdAsync((await scenario.ReportAsync(phone, "10.2.0.6")).CaseNumber!);
        await scenario.RegisterAsync(caseId);
        var itemId = await scenario.WithAsync(p => p.GetRequiredService<ResidentPointsService>()
            .AddItemAsync(new ExchangeItemInput("洗衣液", ResidentScenario.Points, 5, true), admin));

        // Two counters at once, each with its own scope and connection.
        var attempts = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            try
            {
                await scenario.WithAsync(p => p.GetRequiredService<ResidentPointsService>().RedeemAsync(phone, itemId, dispatcher));
                return null;
            }
            catch (DomainException exception)
            {
                return exception.Code;
            }
        })));

        Assert.Single(attempts, a => a is null);
        Assert.Single(attempts, a => a == "points.insufficient");
        Assert.Equal(0, await scenario.BalanceAsync(phone));
        Assert.Equal(4, await scenario.DbAsync(db => db.ExchangeItems.Where(i => i.Id == itemId).Select(i => i.Stock).SingleAsync()));
        Assert.Equal(1, await scenario.DbAsync(db => db.Redemptions.CountAsync(r => r.Phone == phone)));

        // Voided after the points were spent: nothing left to take back, the balance stays at zero.
        await scenario.DoAsync(s => s.VoidAsync(caseId, dispatcher, "误报"));
        Assert.Equal(0, await scenario.BalanceAsync(phone));
        Assert.Equal([PointEntryKind.ValidReport, PointEntryKind.Redemption], (await scenario.EntriesAsync(phone)).Select(e => e.Kind));
        Assert.True(await scenario.DbAsync(db => db.ResidentPointEntries.AllAsync(e => e.BalanceAfter >= 0)));
    }

    [Fact]
    public async Task A_redemption_without_enough_points_changes_nothing()
    {
        var admin = await scenario.ActorAsync("admin1");
        var dispatcher = await scenario.ActorAsync("dispatcher1");
        var itemId = await scenario.WithAsync(p => p.GetRequiredService<ResidentPointsService>()
            .AddItemAsync(new ExchangeItemInput("雨伞", 500, 3, true), admin));

        var refused = await Assert.ThrowsAsync<DomainException>(() =>
            scenario.WithAsync(p => p.GetRequiredService<ResidentPointsService>().RedeemAsync("13800000007", itemId, dispatcher)));

        Assert.Equal("points.insufficient", refused.Code);
        Assert.Equal(3, await scenario.DbAsync(db => db.ExchangeItems.Where(i => i.Id == itemId).Select(i => i.Stock).SingleAsync()));
        Assert.False(await scenario.DbAsync(db => db.Redemptions.AnyAsync(r => r.Phone == "13800000007")));
    }

    [Fact]
    public async Task Only_the_counter_roles_redeem_and_only_administrators_keep_the_list()
    {
        var worker = await scenario.ActorAsync("worker1");
        var points = (ResidentPointsService s) => s;
        var add = await Assert.ThrowsAsync<DomainException>(() =>
            scenario.WithAsync(p => p.GetRequiredService<ResidentPointsService>().AddItemAsync(new ExchangeItemInput("毛巾", 5, 5, true), worker)));
        var redeem = await Assert.ThrowsAsync<DomainException>(() =>
            scenario.WithAsync(p => points(p.GetRequiredService<ResidentPointsService>()).RedeemAsync("13800000008", 1, worker)));
        Assert.Equal(("points.forbidden", "points.forbidden"), (add.Code, redeem.Code));
    }
}
