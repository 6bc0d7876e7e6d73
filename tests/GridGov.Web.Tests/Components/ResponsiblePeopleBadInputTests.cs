using Bunit;
using GridGov.Domain.Organisation;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;
using static GridGov.Web.Tests.Components.ResponsiblePeopleComponentTests;

namespace GridGov.Web.Tests.Components;

/// <summary>
/// Bad input on the responsible people editor (网格责任人): missing duty or person, dates that are not dates, far away or before
/// the start. Each gets a Chinese message under its own field and nothing is written.
/// </summary>
public sealed class ResponsiblePeopleBadInputTests(WebAppFixture app, ITestOutputHelper output) : IClassFixture<WebAppFixture>
{
    /// <summary>The form, the duty and person chosen (null: none), the date typed, and where the message must show.</summary>
    private static readonly (string Form, bool Duty, bool Person, string Typed, string ErrorUnder)[] Corpus =
    [
        ("assign", false, false, "", "[data-testid=assign-duty]"),
        ("assign", true, false, "", "[data-testid=assign-person]"),
        ("assign", true, true, "", "input#assign-since"),
        ("assign", true, true, "abc", "input#assign-since"),
        ("assign", true, true, "2026-13-45", "input#assign-since"),
        ("assign", true, true, "1900-01-01", "input#assign-since"),
        ("assign", true, true, "9999-12-31", "input#assign-since"),
        ("assign", true, true, "<script>alert('gg')</script>", "input#assign-since"),
        ("end", false, false, "", "input#end-date"),
        ("end", false, false, "2000-01-01", "input#end-date"),
        ("end", false, false, "9999-12-31", "input#end-date"),
        ("end", false, false, "not-a-date\0", "input#end-date"),
    ];

    [Fact]
    public async Task Bad_input_on_the_people_editor_is_refused_in_chinese_under_its_field_and_writes_nothing()
    {
        var setting = await SettingAsync(app, 6);
        var open = await app.DbAsync(db => db.GridAssignments.Where(a => a.GridCode == setting.GridCode && a.EndedOn == null).OrderBy(a => a.Id).Select(a => a.Id).FirstAsync());
        var before = await app.DbAsync(async db => (await db.GridAssignments.CountAsync(), await db.GridAssignments.CountAsync(a => a.EndedOn != null),
            await db.AuditEntries.CountAsync()));
        var failures = new List<string>();
        await using var harness = await ComponentHarness.SignedInAsync(app, "admin1");
        foreach (var (form, duty, person, typed, under) in Corpus)
        {
            var label = $"{form} duty={duty} person={person} date={typed.Replace("\0", "\\0", StringComparison.Ordinal)}";
            var page = Open(harness, setting.CommunityId);
            if (form == "assign")
            {
                await OpenAssignAsync(page, setting.GridCode, duty ? GridDuty.ProfessionalWorker : null, person ? setting.WorkerId : null);
                page.Find("input#assign-since").Change(typed);
                page.Find("[data-testid=assign-save]").Click();
            }
            else
            {
                page.Find($"[data-testid=end-open-{open}]").Click();
                page.WaitForElement("input#end-date").Change(typed);
                page.Find("[data-testid=end-save]").Click();
            }
            try
            {
                page.WaitForAssertion(() => Assert.NotEqual("", ErrorUnder(page, under)), TimeSpan.FromSeconds(10));
                var message = ErrorUnder(page, under);
                if (!ComponentHarness.IsChinese(message))
                {
                    failures.Add($"{label}: not Chinese: {message}");
                }
                if (page.FindAll("[data-testid=people-error]").Count > 0)
                {
                    failures.Add($"{label}: a general error besides the field's");
                }
                if (page.FindAll("script").Count > 0)
                {
                    failures.Add($"{label}: script not escaped");
                }
            }
            catch (Exception exception) when (exception is Xunit.Sdk.XunitException or Bunit.Extensions.WaitForHelpers.WaitForFailedException)
            {
                failures.Add($"{label}: no message under {under}");
            }
            page.Dispose();
        }

        Assert.Equal(before, await app.DbAsync(async db => (await db.GridAssignments.CountAsync(), await db.GridAssignments.CountAsync(a => a.EndedOn != null),
            await db.AuditEntries.CountAsync())));
        Console.WriteLine($"[bad-input-corpus] {nameof(Bad_input_on_the_people_editor_is_refused_in_chinese_under_its_field_and_writes_nothing)}: {Corpus.Length} inputs tried, {failures.Count} failures");
        output.WriteLine(string.Join(Environment.NewLine, failures));
        Assert.Empty(failures);
    }
}
