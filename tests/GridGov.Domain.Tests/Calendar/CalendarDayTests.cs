using GridGov.Domain.Calendar;
using GridGov.Domain.Common;

namespace GridGov.Domain.Tests.Calendar;

/// <summary>What a calendar day refuses: days that would change nothing, names that cannot be stored, dates out of range.</summary>
public class CalendarDayTests
{
    [Fact]
    public void A_holiday_on_a_weekday_and_a_working_day_on_a_weekend_are_accepted_with_the_name_trimmed()
    {
        var holiday = new CalendarDay(new DateOnly(2027, 1, 1), false, "  元旦 ");
        var working = new CalendarDay(new DateOnly(2027, 2, 6), true, "春节调休上班");

        Assert.Equal((new DateOnly(2027, 1, 1), false, "元旦"), (holiday.Date, holiday.IsWorkingDay, holiday.Name));
        Assert.Equal((DayOfWeek.Saturday, true), (working.Date.DayOfWeek, working.IsWorkingDay));
    }

    [Theory]
    [InlineData(2027, 1, 2, "周六")]
    [InlineData(2027, 1, 3, "周日")]
    public void A_holiday_on_a_weekend_is_refused_naming_the_day_of_the_week(int year, int month, int day, string weekday)
    {
        var exception = Assert.Throws<DomainException>(() => new CalendarDay(new DateOnly(year, month, day), false, "元旦"));

        Assert.Equal(CalendarDay.HolidayOnWeekendCode, exception.Code);
        Assert.Equal("date", exception.Field);
        Assert.StartsWith($"{year:0000}-{month:00}-{day:00}是{weekday}，本来就不上班", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_working_day_on_a_weekday_is_refused()
    {
        var exception = Assert.Throws<DomainException>(() => new CalendarDay(new DateOnly(2027, 2, 5), true, "春节调休上班"));

        Assert.Equal((CalendarDay.WorkingDayOnWeekdayCode, "date"), (exception.Code, exception.Field));
        Assert.Equal("2027-02-05是周五，本来就上班；调休上班日只能是周六或周日", exception.Message);
        Assert.Equal(DayOfWeek.Friday, exception.Arguments[1]);
    }

    [Theory]
    [InlineData("", "text.required")]
    [InlineData("   ", "text.required")]
    [InlineData("一二三四五六七八九十一二三四五六七八九十一", "text.too-long")]
    [InlineData("元\0旦", "text.control")]
    [InlineData("元旦\u001b", "text.control")]
    public void A_name_that_is_empty_too_long_or_holds_control_characters_is_refused(string name, string code)
    {
        var exception = Assert.Throws<DomainException>(() => new CalendarDay(new DateOnly(2027, 1, 1), false, name));

        Assert.Equal((code, "name"), (exception.Code, exception.Field));
    }

    [Theory]
    [InlineData(1999, 12, 31)]
    [InlineData(2100, 1, 1)]
    public void A_date_outside_the_years_a_calendar_covers_is_refused(int year, int month, int day)
    {
        var exception = Assert.Throws<DomainException>(() => new CalendarDay(new DateOnly(year, month, day), false, "假日"));

        Assert.Equal(("calendar.date-range", "date"), (exception.Code, exception.Field));
    }

    [Fact]
    public void A_change_is_checked_as_a_new_day_and_leaves_the_day_as_it_was_when_refused()
    {
        var day = new CalendarDay(new DateOnly(2027, 10, 1), false, "国庆节");

        Assert.Throws<DomainException>(() => day.Change(true, "国庆节调休上班"));
        Assert.Throws<DomainException>(() => day.Change(false, ""));
        Assert.Equal((false, "国庆节"), (day.IsWorkingDay, day.Name));

        day.Change(false, "国庆节、中秋节");
        Assert.Equal("国庆节、中秋节", day.Name);
    }

    [Fact]
    public void The_days_of_the_week_have_the_names_the_notices_use()
    {
        Assert.Equal(["周日", "周一", "周二", "周三", "周四", "周五", "周六"], Enum.GetValues<DayOfWeek>().Select(d => d.ChineseName()));
    }
}
