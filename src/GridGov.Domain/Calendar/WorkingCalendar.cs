using GridGov.Domain.Categories;
using GridGov.Domain.Common;

namespace GridGov.Domain.Calendar;

/// <summary>
/// Working time of the office: which days are worked and which hours of those days, used to compute the
/// deadlines of the case workflow (限时办结) and their warning points.
/// </summary>
/// <remarks>
/// <para>
/// All times are China Standard Time (UTC+08:00, no daylight saving). Inputs may carry any offset; they
/// are converted to +08:00 wall-clock time for the calendar arithmetic. Returned moments have offset zero
/// (UTC), as PostgreSQL <c>timestamptz</c> through Npgsql requires.
/// </para>
/// <para>
/// A day is a working day if the calendar lists it as an exception (a holiday, or an adjusted working day
/// 调休 on a weekend); otherwise Monday to Friday are working days. Dates outside the published calendars
/// therefore fall back to the ordinary week.
/// </para>
/// <para>
/// Limits count working time only: <see cref="TimeUnit.Minutes"/> and <see cref="TimeUnit.WorkingHours"/>
/// are that much working time; <b>N working days are N full working days of working time from the start</b>
/// (N × <see cref="WorkingHours.PerDay"/>), so a 1-working-day limit started on Tuesday 10:00 is due on
/// Wednesday 10:00, and one started on Friday 10:00 is due on Monday 10:00. A start outside working time
/// begins counting at the next working moment. A deadline that falls exactly on the end of a period is that
/// end (e.g. 12:00 or 17:30), not the start of the next period.
/// </para>
/// </remarks>
public sealed class WorkingCalendar
{
    /// <summary>China Standard Time, UTC+08:00 all year.</summary>
    public static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    /// <summary>
    /// The longest run of consecutive non-working days the calendar walks through before it gives up with a
    /// <see cref="DomainException"/> (a calendar with no working days would otherwise loop forever).
    /// </summary>
    public const int MaxDaysWithoutWork = 366;

    private readonly Dictionary<DateOnly, bool> _exceptions;

