using System.Net;
using GridGov.Domain.Cases;
using GridGov.Infrastructure.Persistence;
using GridGov.TestSupport.GridGov;
using GridGov.Web.Tests.Inbox;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Web.Tests.Cases;

/// <summary>回访 on the case page: the dispatcher records the reporter's verdict; a dissatisfied one reopens the case.</summary>
public sealed class CaseCallBackPageTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private async Task<HttpClient> SignedInAsync(string userName)
    {
        var client = app.CreateClient();
        await client.SignInAsync(userName, DemoStreetDatabaseFixture.DemoPassword);
        return client;
    }

    private async Task<Case> ArchivedAsync()
    {
        var @case = await app.DispatchedToHandler1Async();
        var handler = await app.ActorAsync("handler1");
        var dispatcher = await app.ActorAsync("dispatcher1");
        await app.DoAsync(s => s.AcceptAsync(@case.Id, handler));
        await app.DoAsync(s => s.SubmitFeedbackAsync(@case.Id, handler, "已清运", [InboxCases.Photo()]));
        await app.DoAsync(async s => await s.VerifyAsync(@case.Id, await app.ActorAsync("leader1")));
        return await app.DoAsync(s => s.ArchiveAsync(@case.Id, dispatcher));
    }

    private Task<Case> ReloadAsync(int caseId) => app.WithAsync(p =>
        p.GetRequiredService<GridGovDbContext>().Cases.AsNoTracking().Include(c => c.SatisfactionAnswers).SingleAsync(c => c.Id == caseId));

    [Fact]
    public async Task The_dispatcher_records_a_dissatisfied_phone_call_back_and_the_case_goes_back_to_its_handler()
    {
        var @case = await ArchivedAsync();
        using var dispatcher = await SignedInAsync("dispatcher1");
        using var leader = await SignedInAsync("leader1");
        Assert.Contains("data-testid=\"submit-CallBack\"", await dispatcher.GetStringAsync($"/cases/{@case.Number}"));
        Assert.DoesNotContain("data-testid=\"submit-CallBack\"", await leader.GetStringAsync($"/cases/{@case.Number}"));

        var response = await dispatcher.PostFormAsync($"/cases/{@case.Number}", "case-CallBack", new Dictionary<string, string>
        {
            ["Input.Action"] = "CallBack",
            ["Input.Verdict"] = "Dissatisfied",
            ["Input.Channel"] = "PhoneCallBack",
            ["Input.Text"] = "垃圾又堆起来了",
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var stored = await ReloadAsync(@case.Id);
        Assert.Equal(CaseState.InProgress, stored.State);
        Assert.Equal(1, stored.ReopenCount);
        var answer = Assert.Single(stored.SatisfactionAnswers);
        Assert.Equal((false, SatisfactionChannel.PhoneCallBack, true), (answer.Satisfied, answer.Channel, answer.Reopened));
        var page = await dispatcher.GetStringAsync($"/cases/{@case.Number}");
        Assert.Contains("data-testid=\"satisfaction-answers\"", page);
        Assert.Contains("垃圾又堆起来了", page);
        Assert.Contains("data-testid=\"reopen-count\">1<", page);
    }

    [Fact]
    public async Task A_call_back_with_an_unknown_channel_or_no_verdict_is_refused_in_chinese_and_changes_nothing()
    {
        var @case = await ArchivedAsync();
        using var dispatcher = await SignedInAsync("dispatcher1");

        var badChannel = await dispatcher.PostFormAsync($"/cases/{@case.Number}", "case-CallBack", new Dictionary<string, string>
        {
            ["Input.Action"] = "CallBack", ["Input.Verdict"] = "Dissatisfied", ["Input.Channel"] = "1",
        });
        var noVerdict = await dispatcher.PostFormAsync($"/cases/{@case.Number}", "case-CallBack", new Dictionary<string, string>
        {
            ["Input.Action"] = "CallBack", ["Input.Channel"] = "PhoneCallBack",
        });

        Assert.Contains("请选择回访方式（电话回访或居民自行答复）", await badChannel.Content.ReadAsStringAsync());
        Assert.Contains("请选择上报人的评价（满意或不满意）", await noVerdict.Content.ReadAsStringAsync());
        var stored = await ReloadAsync(@case.Id);
        Assert.Equal(CaseState.Archived, stored.State);
        Assert.Empty(stored.SatisfactionAnswers);
    }
}
