using System.Globalization;
using System.Net;
using GridGov.Domain.Calendar;
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

/// <summary>延期申请 and 未能按期说明 on the case page (driven with bUnit, read over real HTTP), as the people who take them.</summary>
public sealed class CaseExtensionPageTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private async Task<HttpClient> SignedInAsync(string userName)
    {
        var client = app.CreateClient();
        await client.SignInAsync(userName, DemoStreetDatabaseFixture.DemoPassword);
        return client;
    }

    private async Task<Case> AcceptedByHandler1Async()
    {
        var @case = await app.DispatchedToHandler1Async();
        return await app.DoAsync(async s => await s.AcceptAsync(@case.Id, await app.ActorAsync("handler1")));
    }

    private Task<Case> ReloadAsync(int caseId) => app.WithAsync(p =>
        p.GetRequiredService<GridGovDbContext>().Cases.AsNoTracking().Include(c => c.Extensions).Include(c => c.History).SingleAsync(c => c.Id == caseId));

    [Fact]
    public async Task The_handler_asks_for_more_time_the_dispatcher_finds_it_in_the_inbox_and_approves_it_on_the_page()
    {
        var @case = await AcceptedByHandler1Async();
        // One calendar day more is at most one working day: within the dispatcher's limit on any day of the year.
        // The form takes minutes: a deadline with seconds (reported mid-morning) is asked for to the minute.
        var due = WorkingCalendar.ToChinaTime(@case.HandleDue!.Value).AddDays(1);
        var requested = due.AddTicks(-(due.Ticks % TimeSpan.TicksPerMinute));
        using var handler = await SignedInAsync("handler1");
        using var dispatcher = await SignedInAsync("dispatcher1");
        using var worker = await SignedInAsync("worker1");

        Assert.Contains("data-testid=\"submit-RequestExtension\"", await handler.GetStringAsync($"/cases/{@case.Number}"));
        await using (var asHandler = await ComponentHarness.SignedInAsync(app, "handler1"))
        {
            var onPage = asHandler.OpenCase(@case.Number);
            onPage.Type("RequestExtension", "due", requested.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture));
            onPage.Type("RequestExtension", "reason", "需协调物业清运车辆");
            onPage.Submit(asHandler, "RequestExtension");
            onPage.WaitForDone();
        }
        var inbox = InboxCases.Section(await dispatcher.GetStringAsync("/inbox"), "DispatchExtensions");
        Assert.Contains(@case.Number, InboxCases.Numbers(inbox));
        var page = await dispatcher.GetStringAsync($"/cases/{@case.Number}");
        Assert.Contains("data-testid=\"submit-ApproveExtension\"", page);
        Assert.Contains("data-testid=\"submit-RefuseExtension\"", page);
        Assert.Contains("需协调物业清运车辆", page);

        Assert.DoesNotContain("data-testid=\"submit-ApproveExtension\"", await worker.GetStringAsync($"/cases/{@case.Number}"));
        var workerActor = await app.ActorAsync("worker1");
        var forged = await Assert.ThrowsAsync<DomainException>(() => app.DoAsync(s => s.ApproveExtensionAsync(@case.Id, workerActor, null)));
        Assert.Contains("网格员无权执行“批准延期”", forged.Message);
        Assert.Equal(ExtensionStatus.Pending, Assert.Single((await ReloadAsync(@case.Id)).Extensions).Status);

        await using (var asDispatcher = await ComponentHarness.SignedInAsync(app, "dispatcher1"))
        {
            var onPage = asDispatcher.OpenCase(@case.Number);
            onPage.Type("ApproveExtension", "reason", "同意");
            onPage.Submit(asDispatcher, "ApproveExtension");
            onPage.WaitForDone();
        }

        var stored = await ReloadAsync(@case.Id);
        Assert.Equal(requested, stored.HandleDue);
        Assert.Equal(1, stored.ExtensionCount);
        Assert.Equal(ExtensionStatus.Approved, Assert.Single(stored.Extensions).Status);
        var after = await dispatcher.GetStringAsync($"/cases/{@case.Number}");
        Assert.Contains("data-extension-status=\"Approved\"", after);
        Assert.DoesNotContain("data-testid=\"submit-ApproveExtension\"", after);
    }

    [Fact]
    public async Task A_request_for_an_earlier_moment_is_refused_on_the_page_with_the_reason_and_keeps_what_was_typed()
    {
        var @case = await AcceptedByHandler1Async();
        await using var harness = await ComponentHarness.SignedInAsync(app, "handler1");
        var page = harness.OpenCase(@case.Number);

        page.Type("RequestExtension", "due", WorkingCalendar.ToChinaTime(@case.HandleDue!.Value).AddHours(-1).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture));
        page.Type("RequestExtension", "reason", "理由保留");
        page.Submit(harness, "RequestExtension");

        Assert.Contains("申请的新期限必须晚于当前处置期限", page.WaitForRefusal("RequestExtension"));
        Assert.Contains("理由保留", page.Find("#requestextension-reason").OuterHtml);
        Assert.Empty((await ReloadAsync(@case.Id)).Extensions);
    }

    [Fact]
    public async Task After_the_deadline_the_feedback_form_asks_for_an_explanation_refuses_without_one_and_shows_it_once_given()
    {
        var @case = await AcceptedByHandler1Async();
        await app.WithAsync(p => p.GetRequiredService<GridGovDbContext>().Cases.Where(c => c.Id == @case.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.HandleDue, DateTimeOffset.UtcNow.AddHours(-2)).SetProperty(c => c.CurrentDue, DateTimeOffset.UtcNow.AddHours(-2))));
        using var handler = await SignedInAsync("handler1");
        var page = await handler.GetStringAsync($"/cases/{@case.Number}");
        Assert.Contains("data-testid=\"late-explanation\"", page);
        Assert.DoesNotContain("data-testid=\"submit-RequestExtension\"", page); // too late to ask

        await using var harness = await ComponentHarness.SignedInAsync(app, "handler1");
        var onPage = harness.OpenCase(@case.Number);
        onPage.Type("SubmitFeedback", "result", "已清运");
        onPage.ChoosePhotos("SubmitFeedback", ("after.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. Guid.NewGuid().ToByteArray()]));
        onPage.Submit(harness, "SubmitFeedback");
        Assert.Contains("反馈时必须填写未能按期说明", onPage.WaitForRefusal("SubmitFeedback"));
        Assert.Equal(CaseState.InProgress, (await ReloadAsync(@case.Id)).State);
        onPage.Type("SubmitFeedback", "explanation", "清运车辆故障"); // the result and the photo stay chosen
        onPage.Submit(harness, "SubmitFeedback");

        onPage.WaitForDone();
        Assert.Equal("清运车辆故障", (await ReloadAsync(@case.Id)).LateExplanation);
        Assert.Contains("data-testid=\"case-late-explanation\">清运车辆故障<", await handler.GetStringAsync($"/cases/{@case.Number}"));
    }
}
