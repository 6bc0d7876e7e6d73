using System.Globalization;
using GridGov.Domain.Cases;
using GridGov.Infrastructure.Persistence;
using GridGov.Web.Tests.Inbox;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Report;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace GridGov.Web.Tests.Residents;

/// <summary>
/// A resident on a phone (Chromium at 390×844, no staff account, no staff cookie): confirms the phone with the code that
/// reached the fake SMS gateway over real HTTP, reports with the phone's position and a photo, gets a case number; staff
/// take the case through the workflow service to verification; the resident looks it up (public timeline, outcome, the
/// result photo), rates it dissatisfied and the case is reopened; the points of the registered report show on the phone.
/// </summary>
public sealed class ResidentPhoneBrowserTests(ResidentFixture app, ChromiumFixture chromium, ITestOutputHelper output)
    : IClassFixture<ResidentFixture>, IClassFixture<ChromiumFixture>
{
    private const string Phone = "13600001234";

    [Fact]
    public async Task A_resident_reports_follows_and_rates_a_case_from_the_phone_page_and_a_dissatisfied_answer_reopens_it()
    {
        var (longitude, latitude) = await app.PointInGridAsync(await app.GridOfAsync("leader1"));
        var category = (await InboxCases.CategoryIdAsync(app, InboxCases.ExposedRubbish)).ToString(CultureInfo.InvariantCulture);
        await using var context = await chromium.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            IsMobile = true,
            HasTouch = true,
            Locale = "zh-CN",
            Permissions = ["geolocation"],
            Geolocation = new Geolocation { Longitude = (float)longitude, Latitude = (float)latitude },
        });
        var page = await context.NewPageAsync();

        // Not confirmed yet: the report page sends the resident to the code first, and back afterwards.
        await page.GotoAsync("/r/report");
        Assert.Contains("/r?next=", page.Url, StringComparison.Ordinal);
        await page.FillAsync("[data-testid=resident-phone-input]", Phone);
        await page.ClickAsync("[data-testid=resident-send-code]");
        await Assertions.Expect(page.Locator("[data-testid=resident-code-sent]")).ToContainTextAsync("136****1234");
        await page.FillAsync("[data-testid=resident-code]", app.LastCodeTo(Phone));
        await page.ClickAsync("[data-testid=resident-confirm]");
        await page.WaitForURLAsync(url => url.EndsWith("/r/report", StringComparison.Ordinal), ChromiumFixture.Arrived);
        await Assertions.Expect(page.Locator("[data-testid=resident-phone]")).ToHaveTextAsync("136****1234");
        Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name.StartsWith(".AspNetCore.Identity", StringComparison.Ordinal));

        // The report: plain category, the phone's own position (geolocation through the map module), a description, a photo.
        await page.Locator("[data-testid=resident-map][data-map-state=ready]").WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        await page.SelectOptionAsync("[data-testid=resident-category]", category);
        await page.ClickAsync("[data-testid=resident-locate]");
        await Assertions.Expect(page.Locator("[data-testid=resident-locate][data-located=true]")).ToHaveCountAsync(1);
        Assert.Equal(longitude, double.Parse(await page.InputValueAsync("[data-testid=resident-lon]"), CultureInfo.InvariantCulture), 4);
        await page.FillAsync("[data-testid=resident-description]", "小区东门外人行道上堆着一堆生活垃圾");
        await page.SetInputFilesAsync("[data-testid=resident-photos]", new FilePayload { Name = "垃圾.png", MimeType = "image/png", Buffer = TestImages.Png(8, 6) });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifact("resident-report-390.png"), FullPage = true });
        await page.ClickAsync("[data-testid=resident-submit]");
        var numberText = page.Locator("[data-testid=resident-case-number]");
        await Assertions.Expect(numberText).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var number = (await numberText.InnerTextAsync()).Trim();

        var reported = await CaseAsync(number);
        Assert.Equal((CaseSource.Resident, CaseState.Reported, Phone, await app.GridOfAsync("leader1")), (reported.Source, reported.State, reported.ReporterPhone, reported.GridCode));
        Assert.Single(reported.Evidence);

        // Staff carry it through the workflow service to verification.
        var dispatcher = await app.ActorAsync("dispatcher1");
        var handler = await app.ActorAsync("handler1");
        var leader = await app.ActorAsync("leader1");
        await app.DoAsync(s => s.RegisterAsync(reported.Id, dispatcher, null, null));
        await app.DoAsync(s => s.DispatchAsync(reported.Id, dispatcher, handler.DepartmentId!.Value));
        await app.DoAsync(s => s.AcceptAsync(reported.Id, handler));
        await app.DoAsync(s => s.SubmitFeedbackAsync(reported.Id, handler, "已清运垃圾并冲洗路面", [InboxCases.Photo()]));
        await app.DoAsync(s => s.VerifyAsync(reported.Id, leader));

        // The look-up: the public timeline by roles, the outcome with its photo; no staff member's name anywhere.
        await page.ClickAsync("[data-testid=resident-nav-cases]");
        await page.FillAsync("[data-testid=resident-lookup-number]", number);
        await page.ClickAsync("[data-testid=resident-lookup]");
        await Assertions.Expect(page.Locator("[data-testid=resident-case-state]")).ToHaveTextAsync("核查通过");
        await Assertions.Expect(page.Locator("[data-testid=resident-result]")).ToHaveTextAsync("已清运垃圾并冲洗路面");
        await Assertions.Expect(page.Locator("[data-testid=resident-timeline] li")).ToHaveCountAsync(6);
        var photo = page.Locator("[data-testid=resident-result-photos] img");
        await Assertions.Expect(photo).ToHaveCountAsync(1);
        var photoAnswer = await page.APIRequest.GetAsync(await photo.GetAttributeAsync("src") ?? "");
        Assert.Equal(200, photoAnswer.Status);
        var text = await page.Locator("main").InnerTextAsync();
        foreach (var staff in new[] { dispatcher, handler, leader })
        {
            Assert.DoesNotContain(staff.Name, text, StringComparison.Ordinal);
        }

        // 不满意: within the window the case goes back to be handled again.
        await page.CheckAsync("[data-testid=resident-rate-Dissatisfied]");
        await page.FillAsync("[data-testid=resident-comment]", "第二天又堆满了");
        await page.ClickAsync("[data-testid=resident-rate]");
        await Assertions.Expect(page.Locator("[data-testid=resident-reopened]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=resident-case-state]")).ToHaveTextAsync("处置中");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifact("resident-rated-390.png"), FullPage = true });

        var reopened = await CaseAsync(number);
        Assert.Equal((CaseState.InProgress, 1, handler.DepartmentId), (reopened.State, reopened.ReopenCount, reopened.AssignedDepartmentId));
        var answer = Assert.Single(reopened.SatisfactionAnswers);
        Assert.Equal((Domain.Cases.SatisfactionLevel.Dissatisfied, false, "第二天又堆满了", true), (answer.Level, answer.Satisfied, answer.Comment, answer.Reopened));

        // The registration earned the report's points, on the phone page.
        await page.ClickAsync("[data-testid=resident-nav-points]");
        await Assertions.Expect(page.Locator("[data-testid=resident-points-balance]")).ToHaveTextAsync("10");
        await Assertions.Expect(page.Locator("[data-testid=resident-points-ledger] li[data-kind=ValidReport]")).ToHaveCountAsync(1);
    }

    private async Task<Case> CaseAsync(string number)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<GridGovDbContext>().Cases.AsNoTracking()
            .Include(c => c.Evidence).Include(c => c.SatisfactionAnswers).SingleAsync(c => c.Number == number);
    }

    private string Artifact(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        output.WriteLine($"Screenshot: {path}");
        return path;
    }
}
