using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using GridGov.Domain.Calendar;
using GridGov.Domain.Cases;
using GridGov.Infrastructure.Persistence;
using GridGov.TestSupport.GridGov;
using GridGov.Web.Tests.Inbox;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Web.Tests.Cases;

/// <summary>延期申请 and 未能按期说明 on the case page, over real HTTP, as the people who take them.</summary>
public sealed partial class CaseExtensionPageTests(WebAppFixture app) : IClassFixture<WebAppFixture>
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
        var requested = WorkingCalendar.ToChinaTime(@case.HandleDue!.Value).AddDays(1);
        using var handler = await SignedInAsync("handler1");
        using var dispatcher = await SignedInAsync("dispatcher1");
        using var worker = await SignedInAsync("worker1");

        Assert.Contains("data-testid=\"submit-RequestExtension\"", await handler.GetStringAsync($"/cases/{@case.Number}"));
        var asked = await handler.PostFormAsync($"/cases/{@case.Number}", "case-RequestExtension", new Dictionary<string, string>
        {
            ["Input.Action"] = "RequestExtension",
            ["Input.Due"] = requested.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture),
            ["Input.Text"] = "需协调物业清运车辆",
        });
        Assert.Equal(HttpStatusCode.Redirect, asked.StatusCode);
        var inbox = InboxCases.Section(await dispatcher.GetStringAsync("/inbox"), "DispatchExtensions");
        Assert.Contains(@case.Number, InboxCases.Numbers(inbox));
        var page = await dispatcher.GetStringAsync($"/cases/{@case.Number}");
        Assert.Contains("data-testid=\"submit-ApproveExtension\"", page);
        Assert.Contains("data-testid=\"submit-RefuseExtension\"", page);
        Assert.Contains("需协调物业清运车辆", page);

        var forged = await worker.PostFormAsync($"/cases/{@case.Number}", "case-ApproveExtension", new Dictionary<string, string> { ["Input.Action"] = "ApproveExtension" });
        Assert.Contains("网格员无权执行“批准延期”", await forged.Content.ReadAsStringAsync());
        Assert.Equal(ExtensionStatus.Pending, Assert.Single((await ReloadAsync(@case.Id)).Extensions).Status);

        var approved = await dispatcher.PostFormAsync($"/cases/{@case.Number}", "case-ApproveExtension", new Dictionary<string, string>
        {
            ["Input.Action"] = "ApproveExtension",
            ["Input.Text"] = "同意",
        });

        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
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
        using var handler = await SignedInAsync("handler1");

        var response = await handler.PostFormAsync($"/cases/{@case.Number}", "case-RequestExtension", new Dictionary<string, string>
        {
            ["Input.Action"] = "RequestExtension",
            ["Input.Due"] = WorkingCalendar.ToChinaTime(@case.HandleDue!.Value).AddHours(-1).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture),
            ["Input.Text"] = "理由保留",
        });
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("申请的新期限必须晚于当前处置期限", html);
        Assert.Contains("理由保留", html);
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

        var without = await PostFeedbackAsync(handler, @case.Number, explanation: null);
        Assert.Contains("反馈时必须填写未能按期说明", await without.Content.ReadAsStringAsync());
        Assert.Equal(CaseState.InProgress, (await ReloadAsync(@case.Id)).State);
        var with = await PostFeedbackAsync(handler, @case.Number, explanation: "清运车辆故障");

        Assert.Equal(HttpStatusCode.Redirect, with.StatusCode);
        Assert.Equal("清运车辆故障", (await ReloadAsync(@case.Id)).LateExplanation);
        Assert.Contains("data-testid=\"case-late-explanation\">清运车辆故障<", await handler.GetStringAsync($"/cases/{@case.Number}"));
    }

    private static async Task<HttpResponseMessage> PostFeedbackAsync(HttpClient client, string number, string? explanation)
    {
        var page = await client.GetStringAsync($"/cases/{number}");
        using var form = new MultipartFormDataContent
        {
            { new StringContent(WebUtility.HtmlDecode(Token().Match(page).Groups[1].Value)), "__RequestVerificationToken" },
            { new StringContent("case-SubmitFeedback"), "_handler" },
            { new StringContent("SubmitFeedback"), "Input.Action" },
            { new StringContent("已清运"), "Input.Text" },
        };
        if (explanation is not null)
        {
            form.Add(new StringContent(explanation), "Input.Explanation");
        }
        var photo = new ByteArrayContent([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. Guid.NewGuid().ToByteArray()]);
        photo.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(photo, "photos", "after.png");
        return await client.PostAsync($"/cases/{number}", form);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
