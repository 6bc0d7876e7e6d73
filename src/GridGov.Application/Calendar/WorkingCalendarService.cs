using System.Globalization;
using GridGov.Application.Common;
using GridGov.Application.Visits;
using GridGov.Domain.Calendar;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace GridGov.Application.Calendar;

/// <summary>A day of the working calendar as the administrator types it (the date is null until one is picked).</summary>
public sealed record CalendarDayInput(DateOnly? Date, bool IsWorkingDay, string? Name);

/// <summary>A calendar day as the year's table lists it; <paramref name="IsClosed"/>: its month's evaluation is over, so it no longer changes.</summary>
public sealed record CalendarDayRow(DateOnly Date, bool IsWorkingDay, string Name, bool IsClosed);

/// <summary>
/// One year of the working calendar for the administrator's page.
/// </summary>
/// <param name="FirstOpenDay">The first day of the running month (China time): days before it lie in closed months and stay as they are.</param>
/// <param name="Reminder">Set from December on while next year's calendar is still empty.</param>
public sealed record CalendarYearView(int Year, DateOnly Today, DateOnly FirstOpenDay, IReadOnlyList<CalendarDayRow> Days, CalendarReminder? Reminder)
{
    public int Holidays => Days.Count(d => !d.IsWorkingDay);
    public int WorkingDays => Days.Count(d => d.IsWorkingDay);
}

/// <summary>Next year's calendar is still empty (shown from December on).</summary>
public sealed record CalendarReminder(int Year);

/// <summary>
/// What applying a parsed notice would do to its year: the notice itself (with what could not be read) and how its days
/// compare with the stored ones. <see cref="ClosedChanges"/> lists the dates of closed months where the two differ: while
/// there is any, the notice cannot be applied.
/// </summary>
public sealed record NoticePreview(
    HolidayNotice Notice,
    int Stored,
    IReadOnlyList<DateOnly> Added,
    IReadOnlyList<DateOnly> Removed,
    IReadOnlyList<DateOnly> Changed,
    IReadOnlyList<DateOnly> ClosedChanges)
{
    public bool CanApply => Notice.Days.Count > 0 && ClosedChanges.Count == 0;

    public bool ChangesNothing => Added.Count == 0 && Removed.Count == 0 && Changed.Count == 0;
}

/// <summary>What a replacement of a year did.</summary>
public sealed record CalendarReplaced(int Year, int Added, int Removed, int Changed, int Kept);

/// <summary>
/// The only way the working calendar (工作日历) changes: an administrator adds, changes and removes holidays and adjusted
/// working days (调休) one by one, or replaces a year's days with those read from the State Council's notice
/// (<see cref="HolidayNoticeParser"/>), all in one transaction. Each day is checked by <see cref="CalendarDay"/> (a holiday on
/// a weekday, a working day on a weekend, a name that fits). A day in a month whose evaluation is closed (any month before the
/// running one, China time) never changes: deadlines and the frozen evaluation of that month were computed with it. Every
/// change is written to the audit log by the database context, like any other save.
/// </summary>
/// <remarks>
/// Nothing keeps the calendar between operations: deadlines (<see cref="Cases.CaseDeadlines"/>) read it once per request or
/// page action, in that operation's own scope, so a change is seen by the next operation on every app node without any
/// message between them. A change does not move deadlines already set; it applies to those set after it.
/// </remarks>
public sealed partial class WorkingCalendarService(IGridGovDbContext db, TimeProvider clock, ILogger<WorkingCalendarService> logger)
{
    /// <summary>The most dates a refusal lists before "…".</summary>
    private const int DatesListed = 10;

    public const string ConcurrentCode = "calendar.concurrent";

