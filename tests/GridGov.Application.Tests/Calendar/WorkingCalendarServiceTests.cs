using GridGov.Application.Calendar;
using GridGov.Application.Cases;
using GridGov.Application.Tests.Ledgers;
using GridGov.Domain.Audit;
using GridGov.Domain.Calendar;
using GridGov.Domain.Cases;
using GridGov.Domain.Categories;
using GridGov.Domain.Common;
using GridGov.Infrastructure.Seeding;
using GridGov.TestSupport.GridGov;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Application.Tests.Calendar;

/// <summary>
/// The working calendar's editor (工作日历) against the demo street's database: who may change it, what it refuses (and then
/// writes nothing), the months whose evaluation is closed, the replacement of a year from a notice, the December reminder,
/// and that the next deadline sees a change. The clock is Monday 2026-11-23 unless a test moves it; each test that writes
/// works in a year or month of its own.
/// </summary>
public sealed class WorkingCalendarServiceTests(LedgerScenario scenario) : IClassFixture<LedgerScenario>
{
    private static readonly DateTimeOffset November23 = TestClock.China(2026, 11, 23, 9);

    private static DateOnly D(int year, int month, int day) => new(year, month, day);

    private Task<T> CalendarAsync<T>(Func<WorkingCalendarService, CaseActor, Task<T>> work, string userName = "admin1") =>
        scenario.WithAsync(async provider => await work(provider.GetRequiredService<WorkingCalendarService>(), await scenario.ActorAsync(userName)));

    private Task CalendarAsync(Func<WorkingCalendarService, CaseActor, Task> work, string userName = "admin1") =>
        CalendarAsync(async (service, actor) =>
        {
            await work(service, actor);
            return true;
        }, userName);

    private Task<List<CalendarDay>> StoredAsync(int year) =>
        scenario.DbAsync(db => db.CalendarDays.AsNoTracking().Where(d => d.Date.Year == year).OrderBy(d => d.Date).ToListAsync());

    private Task<List<AuditEntry>> AuditAsync(long afterId = 0) =>
        scenario.DbAsync(db => db.AuditEntries.AsNoTracking().Where(e => e.EntityType == nameof(CalendarDay) && e.Id > afterId).OrderBy(e => e.Id).ToListAsync());

    private Task<long> LastAuditIdAsync() => scenario.DbAsync(async db => await db.AuditEntries.MaxAsync(e => (long?)e.Id) ?? 0);

    /// <summary>Asserts the refusal's code and field and that neither the calendar nor the audit log changed.</summary>
    private async Task<DomainException> RefusedAsync(Func<WorkingCalendarService, CaseActor, Task> work, string code, string? field = null, string userName = "admin1")
    {
        var (days, audit) = await scenario.DbAsync(async db => (await db.CalendarDays.CountAsync(), await db.AuditEntries.CountAsync()));
        var exception = await Assert.ThrowsAsync<DomainException>(() => CalendarAsync(work, userName));
        Assert.Equal((code, field), (exception.Code, exception.Field));
        Assert.Equal((days, audit), await scenario.DbAsync(async db => (await db.CalendarDays.CountAsync(), await db.AuditEntries.CountAsync())));
        return exception;
    }

    /// <summary>Made up for these tests (no notice for 2027 is used): New Year's Day, and a Spring Festival with one Saturday worked.</summary>
    private const string Notice2027 = """
        国务院办公厅关于2027年部分节假日安排的通知
        一、元旦：1月1日（周五）至3日（周日）放假，共3天。
        二、春节：2月6日（周六）至14日（周日）放假调休，共9天。2月20日（周六）上班。
        """;

    [Fact]
    public async Task The_year_lists_the_seeded_2026_days_and_marks_those_before_this_month_closed()
    {
        scenario.Clock.Set(November23);

        var view = await CalendarAsync((service, actor) => service.YearAsync(2026, actor));

        Assert.Equal(ReferenceData.Calendar2026.OrderBy(d => d.Date).Select(d => (d.Date, d.IsWorkingDay, d.Name)), view.Days.Select(d => (d.Date, d.IsWorkingDay, d.Name)));
        Assert.Equal(D(2026, 11, 1), view.FirstOpenDay);
        Assert.Equal(D(2026, 11, 23), view.Today);
        Assert.All(view.Days, d => Assert.True(d.IsClosed)); // the last 2026 exception is 10 October
        Assert.Null(view.Reminder); // November
    }

