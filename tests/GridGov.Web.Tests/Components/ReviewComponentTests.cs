using System.Globalization;
using AngleSharp.Dom;
using Bunit;
using GridGov.Application.Reviews;
using GridGov.Application.Visits;
using GridGov.Domain.Calendar;
using GridGov.Domain.Common;
using GridGov.Web.Components.Pages.Reviews;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Visits;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace GridGov.Web.Tests.Components;

/// <summary>
/// The interactive grid review page with bUnit on the real application and database: the leader's comment and the
/// sign-off (confirmed in a dialog), its refusals with the message on the page and nothing written, the stale save.
/// </summary>
public sealed class ReviewComponentTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private static DateOnly MonthsBack(int months) => ChinaMonths.MonthOf(DateTimeOffset.UtcNow).AddMonths(-months);

    private static string Url(string grid, DateOnly month) => $"/reviews/{grid}/{ChinaMonths.Format(month)}";

    private Task<MonthlyReviewRow?> StoredAsync(string grid, DateOnly month) => app.DbAsync(db => db.MonthlyReviews.AsNoTracking()
        .Where(r => r.GridCode == grid && r.Month == month).Select(r => new MonthlyReviewRow(r.Comment, r.SignedOffAt)).SingleOrDefaultAsync());

    /// <summary>Renders the page at its route, with the route's parameters (the router is not part of a bUnit render).</summary>
    private static IRenderedComponent<GridReviewPage> Open(ComponentHarness harness, string grid, DateOnly month)
    {
        // Chinese, as the app's default; set here (not in an async method, whose culture would not reach the test).
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-CN");
        harness.Navigation.NavigateTo(Url(grid, month));
        return harness.Context.Render<GridReviewPage>(p => p.Add(x => x.GridCode, grid).Add(x => x.Month, ChinaMonths.Format(month)));
    }

    private static IElement CommentInput(IRenderedComponent<GridReviewPage> page) => page.Find("textarea#review-comment-input");

    private static IElement DialogButton(ComponentHarness harness, string text) =>
        harness.Dialogs.WaitForElements(".mud-dialog button").Single(b => b.TextContent.Trim() == text);

    [Fact]
    public async Task The_leader_signs_off_last_month_after_confirming_and_then_a_visit_of_that_month_is_refused()
    {
        var grid = await app.FirstGridOfAsync("leader1");
        var month = MonthsBack(1);
        await using var harness = await ComponentHarness.SignedInAsync(app, "leader1");
        var page = Open(harness, grid, month);
        page.WaitForElement("[data-testid=review-workers]");
        CommentInput(page).Input("走访与巡查基本完成，下月加强独居老人走访");

        // The dialog first: cancelling it writes nothing.
        page.Find("[data-testid=review-sign-off]").Click();
        Assert.Contains("签署后不能撤销", harness.Dialogs.WaitForElement(".mud-dialog").TextContent, StringComparison.Ordinal);
        DialogButton(harness, "取消").Click();
        harness.Dialogs.WaitForAssertion(() => Assert.Empty(harness.Dialogs.FindAll(".mud-dialog")));
        Assert.Null(await StoredAsync(grid, month));
        Assert.Contains("走访与巡查基本完成，下月加强独居老人走访", CommentInput(page).OuterHtml, StringComparison.Ordinal);

        page.Find("[data-testid=review-sign-off]").Click();
        DialogButton(harness, "签署本月审核").Click();

        page.WaitForElement("[data-testid=review-signed-off]");
        var stored = await StoredAsync(grid, month);
        Assert.NotNull(stored?.SignedOffAt);
        Assert.Equal("走访与巡查基本完成，下月加强独居老人走访", stored.Comment);
        Assert.Empty(page.FindAll("[data-testid=review-sign-off]"));
        Assert.Contains(harness.Snackbar.ShownSnackbars, s => s.Message == "已签署本月审核，当月走访已冻结" && s.Severity == Severity.Success);

        // The month is frozen: a visit of it is refused by the visit service.
        var worker = await app.StaffActorAsync("worker1");
        var household = (await app.HouseholdsOfGridAsync(grid, 5, 1))[0];
        var visits = await app.DbAsync(db => db.Visits.CountAsync());
        var refused = await Assert.ThrowsAsync<DomainException>(() => app.InAppAsync(p => p.GetRequiredService<VisitService>()
            .RecordVisitAsync(new RecordVisit(household.Id, ChinaMonths.StartOf(month).AddDays(2), "补登上个月的走访"), worker)));
        Assert.Equal("该月已签署审核，不能再登记或修改走访", refused.Message);
        Assert.Equal(visits, await app.DbAsync(db => db.Visits.CountAsync()));
    }

    [Fact]
    public async Task Signing_off_the_running_month_is_refused_with_the_message_and_the_comment_stays_typed()
    {
        var grid = await app.FirstGridOfAsync("leader1");
        var month = MonthsBack(0);
        await using var harness = await ComponentHarness.SignedInAsync(app, "leader1");
        var page = Open(harness, grid, month);
        page.WaitForElement("[data-testid=review-form]");
        CommentInput(page).Input("本月还没结束就想签");

        page.Find("[data-testid=review-sign-off]").Click();
        DialogButton(harness, "签署本月审核").Click();

        page.WaitForAssertion(() => Assert.Equal("本月尚未结束，不能签署月度审核", page.Find("[data-testid=review-error]").TextContent.Trim()));
        Assert.Contains("本月还没结束就想签", CommentInput(page).OuterHtml, StringComparison.Ordinal);
        Assert.Null(await StoredAsync(grid, month));
    }

    [Fact]
    public async Task A_save_on_a_review_changed_in_another_tab_is_refused_naming_who_and_when_and_keeps_what_was_typed()
    {
        var grid = await app.FirstGridOfAsync("leader1");
        var month = MonthsBack(2);
        var leader = await app.StaffActorAsync("leader1");
        await using var harness = await ComponentHarness.SignedInAsync(app, "leader1");
        var page = Open(harness, grid, month);
        page.WaitForElement("[data-testid=review-form]");

        // Another tab saves after this one was shown.
        var other = await app.InAppAsync(p => p.GetRequiredService<MonthlyReviewService>().SaveCommentAsync(grid, month, 0, "另一个标签页的意见", leader));
        CommentInput(page).Input("这个标签页的意见");
        page.Find("[data-testid=review-save]").Click();

        var changedAt = WorkingCalendar.ToChinaTime(other.ChangedAt!.Value).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        page.WaitForAssertion(() => Assert.Equal($"该月度审核已被{leader.Name}于{changedAt}修改，本次保存未生效；请查看最新内容后重新填写",
            page.Find("[data-testid=review-error]").TextContent.Trim()));
        Assert.Contains("这个标签页的意见", CommentInput(page).OuterHtml, StringComparison.Ordinal);
        Assert.Equal("另一个标签页的意见", (await StoredAsync(grid, month))?.Comment);
        Assert.DoesNotContain(harness.Snackbar.ShownSnackbars, s => s.Severity == Severity.Success);
        Assert.Null((await StoredAsync(grid, month))?.SignedOffAt);
    }

    [Fact]
    public async Task A_saved_comment_is_shown_with_a_snackbar_and_a_second_save_from_the_same_page_goes_through()
    {
        var grid = await app.FirstGridOfAsync("leader1");
        var month = MonthsBack(4);
        await using var harness = await ComponentHarness.SignedInAsync(app, "leader1");
        var page = Open(harness, grid, month);
        page.WaitForElement("[data-testid=review-form]");

        CommentInput(page).Input("初稿");
        page.Find("[data-testid=review-save]").Click();
        await ComponentHarness.EventuallyAsync(async () => Assert.Equal("初稿", (await StoredAsync(grid, month))?.Comment));
        // The page has read the saved review again (its buttons are enabled once it has).
        page.WaitForAssertion(() => Assert.False(page.Find("[data-testid=review-save]").HasAttribute("disabled")));
        // The page now carries the saved version: its own next save is not stale.
        CommentInput(page).Input("定稿");
        page.Find("[data-testid=review-save]").Click();

        await ComponentHarness.EventuallyAsync(async () => Assert.Equal("定稿", (await StoredAsync(grid, month))?.Comment));
        Assert.Empty(page.FindAll("[data-testid=review-error]"));
        // One "saved" notice on screen: MudBlazor folds an identical notice that is still showing into the first.
        page.WaitForAssertion(() => Assert.Single(harness.Snackbar.ShownSnackbars, s => s.Message == "审核意见已保存"));
    }

    [Fact]
    public async Task The_secretary_reads_the_review_without_a_form_or_buttons()
    {
        var grid = await app.FirstGridOfAsync("leader1");
        var month = MonthsBack(3);
        await using var harness = await ComponentHarness.SignedInAsync(app, "secretary1");

        var page = Open(harness, grid, month);

        page.WaitForElement("[data-testid=review-workers]");
        Assert.Equal("网格长尚未填写审核意见。", page.Find("[data-testid=review-comment]").TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid=review-form]"));
        Assert.Empty(page.FindAll("[data-testid=review-sign-off]"));
        Assert.Empty(page.FindAll("[data-testid=review-save]"));
    }

    [Fact]
    public async Task The_leader_moves_to_the_previous_month_and_the_page_reads_it()
    {
        var grid = await app.FirstGridOfAsync("leader1");
        var month = MonthsBack(1);
        await using var harness = await ComponentHarness.SignedInAsync(app, "leader1");
        var page = Open(harness, grid, month);
        page.WaitForElement("[data-testid=review-workers]");

        Assert.Equal(Url(grid, month.AddMonths(-1)), page.Find("[data-testid=review-previous]").GetAttribute("href"));
        harness.Navigation.NavigateTo(Url(grid, month.AddMonths(-1)));
        page.Render(p => p.Add(x => x.Month, ChinaMonths.Format(month.AddMonths(-1))));

        var previous = month.AddMonths(-1);
        page.WaitForAssertion(() => Assert.Contains($"{previous.Year}年{previous.Month}月", page.Find("h5").TextContent, StringComparison.Ordinal));
    }

    private sealed record MonthlyReviewRow(string? Comment, DateTimeOffset? SignedOffAt);
}
