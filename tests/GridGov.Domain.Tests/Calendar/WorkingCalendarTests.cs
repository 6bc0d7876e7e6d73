using System.Globalization;
using GridGov.Domain.Calendar;
using GridGov.Domain.Categories;
using GridGov.Domain.Common;

namespace GridGov.Domain.Tests.Calendar;

/// <remarks>
/// Standard hours throughout unless said otherwise: 08:30–12:00 and 13:30–17:30 (7.5 h a day). March 2026 has
/// no holidays: Mon Mar 9, Tue Mar 10, Wed Mar 11, Fri Mar 13, Mon Mar 16 are ordinary days.
/// </remarks>
public class WorkingCalendarTests
{
    private static readonly WorkingCalendar Calendar = new(Calendar2026());

    /// <summary>Mirrors ReferenceData.Calendar2026 (State Council notice of 2025-11-04).</summary>
    internal static IEnumerable<CalendarDay> Calendar2026() =>
    [
        .. Holiday(new DateOnly(2026, 1, 1), 3, "元旦"),
        new CalendarDay(new DateOnly(2026, 1, 4), true, "元旦调休上班"),
        new CalendarDay(new DateOnly(2026, 2, 14), true, "春节调休上班"),
        .. Holiday(new DateOnly(2026, 2, 15), 9, "春节"),
        new CalendarDay(new DateOnly(2026, 2, 28), true, "春节调休上班"),
        .. Holiday(new DateOnly(2026, 4, 4), 3, "清明节"),
        .. Holiday(new DateOnly(2026, 5, 1), 5, "劳动节"),
        new CalendarDay(new DateOnly(2026, 5, 9), true, "劳动节调休上班"),
        .. Holiday(new DateOnly(2026, 6, 19), 3, "端午节"),
        new CalendarDay(new DateOnly(2026, 9, 20), true, "国庆节调休上班"),
        .. Holiday(new DateOnly(2026, 9, 25), 3, "中秋节"),
        .. Holiday(new DateOnly(2026, 10, 1), 7, "国庆节"),
        new CalendarDay(new DateOnly(2026, 10, 10), true, "国庆节调休上班"),
    ];

    /// <summary>The holiday's days from Monday to Friday: the calendar lists only those (a weekend is not worked anyway).</summary>
    private static IEnumerable<CalendarDay> Holiday(DateOnly first, int days, string name) =>
        Enumerable.Range(0, days).Select(first.AddDays).Where(d => !CalendarDay.IsWeekend(d)).Select(d => new CalendarDay(d, false, name));

    /// <summary>A wall-clock time in China (+08:00).</summary>
    private static DateTimeOffset China(int month, int day, int hour, int minute = 0, int year = 2026) =>
        new(year, month, day, hour, minute, 0, WorkingCalendar.ChinaOffset);