    /// <param name="exceptions">Holidays and adjusted working days; each date at most once.</param>
    /// <param name="hours">Daily working periods; <see cref="WorkingHours.Standard"/> (08:30–12:00, 13:30–17:30) if null.</param>
    public WorkingCalendar(IEnumerable<CalendarDay> exceptions, WorkingHours? hours = null)
    {
        ArgumentNullException.ThrowIfNull(exceptions);
        _exceptions = [];
        foreach (var day in exceptions)
        {
            if (!_exceptions.TryAdd(day.Date, day.IsWorkingDay))
            {
                throw new DomainException("calendar.duplicate-date", $"工作日历中日期{day.Date:yyyy-MM-dd}重复") { Arguments = [day.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)] };
            }
        }
        Hours = hours ?? WorkingHours.Standard;
    }

    /// <summary>The daily working periods.</summary>
    public WorkingHours Hours { get; }

    /// <summary>Working hours in one working day (7.5 with the standard hours).</summary>
    public double HoursPerDay => Hours.HoursPerDay;

    /// <summary>The moment as China Standard Time (offset +08:00), e.g. for display.</summary>
    public static DateTimeOffset ToChinaTime(DateTimeOffset moment) => moment.ToOffset(ChinaOffset);

    /// <summary>The calendar date in China at that moment.</summary>
    public static DateOnly ChinaDate(DateTimeOffset moment) => DateOnly.FromDateTime(ToWall(moment));

    /// <summary>Listed exception if any (holiday or 调休), otherwise Monday–Friday.</summary>
    public bool IsWorkingDay(DateOnly date) =>
        _exceptions.TryGetValue(date, out var working)
            ? working
            : date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    /// <summary>Whether the moment lies within a working period of a working day.</summary>
    public bool IsWorkingTime(DateTimeOffset moment)
    {
        var wall = ToWall(moment);
        var date = DateOnly.FromDateTime(wall);
        if (!IsWorkingDay(date))
        {
            return false;
        }
        var time = TimeOnly.FromDateTime(wall);
        return Hours.Periods.Any(p => p.Start <= time && time < p.End);
    }

    /// <summary>The moment itself if it is working time, else the start of the next working period (UTC).</summary>
    /// <exception cref="DomainException">No working day within <see cref="MaxDaysWithoutWork"/> days.</exception>
    public DateTimeOffset NextWorkingMoment(DateTimeOffset moment)
    {
        foreach (var (from, _) in WorkingIntervalsFrom(ToWall(moment)))
        {
            return FromWall(from);
        }
        throw new InvalidOperationException("unreachable: the interval walk ends only by throwing");
    }

    /// <summary>The working time a limit allows: minutes, hours, or days × <see cref="WorkingHours.PerDay"/>.</summary>
    public TimeSpan Allowance(TimeLimit limit)
    {
        ArgumentNullException.ThrowIfNull(limit);
        return limit.Unit switch
        {
            TimeUnit.Minutes => TimeSpan.FromMinutes(limit.Amount),
            TimeUnit.WorkingHours => TimeSpan.FromHours(limit.Amount),
            TimeUnit.WorkingDays => Hours.PerDay * limit.Amount,
            _ => throw new ArgumentOutOfRangeException(nameof(limit), limit.Unit, "unknown time unit"),
        };
    }

    /// <summary>The deadline of a limit started at <paramref name="start"/> (UTC).</summary>
    /// <exception cref="DomainException">No working day within <see cref="MaxDaysWithoutWork"/> days.</exception>
    public DateTimeOffset Add(DateTimeOffset start, TimeLimit limit) => AddWorkingTime(start, Allowance(limit));

    /// <summary>
    /// The moment when <paramref name="workingTime"/> of working time has passed since <paramref name="start"/>
    /// (UTC). Zero returns the start itself.
    /// </summary>
    /// <exception cref="DomainException">No working day within <see cref="MaxDaysWithoutWork"/> days.</exception>
    public DateTimeOffset AddWorkingTime(DateTimeOffset start, TimeSpan workingTime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workingTime, TimeSpan.Zero);
        if (workingTime == TimeSpan.Zero)
        {
            return start.ToUniversalTime();
        }
        var remaining = workingTime;
        foreach (var (from, to) in WorkingIntervalsFrom(ToWall(start)))
        {
            var available = to - from;
            if (remaining <= available)
            {
                return FromWall(from + remaining);
            }
            remaining -= available;
        }
        throw new InvalidOperationException("unreachable: the interval walk ends only by throwing");
    }

    /// <summary>Working time elapsed between two moments; zero if <paramref name="to"/> is not after <paramref name="from"/>.</summary>
    public TimeSpan WorkingTimeBetween(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
        {
            return TimeSpan.Zero;
        }
        var a = ToWall(from);
        var b = ToWall(to);
        var last = DateOnly.FromDateTime(b);
        var total = TimeSpan.Zero;
        for (var date = DateOnly.FromDateTime(a); date <= last; date = date.AddDays(1))
        {
            if (!IsWorkingDay(date))
            {
                continue;
            }
            foreach (var period in Hours.Periods)
            {
                var start = Max(date.ToDateTime(period.Start), a);
                var end = Min(date.ToDateTime(period.End), b);
                if (end > start)
                {
                    total += end - start;
                }
            }
        }
        return total;
    }

    /// <summary>
    /// The moment when <paramref name="share"/> of the working time the limit allows has been used (UTC):
    /// the yellow warning (预警) at 80% by default.
    /// </summary>
    /// <param name="share">Greater than 0 and at most 1.</param>
    /// <exception cref="DomainException">The share is out of range, or no working day within <see cref="MaxDaysWithoutWork"/> days.</exception>
    public DateTimeOffset WarningPoint(DateTimeOffset start, TimeLimit limit, double share = 0.8)
    {
        if (!(share > 0 && share <= 1))
        {
            throw new DomainException("working-calendar.share", "预警比例必须大于0且不超过1");
        }
        return AddWorkingTime(start, Allowance(limit) * share);
    }

    /// <summary>
    /// The share of the allowed working time used by <paramref name="now"/> (0 before the start; above 1 when overdue),
    /// e.g. for green/yellow/red lights on a dashboard.
    /// </summary>
    public double ShareUsed(DateTimeOffset start, TimeLimit limit, DateTimeOffset now) =>
        WorkingTimeBetween(start, now) / Allowance(limit);

    /// <summary>
    /// The working intervals (wall-clock time) from <paramref name="wall"/> onwards, the first one clipped to
    /// start at <paramref name="wall"/>; endless, walked period by period and day by day.
    /// </summary>
    private IEnumerable<(DateTime From, DateTime To)> WorkingIntervalsFrom(DateTime wall)
    {
        var date = DateOnly.FromDateTime(wall);
        var daysWithoutWork = 0;
        while (true)
        {
            if (IsWorkingDay(date))
            {
                daysWithoutWork = 0;
                foreach (var period in Hours.Periods)
                {
                    var from = Max(date.ToDateTime(period.Start), wall);
                    var to = date.ToDateTime(period.End);
                    if (from < to)
                    {
                        yield return (from, to);
                    }
                }
            }
            else if (++daysWithoutWork > MaxDaysWithoutWork)
            {
                throw new DomainException(
                    "working-calendar.no-working-days",
                    $"工作日历自{date.AddDays(-MaxDaysWithoutWork):yyyy-MM-dd}起连续{MaxDaysWithoutWork}天没有工作日，无法计算时限，请检查节假日设置")
                {
                    Arguments = [date.AddDays(-MaxDaysWithoutWork).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), MaxDaysWithoutWork],
                };
            }
            date = date.AddDays(1);
        }
    }

    private static DateTime ToWall(DateTimeOffset moment) => moment.ToOffset(ChinaOffset).DateTime;

    private static DateTimeOffset FromWall(DateTime wall) => new DateTimeOffset(wall, ChinaOffset).ToUniversalTime();

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
}
