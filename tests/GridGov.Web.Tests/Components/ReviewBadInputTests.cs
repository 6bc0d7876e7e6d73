using System.Globalization;
using Bunit;
using GridGov.Application.Visits;
using GridGov.Web.Components.Pages.Reviews;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Visits;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Web.Tests.Components;

/// <summary>
/// The bad inputs the corpus (BadInputCorpusTests) posted to the grid review form while it was static, now typed into
/// the interactive page: no error escapes, a Chinese message shows (under the comment for the comment's own faults),
/// script typed in stays text, and nothing is written.
/// </summary>
public sealed class ReviewBadInputTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private const string Script = "<script>alert('gg')</script>";

    private static string Long(int length) => new('长', length);

    private const string ControlMessage = "审核意见含有不可见的控制字符（如 NUL），请删除这些字符后重试";

    /// <summary>By name (a NUL does not belong in a test case's name or data): the comment, sign off or save, the message, under the field or above the form.</summary>
    private static readonly Dictionary<string, (string Comment, bool SignOff, string Message, bool UnderField)> Cases = new()
    {
        ["comment over-long"] = (Long(5000), false, "审核意见不能超过2000个字", true),
        ["over-long script comment signed off"] = (Long(5000) + Script, true, "本月尚未结束，不能签署月度审核", false),
        ["sign-off of a month not over"] = ("同意", true, "本月尚未结束，不能签署月度审核", false),
        ["control character NUL in the comment"] = ("同意\0x", false, ControlMessage, true),
        ["control character ESC in the comment"] = ("同意\u001bx", false, ControlMessage, true),
        ["control character NUL in a comment signed off"] = ("同意\0x", true, "本月尚未结束，不能签署月度审核", false),
        ["script comment saved"] = (Script, false, "", false),
    };

    public static TheoryData<string> Inputs
    {
        get
        {
            var inputs = new TheoryData<string>();
            foreach (var name in Cases.Keys)
            {
                inputs.Add(name);
            }
            return inputs;
        }
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task A_bad_review_input_is_refused_with_a_message_and_writes_nothing(string name)
    {
        var (comment, signOff, message, underField) = Cases[name];
        var grid = await app.FirstGridOfAsync("leader1");
        var month = ChinaMonths.MonthOf(DateTimeOffset.UtcNow); // the running month: a sign-off is refused
        var before = await app.DbAsync(db => db.MonthlyReviews.Where(r => r.GridCode == grid && r.Month == month).Select(r => r.Comment).SingleOrDefaultAsync());
        var reviews = await app.DbAsync(db => db.MonthlyReviews.CountAsync());
        await using var harness = await ComponentHarness.SignedInAsync(app, "leader1");
        var page = Open(harness, grid, month);
        page.WaitForElement("[data-testid=review-form]");

        page.Find("textarea#review-comment-input").Input(comment);
        page.Find(signOff ? "[data-testid=review-sign-off]" : "[data-testid=review-save]").Click();
        if (signOff)
        {
            harness.Dialogs.WaitForElements(".mud-dialog button").Single(b => b.TextContent.Trim() == "签署本月审核").Click();
        }

        if (message.Length == 0)
        {
            // A comment with script in it is only text: saved as typed and shown escaped.
            await ComponentHarness.EventuallyAsync(async () => Assert.Equal(Script, await app.DbAsync(db => db.MonthlyReviews.Where(r => r.GridCode == grid && r.Month == month)
                .Select(r => r.Comment).SingleOrDefaultAsync())));
            Assert.Empty(page.FindAll("script"));
            Assert.Contains("&lt;script&gt;", page.Markup, StringComparison.Ordinal);
            return;
        }
        page.WaitForAssertion(() => Assert.Equal(message, (underField ? page.Find(".mud-input-helper-text") : page.Find("[data-testid=review-error]")).TextContent.Trim()));
        Assert.Empty(page.FindAll("script"));
        // What was typed stays in the field (up to a control character, which HTML does not carry as such).
        var typed = new string([.. comment.TakeWhile(c => !char.IsControl(c)).Take(100)]);
        Assert.Contains(typed, page.Find("textarea#review-comment-input").OuterHtml, StringComparison.Ordinal);
        Assert.Equal(before, await app.DbAsync(db => db.MonthlyReviews.Where(r => r.GridCode == grid && r.Month == month).Select(r => r.Comment).SingleOrDefaultAsync()));
        Assert.Equal(reviews, await app.DbAsync(db => db.MonthlyReviews.CountAsync()));
        Assert.False(await app.DbAsync(db => db.MonthlyReviews.AnyAsync(r => r.GridCode == grid && r.Month == month && r.SignedOffAt != null)), name);
    }

    private static IRenderedComponent<GridReviewPage> Open(ComponentHarness harness, string grid, DateOnly month)
    {
        // Chinese, as the app's default; set here (not in an async method, whose culture would not reach the test).
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-CN");
        harness.Navigation.NavigateTo($"/reviews/{grid}/{ChinaMonths.Format(month)}");
        return harness.Context.Render<GridReviewPage>(p => p.Add(x => x.GridCode, grid).Add(x => x.Month, ChinaMonths.Format(month)));
    }
}