    private static DateTimeOffset Parse(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    [Fact]
    public void The_standard_day_is_half_past_eight_to_half_past_five_with_a_lunch_break()
    {
        Assert.Equal(7.5, Calendar.HoursPerDay);
        Assert.Equal(TimeSpan.FromHours(7.5), WorkingHours.Standard.PerDay);
        Assert.Equal(2, Calendar.Hours.Periods.Count);
        Assert.Equal(TimeSpan.FromHours(8), WorkingCalendar.ChinaOffset);
    }

    [Fact]
    public void A_limit_within_one_period_ends_the_same_morning_and_is_returned_in_utc()
    {
        var deadline = Calendar.Add(China(3, 10, 9), TimeLimit.Hours(2));

        Assert.Equal(China(3, 10, 11), deadline);
        Assert.Equal(TimeSpan.Zero, deadline.Offset);
        Assert.Equal(new DateTimeOffset(2026, 3, 10, 3, 0, 0, TimeSpan.Zero), deadline);
    }

    [Fact]
    public void The_lunch_break_does_not_count()
    {
        // 11:00–12:00 is 1 h, the other hour runs 13:30–14:30.
        Assert.Equal(China(3, 10, 14, 30), Calendar.Add(China(3, 10, 11), TimeLimit.Hours(2)));
        // 11:45–12:00 is 15 min, the other 15 min run 13:30–13:45.
        Assert.Equal(China(3, 10, 13, 45), Calendar.Add(China(3, 10, 11, 45), TimeLimit.Minutes(30)));
    }

    [Fact]
    public void The_night_does_not_count()
    {
        // 16:30–17:30 is 1 h; the other 2 h run Wednesday 08:30–10:30.
        Assert.Equal(China(3, 11, 10, 30), Calendar.Add(China(3, 10, 16, 30), TimeLimit.Hours(3)));
    }

    [Fact]
    public void A_four_hour_limit_started_friday_afternoon_runs_into_monday()
    {
        // Fri Mar 13 17:00–17:30 is 0.5 h; the remaining 3.5 h are Monday's whole morning 08:30–12:00.
        Assert.Equal(China(3, 16, 12), Calendar.Add(China(3, 13, 17), TimeLimit.Hours(4)));
    }

    [Fact]
    public void A_deadline_on_the_end_of_a_period_is_that_end_not_the_next_start()
    {
        Assert.Equal(China(3, 10, 12), Calendar.Add(China(3, 10, 8, 30), TimeLimit.Minutes(210)));
        Assert.Equal(China(3, 10, 17, 30), Calendar.Add(China(3, 10, 8, 30), TimeLimit.Days(1)));
    }

    [Fact]
    public void One_working_day_is_a_full_working_day_of_working_time_from_the_start()
    {
        // Tue 10:00–12:00 (2 h) + 13:30–17:30 (4 h) = 6 h; the last 1.5 h run Wednesday 08:30–10:00.
        Assert.Equal(China(3, 11, 10), Calendar.Add(China(3, 10, 10), TimeLimit.Days(1)));
        // From Friday 10:00 the weekend is skipped.
        Assert.Equal(China(3, 16, 10), Calendar.Add(China(3, 13, 10), TimeLimit.Days(1)));
    }

    [Fact]
    public void Twenty_working_days_from_a_monday_morning_end_four_weeks_later_on_friday_evening()
    {
        // 20 × 7.5 h = 150 h = exactly the working days Mon Mar 2 … Fri Mar 27 (no holidays in March).
        Assert.Equal(China(3, 27, 17, 30), Calendar.Add(China(3, 2, 8, 30), TimeLimit.Days(20)));
    }

    [Fact]
    public void A_three_day_limit_before_national_day_skips_the_holiday_and_counts_the_adjusted_saturday()
    {
        // Wed Sep 30 10:00: 10:00–12:00 (2 h) + 13:30–17:30 (4 h) = 6 h used, 22.5 − 6 = 16.5 h left.
        // Thu Oct 1 – Wed Oct 7 are the National Day holiday (国庆节): nothing counts.
        // Thu Oct 8: 7.5 h (9 h left); Fri Oct 9: 7.5 h (1.5 h left).
        // Sat Oct 10 is the adjusted working day (国庆节调休上班): 08:30 + 1.5 h = 10:00.
        // (Sep 25–27 中秋 and the worked Sun Sep 20 lie before the start and do not matter.)
        var start = China(9, 30, 10);

        Assert.Equal(China(10, 10, 10), Calendar.Add(start, TimeLimit.Days(3)));

        // Without the adjusted Saturday the deadline would move to Monday Oct 12 10:00.
        var without = new WorkingCalendar(Calendar2026().Where(d => d.Date != new DateOnly(2026, 10, 10)));
        Assert.Equal(China(10, 12, 10), without.Add(start, TimeLimit.Days(3)));
    }

    [Fact]
    public void The_adjusted_saturdays_of_spring_festival_are_working_days()
    {
        // Fri Feb 13 10:00 + 1 day: 6 h on Friday, 1.5 h on the worked Sat Feb 14.
        Assert.Equal(China(2, 14, 10), Calendar.Add(China(2, 13, 10), TimeLimit.Days(1)));
        // + 2 days: the whole of Sat Feb 14, then Feb 15–23 are the holiday: Tue Feb 24 10:00.
        Assert.Equal(China(2, 24, 10), Calendar.Add(China(2, 13, 10), TimeLimit.Days(2)));
        // Fri Feb 27 10:00 + 1 day runs into the worked Sat Feb 28.
        Assert.Equal(China(2, 28, 10), Calendar.Add(China(2, 27, 10), TimeLimit.Days(1)));
    }

    [Theory]
    [InlineData("2026-01-01", false)] // 元旦, Thursday
    [InlineData("2026-01-04", true)]  // 调休, Sunday
    [InlineData("2026-02-14", true)]  // 调休, Saturday
    [InlineData("2026-02-16", false)] // 春节, Monday
    [InlineData("2026-02-28", true)]  // 调休, Saturday
    [InlineData("2026-03-01", false)] // ordinary Sunday
    [InlineData("2026-03-10", true)]  // ordinary Tuesday
    [InlineData("2026-09-20", true)]  // 调休, Sunday
    [InlineData("2026-09-25", false)] // 中秋, Friday
    [InlineData("2026-10-10", true)]  // 调休, Saturday
    [InlineData("2027-01-04", true)]  // beyond the published calendar: an ordinary Monday
    public void Listed_exceptions_override_the_ordinary_week(string date, bool working)
    {
        Assert.Equal(working, Calendar.IsWorkingDay(DateOnly.Parse(date, CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("2026-03-10T07:00:00+08:00", "2026-03-10T09:00:00+08:00")] // before the office opens
    [InlineData("2026-03-10T12:30:00+08:00", "2026-03-10T14:00:00+08:00")] // during lunch
    [InlineData("2026-03-10T17:30:00+08:00", "2026-03-11T09:00:00+08:00")] // at closing time
    [InlineData("2026-03-10T22:00:00+08:00", "2026-03-11T09:00:00+08:00")] // at night
    [InlineData("2026-03-14T10:00:00+08:00", "2026-03-16T09:00:00+08:00")] // on a Saturday
    [InlineData("2026-10-03T10:00:00+08:00", "2026-10-08T09:00:00+08:00")] // in the National Day holiday
    public void A_start_outside_working_time_begins_counting_at_the_next_working_moment(string start, string expected)
    {
        Assert.Equal(Parse(expected), Calendar.Add(Parse(start), TimeLimit.Minutes(30)));
    }

    [Fact]
    public void The_next_working_moment_is_the_moment_itself_in_working_time()
    {
        Assert.Equal(China(3, 10, 10), Calendar.NextWorkingMoment(China(3, 10, 10)));
        Assert.Equal(China(10, 8, 8, 30), Calendar.NextWorkingMoment(China(9, 30, 18)));
        Assert.True(Calendar.IsWorkingTime(China(3, 10, 8, 30)));
        Assert.False(Calendar.IsWorkingTime(China(3, 10, 12)));
        Assert.False(Calendar.IsWorkingTime(China(10, 5, 10)));
        Assert.True(Calendar.IsWorkingTime(China(10, 10, 10)));
    }

    [Fact]
    public void Working_time_between_friday_afternoon_and_monday_morning_skips_the_weekend()
    {
        // Fri 16:00–17:30 (1.5 h) + Mon 08:30–10:00 (1.5 h).
        Assert.Equal(TimeSpan.FromHours(3), Calendar.WorkingTimeBetween(China(3, 13, 16), China(3, 16, 10)));
    }

    [Fact]
    public void Working_time_between_is_zero_when_the_end_is_not_after_the_start()
    {
        Assert.Equal(TimeSpan.Zero, Calendar.WorkingTimeBetween(China(3, 16, 10), China(3, 13, 16)));
        Assert.Equal(TimeSpan.Zero, Calendar.WorkingTimeBetween(China(3, 16, 10), China(3, 16, 10)));
        Assert.Equal(TimeSpan.Zero, Calendar.WorkingTimeBetween(China(3, 14, 9), China(3, 15, 18))); // a weekend
    }

    [Theory]
    [InlineData("2026-09-30T10:00:00+08:00", 3, TimeUnit.WorkingDays)]
    [InlineData("2026-02-13T10:00:00+08:00", 2, TimeUnit.WorkingDays)]
    [InlineData("2026-03-13T17:00:00+08:00", 4, TimeUnit.WorkingHours)]
    [InlineData("2026-03-10T12:15:00+08:00", 30, TimeUnit.Minutes)]
    [InlineData("2026-01-01T00:00:00+08:00", 250, TimeUnit.WorkingDays)]
    public void Working_time_between_the_start_and_the_deadline_is_the_allowance(string start, int amount, TimeUnit unit)
    {
        var limit = new TimeLimit(amount, unit);
        var from = Parse(start);

        Assert.Equal(Calendar.Allowance(limit), Calendar.WorkingTimeBetween(from, Calendar.Add(from, limit)));
    }

    [Fact]
    public void The_yellow_warning_comes_when_eighty_percent_of_the_working_time_is_used()
    {
        // 1 day = 7.5 h; 80% = 6 h: Tue 10:00–12:00 + 13:30–17:30 ends at closing time.
        Assert.Equal(China(3, 10, 17, 30), Calendar.WarningPoint(China(3, 10, 10), TimeLimit.Days(1)));
        // 4 h × 80% = 3 h 12 min: Fri 17:00–17:30, then 2 h 42 min on Monday from 08:30.
        Assert.Equal(China(3, 16, 11, 12), Calendar.WarningPoint(China(3, 13, 17), TimeLimit.Hours(4)));
        // 30 min × 80% = 24 min.
        Assert.Equal(China(3, 10, 9, 24), Calendar.WarningPoint(China(3, 10, 9), TimeLimit.Minutes(30)));
        // A share of 1 is the deadline itself.
        Assert.Equal(Calendar.Add(China(9, 30, 10), TimeLimit.Days(3)), Calendar.WarningPoint(China(9, 30, 10), TimeLimit.Days(3), 1));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-0.5)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void A_warning_share_outside_zero_to_one_is_refused(double share)
    {
        var exception = Assert.Throws<DomainException>(() => Calendar.WarningPoint(China(3, 10, 10), TimeLimit.Days(1), share));
        Assert.Equal("working-calendar.share", exception.Code);
    }

    [Fact]
    public void The_share_used_tells_a_dashboard_how_far_a_case_has_run()
    {
        var start = China(3, 10, 10);
        var limit = TimeLimit.Days(1);

        Assert.Equal(0, Calendar.ShareUsed(start, limit, China(3, 10, 9)));
        Assert.Equal(0.8, Calendar.ShareUsed(start, limit, China(3, 10, 17, 30)), 10);
        Assert.Equal(1, Calendar.ShareUsed(start, limit, China(3, 11, 10)), 10);
        Assert.True(Calendar.ShareUsed(start, limit, China(3, 12, 10)) > 1);
    }

    [Theory]
    [InlineData("2026-03-10T10:00:00+08:00")]
    [InlineData("2026-03-10T02:00:00Z")]
    [InlineData("2026-03-09T21:00:00-05:00")]
    public void The_same_moment_given_in_any_offset_gives_the_same_utc_deadline(string start)
    {
        var deadline = Calendar.Add(Parse(start), TimeLimit.Days(1));

        Assert.Equal(TimeSpan.Zero, deadline.Offset);
        Assert.Equal(new DateTimeOffset(2026, 3, 11, 2, 0, 0, TimeSpan.Zero), deadline);
        Assert.Equal(deadline.UtcDateTime, Calendar.Add(Parse(start), TimeLimit.Days(1)).UtcDateTime);
    }

    [Fact]
    public void A_utc_moment_late_in_the_evening_is_the_next_morning_in_china()
    {
        // Mon Mar 9 23:00 UTC is Tue Mar 10 07:00 in China: counting begins at 08:30.
        var start = new DateTimeOffset(2026, 3, 9, 23, 0, 0, TimeSpan.Zero);

        Assert.Equal(new DateOnly(2026, 3, 10), WorkingCalendar.ChinaDate(start));
        Assert.Equal(China(3, 10, 9, 30), Calendar.Add(start, TimeLimit.Hours(1)));
        Assert.Equal(TimeSpan.FromHours(8), WorkingCalendar.ToChinaTime(start).Offset);
    }

    [Fact]
    public void A_calendar_without_working_days_for_more_than_a_year_stops_with_a_domain_exception()
    {
        var allHolidays = Holiday(new DateOnly(2026, 1, 1), 800, "停工");
        var calendar = new WorkingCalendar(allHolidays);

        var exception = Assert.Throws<DomainException>(() => calendar.Add(China(1, 1, 10), TimeLimit.Days(1)));
        Assert.Equal("working-calendar.no-working-days", exception.Code);
        Assert.Contains("没有工作日", exception.Message);
        Assert.Throws<DomainException>(() => calendar.NextWorkingMoment(China(1, 1, 10)));
    }

    [Fact]
    public void A_long_run_of_holidays_under_a_year_is_still_walked_through()
    {
        var calendar = new WorkingCalendar(Holiday(new DateOnly(2026, 1, 1), 300, "停工"));

        // The 300 holidays cover Jan 1 – Oct 27; day 301 is Wed Oct 28 2026.
        Assert.Equal(China(10, 28, 9), calendar.Add(China(1, 1, 10), TimeLimit.Minutes(30)));
    }

    [Fact]
    public void The_largest_limit_is_computed_without_walking_minute_by_minute()
    {
        var start = China(3, 10, 10);
        var limit = TimeLimit.Days(10_000);

        var deadline = Calendar.Add(start, limit);

        Assert.True(deadline > start.AddYears(38));
        Assert.Equal(Calendar.Allowance(limit), Calendar.WorkingTimeBetween(start, deadline));
    }

    [Fact]
    public void Custom_working_hours_change_the_length_of_a_working_day()
    {
        var hours = new WorkingHours([new WorkingPeriod(new TimeOnly(9, 0), new TimeOnly(17, 0))]);
        var calendar = new WorkingCalendar(Calendar2026(), hours);

        Assert.Equal(8, calendar.HoursPerDay);
        // Fri 17:00 is closing time: the 4 h run Monday 09:00–13:00 (no lunch break in these hours).
        Assert.Equal(China(3, 16, 13), calendar.Add(China(3, 13, 17), TimeLimit.Hours(4)));
        Assert.Equal(China(3, 11, 10), calendar.Add(China(3, 10, 10), TimeLimit.Days(1)));
    }

    [Fact]
    public void Overlapping_or_empty_working_periods_are_refused()
    {
        Assert.Throws<DomainException>(() => new WorkingHours(
        [
            new WorkingPeriod(new TimeOnly(8, 30), new TimeOnly(12, 0)),
            new WorkingPeriod(new TimeOnly(11, 0), new TimeOnly(17, 0)),
        ]));
        Assert.Throws<DomainException>(() => new WorkingHours([]));
        Assert.Throws<DomainException>(() => new WorkingPeriod(new TimeOnly(12, 0), new TimeOnly(8, 30)));
    }

    [Fact]
    public void A_date_listed_twice_in_the_calendar_is_refused()
    {
        var day = new CalendarDay(new DateOnly(2026, 10, 10), true, "国庆节调休上班");

        var exception = Assert.Throws<DomainException>(() => new WorkingCalendar([day, day]));
        Assert.Equal("calendar.duplicate-date", exception.Code);
    }
}
