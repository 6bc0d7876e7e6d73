using Bunit;
using GridGov.Application.Visits;
using GridGov.Web.Components.Pages.Visits;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Visits;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Web.Tests.Components;

/// <summary>
/// The bad inputs BadInputCorpusTests posted to the visit forms that are now interactive, typed into the pages with
/// bUnit: each is refused with a Chinese message under its field, no server error, and nothing is written.
/// </summary>
public sealed class VisitBadInputTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private const string Script = "<script>alert(1)</script>";

    private static string Long(int length) => new('长', length);

    public static TheoryData<string, string, string?, string, string> Amendments => new()
    {
        // name, findings, companions, the field's input id, a word the message has
        { "findings empty", "", null, "amend-findings", "走访情况" },
        { "findings blank", "   ", null, "amend-findings", "走访情况" },
        { "findings over-long", Long(5000), null, "amend-findings", "走访情况" },
        { "script findings over-long", Long(2001) + Script, null, "amend-findings", "走访情况" },
        { "companions over-long", "正常", Long(1000), "amend-companions", "同行人员" },
        // The control characters the HTTP guard refuses in a post never pass through it here: the page refuses them.
        { "control character NUL in findings", "正常\0x", "社区民警", "amend-findings", "控制字符" },
        { "control character ESC in findings", "正常\u001bx", "社区民警", "amend-findings", "控制字符" },
        { "control character NUL in companions", "正常", "社区民警\0x", "amend-companions", "控制字符" },
        { "control character ESC in companions", "正常", "社区民警\u001bx", "amend-companions", "控制字符" },
    };

    [Theory]
    [MemberData(nameof(Amendments))]
    public async Task A_bad_visit_amendment_is_refused_under_its_field_and_writes_nothing(string name, string findings, string? companions, string field, string word)
    {
        var worker = await app.StaffActorAsync("worker1");
        var household = (await app.HouseholdsOfGridAsync(await app.FirstGridOfAsync("worker1"), 5, 1))[0];
        var visit = await app.InAppAsync(p => p.GetRequiredService<VisitService>().RecordVisitAsync(
            new RecordVisit(household.Id, DateTimeOffset.UtcNow.AddMinutes(-50), "坏输入测试：" + name, "同行"), worker));
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");

        var page = harness.Amend(visit.Id);
        page.WaitForElement("#amend-findings").Change(findings);
        if (companions is not null)
        {
            page.Find("#amend-companions").Change(companions);
        }
        page.Find("[data-testid=amend-form]").Submit();

        page.WaitForAssertion(() => Assert.Contains(word, page.Find($"#{field}").Closest(".mud-input-control")!.TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=visit-error]"));
        Assert.Contains($"/visits/{visit.Id}/edit", harness.Navigation.Uri, StringComparison.Ordinal);
        var stored = await app.DbAsync(db => db.Visits.AsNoTracking().SingleAsync(v => v.Id == visit.Id));
        Assert.Equal(("坏输入测试：" + name, "同行"), (stored.Findings, stored.Companions));
    }
}
