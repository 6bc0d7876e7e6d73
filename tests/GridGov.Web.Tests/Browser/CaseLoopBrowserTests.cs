using System.Globalization;
using GridGov.Domain.Cases;
using GridGov.Infrastructure.Persistence;
using GridGov.TestSupport.GridGov;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Report;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace GridGov.Web.Tests.Browser;

/// <summary>
/// The whole closed loop in Chromium, each person in their own browser context: a grid worker reports from
/// a phone, the dispatcher sees the counter move without reloading, registers and dispatches, the handler
/// accepts and feeds back with a photo, the worker verifies, the dispatcher archives.
/// </summary>
public sealed class CaseLoopBrowserTests(WebAppFixture app, ChromiumFixture chromium, ITestOutputHelper output)
    : IClassFixture<WebAppFixture>, IClassFixture<ChromiumFixture>
{
    private Task<IPage> SignInAsync(string userName, int width = 1366, int height = 768) => chromium.SignedInPageAsync(app.BaseAddress, userName, width, height);

    private async Task<string> ReportFromPhoneAsync(IPage worker, string description)
    {
        var point = await app.PointInGridOfAsync("worker1");
        // 占道经营: its default department is 城管, where handler1 works.
        var categoryId = (await app.CategoryIdAsync("0801")).ToString(CultureInfo.InvariantCulture);
        await worker.GotoAsync("/cases/report");
        await worker.Locator("[data-render=interactive]").WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        await worker.Locator("[data-testid=report-map][data-map-state=ready]").WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        await worker.ChooseCategoryAsync("report-category", "0801", categoryId);
        await worker.FillAsync("#report-description", description);
        await worker.FillAsync("#report-address", "云帆路8号东侧人行道");
        await worker.Locator("[data-testid=report-map]").EvaluateAsync(
            "(element, p) => element._map.fire('click', { latlng: L.latLng(p[1], p[0]) })",
            new[] { point.Longitude, point.Latitude });
        await Assertions.Expect(worker.Locator($"[data-testid=report-where][data-grid-code='{point.GridCode}']")).ToBeVisibleAsync();
        await worker.SetInputFilesAsync("#report-photos", new FilePayload { Name = "现场.png", MimeType = "image/png", Buffer = TestImages.Png(8, 6) });
        await Assertions.Expect(worker.Locator("[data-testid=report-preview]")).ToHaveCountAsync(1);
        await worker.ClickAsync("[data-testid=report-submit]");
        // Waited for through the page (not the URL) so that a refusal shows what the page said.
        var done = worker.Locator("[data-testid=done-number]");
        await Assertions.Expect(done).ToBeVisibleAsync(new() { Timeout = 30_000 });
        Assert.Contains("/cases/report/done/", worker.Url, StringComparison.Ordinal);
        return await done.InnerTextAsync();
    }

    private static async Task ActAsync(IPage page, string number, CaseAction action, Func<ILocator, Task>? fill = null)
    {
        await page.GotoAsync($"/cases/{number}");
        await page.Locator("[data-render=interactive]").WaitForAsync();
        var form = page.Locator($"form[data-action={action}]");
        if (fill is not null)
        {
            await fill(form);
        }
        await form.Locator($"[data-testid=submit-{action}]").ClickAsync();
        if (action is CaseAction.Archive or CaseAction.Merge or CaseAction.Void)
        {
            // Irreversible: the page asks first.
            await page.Locator(".mud-message-box").GetByRole(AriaRole.Button, new() { Name = "确定" }).ClickAsync();
        }
        await Assertions.Expect(page.Locator("[data-testid=action-done]")).ToContainTextAsync(action.ChineseName());
    }

    private async Task<CaseState> StateAsync(string number)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<GridGovDbContext>().Cases.Where(c => c.Number == number).Select(c => c.State).SingleAsync();
    }

    private string Artifact(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        output.WriteLine($"Screenshot: {path}");
        return path;
    }

    [Fact]
    public async Task The_whole_loop_runs_in_the_browser_and_the_timeline_shows_every_step()
    {
        var dispatcher = await SignInAsync("dispatcher1");
        await dispatcher.GotoAsync("/dashboard");
        var awaiting = dispatcher.Locator("[data-counter=awaiting-registration]");
        var before = int.Parse(await awaiting.GetAttributeAsync("data-value") ?? "0", CultureInfo.InvariantCulture);

        var worker = await SignInAsync("worker1", 390, 844);
        var number = await ReportFromPhoneAsync(worker, "人行道上有一堆建筑垃圾");

        // The counters refresh themselves (htmx, every 5 s): no reload here.
        await Assertions.Expect(awaiting).ToHaveAttributeAsync("data-value", (before + 1).ToString(CultureInfo.InvariantCulture), new() { Timeout = 20_000 });
        await dispatcher.ScreenshotAsync(new PageScreenshotOptions { Path = Artifact("dashboard.png") });

        await ActAsync(dispatcher, number, CaseAction.Register);
        await ActAsync(dispatcher, number, CaseAction.Dispatch, async form =>
        {
            // The suggested department is preselected; the handler's department is the 城管 default for 占道经营.
            Assert.Contains("（建议）", await form.Locator("[data-testid=dispatch-department]").EvaluateAsync<string>(
                "e => { const select = e.closest('.mud-select') ?? e; return [...select.querySelectorAll('input')].map(i => i.value).join('|') + select.textContent; }"));
        });

        var handler = await SignInAsync("handler1");
        await ActAsync(handler, number, CaseAction.Accept);
        await ActAsync(handler, number, CaseAction.SubmitFeedback, async form =>
        {
            await form.Locator("textarea").FillAsync("已清运建筑垃圾并冲洗路面");
            await form.Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = "处置后.png", MimeType = "image/png", Buffer = TestImages.Png(6, 6) });
        });

        await ActAsync(worker, number, CaseAction.Verify);
        await ActAsync(dispatcher, number, CaseAction.Archive);

        Assert.Equal(CaseState.Archived, await StateAsync(number));
        var steps = await dispatcher.Locator("[data-testid=case-timeline] [data-action]").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.action)");
        Assert.Equal(["Report", "Register", "Dispatch", "Accept", "SubmitFeedback", "Verify", "Archive"], steps);
        Assert.True(await dispatcher.Locator("[data-testid=case-timeline] img").CountAsync() >= 2, "the report and feedback photos show in the timeline");
        // Archived and read-only: the only thing left is the satisfaction call-back (回访).
        await Assertions.Expect(dispatcher.Locator("[data-testid=submit-CallBack]")).ToBeVisibleAsync();
        Assert.Equal(1, await dispatcher.Locator("[data-testid=action-panel] form").CountAsync());
        await dispatcher.ScreenshotAsync(new PageScreenshotOptions { Path = Artifact("case-timeline.png"), FullPage = true });
    }

    [Fact]
    public async Task A_rework_round_and_a_returned_case_redispatched_in_the_browser()
    {
        var worker = await SignInAsync("worker1", 390, 844);
        var number = await ReportFromPhoneAsync(worker, "路边垃圾桶满溢");
        var dispatcher = await SignInAsync("dispatcher1");
        var handler = await SignInAsync("handler1");
        await ActAsync(dispatcher, number, CaseAction.Register);
        await ActAsync(dispatcher, number, CaseAction.Dispatch);

        await ActAsync(handler, number, CaseAction.Return, form => form.Locator("textarea").FillAsync("应由环卫所处置"));
        Assert.Equal(CaseState.Returned, await StateAsync(number));
        await ActAsync(dispatcher, number, CaseAction.Dispatch);
        await ActAsync(handler, number, CaseAction.Accept);
        await ActAsync(handler, number, CaseAction.SubmitFeedback, async form =>
        {
            await form.Locator("textarea").FillAsync("已清理");
            await form.Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = "a.png", MimeType = "image/png", Buffer = TestImages.Png(5, 5) });
        });
        await ActAsync(worker, number, CaseAction.Rework, form => form.Locator("textarea").FillAsync("现场仍有垃圾"));

        Assert.Equal(CaseState.InProgress, await StateAsync(number));
        await using var scope = app.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<GridGovDbContext>().Cases.AsNoTracking().SingleAsync(c => c.Number == number);
        Assert.Equal((1, 1), (stored.ReturnCount, stored.ReworkCount));
    }

    [Fact]
    public async Task A_refused_action_shows_its_message_next_to_the_form_and_keeps_the_text()
    {
        var worker = await SignInAsync("worker1", 390, 844);
        var number = await ReportFromPhoneAsync(worker, "井盖缺失");
        var dispatcher = await SignInAsync("dispatcher1", 390, 844);
        await dispatcher.GotoAsync($"/cases/{number}");
        await dispatcher.Locator("[data-render=interactive]").WaitForAsync();
        var reject = dispatcher.Locator("form[data-action=Reject]");
        // On a phone the actions come first, above the case's facts.
        var actions = await dispatcher.Locator("[data-testid=action-panel]").BoundingBoxAsync();
        var facts = await dispatcher.Locator("[data-testid=case-description]").BoundingBoxAsync();
        Assert.True(actions!.Y < facts!.Y, $"actions at {actions.Y}, facts at {facts.Y}");

        await reject.Locator("textarea").FillAsync("   ");
        await reject.Locator("[data-testid=submit-Reject]").ClickAsync();

        await Assertions.Expect(dispatcher.Locator("form[data-action=Reject] [data-testid=action-error]")).ToHaveTextAsync("不予立案理由不能为空");
        Assert.Equal(CaseState.Reported, await StateAsync(number));
        Assert.Equal("   ", await reject.Locator("textarea").InputValueAsync());
        await reject.Locator("textarea").FillAsync("与案件20260101000001重复");
        await reject.Locator("[data-testid=submit-Reject]").ClickAsync();
        await Assertions.Expect(dispatcher.Locator("[data-testid=action-done]")).ToBeVisibleAsync();
        Assert.Equal(CaseState.Rejected, await StateAsync(number));
    }
}
