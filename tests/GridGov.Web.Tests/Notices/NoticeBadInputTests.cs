using Bunit;
using GridGov.Web.Components.Pages.Notices;
using GridGov.Web.Tests.Components;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace GridGov.Web.Tests.Notices;

/// <summary>
/// Bad notices typed into /notices: text empty, blank, over-long, with control characters or script; no grid chosen. Each gets
/// a Chinese message under its field, no confirmation is asked, and nothing is written (notices, messages, audit).
/// </summary>
public sealed class NoticeBadInputTests(WebAppFixture app, ITestOutputHelper output) : IClassFixture<WebAppFixture>
{
    private static string Long(int length) => new('长', length);

    [Fact]
    public async Task Bad_notices_are_refused_in_chinese_under_their_field_and_write_nothing()
    {
        var corpus = new (string Name, string Text, bool ChooseGrid, string Under, string Expect)[]
        {
            ("empty text", "", true, "text", "通知内容不能为空"),
            ("blank text", "   \n  ", true, "text", "通知内容不能为空"),
            ("over-long text", Long(GridGov.Domain.Notifications.Notice.TextMaxLength + 1), true, "text", "不能超过300个字"),
            ("NUL in text", "停水\0通知", true, "text", "控制字符"),
            ("ESC in text", "停水通知\u001b", true, "text", "控制字符"),
            ("no grid chosen", "停水通知", false, "target", "请选择要通知的网格或小区"),
        };
        var before = await app.DbAsync(async db => (await db.Notices.CountAsync(), await db.Notifications.CountAsync(n => n.NoticeId != null),
            await db.AuditEntries.CountAsync(e => e.EntityType == "Notice")));
        var failures = new List<string>();
        await using var harness = await ComponentHarness.SignedInAsync(app, "secretary1");
        foreach (var (name, text, chooseGrid, under, expect) in corpus)
        {
            var page = harness.Page<NoticesPage>("/notices");
            page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=notice-grids] [data-grid]")));
            if (chooseGrid)
            {
                page.FindAll("[data-testid=notice-grids] [data-grid]")[0].Click();
            }
            page.Find("textarea#notice-text").Change(text);
            page.Find("[data-testid=notice-send]").Click();
            try
            {
                page.WaitForAssertion(() => Assert.Contains(expect, Message(page, under), StringComparison.Ordinal), TimeSpan.FromSeconds(10));
                if (!ComponentHarness.IsChinese(Message(page, under)))
                {
                    failures.Add($"{name}: not Chinese");
                }
                if (harness.Dialogs.Markup.Contains("个手机号码发送", StringComparison.Ordinal))
                {
                    failures.Add($"{name}: a confirmation was asked");
                }
            }
            catch (Exception exception) when (exception is Xunit.Sdk.XunitException or Bunit.Extensions.WaitForHelpers.WaitForFailedException)
            {
                failures.Add($"{name}: expected '{expect}' under {under}, got '{Message(page, under)}'");
            }
            page.Dispose();
        }

        Assert.Equal(before, await app.DbAsync(async db => (await db.Notices.CountAsync(), await db.Notifications.CountAsync(n => n.NoticeId != null),
            await db.AuditEntries.CountAsync(e => e.EntityType == "Notice"))));
        Console.WriteLine($"[bad-input-corpus] {nameof(Bad_notices_are_refused_in_chinese_under_their_field_and_write_nothing)}: {corpus.Length} inputs tried, {failures.Count} failures");
        output.WriteLine(string.Join(Environment.NewLine, failures));
        Assert.Empty(failures);
    }

    [Fact]
    public async Task In_English_the_page_and_its_refusals_read_in_English()
    {
        await using var harness = await ComponentHarness.SignedInAsync(app, "secretary1");
        var page = harness.Page<NoticesPage>("/notices", culture: "en");
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=notice-grids] [data-grid]")));

        page.Find("[data-testid=notice-send]").Click();

        page.WaitForAssertion(() => Assert.StartsWith("Notification text is required", Message(page, "text"), StringComparison.Ordinal));
        Assert.Contains("Notices to residents", page.Markup, StringComparison.Ordinal);
        Assert.Equal("Send", page.Find("[data-testid=notice-send]").TextContent.Trim());
        Assert.DoesNotContain("居民通知", page.Markup, StringComparison.Ordinal);
    }

    private static string Message(IRenderedComponent<NoticesPage> page, string under) => under == "text"
        ? page.Find("#notice-text").Closest(".mud-input-control")?.QuerySelector(".mud-input-helper-text")?.TextContent.Trim() ?? ""
        : page.FindAll("[data-testid=notice-target-error]").FirstOrDefault()?.TextContent.Trim() ?? "";
}
