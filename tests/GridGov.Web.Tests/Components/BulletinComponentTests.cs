using Bunit;
using GridGov.Application.Bulletins;
using GridGov.Domain.Bulletins;
using GridGov.Web.Components.Pages.Bulletins;
using GridGov.Web.Tests.Bulletins;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Visits;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace GridGov.Web.Tests.Components;

/// <summary>
/// The bulletin page with bUnit on the real application and the demo street's last month: the document shows the
/// generated content (headlines, rankings, case lists); the street leader writes the foreword, issues the draft through
/// the confirmation dialog and the page then shows the issue number and no editor; a department handler reads it.
/// </summary>
public sealed class BulletinComponentTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    [Fact]
    public async Task The_street_leader_writes_the_foreword_and_issues_the_draft_after_confirming()
    {
        var id = await app.BulletinAsync();
        var before = await app.ViewAsync(id);
        Assert.Equal(BulletinState.Draft, before.State);
        await using var harness = await ComponentHarness.SignedInAsync(app, "streetleader1");
        var page = Open(harness, id);
        page.WaitForElement("[data-testid=bulletin-editor]", TimeSpan.FromSeconds(30));

        // The document is the generated content.
        var headlines = page.FindAll("[data-testid=bulletin-headlines] tbody tr");
        Assert.Equal(before.Content.Headlines.Count, headlines.Count);
        var reported = page.Find("[data-headline=reported] [data-value]").TextContent.Trim();
        Assert.Equal(before.Content.Headlines.Single(h => h.Key == BulletinComposer.Headlines.Reported).Count!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), reported);
        Assert.Equal(before.Content.Communities.Count, page.FindAll("[data-testid=bulletin-communities] tbody tr").Count);
        Assert.Equal(before.Content.Overdue.Cases.Count, page.FindAll("[data-testid=bulletin-overdue] tbody tr").Count);
        Assert.Equal(before.Content.Overdue.Total.ToString(System.Globalization.CultureInfo.InvariantCulture), page.Find("[data-testid=bulletin-overdue]").GetAttribute("data-total"));
        Assert.Equal("草稿（未印发）", page.Find("[data-testid=bulletin-issue-title]").TextContent.Trim());

        page.Find("textarea[data-testid=bulletin-foreword-input]").Input("本月全街道网格化工作总体平稳。");
        page.Find("[data-testid=bulletin-issue]").Click();
        harness.Dialogs.WaitForElement("[data-testid=bulletin-issue-dialog]");
        harness.Dialogs.Find("[data-testid=bulletin-issue-confirm]").Click();

        page.WaitForElement("[data-testid=bulletin-issued]", TimeSpan.FromSeconds(30));
        var issued = await app.ViewAsync(id);
        Assert.Equal(BulletinState.Issued, issued.State);
        Assert.Equal("本月全街道网格化工作总体平稳。", issued.Foreword);
        Assert.Equal(issued.IssueTitle, page.Find("[data-testid=bulletin-issued]").TextContent.Trim());
        Assert.Matches(@"^\d{4}年第\d+期$", issued.IssueTitle!);
        Assert.Empty(page.FindAll("[data-testid=bulletin-editor]"));
        Assert.Equal("本月全街道网格化工作总体平稳。", page.Find("[data-testid=bulletin-foreword]").TextContent.Trim());
        Assert.Contains(harness.Snackbar.ShownSnackbars, s => s.Severity == Severity.Success && (s.Message ?? "").Contains("已印发", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cancelling_the_confirmation_leaves_the_draft_a_draft()
    {
        var id = await app.BulletinAsync();
        if ((await app.ViewAsync(id)).State == BulletinState.Issued)
        {
            // The other test of this class issued it first: the department reads it, without any editor.
            await using var department = await ComponentHarness.SignedInAsync(app, "handler1");
            var read = Open(department, id);
            read.WaitForElement("[data-testid=bulletin-document]", TimeSpan.FromSeconds(30));
            Assert.Empty(read.FindAll("[data-testid=bulletin-editor]"));
            return;
        }
        var handlerList = await app.InAppAsync(async p => await p.GetRequiredService<BulletinService>().IndexAsync(await app.StaffActorAsync("handler1")));
        Assert.DoesNotContain(id, handlerList.Bulletins.Select(b => b.Id)); // a draft is the street's only
        await using var harness = await ComponentHarness.SignedInAsync(app, "dispatcher1");
        var page = Open(harness, id);
        page.WaitForElement("[data-testid=bulletin-editor]", TimeSpan.FromSeconds(30));

        page.Find("[data-testid=bulletin-issue]").Click();
        harness.Dialogs.WaitForElement("[data-testid=bulletin-issue-dialog]");
        harness.Dialogs.Find("[data-testid=bulletin-issue-cancel]").Click();

        harness.Dialogs.WaitForAssertion(() => Assert.Empty(harness.Dialogs.FindAll("[data-testid=bulletin-issue-dialog]")));
        Assert.Equal(BulletinState.Draft, (await app.DbAsync(db => db.Bulletins.AsNoTracking().SingleAsync(b => b.Id == id))).State);
        Assert.NotEmpty(page.FindAll("[data-testid=bulletin-editor]"));
    }

    /// <summary>The page at /bulletins/{id}, in Chinese (set here, not in an async method, whose culture would not reach the test).</summary>
    private static IRenderedComponent<BulletinPage> Open(ComponentHarness harness, long id)
    {
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo("zh-CN");
        harness.Navigation.NavigateTo($"/bulletins/{id}");
        return harness.Context.Render<BulletinPage>(p => p.Add(x => x.Id, id));
    }
}
