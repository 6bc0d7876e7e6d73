using System.Net;
using GridGov.Domain.Cases;
using GridGov.Infrastructure.Persistence;
using GridGov.TestSupport.GridGov;
using GridGov.Web.Tests.Inbox;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Web.Tests.Cases;

/// <summary>协办 on the case page and in the inbox, over real HTTP, as the lead and the co-handling department.</summary>
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

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string number, string action, string? text = null) =>
        client.PostFormAsync($"/cases/{number}", $"case-{action}", new Dictionary<string, string>
        {
            ["Input.Action"] = action,
            ["Input.Text"] = text ?? "",
        });

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
        var asLead = await PostAsync(coHandler, @case.Number, "Accept");
        Assert.Contains("只有本案件的承办部门或承办人才能执行此操作", await asLead.Content.ReadAsStringAsync());
        Assert.Equal(CaseState.Dispatched, (await ReloadAsync(@case.Id)).State);

        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(coHandler, @case.Number, "AcceptCoHandling")).StatusCode);
        var empty = await PostAsync(coHandler, @case.Number, "SubmitCoHandlingOpinion", " ");
        Assert.Contains("协办意见不能为空", await empty.Content.ReadAsStringAsync());
        var answered = await PostAsync(coHandler, @case.Number, "SubmitCoHandlingOpinion", "已核实摊主证照，同意取缔");

        Assert.Equal(HttpStatusCode.Redirect, answered.StatusCode);
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
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(lead, @case.Number, "Accept")).StatusCode);

        var page = await lead.GetStringAsync($"/cases/{@case.Number}");
        Assert.DoesNotContain("data-testid=\"submit-SubmitFeedback\"", page);
        Assert.Contains("data-testid=\"submit-EndCoHandling\"", page);
        Assert.Contains("data-co-handling-status=\"Waiting\"", page);
        var forged = await PostAsync(lead, @case.Number, "SubmitFeedback", "已取缔");
        Assert.Contains("还有1个协办部门未提交协办意见", await forged.Content.ReadAsStringAsync());
        var noReason = await PostAsync(lead, @case.Number, "EndCoHandling", "");
        Assert.Contains("结束协办理由不能为空", await noReason.Content.ReadAsStringAsync());
        Assert.DoesNotContain((await ReloadAsync(@case.Id)).History, h => h.Action == CaseAction.EndCoHandling);

        var ended = await PostAsync(lead, @case.Number, "EndCoHandling", "协办部门逾期未反馈，现场已处置完毕");

        Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
        var stored = await ReloadAsync(@case.Id);
        Assert.Equal(CoHandlingStatus.Ended, Assert.Single(stored.CoHandlings).Status);
        Assert.Contains(stored.History, h => h.Action == CaseAction.EndCoHandling && h.Note!.Contains("协办部门逾期未反馈，现场已处置完毕"));
        var after = await lead.GetStringAsync($"/cases/{@case.Number}");
        Assert.Contains("data-testid=\"co-handling-end-reason\">协办部门逾期未反馈，现场已处置完毕<", after);
        Assert.Contains("data-testid=\"submit-SubmitFeedback\"", after);
    }
}