    [Fact]
    public async Task Only_an_administrator_may_read_or_change_the_calendar()
    {
        scenario.Clock.Set(November23);
        foreach (var userName in new[] { "dispatcher1", "streetleader1", "worker1" })
        {
            await RefusedAsync((s, a) => s.YearAsync(2026, a), "calendar.admin-only", userName: userName);
            await RefusedAsync((s, a) => s.AddAsync(new CalendarDayInput(D(2026, 12, 31), false, "元旦前夕"), a), "calendar.admin-only", userName: userName);
            await RefusedAsync((s, a) => s.RemoveAsync(D(2026, 10, 1), a), "calendar.admin-only", userName: userName);
            await RefusedAsync((s, a) => s.PreviewNoticeAsync(Notice2027, 2027, a), "calendar.admin-only", userName: userName);
            await RefusedAsync((s, a) => s.ReplaceYearAsync(2027, [new CalendarDayInput(D(2027, 1, 1), false, "元旦")], a), "calendar.admin-only", userName: userName);
            await RefusedAsync((s, a) => s.ReminderAsync(a), "calendar.admin-only", userName: userName);
        }
    }

    [Fact]
    public async Task An_added_holiday_is_audited_and_the_next_deadline_runs_past_it_and_back_once_it_is_removed()
    {
        scenario.Clock.Set(November23);
        var start = TestClock.China(2026, 12, 29, 10); // Tuesday
        var before = await LastAuditIdAsync();

        await CalendarAsync((s, a) => s.AddAsync(new CalendarDayInput(D(2026, 12, 30), false, " 岁末休息 "), a));

        var stored = Assert.Single(await StoredAsync(2026), d => d.Date == D(2026, 12, 30));
        Assert.Equal((false, "岁末休息"), (stored.IsWorkingDay, stored.Name));
        var created = Assert.Single(await AuditAsync(before));
        Assert.Equal((AuditAction.Create, "2026-12-30"), (created.Action, created.EntityId));
        Assert.Contains("岁末休息", created.After, StringComparison.Ordinal);
        // A deadline set now (in a fresh scope, as every request and page action has) skips the new holiday: one working day
        // from Tuesday 10:00 runs to Thursday 10:00 instead of Wednesday 10:00.
        Assert.Equal(TestClock.China(2026, 12, 31, 10), await DueAsync(start));

        await CalendarAsync((s, a) => s.RemoveAsync(D(2026, 12, 30), a));

        Assert.DoesNotContain(await StoredAsync(2026), d => d.Date == D(2026, 12, 30));
        Assert.Equal([AuditAction.Create, AuditAction.Delete], (await AuditAsync(before)).Select(e => e.Action));
        Assert.Equal(TestClock.China(2026, 12, 30, 10), await DueAsync(start));
    }

    private Task<DateTimeOffset> DueAsync(DateTimeOffset start) => scenario.WithAsync(async provider =>
        (await provider.GetRequiredService<CaseDeadlines>().ForAsync(TimeLimit.Days(1), start)).Due);

