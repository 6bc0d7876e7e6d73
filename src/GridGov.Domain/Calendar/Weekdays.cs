namespace GridGov.Domain.Calendar;

/// <summary>The days of the week as the Chinese calendar notices write them (周一 … 周日).</summary>
public static class Weekdays
{
    public static string ChineseName(this DayOfWeek day) => day switch
    {
        DayOfWeek.Monday => "周一",
        DayOfWeek.Tuesday => "周二",
        DayOfWeek.Wednesday => "周三",
        DayOfWeek.Thursday => "周四",
        DayOfWeek.Friday => "周五",
        DayOfWeek.Saturday => "周六",
        DayOfWeek.Sunday => "周日",
        _ => throw new ArgumentOutOfRangeException(nameof(day), day, "not a day of the week"),
    };
}
