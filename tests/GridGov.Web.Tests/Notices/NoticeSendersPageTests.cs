using Bunit;
using GridGov.Domain.Audit;
using GridGov.Domain.Notifications;
using GridGov.Web.Components.Pages.Admin;
using GridGov.Web.Tests.Components;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using GridGov.Web.Tests.Inbox;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace GridGov.Web.Tests.Notices;

/// <summary>The administrator's page of senders (/admin/notice-senders) with bUnit on the running app's services and database.</summary>
public sealed class NoticeSendersPageTests(WebAppFixture app, ITestOutputHelper output) : IClassFixture<WebAppFixture>
{
    private const string Key = "sk-live-0a1b2c3d4e5f6789";

    private static IRenderedComponent<NoticeSendersPage> Open(ComponentHarness harness)
    {
        var page = harness.Page<NoticeSendersPage>("/admin/notice-senders");
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=sms-sender]")));
        return page;
    }

    private static void ChooseGateway(ComponentHarness harness, IRenderedComponent<NoticeSendersPage> page)
    {
        page.Choose(harness, "sms-kind", "短信网关");
        page.WaitForAssertion(() => Assert.NotNull(page.Find("input#sms-url")));
    }

    private static string ErrorUnder(IRenderedComponent<NoticeSendersPage> page, string inputId) =>
        page.Find($"#{inputId}").Closest(".mud-input-control")?.QuerySelector(".mud-input-helper-text.mud-input-error, .mud-input-error .mud-input-helper-text, .mud-input-helper-text")?.TextContent.Trim() ?? "";

    [Fact]
    public async Task An_administrator_sets_the_sms_gateway_whose_key_is_never_shown_back_and_the_change_is_audited_redacted()
    {
        await using var harness = await ComponentHarness.SignedInAsync(app, "admin1");
        var page = Open(harness);

        ChooseGateway(harness, page);
        page.Find("input#sms-url").Change("https://sms.example.cn/api/send");
        page.Find("input#sms-key").Change(Key);
        page.Find("input#sms-sign").Change("云帆街道");
        page.Find("input#sms-staff-template").Change("SMS_100001");
        page.Find("input#sms-notice-template").Change("SMS_100002");
        page.Find("input#sms-cap").Change("5");
        page.Find("[data-testid=sms-save]").Click();

        page.WaitForAssertion(() => Assert.Contains("最后修改", page.Find("[data-testid=sms-updated]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        var stored = await app.DbAsync(db => db.NoticeSenders.AsNoTracking().SingleAsync(s => s.Channel == NotificationChannel.Sms));
        Assert.Equal((NoticeSenderKind.SmsGateway, 5, "https://sms.example.cn/api/send", "SMS_100002"), (stored.Kind, stored.DailyCap, stored.GatewayUrl, stored.NoticeTemplateId));
        Assert.DoesNotContain(Key, stored.ProtectedSecret, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, page.Markup, StringComparison.Ordinal);
        Assert.Contains("末尾为 6789", page.Markup, StringComparison.Ordinal);
        Assert.Equal("", page.Find("input#sms-key").GetAttribute("value") ?? "");
        var audit = await app.DbAsync(db => db.AuditEntries.AsNoTracking().Where(e => e.EntityType == nameof(NoticeSender)).ToListAsync());
        var entry = Assert.Single(audit);
        Assert.Equal((AuditAction.Create, "admin1"), (entry.Action, entry.ActorUserName));
        Assert.DoesNotContain(Key, entry.After, StringComparison.Ordinal);
        Assert.DoesNotContain(stored.ProtectedSecret!, entry.After, StringComparison.Ordinal);

        // Back to the log, so that the app's own messages of this class's database do not go to a gateway that does not exist.
        await app.WithAsync(async provider =>
        {
            await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<GridGov.Application.Notifications.NoticeSenders>(provider)
                .SaveSmsAsync(new GridGov.Application.Notifications.SmsSenderInput(NoticeSenderKind.Log, 5, null, null, null, null, null, null), await app.ActorAsync("admin1"));
            return true;
        });
    }

    [Fact]
    public async Task Bad_settings_are_refused_in_chinese_under_their_field_and_change_nothing()
    {
        await using var harness = await ComponentHarness.SignedInAsync(app, "admin1");
        var cases = new (string Input, string Value, string Expect)[]
        {
            ("sms-url", "not a url", "网关地址格式不正确"),
            ("sms-url", "javascript:alert(1)", "网关地址格式不正确"),
            ("sms-url", "https://sms.example.cn/\u0000x", "控制字符"),
            ("sms-sign", "", "短信签名不能为空"),
            ("sms-sign", "云帆\u001b街道", "控制字符"),
            ("sms-staff-template", new string('T', 51), "不能超过50个字"),
            ("sms-key", "k\u0000ey", "控制字符"),
            ("sms-cap", "0", "每人每日上限应在1至1000条之间"),
        };
        var failures = new List<string>();
        var before = await app.DbAsync(db => db.NoticeSenders.AsNoTracking().Select(s => new { s.Channel, s.Version }).ToListAsync());
        foreach (var (input, value, expect) in cases)
        {
            var page = Open(harness);
            ChooseGateway(harness, page);
            page.Find("input#sms-url").Change("https://sms.example.cn/api/send");
            page.Find("input#sms-key").Change(Key);
            page.Find("input#sms-sign").Change("云帆街道");
            page.Find("input#sms-staff-template").Change("SMS_1");
            page.Find("input#sms-notice-template").Change("SMS_2");
            page.Find($"input#{input}").Change(value);
            page.Find("[data-testid=sms-save]").Click();
            try
            {
                page.WaitForAssertion(() => Assert.Contains(expect, ErrorUnder(page, input), StringComparison.Ordinal), TimeSpan.FromSeconds(10));
            }
            catch (Exception exception) when (exception is Xunit.Sdk.XunitException or Bunit.Extensions.WaitForHelpers.WaitForFailedException)
            {
                failures.Add($"{input}={value}: expected '{expect}' under the field, got '{ErrorUnder(page, input)}'");
            }
            page.Dispose();
        }

        Console.WriteLine($"[bad-input-corpus] {nameof(NoticeSendersPageTests)}: {cases.Length} inputs tried, {failures.Count} failures");
        output.WriteLine(string.Join(Environment.NewLine, failures));
        Assert.Empty(failures);
        Assert.Equal(before, await app.DbAsync(db => db.NoticeSenders.AsNoTracking().Select(s => new { s.Channel, s.Version }).ToListAsync()));
    }
}
