using Bunit;
using GridGov.Domain.Bulletins;
using GridGov.Web.Components.Pages.Bulletins;
using GridGov.Web.Tests.Bulletins;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Visits;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Web.Tests.Components;

/// <summary>
/// The bad inputs of the bulletin's form (foreword and closing notes of a draft) typed into the interactive page: no
/// error escapes, a Chinese message shows under the field at fault, script typed in stays text, and nothing is written.
/// </summary>
public sealed class BulletinBadInputTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private const string Script = "<script>alert('gg')</script>";

    private static string Long(int length) => new('长', length);

    /// <summary>By name (a NUL does not belong in a test case's name): foreword, closing notes, the message, and under which field.</summary>
    private static readonly Dictionary<string, (string Foreword, string Closing, string Message, string Field)> Cases = new()
    {
        ["foreword over-long"] = (Long(Bulletin.ForewordMaxLength + 1), "", "简报按语不能超过2000个字", "foreword"),
        ["closing notes over-long"] = ("按语", Long(Bulletin.ClosingNotesMaxLength + 1), "简报结束语不能超过2000个字", "closing"),
        ["over-long script foreword"] = (Long(5000) + Script, "", "简报按语不能超过2000个字", "foreword"),
        ["control character NUL in the foreword"] = ("按语\0x", "", "简报按语含有不可见的控制字符（如 NUL），请删除这些字符后重试", "foreword"),
        ["control character ESC in the closing notes"] = ("", "结束\u001bx", "简报结束语含有不可见的控制字符（如 NUL），请删除这些字符后重试", "closing"),
    };

    public static TheoryData<string> Inputs
    {
        get
        {
            var inputs = new TheoryData<string>();
            foreach (var name in Cases.Keys)
            {
                inputs.Add(name);
            }
            return inputs;
        }
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task A_bad_bulletin_input_is_refused_with_a_message_and_writes_nothing(string name)
    {
        var (foreword, closing, message, field) = Cases[name];
        var id = await app.BulletinAsync();
        var before = await app.DbAsync(db => db.Bulletins.AsNoTracking().Where(b => b.Id == id).Select(b => new { b.Foreword, b.ClosingNotes, b.ChangedAt }).SingleAsync());
        await using var harness = await ComponentHarness.SignedInAsync(app, "streetleader1");
        var page = Open(harness, id);
        page.WaitForElement("[data-testid=bulletin-editor]", TimeSpan.FromSeconds(30));

        page.Find("textarea[data-testid=bulletin-foreword-input]").Input(foreword);
        page.Find("textarea[data-testid=bulletin-closing-input]").Input(closing);
        page.Find("[data-testid=bulletin-save]").Click();

        // Under the field at fault: its helper line shows the message (the other field keeps its own).
        page.WaitForAssertion(() => Assert.Equal(message, page.Find($"textarea[data-testid=bulletin-{field}-input]").Closest(".mud-input-control")!
            .QuerySelector(".mud-input-helper-text")!.TextContent.Trim()), TimeSpan.FromSeconds(20));
        Assert.Empty(page.FindAll("script"));
        Assert.Empty(page.FindAll("[data-testid=bulletin-error]"));
        var after = await app.DbAsync(db => db.Bulletins.AsNoTracking().Where(b => b.Id == id).Select(b => new { b.Foreword, b.ClosingNotes, b.ChangedAt }).SingleAsync());
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Script_typed_into_the_foreword_is_saved_as_text_and_shown_escaped()
    {
        var id = await app.BulletinAsync();
        await using var harness = await ComponentHarness.SignedInAsync(app, "streetleader1");
        var page = Open(harness, id);
        page.WaitForElement("[data-testid=bulletin-editor]", TimeSpan.FromSeconds(30));

        page.Find("textarea[data-testid=bulletin-foreword-input]").Input(Script);
        page.Find("[data-testid=bulletin-save]").Click();

        await ComponentHarness.EventuallyAsync(async () =>
            Assert.Equal(Script, await app.DbAsync(db => db.Bulletins.Where(b => b.Id == id).Select(b => b.Foreword).SingleAsync())));
        page.WaitForAssertion(() => Assert.Equal(Script, page.Find("[data-testid=bulletin-foreword]").TextContent.Trim()));
        Assert.Empty(page.FindAll("script"));
    }

    /// <summary>The page at /bulletins/{id}, in Chinese (set here, not in an async method, whose culture would not reach the test).</summary>
    private static IRenderedComponent<BulletinPage> Open(ComponentHarness harness, long id)
    {
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo("zh-CN");
        harness.Navigation.NavigateTo($"/bulletins/{id}");
        return harness.Context.Render<BulletinPage>(p => p.Add(x => x.Id, id));
    }
}
