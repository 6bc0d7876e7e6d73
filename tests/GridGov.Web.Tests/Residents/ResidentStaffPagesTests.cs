using Bunit;
using GridGov.Application.Residents;
using GridGov.Domain.Residents;
using GridGov.Infrastructure.Persistence;
using GridGov.Web.Components.Pages.Admin;
using GridGov.Web.Components.Pages.ResidentAffairs;
using GridGov.Web.Tests.Components;
using GridGov.Web.Tests.Inbox;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Web.Tests.Residents;

/// <summary>The staff pages around the residents: the points counter (confirmed in a dialog), the review queue and the exchange list, on the app's services.</summary>
public sealed class ResidentStaffPagesTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private async Task<string> ResidentReportAsync(string phone)
    {
        var (x, y) = await app.PointInGridAsync(await app.GridOfAsync("leader1"));
        var category = await InboxCases.CategoryIdAsync(app, InboxCases.ExposedRubbish);
        var outcome = await app.WithAsync(p => p.GetRequiredService<ResidentReports>().SubmitAsync(phone,
            new ResidentReportRequest(category, "楼道堆放杂物", x, y, null, null, [], Guid.NewGuid()), "10.8.0.1"));
        return outcome.CaseNumber ?? "";
    }

    private Task<T> Db<T>(Func<GridGovDbContext, Task<T>> read) => app.WithAsync(p => read(p.GetRequiredService<GridGovDbContext>()));

    [Fact]
    public async Task At_the_counter_a_dispatcher_finds_the_phones_balance_and_records_an_exchange_after_confirming()
    {
        const string phone = "13500004001";
        var number = await ResidentReportAsync(phone);
        var id = await Db(db => db.Cases.Where(c => c.Number == number).Select(c => c.Id).SingleAsync());
        await app.DoAsync(async s => await s.RegisterAsync(id, await app.ActorAsync("dispatcher1"), null, null));
        var admin = await app.ActorAsync("admin1");
        var item = await app.WithAsync(p => p.GetRequiredService<ResidentPointsService>().AddItemAsync(new ExchangeItemInput("香皂", 10, 2, true), admin));

        await using var harness = await ComponentHarness.SignedInAsync(app, "dispatcher1");
        var page = harness.Page<RedemptionsPage>("/residents/points");
        page.Find("#points-phone").Change(phone);
        page.Find("[data-testid=points-find-form]").Submit();
        page.WaitForAssertion(() => Assert.Equal("10", page.Find("[data-testid=points-balance]").TextContent));
        page.Find($"[data-testid=points-redeem-{item}]").Click();
        harness.Dialogs.WaitForElement(".mud-message-box");
        Assert.Contains("香皂", harness.Dialogs.Find(".mud-message-box").TextContent, StringComparison.Ordinal);
        harness.Dialogs.FindAll(".mud-message-box button").Single(b => b.TextContent.Contains("兑换", StringComparison.Ordinal)).Click();

        page.WaitForAssertion(() => Assert.Equal("0", page.Find("[data-testid=points-balance]").TextContent));
        await ComponentHarness.EventuallyAsync(async () =>
        {
            Assert.Equal(0, await Db(db => db.ResidentPointAccounts.Where(a => a.Phone == phone).Select(a => a.Balance).SingleAsync()));
            Assert.Equal(1, await Db(db => db.ExchangeItems.Where(i => i.Id == item).Select(i => i.Stock).SingleAsync()));
            Assert.True(await Db(db => db.AuditEntries.AnyAsync(a => a.EntityType == nameof(Redemption) && a.ActorName.Length > 0)));
        });
    }

    [Fact]
    public async Task A_dispatcher_releases_a_held_report_from_the_review_queue_into_the_workflow()
    {
        const string phone = "13500004002";
        for (var i = 0; i < new ResidentOptions().ReportsPerPhonePerDay; i++)
        {
            await ResidentReportAsync(phone);
        }
        Assert.Equal("", await ResidentReportAsync(phone)); // held
        var held = await Db(db => db.HeldReports.Where(h => h.Phone == phone).Select(h => h.Id).SingleAsync());

        await using var harness = await ComponentHarness.SignedInAsync(app, "dispatcher1");
        var page = harness.Page<HeldReportsPage>("/residents/held");
        page.WaitForElement($"[data-held='{held}']");
        Assert.Contains("135****4002", page.Find($"[data-held='{held}']").TextContent, StringComparison.Ordinal);
        page.Find($"[data-testid=held-release-{held}]").Click();
        harness.Dialogs.WaitForElement(".mud-message-box");
        harness.Dialogs.FindAll(".mud-message-box button").Single(b => b.TextContent.Contains("放行", StringComparison.Ordinal)).Click();

        await ComponentHarness.EventuallyAsync(async () =>
        {
            var decided = await Db(db => db.HeldReports.AsNoTracking().SingleAsync(h => h.Id == held));
            Assert.Equal(HeldReportState.Released, decided.State);
            Assert.True(await Db(db => db.Cases.AnyAsync(c => c.Number == decided.CaseNumber && c.ReporterPhone == phone)));
        });
        page.WaitForAssertion(() => Assert.Empty(page.FindAll($"[data-held='{held}']")));
    }

    [Fact]
    public async Task An_administrator_adds_an_exchange_item_and_a_nameless_one_is_refused_under_its_field()
    {
        await using var harness = await ComponentHarness.SignedInAsync(app, "admin1");
        var page = harness.Page<ExchangeItemsPage>("/admin/exchange-items");
        page.Find("#exchange-points").Change("20");
        page.Find("#exchange-stock").Change("5");
        page.Find("[data-testid=exchange-add-form]").Submit();
        page.WaitForAssertion(() => Assert.Equal("物品名称不能为空", Admin.AccountPages.ErrorUnder(page, "name")));
        Assert.False(await Db(db => db.ExchangeItems.AnyAsync(i => i.Points == 20 && i.Stock == 5)));

        page.Find("#exchange-name").Change("环保购物袋");
        page.Find("[data-testid=exchange-add-form]").Submit();
        page.WaitForAssertion(() => Assert.Contains("环保购物袋", page.Find("[data-testid=exchange-items]").InnerHtml, StringComparison.Ordinal));
        var stored = await Db(db => db.ExchangeItems.AsNoTracking().SingleAsync(i => i.Name == "环保购物袋"));
        Assert.Equal((20, 5, true), (stored.Points, stored.Stock, stored.IsActive));
    }
}