    public static void RequireAdministrator(CaseActor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.Role != StaffRole.Administrator)
        {
            throw new DomainException("calendar.admin-only", "只有系统管理员可以查看和修改工作日历");
        }
    }

    /// <summary>Today in China.</summary>
    public DateOnly Today => WorkingCalendar.ChinaDate(clock.GetUtcNow());

    /// <summary>The first day of the running month: the days before it lie in months whose evaluation is closed.</summary>
    public DateOnly FirstOpenDay => ChinaMonths.MonthOf(clock.GetUtcNow());

    /// <summary>The year's days by date, with the reminder about next year's calendar.</summary>
    public async Task<CalendarYearView> YearAsync(int year, CaseActor actor, CancellationToken cancellationToken = default)
    {
        RequireAdministrator(actor);
        RequireYear(year);
        var (first, last) = YearRange(year);
        var open = FirstOpenDay;
        var days = await db.CalendarDays.AsNoTracking()
            .Where(d => d.Date >= first && d.Date <= last)
            .OrderBy(d => d.Date)
            .Select(d => new CalendarDayRow(d.Date, d.IsWorkingDay, d.Name, d.Date < open))
            .ToListAsync(cancellationToken);
        return new CalendarYearView(year, Today, open, days, await ReminderOfAsync(cancellationToken));
    }

    /// <summary>
    /// From December 1st on (China time), next year's calendar with no day yet: the notice usually comes out in November, and
    /// without it next year's deadlines would run through its holidays.
    /// </summary>
    public async Task<CalendarReminder?> ReminderAsync(CaseActor actor, CancellationToken cancellationToken = default)
    {
        RequireAdministrator(actor);
        return await ReminderOfAsync(cancellationToken);
    }

    private async Task<CalendarReminder?> ReminderOfAsync(CancellationToken cancellationToken)
    {
        var today = Today;
        if (today.Month != 12 || today.Year + 1 > CalendarDay.LastYear)
        {
            return null;
        }
        var (first, last) = YearRange(today.Year + 1);
        return await db.CalendarDays.AnyAsync(d => d.Date >= first && d.Date <= last, cancellationToken) ? null : new CalendarReminder(today.Year + 1);
    }

    public async Task AddAsync(CalendarDayInput input, CaseActor actor, CancellationToken cancellationToken = default)
    {
        RequireAdministrator(actor);
        ArgumentNullException.ThrowIfNull(input);
        var day = new CalendarDay(RequireDate(input.Date), input.IsWorkingDay, input.Name!);
        RequireOpen(day.Date);
        if (await db.CalendarDays.AsNoTracking().SingleOrDefaultAsync(d => d.Date == day.Date, cancellationToken) is { } existing)
        {
            throw Exists(existing);
        }
        db.CalendarDays.Add(day);
        await SaveAsync(cancellationToken);
        LogAdded(Format(day.Date), day.IsWorkingDay, actor.Name);
    }

    /// <summary>Changes the day at <paramref name="date"/>: its kind and name, or its date (the day moves: removed there, added at the new date).</summary>
    public async Task ChangeAsync(DateOnly date, CalendarDayInput input, CaseActor actor, CancellationToken cancellationToken = default)
    {
        RequireAdministrator(actor);
        ArgumentNullException.ThrowIfNull(input);
        var newDate = RequireDate(input.Date);
        var day = await db.CalendarDays.SingleOrDefaultAsync(d => d.Date == date, cancellationToken) ?? throw NotFound(date);
        RequireOpen(date);
        if (newDate == date)
        {
            day.Change(input.IsWorkingDay, input.Name!);
        }
        else
        {
            var moved = new CalendarDay(newDate, input.IsWorkingDay, input.Name!);
            RequireOpen(newDate);
            if (await db.CalendarDays.AsNoTracking().SingleOrDefaultAsync(d => d.Date == newDate, cancellationToken) is { } existing)
            {
                throw Exists(existing);
            }
            db.CalendarDays.Remove(day);
            db.CalendarDays.Add(moved);
        }
        await SaveAsync(cancellationToken);
        LogChanged(Format(date), Format(newDate), actor.Name);
    }

    public async Task RemoveAsync(DateOnly date, CaseActor actor, CancellationToken cancellationToken = default)
    {
        RequireAdministrator(actor);
        var day = await db.CalendarDays.SingleOrDefaultAsync(d => d.Date == date, cancellationToken) ?? throw NotFound(date);
        RequireOpen(date);
        db.CalendarDays.Remove(day);
        await SaveAsync(cancellationToken);
        LogRemoved(Format(date), actor.Name);
    }

    /// <summary>
    /// Reads a pasted notice for <paramref name="year"/> (the notice's own year wins when it names one) and compares its days
    /// with the stored ones; writes nothing.
    /// </summary>
    public async Task<NoticePreview> PreviewNoticeAsync(string? text, int year, CaseActor actor, CancellationToken cancellationToken = default)
    {
        RequireAdministrator(actor);
        RequireYear(year);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw DomainException.For(DomainFields.HolidayNotice, "calendar.notice-empty", "请粘贴国务院办公厅关于部分节假日安排的通知全文");
        }
        if (text.Length > HolidayNoticeParser.MaxLength)
        {
            throw DomainException.For(DomainFields.HolidayNotice, "calendar.notice-too-long",
                $"{DomainFields.HolidayNotice}不能超过{HolidayNoticeParser.MaxLength}个字，请只粘贴通知本身", HolidayNoticeParser.MaxLength);
        }
        var notice = HolidayNoticeParser.Parse(text, year);
        RequireYear(notice.Year);
        var stored = await StoredAsync(notice.Year, tracked: false, cancellationToken);
        var plan = Plan(stored, notice.Days.Select(d => (d.Date, d.IsWorkingDay, d.Name)).ToList());
        return new NoticePreview(notice, stored.Count, plan.Added.Select(d => d.Date).ToList(), plan.Removed.Select(d => d.Date).ToList(),
            plan.Changed.Select(c => c.Day.Date).ToList(), plan.ClosedChanges);
    }

    /// <summary>
    /// Replaces the year's days with <paramref name="days"/> (a parsed notice's), in one transaction: days no longer given are
    /// removed, new ones added, changed ones updated, the rest left alone (so the audit shows only real changes). Closed months
    /// must already agree with the days given (by date and kind); otherwise nothing is written. All days are checked first.
    /// </summary>
    public async Task<CalendarReplaced> ReplaceYearAsync(int year, IReadOnlyList<CalendarDayInput> days, CaseActor actor, CancellationToken cancellationToken = default)
    {
        RequireAdministrator(actor);
        ArgumentNullException.ThrowIfNull(days);
        RequireYear(year);
        if (days.Count == 0)
        {
            throw new DomainException("calendar.replace-empty", "通知中没有读到任何放假或调休上班的日子，日历未改动");
        }
        var given = new List<(DateOnly Date, bool IsWorkingDay, string Name)>();
        var seen = new HashSet<DateOnly>();
        foreach (var input in days)
        {
            var day = new CalendarDay(RequireDate(input.Date), input.IsWorkingDay, input.Name!);
            if (day.Date.Year != year)
            {
                throw new DomainException("calendar.replace-outside-year", $"{Format(day.Date)}不在{year}年内，日历未改动") { Arguments = [Format(day.Date), year] };
            }
            if (!seen.Add(day.Date))
            {
                throw new DomainException("calendar.duplicate-date", $"工作日历中日期{Format(day.Date)}重复") { Arguments = [Format(day.Date)] };
            }
            given.Add((day.Date, day.IsWorkingDay, day.Name));
        }

        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        var stored = await StoredAsync(year, tracked: true, cancellationToken);
        var plan = Plan(stored, given);
        if (plan.ClosedChanges.Count > 0)
        {
            throw ClosedChanges(plan.ClosedChanges);
        }
        foreach (var removed in plan.Removed)
        {
            db.CalendarDays.Remove(removed);
        }
        foreach (var (day, isWorkingDay, name) in plan.Changed)
        {
            day.Change(isWorkingDay, name);
        }
        foreach (var added in plan.Added)
        {
            db.CalendarDays.Add(new CalendarDay(added.Date, added.IsWorkingDay, added.Name));
        }
        await SaveAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var result = new CalendarReplaced(year, plan.Added.Count, plan.Removed.Count, plan.Changed.Count, given.Count - plan.Added.Count - plan.Changed.Count);
        LogReplaced(year, result.Added, result.Removed, result.Changed, result.Kept, actor.Name);
        return result;
    }

    private sealed record ReplacePlan(
        List<(DateOnly Date, bool IsWorkingDay, string Name)> Added,
        List<CalendarDay> Removed,
        List<(CalendarDay Day, bool IsWorkingDay, string Name)> Changed,
        List<DateOnly> ClosedChanges);

    /// <summary>
    /// How the stored days become the given ones. In closed months only a difference of date or kind counts (and makes the
    /// replacement impossible); a different name there is left as stored.
    /// </summary>
    private ReplacePlan Plan(IReadOnlyList<CalendarDay> stored, IReadOnlyList<(DateOnly Date, bool IsWorkingDay, string Name)> given)
    {
        var open = FirstOpenDay;
        var byDate = stored.ToDictionary(d => d.Date);
        var givenDates = given.Select(g => g.Date).ToHashSet();
        var plan = new ReplacePlan([], [], [], []);
        foreach (var day in given)
        {
            if (!byDate.TryGetValue(day.Date, out var existing))
            {
                if (day.Date < open)
                {
                    plan.ClosedChanges.Add(day.Date);
                }
                else
                {
                    plan.Added.Add(day);
                }
            }
            else if (existing.IsWorkingDay != day.IsWorkingDay)
            {
                if (day.Date < open)
                {
                    plan.ClosedChanges.Add(day.Date);
                }
                else
                {
                    plan.Changed.Add((existing, day.IsWorkingDay, day.Name));
                }
            }
            else if (existing.Name != day.Name && day.Date >= open)
            {
                plan.Changed.Add((existing, day.IsWorkingDay, day.Name));
            }
        }
        foreach (var day in stored.Where(d => !givenDates.Contains(d.Date)))
        {
            if (day.Date < open)
            {
                plan.ClosedChanges.Add(day.Date);
            }
            else
            {
                plan.Removed.Add(day);
            }
        }
        plan.ClosedChanges.Sort();
        return plan;
    }

    private async Task<List<CalendarDay>> StoredAsync(int year, bool tracked, CancellationToken cancellationToken)
    {
        var (first, last) = YearRange(year);
        var query = db.CalendarDays.Where(d => d.Date >= first && d.Date <= last);
        return await (tracked ? query : query.AsNoTracking()).OrderBy(d => d.Date).ToListAsync(cancellationToken);
    }

    /// <summary>Saves; a save that lost a race with another administrator's (the same date added twice, a day changed or removed meanwhile) is refused whole.</summary>
    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception is DbUpdateConcurrencyException || exception.InnerException?.Message.Contains("pk_calendar_days", StringComparison.Ordinal) == true)
        {
            LogConcurrent(exception.GetType().Name);
            throw new DomainException(ConcurrentCode, "工作日历刚被他人修改，本次修改未生效；请刷新后重试");
        }
    }

    private void RequireOpen(DateOnly date)
    {
        if (date < FirstOpenDay)
        {
            throw new DomainException("calendar.month-closed", $"{Format(date)}所在的{date.Year}年{date.Month}月考核已结束，该月的工作日历不能再修改")
            {
                Field = DomainFields.CalendarDate.Name,
                Arguments = [Format(date), date.Year, date.Month],
            };
        }
    }

    private static DomainException ClosedChanges(List<DateOnly> dates)
    {
        var listed = string.Join("、", dates.Take(DatesListed).Select(Format)) + (dates.Count > DatesListed ? "…" : "");
        return new DomainException("calendar.replace-closed", $"本月以前各月的考核已结束，这些月份的工作日历不能再改，而通知与现有日历在{listed}不同；日历未改动")
        {
            Arguments = [listed],
        };
    }

    private static DateOnly RequireDate(DateOnly? date) =>
        date ?? throw DomainException.For(DomainFields.CalendarDate, "calendar.date-required", "请选择日期");

    private static void RequireYear(int year)
    {
        if (year is < CalendarDay.FirstYear or > CalendarDay.LastYear)
        {
            throw new DomainException("calendar.year-range", $"年份须在{CalendarDay.FirstYear}年至{CalendarDay.LastYear}年之间")
            {
                Arguments = [CalendarDay.FirstYear, CalendarDay.LastYear],
            };
        }
    }

    private static DomainException Exists(CalendarDay existing) =>
        new("calendar.day-exists", $"{Format(existing.Date)}已在工作日历中（{existing.Name}），请修改这一天，不要重复添加")
        {
            Field = DomainFields.CalendarDate.Name,
            Arguments = [Format(existing.Date), existing.Name],
        };

    private static DomainException NotFound(DateOnly date) =>
        new("calendar.day-not-found", $"{Format(date)}不在工作日历中，可能已被他人删除；请刷新后重试") { Arguments = [Format(date)] };

    private static (DateOnly First, DateOnly Last) YearRange(int year) => (new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));

    private static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "Calendar day {Date} added by {Actor}; working day {IsWorkingDay}")]
    private partial void LogAdded(string date, bool isWorkingDay, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Calendar day {Date} changed by {Actor} (now {NewDate})")]
    private partial void LogChanged(string date, string newDate, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Calendar day {Date} removed by {Actor}")]
    private partial void LogRemoved(string date, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Calendar {Year} replaced by {Actor}: {Added} added, {Removed} removed, {Changed} changed, {Kept} kept")]
    private partial void LogReplaced(int year, int added, int removed, int changed, int kept, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Calendar save refused: another change came first ({Exception})")]
    private partial void LogConcurrent(string exception);
}
