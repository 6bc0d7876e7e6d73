using System.Globalization;
using Bunit;
using GridGov.Domain.Calendar;
using GridGov.Infrastructure.Seeding;
using GridGov.TestSupport.GridGov;
using GridGov.Web.Components.Pages.Admin;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Web.Tests.Components;

/// <summary>
/// The administrator's working calendar (/admin/calendar) with bUnit on the real application and database: the year's table,
/// a day added, changed and removed through its dialogs, a pasted notice previewed (its unread sentence shown) and applied
/// after a confirmation. Writing tests work in years ahead of today, whose months are all open, each its own.
/// </summary>
public sealed class WorkingCalendarComponentTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private static readonly DateOnly Today = WorkingCalendar.ChinaDate(DateTimeOffset.UtcNow);

    internal static IRenderedComponent<WorkingCalendarPage> Open(ComponentHarness harness, int year, string culture = "zh-CN")
    {
        var page = harness.Page<WorkingCalendarPage>($"/admin/calendar?year={year}", culture);
        page.WaitForElement("[data-testid=calendar-days]");
        return page;
    }

    /// <summary>The first date from <paramref name="from"/> on whose day of the week fits <paramref name="weekend"/>.</summary>
    internal static DateOnly First(DateOnly from, bool weekend)
    {
        var date = from;
        while (CalendarDay.IsWeekend(date) != weekend)
        {
            date = date.AddDays(1);
        }
        return date;
    }

    internal static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private Task<List<CalendarDay>> StoredAsync(int year) =>
        app.DbAsync(db => db.CalendarDays.AsNoTracking().Where(d => d.Date.Year == year).OrderBy(d => d.Date).ToListAsync());

    [Fact]
    public async Task The_2026_table_shows_each_day_with_its_weekday_and_kind_and_only_open_months_offer_changes()
    {
        await using var harness = await ComponentHarness.SignedInAsync(app, "admin1");
        var page = Open(harness, 2026);

        var rows = page.FindAll("[data-testid=calendar-days] tr[data-date]");
        Assert.Equal(ReferenceData.Calendar2026.OrderBy(d => d.Date).Select(d => Iso(d.Date)), rows.Select(r => r.GetAttribute("data-date")));
        var nationalDay = page.Find("tr[data-date='2026-10-01']");
        Assert.Equal("holiday", nationalDay.GetAttribute("data-kind"));
        Assert.Equal(["2026-10-01", "周四", "节假日", "国庆节"], nationalDay.QuerySelectorAll("td").Take(4).Select(td => td.TextContent.Trim()));
        Assert.Equal("working", page.Find("tr[data-date='2026-10-10']").GetAttribute("data-kind"));
        Assert.Contains("2026年：19个节假日，6个调休上班日", page.Find("[data-testid=calendar-summary]").TextContent, StringComparison.Ordinal);
        // A day of a month before this one is closed (its evaluation is over) and offers no change; the others do.
        var firstOpen = new DateOnly(Today.Year, Today.Month, 1);
        foreach (var row in rows)
        {
            var date = DateOnly.ParseExact(row.GetAttribute("data-date")!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            Assert.Equal(date < firstOpen ? "true" : "false", row.GetAttribute("data-closed"));
            Assert.Equal(date >= firstOpen, row.QuerySelector("[data-testid^=calendar-edit-]") is not null);
        }
    }

    [Fact]
    public async Task A_day_is_added_changed_and_removed_through_the_dialogs_with_a_snackbar_each()
    {
        var year = Today.Year + 3;
        var holiday = First(new DateOnly(year, 10, 1), weekend: false);
        var moved = First(holiday.AddDays(1), weekend: false);
        await using var harness = await ComponentHarness.SignedInAsync(app, "admin1");
        var page = Open(harness, year);
        Assert.Contains($"{year}年还没有工作日历", page.Find("[data-testid=calendar-empty]").TextContent, StringComparison.Ordinal);

        page.Find("[data-testid=calendar-add]").Click();
        var dialog = harness.Dialogs.WaitForElement("[data-testid=calendar-day-dialog]");
        harness.Dialogs.Find("input#calendar-day-date").Change(Iso(holiday));
        harness.Dialogs.Find("input#calendar-day-name").Change("国庆节");
        harness.Dialogs.Find("[data-testid=calendar-day-save]").Click();

        page.WaitForElement($"tr[data-date='{Iso(holiday)}']");
        Assert.Contains(harness.Snackbar.ShownSnackbars, s => s.Message == $"已保存{Iso(holiday)}");
        Assert.Equal([(holiday, false, "国庆节")], (await StoredAsync(year)).Select(d => (d.Date, d.IsWorkingDay, d.Name)));

        page.Find($"[data-testid=calendar-edit-{Iso(holiday)}]").Click();
        harness.Dialogs.WaitForAssertion(() => Assert.Equal(Iso(holiday), harness.Dialogs.Find("input#calendar-day-date").GetAttribute("value")));
        Assert.Equal("国庆节", harness.Dialogs.Find("input#calendar-day-name").GetAttribute("value"));
        harness.Dialogs.Find("input#calendar-day-date").Change(Iso(moved));
        harness.Dialogs.Find("input#calendar-day-name").Change("国庆节、中秋节");
        harness.Dialogs.Find("[data-testid=calendar-day-save]").Click();

        page.WaitForElement($"tr[data-date='{Iso(moved)}']");
        Assert.Empty(page.FindAll($"tr[data-date='{Iso(holiday)}']"));
        Assert.Contains("国庆节、中秋节", page.Find($"tr[data-date='{Iso(moved)}']").TextContent, StringComparison.Ordinal);
        Assert.Equal([(moved, false, "国庆节、中秋节")], (await StoredAsync(year)).Select(d => (d.Date, d.IsWorkingDay, d.Name)));

        page.Find($"[data-testid=calendar-remove-{Iso(moved)}]").Click();
        harness.Dialogs.WaitForElement(".mud-message-box");
        Assert.Contains(Iso(moved), harness.Dialogs.Find(".mud-message-box").TextContent, StringComparison.Ordinal);
        harness.Dialogs.FindAll(".mud-message-box button").Single(b => b.TextContent.Trim() == "删除").Click();

        page.WaitForElement("[data-testid=calendar-empty]");
        Assert.Contains(harness.Snackbar.ShownSnackbars, s => s.Message == $"已删除{Iso(moved)}");
        Assert.Empty(await StoredAsync(year));
        Assert.NotNull(dialog);
    }

    [Fact]
    public async Task Picking_a_date_suggests_the_kind_its_day_allows_and_a_refusal_stays_in_the_dialog_under_its_field()
    {
        var year = Today.Year + 4;
        var saturday = First(new DateOnly(year, 1, 1), weekend: true);
        await using var harness = await ComponentHarness.SignedInAsync(app, "admin1");
        var page = Open(harness, year);

        page.Find("[data-testid=calendar-add]").Click();
        harness.Dialogs.WaitForElement("[data-testid=calendar-day-dialog]");
        harness.Dialogs.Find("input#calendar-day-date").Change(Iso(saturday));
        harness.Dialogs.Find("[data-testid=calendar-day-save]").Click();

        // The Saturday was taken as a working day (the kind it allows); the empty name is refused under the name.
        harness.Dialogs.WaitForAssertion(() => Assert.Equal("名称不能为空", ErrorUnder(harness, "calendar-day-name")));
        Assert.Equal("", ErrorUnder(harness, "calendar-day-date"));
        Assert.Equal(Iso(saturday), harness.Dialogs.Find("input#calendar-day-date").GetAttribute("value"));

        ChooseKind(harness, working: false);
        harness.Dialogs.Find("input#calendar-day-name").Change("元旦");
        harness.Dialogs.Find("[data-testid=calendar-day-save]").Click();

        harness.Dialogs.WaitForAssertion(() => Assert.StartsWith($"{Iso(saturday)}是周六，本来就不上班", ErrorUnder(harness, "calendar-day-date"), StringComparison.Ordinal));
        Assert.Equal("", ErrorUnder(harness, "calendar-day-name"));
        Assert.Equal("元旦", harness.Dialogs.Find("input#calendar-day-name").GetAttribute("value"));
        Assert.Empty(await StoredAsync(year));

        harness.Dialogs.Find("[data-testid=calendar-day-cancel]").Click();
        harness.Dialogs.WaitForAssertion(() => Assert.Empty(harness.Dialogs.FindAll("[data-testid=calendar-day-dialog]")));
        Assert.Empty(harness.Snackbar.ShownSnackbars);
    }

    [Fact]
    public async Task A_pasted_notice_is_previewed_with_what_it_could_not_read_and_applied_only_after_the_confirmation()
    {
        var year = Today.Year + 5;
        var (notice, days) = MadeUpNotice(year);
        await using var harness = await ComponentHarness.SignedInAsync(app, "admin1");
        var page = Open(harness, Today.Year);

        page.Find("[data-testid=calendar-paste]").Click();
        harness.Dialogs.WaitForElement("[data-testid=calendar-notice-dialog]");
        Assert.True(harness.Dialogs.Find("[data-testid=calendar-notice-apply]").HasAttribute("disabled"));
        harness.Dialogs.Find("textarea#calendar-notice-text").Change(notice);
        harness.Dialogs.Find("[data-testid=calendar-notice-read]").Click();

        var preview = harness.Dialogs.WaitForElement("[data-testid=calendar-notice-preview]");
        Assert.Equal(year.ToString(CultureInfo.InvariantCulture), preview.GetAttribute("data-year"));
        Assert.Equal($"通知年份：{year}年（从通知中读出）", harness.Dialogs.Find("[data-testid=calendar-notice-year]").TextContent.Trim());
        var unread = harness.Dialogs.FindAll("[data-testid=calendar-notice-unreadable] li[data-unreadable]");
        Assert.Equal([Advice(days[0].AddDays(-1))], unread.Select(li => li.TextContent.Trim()));
        Assert.Equal(days.Select(Iso), harness.Dialogs.FindAll("[data-testid=calendar-notice-days] tr[data-date]").Select(r => r.GetAttribute("data-date")));
        Assert.All(harness.Dialogs.FindAll("[data-testid=calendar-notice-days] tr[data-date]"), r => Assert.Equal("added", r.GetAttribute("data-change")));
        Assert.Contains("应用后：新增4天，修改0天，删除0天", harness.Dialogs.Find("[data-testid=calendar-notice-plan]").TextContent, StringComparison.Ordinal);
        Assert.Empty(await StoredAsync(year)); // a preview writes nothing

        // Asked first: cancelled, nothing is written and the preview stays.
        harness.Dialogs.Find("[data-testid=calendar-notice-apply]").Click();
        harness.Dialogs.WaitForElement("[data-testid=calendar-replace-dialog]");
        Assert.Contains($"{year}年的工作日历将按通知替换：新增4天，修改0天，删除0天", harness.Dialogs.Find("[data-testid=calendar-replace-dialog]").TextContent, StringComparison.Ordinal);
        harness.Dialogs.Find("[data-testid=calendar-replace-cancel]").Click();
        harness.Dialogs.WaitForAssertion(() => Assert.Empty(harness.Dialogs.FindAll("[data-testid=calendar-replace-dialog]")));
        Assert.Empty(await StoredAsync(year));

        harness.Dialogs.Find("[data-testid=calendar-notice-apply]").Click();
        harness.Dialogs.WaitForElement("[data-testid=calendar-replace-dialog]");
        harness.Dialogs.Find("[data-testid=calendar-replace-confirm]").Click();

        harness.Dialogs.WaitForAssertion(() => Assert.Empty(harness.Dialogs.FindAll("[data-testid=calendar-notice-dialog]")));
        page.WaitForAssertion(() => Assert.Contains(harness.Snackbar.ShownSnackbars, s => s.Message == $"{year}年工作日历已更新：新增4天，修改0天，删除0天"));
        Assert.Equal(days.Select(d => (d, CalendarDay.IsWeekend(d))), (await StoredAsync(year)).Select(d => (d.Date, d.IsWorkingDay)));
        Assert.EndsWith($"year={year}", harness.Navigation.Uri, StringComparison.Ordinal); // the page moved to the notice's year
    }

    [Fact]
    public async Task A_notice_of_a_closed_year_is_read_but_cannot_be_applied_and_an_empty_paste_is_refused_under_the_text()
    {
        await using var harness = await ComponentHarness.SignedInAsync(app, "admin1");
        var page = Open(harness, Today.Year);
        page.Find("[data-testid=calendar-paste]").Click();
        harness.Dialogs.WaitForElement("[data-testid=calendar-notice-dialog]");

        harness.Dialogs.Find("[data-testid=calendar-notice-read]").Click();
        harness.Dialogs.WaitForAssertion(() => Assert.Equal("请粘贴国务院办公厅关于部分节假日安排的通知全文",
            harness.Dialogs.Find("#calendar-notice-text").Closest(".mud-input-control")?.QuerySelector(".mud-input-helper-text")?.TextContent.Trim()));

        harness.Dialogs.Find("textarea#calendar-notice-text").Change(HolidayNotices.Text(2024));
        harness.Dialogs.Find("[data-testid=calendar-notice-read]").Click();

        harness.Dialogs.WaitForElement("[data-testid=calendar-notice-preview]");
        Assert.Equal("2024", harness.Dialogs.Find("[data-testid=calendar-notice-preview]").GetAttribute("data-year"));
        Assert.Equal(["鼓励各单位结合带薪年休假等制度落实，安排职工在除夕（2月9日）休息"],
            harness.Dialogs.FindAll("li[data-unreadable]").Select(li => li.TextContent.Trim()));
        var closed = harness.Dialogs.Find("[data-testid=calendar-notice-closed]").TextContent;
        Assert.Contains("通知与现有日历有27天不同，因此不能应用：2024-01-01、2024-02-04", closed, StringComparison.Ordinal);
        Assert.EndsWith("2024-04-05…", closed.Trim(), StringComparison.Ordinal); // ten dates listed
        Assert.Equal(27, harness.Dialogs.FindAll("[data-testid=calendar-notice-days] tr[data-date]").Count);
        Assert.True(harness.Dialogs.Find("[data-testid=calendar-notice-apply]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task In_english_the_page_names_weekdays_and_kinds_in_english_and_a_refusal_reads_in_english()
    {
        var year = Today.Year + 6;
        var saturday = First(new DateOnly(year, 3, 1), weekend: true);
        await using var harness = await ComponentHarness.SignedInAsync(app, "admin1");
        var page = Open(harness, 2026, culture: "en");

        Assert.Equal(["2026-10-01", "Thursday", "Holiday"], page.Find("tr[data-date='2026-10-01']").QuerySelectorAll("td").Take(3).Select(td => td.TextContent.Trim()));
        Assert.Contains("2026: 19 holidays, 6 adjusted working days", page.Find("[data-testid=calendar-summary]").TextContent, StringComparison.Ordinal);

        page.Find("[data-testid=calendar-add]").Click();
        harness.Dialogs.WaitForElement("[data-testid=calendar-day-dialog]");
        harness.Dialogs.Find("input#calendar-day-date").Change(Iso(saturday));
        ChooseKind(harness, working: false);
        harness.Dialogs.Find("input#calendar-day-name").Change("Test");
        harness.Dialogs.Find("[data-testid=calendar-day-save]").Click();

        harness.Dialogs.WaitForAssertion(() => Assert.Equal($"{Iso(saturday)} is a Saturday and not worked anyway; list only the holiday days from Monday to Friday",
            ErrorUnder(harness, "calendar-day-date")));
    }

    /// <summary>
    /// A notice made up for a year ahead (no real one exists yet): a three-day National Day holiday from the first Monday of
    /// October, the Saturday after it worked, and the 2024 notice's kind of advice, which the parser reports unread.
    /// </summary>
    internal static (string Text, IReadOnlyList<DateOnly> Days) MadeUpNotice(int year)
    {
        var monday = new DateOnly(year, 10, 1);
        while (monday.DayOfWeek != DayOfWeek.Monday)
        {
            monday = monday.AddDays(1);
        }
        var saturday = monday.AddDays(5);
        var eve = monday.AddDays(-1);
        var text = $"""
            国务院办公厅关于{year}年部分节假日安排的通知
            七、国庆节：{monday.Month}月{monday.Day}日至{monday.Day + 2}日放假调休，共3天。{saturday.Month}月{saturday.Day}日（周六）上班。{Advice(eve)}。
            """;
        return (text, [monday, monday.AddDays(1), monday.AddDays(2), saturday]);
    }

    /// <summary>Advice to rest on a day, as the 2024 notice gave for New Year's Eve: not an arrangement.</summary>
    internal static string Advice(DateOnly day) => $"鼓励各单位结合带薪年休假等制度落实，安排职工在{day.Month}月{day.Day}日休息";

    internal static string ErrorUnder(ComponentHarness harness, string inputId) =>
        harness.Dialogs.Find($"#{inputId}").Closest(".mud-input-control")?.QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent.Trim() ?? "";

    /// <summary>Clicks a kind's radio (MudRadio puts its data-testid on the input).</summary>
    internal static void ChooseKind(ComponentHarness harness, bool working) =>
        harness.Dialogs.Find($"input[data-testid={(working ? "calendar-day-working" : "calendar-day-holiday")}]").Click();
}
