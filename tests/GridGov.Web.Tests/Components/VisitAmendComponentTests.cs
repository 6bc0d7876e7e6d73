using Bunit;
using GridGov.Application.Reviews;
using GridGov.Application.Visits;
using GridGov.Web.Components.Pages.Visits;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Visits;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Web.Tests.Components;

/// <summary>
/// The interactive visit amendment with bUnit on the real application and database: a save, a visit changed in another
/// tab since it was opened (refused naming who and when, what was typed stays), a signed-off month.
/// </summary>
public sealed class VisitAmendComponentTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private async Task<Domain.Visits.Visit> VisitAsync(int skip, string findings, DateTimeOffset? at = null)
    {
        var worker = await app.StaffActorAsync("worker1");
        var household = (await app.HouseholdsOfGridAsync(await app.FirstGridOfAsync("worker1"), skip, 1))[0];
        return await app.InAppAsync(p => p.GetRequiredService<VisitService>().RecordVisitAsync(
            new RecordVisit(household.Id, at ?? DateTimeOffset.UtcNow.AddMinutes(-40), findings), worker));
    }

    private Task<string> FindingsAsync(long visitId) => app.DbAsync(db => db.Visits.Where(v => v.Id == visitId).Select(v => v.Findings).SingleAsync());

    [Fact]
    public async Task The_worker_amends_a_visit_and_returns_to_its_month_with_a_message()
    {
        var visit = await VisitAsync(20, "初记：了解家庭情况");
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");

        var page = harness.Amend(visit.Id);
        page.WaitForElement("#amend-findings").Change("补充：已联系物业维修楼道灯");
        page.Find("#amend-companions").Change("楼栋长");
        page.Find("[data-testid=amend-form]").Submit();

        page.WaitForAssertion(() => Assert.Contains($"/visits?month={ChinaMonths.Format(ChinaMonths.MonthOf(visit.VisitedAt))}", harness.Navigation.Uri, StringComparison.Ordinal));
        Assert.Contains(harness.Snackbar.ShownSnackbars, s => s.Message == "走访记录已修改。");
        var stored = await app.DbAsync(db => db.Visits.AsNoTracking().SingleAsync(v => v.Id == visit.Id));
        Assert.Equal(("补充：已联系物业维修楼道灯", "楼栋长"), (stored.Findings, stored.Companions));
    }

    [Fact]
    public async Task A_visit_saved_in_another_tab_since_it_was_opened_is_refused_naming_who_and_when_and_the_typed_text_stays()
    {
        var visit = await VisitAsync(21, "初记：两个标签页");
        var worker = await app.StaffActorAsync("worker1");
        await using var first = await ComponentHarness.SignedInAsync(app, "worker1");
        await using var second = await ComponentHarness.SignedInAsync(app, "worker1");
        var stale = first.Amend(visit.Id);
        stale.WaitForElement("#amend-findings");

        // The other tab, opened at the same version, saves first.
        var other = second.Amend(visit.Id);
        other.WaitForElement("#amend-findings").Change("另一个标签页先保存的内容");
        other.Find("[data-testid=amend-form]").Submit();
        other.WaitForAssertion(() => Assert.Contains("/visits?month=", second.Navigation.Uri, StringComparison.Ordinal));

        stale.Find("#amend-findings").Change("在旧内容上做的修改");
        stale.Find("[data-testid=amend-form]").Submit();

        var message = stale.WaitForElement("[data-testid=visit-error]").TextContent;
        Assert.Contains($"已被{worker.Name}于", message, StringComparison.Ordinal);
        Assert.Matches(@"\d{4}-\d{2}-\d{2} \d{2}:\d{2}修改，本次保存未生效", message);
        Assert.Equal("在旧内容上做的修改", stale.Find("#amend-findings").GetAttribute("value"));
        Assert.Contains($"/visits/{visit.Id}/edit", first.Navigation.Uri, StringComparison.Ordinal);
        Assert.Equal("另一个标签页先保存的内容", await FindingsAsync(visit.Id));
    }

    [Fact]
    public async Task Amending_a_visit_of_a_signed_off_month_is_refused_with_the_message_and_nothing_changes()
    {
        var gridCode = await app.FirstGridOfAsync("worker1");
        var leader = await app.StaffActorAsync("leader1");
        var month = ChinaMonths.MonthOf(DateTimeOffset.UtcNow).AddMonths(-2);
        var visit = await VisitAsync(22, "两个月前的走访", ChinaMonths.StartOf(month).AddDays(4).AddHours(3));
        await app.InAppAsync(p => p.GetRequiredService<MonthlyReviewService>().SignOffAsync(gridCode, month, 0, "已审核", leader));
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");

        var page = harness.Amend(visit.Id);
        page.WaitForElement("[data-testid=visit-frozen]");
        page.Find("#amend-findings").Change("事后改写");
        page.Find("[data-testid=amend-form]").Submit();

        page.WaitForAssertion(() => Assert.Equal(VisitService.FrozenMessage, page.Find("[data-testid=visit-error]").TextContent.Trim()));
        Assert.Equal("两个月前的走访", await FindingsAsync(visit.Id));
    }

    [Fact]
    public async Task Another_persons_visit_is_not_found_and_its_findings_are_not_shown()
    {
        var visit = await VisitAsync(23, "只给本人看的走访记录");
        await using var harness = await ComponentHarness.SignedInAsync(app, "leader1");

        var page = harness.Amend(visit.Id);

        page.WaitForElement("[data-testid=visit-not-found]");
        Assert.DoesNotContain("只给本人看的走访记录", page.Markup, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=amend-form]"));
    }
}

internal static class VisitAmendHarness
{
    /// <summary>Opens the amendment page of the visit: the route's id is a parameter, which bUnit does not take from the URL.</summary>
    public static IRenderedComponent<AmendVisitPage> Amend(this ComponentHarness harness, long visitId)
    {
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo("zh-CN");
        harness.Navigation.NavigateTo($"/visits/{visitId}/edit");
        return harness.Context.Render<AmendVisitPage>(parameters => parameters.Add(p => p.VisitId, visitId));
    }
}
