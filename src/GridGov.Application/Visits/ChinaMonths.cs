using GridGov.Domain.Calendar;

namespace GridGov.Application.Visits;

/// <summary>Months and days as they are lived in China (UTC+8), as UTC ranges for queries.</summary>
public static class ChinaMonths
{
    /// <summary>The first day of the China-time month containing the moment.</summary>
    public static DateOnly MonthOf(DateTimeOffset moment)
    {
        var day = WorkingCalendar.ChinaDate(moment);
        return new DateOnly(day.Year, day.Month, 1);
    }

    public static DateOnly MonthOf(DateOnly day) => new(day.Year, day.Month, 1);

    /// <summary>China midnight at the start of the day, in UTC.</summary>
    public static DateTimeOffset StartOf(DateOnly day) =>
        new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), WorkingCalendar.ChinaOffset).ToUniversalTime();

    /// <summary>[start, end) of the month beginning on <paramref name="month"/>, in UTC.</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) RangeOf(DateOnly month) =>
        (StartOf(MonthOf(month)), StartOf(MonthOf(month).AddMonths(1)));

    /// <summary>"2026-11" → 2026-11-01; null when the text is not a month.</summary>
    public static DateOnly? Parse(string? text) =>
        DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day)
            ? day
            : null;

    public static string Format(DateOnly month) => month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
}
