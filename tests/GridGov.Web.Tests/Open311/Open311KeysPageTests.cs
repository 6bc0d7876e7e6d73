using System.Globalization;
using Bunit;
using GridGov.Application.Open311;
using GridGov.Domain.Audit;
using GridGov.Domain.Open311;
using GridGov.Web.Components.Pages.Admin;
using GridGov.Web.Tests.Components;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static GridGov.Web.Tests.Open311.Open311Client;

namespace GridGov.Web.Tests.Open311;

/// <summary>The administrator's page of Open311 keys (/admin/open311-keys), with bUnit on the running app's services and database.</summary>
public sealed class Open311KeysPageTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private static IRenderedComponent<Open311KeysPage> Open(ComponentHarness harness)
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-CN");
        harness.Navigation.NavigateTo("/admin/open311-keys");
        var page = harness.Context.Render<Open311KeysPage>();
        // The form renders before the keys are read; clicking before the list arrives races its re-render.
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=open311-keys] [data-key], [data-testid=open311-none]")));
        return page;
    }

    [Fact]
    public async Task An_administrator_issues_a_key_shown_once_that_posts_and_revokes_it_so_that_it_no_longer_does_all_audited()
    {
        await using var harness = await ComponentHarness.SignedInAsync(app, "admin1");
        var page = Open(harness);
        var client = "区数字城管平台" + Guid.NewGuid().ToString("N")[..6];

        page.Find("input#open311-client-name").Change(client);
        page.Find("[data-testid=open311-issue]").Click();

        var key = page.WaitForElement("[data-testid=open311-issued-key]").TextContent.Trim();
        Assert.StartsWith(Open311Keys.KeyStart, key, StringComparison.Ordinal);
        var stored = await app.DbAsync(db => db.Open311ApiKeys.AsNoTracking().SingleAsync(k => k.ClientName == client));
        Assert.Equal(Open311Keys.Hash(key), stored.SecretHash);
        Assert.Equal(key[..Open311ApiKey.PrefixLength], stored.Prefix);
        Assert.DoesNotContain(await app.DbAsync(db => db.Open311ApiKeys.Select(k => k.SecretHash + k.Prefix + k.ClientName).ToListAsync()), s => s.Contains(key, StringComparison.Ordinal));
        var row = page.Find($"tr[data-key='{stored.Id}']");
        Assert.Contains(client, row.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(key, row.TextContent, StringComparison.Ordinal);
        // Shown once: the page opened again lists the key without it.
        var again = Open(harness);
        Assert.Empty(again.FindAll("[data-testid=open311-issued-key]"));
        Assert.DoesNotContain(key, again.Markup, StringComparison.Ordinal);

        var (longitude, latitude) = await GridGov.Web.Tests.Inbox.InboxCases.PointInGridAsync(app, await GridGov.Web.Tests.Inbox.InboxCases.GridOfAsync(app, "leader1"));
        List<KeyValuePair<string, string>> Form() =>
        [
            new("api_key", key), new("service_code", "0501"), new("description", "密钥页测试 " + Guid.NewGuid().ToString("N")[..6]),
            new("lat", latitude.ToString("R", CultureInfo.InvariantCulture)), new("long", longitude.ToString("R", CultureInfo.InvariantCulture)),
        ];
        Assert.Equal(System.Net.HttpStatusCode.OK, (await app.PostAsync("/requests.json", Form())).Status);

        again.Find($"[data-testid=open311-revoke-{stored.Id}]").Click();
        harness.Dialogs.WaitForElement("[data-testid=open311-revoke-dialog]");
        harness.Dialogs.Find("input#open311-revoke-reason").Change("合同到期");
        harness.Dialogs.Find("[data-testid=open311-revoke-confirm]").Click();

        again.WaitForElement($"[data-revoked='{stored.Id}']");
        var revoked = await app.DbAsync(db => db.Open311ApiKeys.AsNoTracking().SingleAsync(k => k.Id == stored.Id));
        Assert.NotNull(revoked.RevokedAt);
        Assert.Equal("合同到期", revoked.RevokeReason);
        Assert.NotNull(revoked.RevokedByStaffId);
        Assert.Empty(again.FindAll($"[data-testid=open311-revoke-{stored.Id}]"));
        Open311ReadTests.AssertError(await app.PostAsync("/requests.json", Form()), System.Net.HttpStatusCode.Forbidden, "已被吊销");

        // Both changes are in the audit log, by the administrator, without the key's hash.
        var id = stored.Id.ToString(CultureInfo.InvariantCulture);
        var audit = await app.DbAsync(db => db.AuditEntries.AsNoTracking().Where(e => e.EntityType == nameof(Open311ApiKey) && e.EntityId == id).OrderBy(e => e.Id).ToListAsync());
        Assert.Equal([AuditAction.Create, AuditAction.Update], audit.Select(e => e.Action));
        Assert.All(audit, e => Assert.Equal("admin1", e.ActorUserName));
        Assert.All(audit, e => Assert.DoesNotContain(stored.SecretHash, (e.Before ?? "") + e.After, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refused_issue_shows_its_message_under_the_field_and_writes_nothing()
    {
        await using var harness = await ComponentHarness.SignedInAsync(app, "admin1");
        var page = Open(harness);
        var before = await app.DbAsync(db => db.Open311ApiKeys.CountAsync());

        page.Find("input#open311-client-name").Change("   ");
        page.Find("[data-testid=open311-issue]").Click();
        page.WaitForAssertion(() => Assert.Equal("接入方名称不能为空",
            page.Find("#open311-client-name").Closest(".mud-input-control")?.QuerySelector(".mud-input-helper-text")?.TextContent.Trim()));

        var client = "重复接入方" + Guid.NewGuid().ToString("N")[..6];
        await app.IssueKeyAsync(client);
        page.Find("input#open311-client-name").Change(client);
        page.Find("[data-testid=open311-issue]").Click();
        page.WaitForAssertion(() => Assert.Contains("已有一把有效密钥", page.Markup, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=open311-issued-key]"));
        Assert.Equal(before + 1, await app.DbAsync(db => db.Open311ApiKeys.CountAsync()));
    }

    [Fact]
    public async Task Only_administrators_issue_and_revoke_keys()
    {
        var dispatcher = await GridGov.Web.Tests.Inbox.InboxCases.ActorAsync(app, "dispatcher1");
        var key = await app.IssueKeyAsync("权限测试" + Guid.NewGuid().ToString("N")[..6]);

        var issue = await Assert.ThrowsAsync<GridGov.Domain.Common.DomainException>(() =>
            GridGov.Web.Tests.Inbox.InboxCases.WithAsync(app, provider => Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
                .GetRequiredService<Open311Keys>(provider).IssueAsync("越权", dispatcher)));
        var revoke = await Assert.ThrowsAsync<GridGov.Domain.Common.DomainException>(() =>
            GridGov.Web.Tests.Inbox.InboxCases.WithAsync(app, async provider =>
            {
                await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Open311Keys>(provider).RevokeAsync(key.Id, null, dispatcher);
                return true;
            }));

        Assert.Equal("open311.admin-only", issue.Code);
        Assert.Equal("open311.admin-only", revoke.Code);
        Assert.Null(await app.DbAsync(db => db.Open311ApiKeys.Where(k => k.Id == key.Id).Select(k => k.RevokedAt).SingleAsync()));
    }
}
