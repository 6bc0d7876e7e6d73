using System.Net;
using GridGov.Domain.Cases;
using GridGov.Infrastructure.Persistence;
using GridGov.TestSupport.GridGov;
using GridGov.Web.Tests.Inbox;
using GridGov.Web.Tests.Components;
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

        await using (var harness = await ComponentHarness.SignedInAsync(app, "dispatcher1"))
        {
            var onPage = harness.OpenCase(@case.Number);
            onPage.Choose(harness, "callback-verdict", "不满意");
            onPage.Choose(harness, "callback-channel", "电话回访");
            onPage.Type("CallBack", "comment", "垃圾又堆起来了");
            onPage.Submit(harness, "CallBack");
            onPage.WaitForDone();
        }

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
    public async Task A_satisfied_answer_given_by_the_resident_is_recorded_from_the_lists_and_does_not_reopen_the_case()
    {
        var @case = await ArchivedAsync();
        await using var harness = await ComponentHarness.SignedInAsync(app, "dispatcher1");
        var page = harness.OpenCase(@case.Number);

        page.Choose(harness, "callback-channel", "居民自行答复");
        page.Submit(harness, "CallBack");

        page.WaitForDone();
        var stored = await ReloadAsync(@case.Id);
        Assert.Equal(CaseState.Archived, stored.State);
        var answer = Assert.Single(stored.SatisfactionAnswers);
        Assert.Equal((true, SatisfactionChannel.ResidentAnswer, false), (answer.Satisfied, answer.Channel, answer.Reopened));
    }
}
