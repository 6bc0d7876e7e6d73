using System.Net;
using GridGov.Domain.Cases;
using GridGov.Infrastructure.Persistence;
using GridGov.TestSupport.GridGov;
using GridGov.Web.Tests.Inbox;
using Bunit;
using GridGov.Domain.Common;
using GridGov.Web.Tests.Components;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Web.Tests.Cases;

/// <summary>协办 on the case page (driven with bUnit) and in the inbox (over real HTTP), as the lead and the co-handling department.</summary>
public sealed class CaseCoHandlingPageTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private async Task<HttpClient> SignedInAsync(string userName)
    {
        var client = app.CreateClient();
        await client.SignInAsync(userName, DemoStreetDatabaseFixture.DemoPassword);
        return client;
    }

    /// <summary>Led by another department (its handler's user name returned), co-handled by handler1's department.</summary>
    private async Task<(Case Case, string Lead)> CoHandledByHandler1Async()
    {
        var dispatcher = await app.ActorAsync("dispatcher1");
        var handler1 = await app.ActorAsync("handler1");
        var lead = await app.HandlerOfAnotherDepartmentAsync(handler1.DepartmentId!.Value);
        var leadDepartment = (await app.ActorAsync(lead)).DepartmentId!.Value;
        var @case = await app.ResidentReportAsync();
        await app.DoAsync(s => s.RegisterAsync(@case.Id, dispatcher, null, null));
        @case = await app.DoAsync(s => s.DispatchAsync(@case.Id, dispatcher, leadDepartment, [handler1.DepartmentId!.Value]));
        return (@case, lead);
    }

    private Task<Case> ReloadAsync(int caseId) => app.WithAsync(p =>
        p.GetRequiredService<GridGovDbContext>().Cases.AsNoTracking().Include(c => c.CoHandlings).Include(c => c.History).SingleAsync(c => c.Id == caseId));

    /// <summary>Takes an action on the case page as <paramref name="userName"/>; null when done, else the page's message.</summary>
    private async Task<string?> ActAsync(string userName, string number, string action, string? text = null)
    {
        await using var harness = await ComponentHarness.SignedInAsync(app, userName);
        var page = harness.OpenCase(number);
        if (text is not null)
        {
            page.Type(action, action == "SubmitCoHandlingOpinion" ? "opinion" : "reason", text);
        }
        page.Submit(harness, action);
        page.WaitForAssertion(() => Assert.True(page.FindAll("[data-testid=action-done]").Count + page.FindAll("[data-testid=action-error]").Count > 0));
        return page.FindAll("[data-testid=action-error]").FirstOrDefault()?.TextContent;
    }

    /// <summary>What the workflow answers an action the page does not offer (a forged request).</summary>
    private static async Task<string> RefusedAsync(Func<Task> forged) => (await Assert.ThrowsAsync<DomainException>(forged)).Message;

    [Fact]
    public async Task The_co_handler_finds_the_case_in_its_inbox_accepts_and_answers_on_the_page_and_the_lead_sees_the_answer()
    {
        var (@case, leadUser) = await CoHandledByHandler1Async();
        using var coHandler = await SignedInAsync("handler1");
        using var lead = await SignedInAsync(leadUser);

        Assert.Contains(@case.Number, InboxCases.Numbers(InboxCases.Section(await coHandler.GetStringAsync("/inbox"), "DepartmentCoHandling")));
        var page = await coHandler.GetStringAsync($"/cases/{@case.Number}");
        Assert.Contains("data-testid=\"submit-AcceptCoHandling\"", page);
        Assert.DoesNotContain("data-testid=\"submit-Accept\"", page);
        Assert.DoesNotContain("data-testid=\"submit-Return\"", page);
        var handler1 = await app.ActorAsync("handler1");
        Assert.Contains("只有本案件的承办部门或承办人才能执行此操作", await RefusedAsync(() => app.DoAsync(s => s.AcceptAsync(@case.Id, handler1))));
        Assert.Equal(CaseState.Dispatched, (await ReloadAsync(@case.Id)).State);

        Assert.Null(await ActAsync("handler1", @case.Number, "AcceptCoHandling"));
        Assert.Contains("协办意见不能为空", await ActAsync("handler1", @case.Number, "SubmitCoHandlingOpinion", " "));
        Assert.Null(await ActAsync("handler1", @case.Number, "SubmitCoHandlingOpinion", "已核实摊主证照，同意取缔"));

        var row = Assert.Single((await ReloadAsync(@case.Id)).CoHandlings);
        Assert.Equal((CoHandlingStatus.Answered, "已核实摊主证照，同意取缔"), (row.Status, row.Opinion));
        Assert.DoesNotContain(@case.Number, InboxCases.Numbers(InboxCases.Section(await coHandler.GetStringAsync("/inbox"), "DepartmentCoHandling")));
        var leadPage = await lead.GetStringAsync($"/cases/{@case.Number}");
        Assert.Contains("data-co-handling-status=\"Answered\"", leadPage);
        Assert.Contains("data-testid=\"co-handling-opinion\">已核实摊主证照，同意取缔<", leadPage);
    }

    [Fact]
    public async Task The_lead_cannot_feed_back_while_the_co_handler_is_silent_and_ends_co_handling_with_a_reason_shown_on_the_page()
    {
        var (@case, leadUser) = await CoHandledByHandler1Async();
        using var lead = await SignedInAsync(leadUser);
        Assert.Null(await ActAsync(leadUser, @case.Number, "Accept"));

        var page = await lead.GetStringAsync($"/cases/{@case.Number}");
        Assert.DoesNotContain("data-testid=\"submit-SubmitFeedback\"", page);
        Assert.Contains("data-testid=\"submit-EndCoHandling\"", page);
        Assert.Contains("data-co-handling-status=\"Waiting\"", page);
        var leadActor = await app.ActorAsync(leadUser);
        Assert.Contains("还有1个协办部门未提交协办意见",
            await RefusedAsync(() => app.DoAsync(s => s.SubmitFeedbackAsync(@case.Id, leadActor, "已取缔", [InboxCases.Photo()]))));
        Assert.Contains("结束协办理由不能为空", await ActAsync(leadUser, @case.Number, "EndCoHandling"));
        Assert.DoesNotContain((await ReloadAsync(@case.Id)).History, h => h.Action == CaseAction.EndCoHandling);

        Assert.Null(await ActAsync(leadUser, @case.Number, "EndCoHandling", "协办部门逾期未反馈，现场已处置完毕"));

        var stored = await ReloadAsync(@case.Id);
        Assert.Equal(CoHandlingStatus.Ended, Assert.Single(stored.CoHandlings).Status);
        Assert.Contains(stored.History, h => h.Action == CaseAction.EndCoHandling && h.Note!.Contains("协办部门逾期未反馈，现场已处置完毕"));
        var after = await lead.GetStringAsync($"/cases/{@case.Number}");
        Assert.Contains("data-testid=\"co-handling-end-reason\">协办部门逾期未反馈，现场已处置完毕<", after);
        Assert.Contains("data-testid=\"submit-SubmitFeedback\"", after);
    }
}