    public static TheoryData<DateOnly?, bool, string, string, string> Refusals => new()
    {
        { D(2026, 12, 5), false, "周六假日", CalendarDay.HolidayOnWeekendCode, "date" },
        { D(2026, 12, 7), true, "周一上班", CalendarDay.WorkingDayOnWeekdayCode, "date" },
        { D(2026, 12, 31), false, "", "text.required", "name" },
        { D(2026, 12, 31), false, "   ", "text.required", "name" },
        { D(2026, 12, 31), false, new string('长', CalendarDay.NameMaxLength + 1), "text.too-long", "name" },
        { D(2026, 12, 31), false, "元\0旦", "text.control", "name" },
        { null, false, "元旦", "calendar.date-required", "date" },
        { D(2026, 10, 30), false, "十月补假", "calendar.month-closed", "date" },
        { D(2026, 10, 1), false, "国庆节", "calendar.month-closed", "date" },
        { D(2100, 1, 1), false, "元旦", "calendar.date-range", "date" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_day_that_breaks_a_rule_is_refused_under_its_field_and_nothing_is_written(DateOnly? date, bool isWorkingDay, string name, string code, string field)
    {
        scenario.Clock.Set(November23);

        var exception = await RefusedAsync((s, a) => s.AddAsync(new CalendarDayInput(date, isWorkingDay, name), a), code, field);

        Assert.Contains(exception.Message, c => c is >= '\u4e00' and <= '\u9fff'); // the refusal is worded in Chinese
    }

    [Fact]
    public async Task A_closed_month_names_its_month_and_a_day_in_the_running_month_is_still_open()
    {
        scenario.Clock.Set(November23);

        var closed = await RefusedAsync((s, a) => s.AddAsync(new CalendarDayInput(D(2026, 10, 30), false, "十月补假"), a), "calendar.month-closed", "date");
        Assert.Equal("2026-10-30所在的2026年10月考核已结束，该月的工作日历不能再修改", closed.Message);

        // A day earlier this month (the running month's evaluation is still live) may be added and removed.
        await CalendarAsync((s, a) => s.AddAsync(new CalendarDayInput(D(2026, 11, 2), false, "补记假日"), a));
        Assert.Contains(await StoredAsync(2026), d => d.Date == D(2026, 11, 2));
        await CalendarAsync((s, a) => s.RemoveAsync(D(2026, 11, 2), a));
    }

    [Fact]
    public async Task A_day_added_twice_is_refused_naming_the_day_already_there()
    {
        scenario.Clock.Set(November23);
        await CalendarAsync((s, a) => s.AddAsync(new CalendarDayInput(D(2026, 12, 25), false, "测试假日"), a));

        var exception = await RefusedAsync((s, a) => s.AddAsync(new CalendarDayInput(D(2026, 12, 25), false, "另一个假日"), a), "calendar.day-exists", "date");

        Assert.Equal("2026-12-25已在工作日历中（测试假日），请修改这一天，不要重复添加", exception.Message);
        await CalendarAsync((s, a) => s.RemoveAsync(D(2026, 12, 25), a));
    }

    [Fact]
    public async Task A_day_is_renamed_or_moved_and_a_closed_or_missing_day_is_refused()
    {
        scenario.Clock.Set(November23);
        await CalendarAsync((s, a) => s.AddAsync(new CalendarDayInput(D(2026, 12, 24), false, "平安夜"), a));
        var before = await LastAuditIdAsync();

        await CalendarAsync((s, a) => s.ChangeAsync(D(2026, 12, 24), new CalendarDayInput(D(2026, 12, 24), false, "圣诞前夕"), a));
        Assert.Equal("圣诞前夕", Assert.Single(await StoredAsync(2026), d => d.Date == D(2026, 12, 24)).Name);
        var update = Assert.Single(await AuditAsync(before));
        Assert.Equal(AuditAction.Update, update.Action);
        Assert.Contains("平安夜", update.Before, StringComparison.Ordinal);

        await CalendarAsync((s, a) => s.ChangeAsync(D(2026, 12, 24), new CalendarDayInput(D(2026, 12, 28), false, "圣诞前夕"), a));
        var december = (await StoredAsync(2026)).Where(d => d.Date.Month == 12).Select(d => d.Date);
        Assert.Equal([D(2026, 12, 28)], december);

        await RefusedAsync((s, a) => s.ChangeAsync(D(2026, 10, 5), new CalendarDayInput(D(2026, 10, 5), false, "国庆"), a), "calendar.month-closed", "date");
        await RefusedAsync((s, a) => s.ChangeAsync(D(2026, 12, 28), new CalendarDayInput(D(2026, 10, 30), false, "挪到十月"), a), "calendar.month-closed", "date");
        await RefusedAsync((s, a) => s.ChangeAsync(D(2026, 12, 28), new CalendarDayInput(D(2026, 12, 26), false, "周六假日"), a), CalendarDay.HolidayOnWeekendCode, "date");
        await RefusedAsync((s, a) => s.ChangeAsync(D(2026, 12, 28), new CalendarDayInput(D(2026, 12, 28), false, ""), a), "text.required", "name");
        await RefusedAsync((s, a) => s.ChangeAsync(D(2026, 12, 29), new CalendarDayInput(D(2026, 12, 29), false, "不存在"), a), "calendar.day-not-found");
        await RefusedAsync((s, a) => s.RemoveAsync(D(2026, 10, 5), a), "calendar.month-closed", "date");
        await RefusedAsync((s, a) => s.RemoveAsync(D(2026, 12, 29), a), "calendar.day-not-found");

        await CalendarAsync((s, a) => s.RemoveAsync(D(2026, 12, 28), a));
    }

    [Fact]
    public async Task Next_years_calendar_is_replaced_from_a_notice_and_the_december_reminder_ends()
    {
        scenario.Clock.Set(TestClock.China(2026, 12, 1, 0, 30));
        Assert.Equal(new CalendarReminder(2027), await CalendarAsync((s, a) => s.ReminderAsync(a)));
        var before = await LastAuditIdAsync();

        var preview = await CalendarAsync((s, a) => s.PreviewNoticeAsync(Notice2027, 2027, a));
        Assert.Equal((2027, true, 0), (preview.Notice.Year, preview.Notice.YearFromText, preview.Stored));
        Assert.Empty(preview.Notice.Issues);
        Assert.True(preview.CanApply);
        Assert.Empty(await StoredAsync(2027)); // a preview writes nothing

        var replaced = await CalendarAsync((s, a) => s.ReplaceYearAsync(2027, [.. preview.Notice.Days.Select(d => new CalendarDayInput(d.Date, d.IsWorkingDay, d.Name))], a));

        var expected = new[]
        {
            (D(2027, 1, 1), false, "元旦"),
            (D(2027, 2, 8), false, "春节"), (D(2027, 2, 9), false, "春节"), (D(2027, 2, 10), false, "春节"), (D(2027, 2, 11), false, "春节"), (D(2027, 2, 12), false, "春节"),
            (D(2027, 2, 20), true, "春节调休上班"),
        };
        Assert.Equal(expected, (await StoredAsync(2027)).Select(d => (d.Date, d.IsWorkingDay, d.Name)));
        Assert.Equal(new CalendarReplaced(2027, 7, 0, 0, 0), replaced);
        Assert.All(await AuditAsync(before), e => Assert.Equal(AuditAction.Create, e.Action));
        Assert.Equal(7, (await AuditAsync(before)).Count);
        Assert.Null(await CalendarAsync((s, a) => s.ReminderAsync(a)));

        // Replaced again: only what differs is written (one renamed, one removed, one added; five left alone).
        before = await LastAuditIdAsync();
        CalendarDayInput[] second =
        [
            new(D(2027, 1, 1), false, "新年"),
            new(D(2027, 2, 8), false, "春节"), new(D(2027, 2, 9), false, "春节"), new(D(2027, 2, 10), false, "春节"), new(D(2027, 2, 11), false, "春节"),
            new(D(2027, 2, 20), true, "春节调休上班"),
            new(D(2027, 4, 5), false, "清明节"),
        ];
        var again = await CalendarAsync((s, a) => s.ReplaceYearAsync(2027, second, a));

        Assert.Equal(new CalendarReplaced(2027, 1, 1, 1, 5), again);
        Assert.Equal(second.Select(d => (d.Date!.Value, d.IsWorkingDay, d.Name!)), (await StoredAsync(2027)).Select(d => (d.Date, d.IsWorkingDay, d.Name)));
        Assert.Equal(
            new[] { (AuditAction.Update, "2027-01-01"), (AuditAction.Delete, "2027-02-12"), (AuditAction.Create, "2027-04-05") },
            (await AuditAsync(before)).Select(e => (e.Action, e.EntityId!)).OrderBy(e => e.Item2));
    }

    [Fact]
    public async Task This_years_notice_agrees_with_the_closed_months_and_one_that_differs_there_is_refused_whole()
    {
        scenario.Clock.Set(November23);
        var preview = await CalendarAsync((s, a) => s.PreviewNoticeAsync(HolidayNotices.Text(2026), 2026, a));
        Assert.True(preview.CanApply);
        Assert.True(preview.ChangesNothing);
        Assert.Equal(ReferenceData.Calendar2026.Count, preview.Stored);

        // The same notice with the National Day holiday one day longer, and a made-up holiday on 31 December.
        var changed = HolidayNotices.Text(2026)
            .Replace("10月1日（周四）至7日（周三）放假调休，共7天", "10月1日（周四）至8日（周四）放假调休，共8天", StringComparison.Ordinal)
            + "\n八、测试：12月31日（周四）放假1天。";
        var refused = await CalendarAsync((s, a) => s.PreviewNoticeAsync(changed, 2026, a));
        Assert.Equal([D(2026, 10, 8)], refused.ClosedChanges);
        Assert.Equal([D(2026, 12, 31)], refused.Added);
        Assert.False(refused.CanApply);

        var exception = await RefusedAsync((s, a) => s.ReplaceYearAsync(2026, [.. refused.Notice.Days.Select(d => new CalendarDayInput(d.Date, d.IsWorkingDay, d.Name))], a),
            "calendar.replace-closed");
        Assert.Contains("2026-10-08", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(await StoredAsync(2026), d => d.Date == D(2026, 12, 31)); // the open part was not written either
    }

    [Fact]
    public async Task A_past_years_notice_can_be_read_but_not_applied()
    {
        scenario.Clock.Set(November23);

        var preview = await CalendarAsync((s, a) => s.PreviewNoticeAsync(HolidayNotices.Text(2025), 2026, a));

        Assert.Equal(2025, preview.Notice.Year); // the notice's own year wins over the one chosen
        Assert.Equal(preview.Notice.Days.Select(d => d.Date), preview.ClosedChanges);
        Assert.Empty(preview.Added);
        Assert.False(preview.CanApply);
    }

    [Fact]
    public async Task A_replacement_with_any_bad_day_writes_nothing()
    {
        scenario.Clock.Set(November23);
        CalendarDayInput[] good = [new(D(2028, 1, 3), false, "元旦补假"), new(D(2028, 1, 8), true, "调休上班")];

        await RefusedAsync((s, a) => s.ReplaceYearAsync(2028, [.. good, new(D(2028, 1, 1), false, "元旦")], a), CalendarDay.HolidayOnWeekendCode, "date");
        await RefusedAsync((s, a) => s.ReplaceYearAsync(2028, [.. good, new(D(2028, 1, 4), false, "")], a), "text.required", "name");
        await RefusedAsync((s, a) => s.ReplaceYearAsync(2028, [.. good, new(D(2029, 1, 1), false, "元旦")], a), "calendar.replace-outside-year");
        await RefusedAsync((s, a) => s.ReplaceYearAsync(2028, [.. good, good[0]], a), "calendar.duplicate-date");
        await RefusedAsync((s, a) => s.ReplaceYearAsync(2028, [], a), "calendar.replace-empty");
        await RefusedAsync((s, a) => s.ReplaceYearAsync(2101, good, a), "calendar.year-range");
        Assert.Empty(await StoredAsync(2028));
    }

    [Fact]
    public async Task A_notice_that_is_empty_or_too_long_is_refused_under_the_notice()
    {
        scenario.Clock.Set(November23);

        await RefusedAsync((s, a) => s.PreviewNoticeAsync("  \n ", 2027, a), "calendar.notice-empty", "notice");
        await RefusedAsync((s, a) => s.PreviewNoticeAsync(new string('长', HolidayNoticeParser.MaxLength + 1), 2027, a), "calendar.notice-too-long", "notice");
        await RefusedAsync((s, a) => s.PreviewNoticeAsync(Notice2027, 1999, a), "calendar.year-range");
    }

    [Fact]
    public async Task The_reminder_shows_from_december_first_until_next_years_calendar_has_a_day()
    {
        scenario.Clock.Set(TestClock.China(2028, 11, 30, 23, 59));
        Assert.Null(await CalendarAsync((s, a) => s.ReminderAsync(a)));

        scenario.Clock.Set(TestClock.China(2028, 12, 1, 0, 0));
        Assert.Equal(new CalendarReminder(2029), await CalendarAsync((s, a) => s.ReminderAsync(a)));
        Assert.Equal(new CalendarReminder(2029), (await CalendarAsync((s, a) => s.YearAsync(2028, a))).Reminder);

        await CalendarAsync((s, a) => s.AddAsync(new CalendarDayInput(D(2029, 1, 1), false, "元旦"), a));
        Assert.Null(await CalendarAsync((s, a) => s.ReminderAsync(a)));

        scenario.Clock.Set(TestClock.China(2029, 1, 1, 0, 0)); // a new year: no reminder until December
        await CalendarAsync((s, a) => s.RemoveAsync(D(2029, 1, 1), a));
        Assert.Null(await CalendarAsync((s, a) => s.ReminderAsync(a)));
    }

    [Fact]
    public async Task Two_administrators_replacing_the_same_year_at_once_leave_it_as_given_and_a_loser_is_told_to_retry()
    {
        scenario.Clock.Set(November23);
        CalendarDayInput[] days = [new(D(2030, 1, 1), false, "元旦"), new(D(2030, 1, 5), true, "元旦调休上班")];

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            try
            {
                await CalendarAsync((s, a) => s.ReplaceYearAsync(2030, days, a));
                return "ok";
            }
            catch (DomainException exception)
            {
                return exception.Code;
            }
        }));

        Assert.Contains("ok", outcomes);
        Assert.All(outcomes, o => Assert.Contains(o, new[] { "ok", WorkingCalendarService.ConcurrentCode }));
        Assert.Equal(days.Select(d => (d.Date!.Value, d.IsWorkingDay)), (await StoredAsync(2030)).Select(d => (d.Date, d.IsWorkingDay)));
    }
}
