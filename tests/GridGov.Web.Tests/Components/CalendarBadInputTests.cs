using Bunit;
using GridGov.Domain.Calendar;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;
using static GridGov.Web.Tests.Components.WorkingCalendarComponentTests;

namespace GridGov.Web.Tests.Components;

/// <summary>
/// Bad input typed into the working calendar's day dialog (/admin/calendar): dates that are not dates, out of range, in a
/// closed month or of the wrong kind, names empty, over-long or with control characters. Each gets a Chinese message under
/// its own field, what was typed stays, and nothing is written.
/// </summary>
public sealed class CalendarBadInputTests(WebAppFixture app, ITestOutputHelper output) : IClassFixture<WebAppFixture>
{
    private static string Long(int length) => new('长', length);

    private static readonly DateOnly Today = WorkingCalendar.ChinaDate(DateTimeOffset.UtcNow);

    /// <summary>The date typed, the kind chosen (null: the one the date suggests), the name typed, and the input whose message must show.</summary>
    private static IEnumerable<(string Date, bool? Working, string Name, string ErrorUnder)> Corpus()
    {
        var year = Today.Year + 2;
        var weekday = Iso(First(new DateOnly(year, 3, 1), weekend: false));
        var saturday = Iso(First(new DateOnly(year, 3, 1), weekend: true));
        var closed = Iso(First(new DateOnly(Today.Year, Today.Month, 1).AddMonths(-1), weekend: false));
        return
        [
            ("", null, "假日", "calendar-day-date"),
            ("abc", null, "假日", "calendar-day-date"),
            ($"{year}-13-45", null, "假日", "calendar-day-date"),
            ($"{year}-02-30", null, "假日", "calendar-day-date"),
            ("1999-12-31", null, "假日", "calendar-day-date"),
            ("2100-01-01", null, "假日", "calendar-day-date"),
            (saturday, false, "周末假日", "calendar-day-date"),
            (weekday, true, "平日上班", "calendar-day-date"),
            (closed, false, "已结束月份", "calendar-day-date"),
            (weekday, null, "", "calendar-day-name"),
            (weekday, null, "   ", "calendar-day-name"),
            (weekday, null, Long(CalendarDay.NameMaxLength + 1), "calendar-day-name"),
            (weekday, null, "<script>alert('gg')</script>", "calendar-day-name"),
            (weekday, null, "元\0旦", "calendar-day-name"),
            (weekday, null, "元旦\u001b", "calendar-day-name"),
            (saturday, null, "调休\u0007上班", "calendar-day-name"),
        ];
    }

    [Fact]
    public async Task Bad_input_in_the_day_dialog_is_refused_in_chinese_under_its_field_and_writes_nothing()
    {
        var before = await app.DbAsync(async db => (await db.CalendarDays.CountAsync(), await db.AuditEntries.CountAsync(e => e.EntityType == "CalendarDay")));
        var corpus = Corpus().ToList();
        var failures = new List<string>();
        await using var harness = await ComponentHarness.SignedInAsync(app, "admin1");
        foreach (var (date, working, name, under) in corpus)
        {
            var label = $"{date} / {working} / {Printable(name)}";
            var page = Open(harness, Today.Year + 2);
            page.Find("[data-testid=calendar-add]").Click();
            harness.Dialogs.WaitForElement("[data-testid=calendar-day-dialog]");
            harness.Dialogs.Find("input#calendar-day-date").Change(date);
            if (working is { } kind)
            {
                ChooseKind(harness, kind);
            }
            harness.Dialogs.Find("input#calendar-day-name").Change(name);
            harness.Dialogs.Find("[data-testid=calendar-day-save]").Click();
            try
            {
                harness.Dialogs.WaitForAssertion(() => Assert.NotEqual("", ErrorUnder(harness, under)), TimeSpan.FromSeconds(10));
                var message = ErrorUnder(harness, under);
                if (!ComponentHarness.IsChinese(message))
                {
                    failures.Add($"{label}: not Chinese: {message}");
                }
                if (harness.Dialogs.FindAll("[data-testid=calendar-day-error]").Count > 0)
                {
                    failures.Add($"{label}: a general error besides the field's");
                }
                var typed = under == "calendar-day-date" ? date : new string([.. name.TakeWhile(c => !char.IsControl(c)).Take(20)]);
                if (!(harness.Dialogs.Find($"#{under}").GetAttribute("value") ?? "").Contains(typed, StringComparison.Ordinal))
                {
                    failures.Add($"{label}: what was typed is gone");
                }
            }
            catch (Exception exception) when (exception is Xunit.Sdk.XunitException or Bunit.Extensions.WaitForHelpers.WaitForFailedException)
            {
                failures.Add($"{label}: no message under {under}");
            }
            harness.Dialogs.Find("[data-testid=calendar-day-cancel]").Click();
            page.Dispose();
        }

        Assert.Equal(before, await app.DbAsync(async db => (await db.CalendarDays.CountAsync(), await db.AuditEntries.CountAsync(e => e.EntityType == "CalendarDay"))));
        Assert.Empty(harness.Snackbar.ShownSnackbars);
        Console.WriteLine($"[bad-input-corpus] {nameof(Bad_input_in_the_day_dialog_is_refused_in_chinese_under_its_field_and_writes_nothing)}: {corpus.Count} inputs tried, {failures.Count} failures");
        output.WriteLine(string.Join(Environment.NewLine, failures));
        Assert.Empty(failures);
    }

    private static string Printable(string text) =>
        string.Concat(text.Take(12).Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
}
