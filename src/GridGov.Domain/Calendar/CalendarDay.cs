using System.Globalization;
using GridGov.Domain.Common;

namespace GridGov.Domain.Calendar;

/// <summary>
/// An exception to the ordinary week in the working calendar: a public holiday on a weekday, or an
/// adjusted working day (调休) on a weekend. Published yearly by the State Council, so it is data.
/// </summary>
/// <remarks>
/// Only the exceptions are kept: a holiday that falls on a Saturday or Sunday changes nothing (the day is not worked
/// anyway), and neither does a "working day" from Monday to Friday, so both are refused. That keeps the calendar a list of
/// days that really differ from the ordinary week, and catches a mistyped date (a holiday typed on a weekend).
/// </remarks>
public class CalendarDay
{
    public const int NameMaxLength = 20;

    /// <summary>The first and last years a calendar day may lie in.</summary>
    public const int FirstYear = 2000;
    public const int LastYear = 2099;

    public const string HolidayOnWeekendCode = "calendar.holiday-on-weekend";
    public const string WorkingDayOnWeekdayCode = "calendar.working-day-on-weekday";

    private CalendarDay()
    {
        Name = "";
    }

    /// <exception cref="DomainException">The date is out of range, the kind does not fit the day of the week, or the name is empty, too long or has control characters.</exception>
    public CalendarDay(DateOnly date, bool isWorkingDay, string name)
    {
        Date = Checked(date, isWorkingDay);
        IsWorkingDay = isWorkingDay;
        Name = CheckedName(name);
    }

    public DateOnly Date { get; private set; }
    public bool IsWorkingDay { get; private set; }
    public string Name { get; private set; }

    /// <summary>Saturday or Sunday.</summary>
    public static bool IsWeekend(DateOnly date) => date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;

    /// <summary>Changes the kind and the name of the day (the date is the key: another date is another day).</summary>
    public void Change(bool isWorkingDay, string name)
    {
        Checked(Date, isWorkingDay);
        var checkedName = CheckedName(name);
        (IsWorkingDay, Name) = (isWorkingDay, checkedName);
    }

    private static DateOnly Checked(DateOnly date, bool isWorkingDay)
    {
        var text = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (date.Year is < FirstYear or > LastYear)
        {
            throw new DomainException("calendar.date-range", $"日期须在{FirstYear}年至{LastYear}年之间")
            {
                Field = DomainFields.CalendarDate.Name,
                Arguments = [FirstYear, LastYear],
            };
        }
        if (!isWorkingDay && IsWeekend(date))
        {
            throw new DomainException(HolidayOnWeekendCode, $"{text}是{Weekdays.ChineseName(date.DayOfWeek)}，本来就不上班；节假日只需列出落在周一至周五的日子")
            {
                Field = DomainFields.CalendarDate.Name,
                Arguments = [text, date.DayOfWeek],
            };
        }
        if (isWorkingDay && !IsWeekend(date))
        {
            throw new DomainException(WorkingDayOnWeekdayCode, $"{text}是{Weekdays.ChineseName(date.DayOfWeek)}，本来就上班；调休上班日只能是周六或周日")
            {
                Field = DomainFields.CalendarDate.Name,
                Arguments = [text, date.DayOfWeek],
            };
        }
        return date;
    }

    private static string CheckedName(string? name) => Text.Require(name, NameMaxLength, DomainFields.CalendarDayName);
}
