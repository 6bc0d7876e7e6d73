namespace GridGov.Domain.Calendar;

/// <summary>
/// What <see cref="HolidayNoticeParser"/> read from the State Council's yearly notice (国务院办公厅关于20XX年部分节假日安排的通知):
/// each festival's arrangement as written, the calendar days that follow from it, and every sentence or date it could
/// not take as it stands.
/// </summary>
/// <param name="Year">The year the notice is about (from its title or first paragraph), else the year it was read for.</param>
/// <param name="YearFromText">Whether <paramref name="Year"/> was found in the text.</param>
/// <param name="Arrangements">One per festival item (一、元旦：…), in the notice's order.</param>
/// <param name="Days">
/// The working calendar's exceptions for <paramref name="Year"/>: the holiday days that fall on a weekday and the weekend days
/// worked (调休上班), by date. Holiday days on a weekend are left out: they are not worked anyway.
/// </param>
/// <param name="Issues">What the administrator must look at: unreadable sentences first, then doubts about read ones.</param>
public sealed record HolidayNotice(
    int Year,
    bool YearFromText,
    IReadOnlyList<NoticeArrangement> Arrangements,
    IReadOnlyList<NoticeDay> Days,
    IReadOnlyList<NoticeIssue> Issues)
{
    /// <summary>The sentences about holidays or working days that were not read at all.</summary>
    public IReadOnlyList<NoticeIssue> Unreadable => [.. Issues.Where(i => i.Kind == NoticeIssueKind.Unreadable)];
}

/// <summary>One festival item of a notice: its holiday periods and the weekend days worked for it.</summary>
public sealed record NoticeArrangement(string Name, IReadOnlyList<NoticeHolidayPeriod> Holidays, IReadOnlyList<DateOnly> WorkingDays);

/// <summary>A run of holiday days as the notice gives it (weekends included), with the number of days it states, if any.</summary>
public sealed record NoticeHolidayPeriod(DateOnly First, DateOnly Last, int? StatedDays)
{
    public int Days => Last.DayNumber - First.DayNumber + 1;
}

/// <summary>A calendar day that follows from the notice: a holiday on a weekday, or a weekend day worked.</summary>
public sealed record NoticeDay(DateOnly Date, bool IsWorkingDay, string Name);

public enum NoticeIssueKind
{
    /// <summary>A sentence about holidays or working days that was not understood; nothing was taken from it.</summary>
    Unreadable,
    /// <summary>The day of the week in brackets is not the date's (often: the notice is for another year).</summary>
    WeekdayMismatch,
    /// <summary>"共N天" disagrees with the period's dates.</summary>
    DayCountMismatch,
    /// <summary>A day listed as worked (上班) falls on a weekday: it is worked anyway, nothing to record.</summary>
    WorkingDayOnWeekday,
    /// <summary>A holiday or working day outside the notice's year: it belongs to another year's calendar and is not taken.</summary>
    OutsideYear,
    /// <summary>The same date is given as a holiday and as a working day: neither is taken.</summary>
    Conflict,
}

/// <summary>A sentence of the notice the administrator should look at, and why.</summary>
/// <param name="Sentence">The sentence as pasted (spaces removed), without its closing 。.</param>
/// <param name="Date">The date the issue is about, if it is about one.</param>
/// <param name="StatedWeekday">For <see cref="NoticeIssueKind.WeekdayMismatch"/>: the day of the week the notice gives.</param>
/// <param name="StatedDays">For <see cref="NoticeIssueKind.DayCountMismatch"/>: the days the notice states.</param>
/// <param name="CountedDays">For <see cref="NoticeIssueKind.DayCountMismatch"/>: the days between the period's dates.</param>
public sealed record NoticeIssue(
    NoticeIssueKind Kind,
    string Sentence,
    DateOnly? Date = null,
    DayOfWeek? StatedWeekday = null,
    int? StatedDays = null,
    int? CountedDays = null);
