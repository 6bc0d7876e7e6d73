using GridGov.Domain.Common;

namespace GridGov.Domain.Calendar;

/// <summary>
/// An exception to the ordinary week in the working calendar: a public holiday on a weekday, or an
/// adjusted working day (调休) on a weekend. Published yearly by the State Council, so it is data.
/// </summary>
public class CalendarDay
{
    public const int NameMaxLength = 20;

    private CalendarDay()
    {
        Name = "";
    }

    public CalendarDay(DateOnly date, bool isWorkingDay, string name)
    {
        Date = date;
        IsWorkingDay = isWorkingDay;
        Name = Text.Require(name, NameMaxLength, DomainFields.CalendarDayName);
    }

    public DateOnly Date { get; private set; }
    public bool IsWorkingDay { get; private set; }
    public string Name { get; private set; }
}
