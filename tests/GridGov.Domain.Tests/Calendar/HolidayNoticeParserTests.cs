using System.Globalization;
using System.Text;
using GridGov.Domain.Calendar;

namespace GridGov.Domain.Tests.Calendar;

/// <summary>
/// The notice parser on the State Council's real notices for 2024 (国办发明电〔2023〕7号, as in the 2023 State Council
/// gazette No. 31), 2025 (国办发明电〔2024〕12号, Xinhua 2024-11-12) and 2026 (Xinhua 2025-11-04, with the agency's dateline),
/// in Calendar/Notices. The expected days are written out by hand from the notices: the holiday days from Monday to Friday
/// and the weekend days worked.
/// </summary>
public class HolidayNoticeParserTests
{
    public static string Notice(int year)
    {
        using var stream = typeof(HolidayNoticeParserTests).Assembly.GetManifestResourceStream($"Notices.{year}.txt")
            ?? throw new InvalidOperationException($"no notice for {year}");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static DateOnly D(int year, int month, int day) => new(year, month, day);

    private static NoticeDay Off(int year, int month, int day, string name) => new(D(year, month, day), false, name);

    private static NoticeDay On(int year, int month, int day, string name) => new(D(year, month, day), true, name);

    /// <summary>What each notice means for the working calendar, by date.</summary>
    public static IReadOnlyList<NoticeDay> Expected(int year) => year switch
    {
        2024 =>
        [
            Off(2024, 1, 1, "元旦"),
            On(2024, 2, 4, "春节调休上班"),
            Off(2024, 2, 12, "春节"), Off(2024, 2, 13, "春节"), Off(2024, 2, 14, "春节"), Off(2024, 2, 15, "春节"), Off(2024, 2, 16, "春节"),
            On(2024, 2, 18, "春节调休上班"),
            Off(2024, 4, 4, "清明节"), Off(2024, 4, 5, "清明节"),
            On(2024, 4, 7, "清明节调休上班"),
            On(2024, 4, 28, "劳动节调休上班"),
            Off(2024, 5, 1, "劳动节"), Off(2024, 5, 2, "劳动节"), Off(2024, 5, 3, "劳动节"),
            On(2024, 5, 11, "劳动节调休上班"),
            Off(2024, 6, 10, "端午节"),
            On(2024, 9, 14, "中秋节调休上班"),
            Off(2024, 9, 16, "中秋节"), Off(2024, 9, 17, "中秋节"),
            On(2024, 9, 29, "国庆节调休上班"),
            Off(2024, 10, 1, "国庆节"), Off(2024, 10, 2, "国庆节"), Off(2024, 10, 3, "国庆节"), Off(2024, 10, 4, "国庆节"), Off(2024, 10, 7, "国庆节"),
            On(2024, 10, 12, "国庆节调休上班"),
        ],
        2025 =>
        [
            Off(2025, 1, 1, "元旦"),
            On(2025, 1, 26, "春节调休上班"),
            Off(2025, 1, 28, "春节"), Off(2025, 1, 29, "春节"), Off(2025, 1, 30, "春节"), Off(2025, 1, 31, "春节"),
            Off(2025, 2, 3, "春节"), Off(2025, 2, 4, "春节"),
            On(2025, 2, 8, "春节调休上班"),
            Off(2025, 4, 4, "清明节"),
            On(2025, 4, 27, "劳动节调休上班"),
            Off(2025, 5, 1, "劳动节"), Off(2025, 5, 2, "劳动节"), Off(2025, 5, 5, "劳动节"),
            Off(2025, 6, 2, "端午节"),
            On(2025, 9, 28, "国庆节、中秋节调休上班"),
            Off(2025, 10, 1, "国庆节、中秋节"), Off(2025, 10, 2, "国庆节、中秋节"), Off(2025, 10, 3, "国庆节、中秋节"),
            Off(2025, 10, 6, "国庆节、中秋节"), Off(2025, 10, 7, "国庆节、中秋节"), Off(2025, 10, 8, "国庆节、中秋节"),
            On(2025, 10, 11, "国庆节、中秋节调休上班"),
        ],
        2026 =>
        [
            Off(2026, 1, 1, "元旦"), Off(2026, 1, 2, "元旦"),
            On(2026, 1, 4, "元旦调休上班"),
            On(2026, 2, 14, "春节调休上班"),
            Off(2026, 2, 16, "春节"), Off(2026, 2, 17, "春节"), Off(2026, 2, 18, "春节"), Off(2026, 2, 19, "春节"), Off(2026, 2, 20, "春节"),
            Off(2026, 2, 23, "春节"),
            On(2026, 2, 28, "春节调休上班"),
            Off(2026, 4, 6, "清明节"),
            Off(2026, 5, 1, "劳动节"), Off(2026, 5, 4, "劳动节"), Off(2026, 5, 5, "劳动节"),
            On(2026, 5, 9, "劳动节调休上班"),
            Off(2026, 6, 19, "端午节"),
            On(2026, 9, 20, "国庆节调休上班"),
            Off(2026, 9, 25, "中秋节"),
            Off(2026, 10, 1, "国庆节"), Off(2026, 10, 2, "国庆节"), Off(2026, 10, 5, "国庆节"), Off(2026, 10, 6, "国庆节"), Off(2026, 10, 7, "国庆节"),
            On(2026, 10, 10, "国庆节调休上班"),
        ],
        _ => throw new ArgumentOutOfRangeException(nameof(year)),
    };

    [Theory]
    [InlineData(2024)]
    [InlineData(2025)]
    [InlineData(2026)]
    public void A_real_notice_gives_its_weekday_holidays_and_weekend_working_days(int year)
    {
        var notice = HolidayNoticeParser.Parse(Notice(year), fallbackYear: 2000);

        Assert.Equal(year, notice.Year);
        Assert.True(notice.YearFromText);
        Assert.Equal(Expected(year), notice.Days);
        Assert.All(notice.Days, day => Assert.Equal(day.IsWorkingDay, CalendarDay.IsWeekend(day.Date)));
    }

    [Fact]
    public void The_2024_notice_reports_its_advice_to_rest_on_new_years_eve_as_unread_and_nothing_else()
    {
        var notice = HolidayNoticeParser.Parse(Notice(2024), 2024);

        var issue = Assert.Single(notice.Issues);
        Assert.Equal(NoticeIssueKind.Unreadable, issue.Kind);
        Assert.Equal("鼓励各单位结合带薪年休假等制度落实，安排职工在除夕（2月9日）休息", issue.Sentence);
        Assert.DoesNotContain(notice.Days, d => d.Date == D(2024, 2, 9)); // advice, not a holiday
    }

    [Theory]
    [InlineData(2025)]
    [InlineData(2026)]
    public void The_2025_and_2026_notices_leave_nothing_unread_preamble_dateline_advice_and_signature_included(int year)
    {
        var notice = HolidayNoticeParser.Parse(Notice(year), year);

        Assert.Empty(notice.Issues);
    }

    [Fact]
    public void Each_festival_item_keeps_its_periods_stated_days_and_working_days_as_written()
    {
        var notice = HolidayNoticeParser.Parse(Notice(2025), 2025);

        Assert.Equal(["元旦", "春节", "清明节", "劳动节", "端午节", "国庆节、中秋节"], notice.Arrangements.Select(a => a.Name));
        var spring = notice.Arrangements[1];
        var period = Assert.Single(spring.Holidays);
        Assert.Equal((D(2025, 1, 28), D(2025, 2, 4), 8, 8), (period.First, period.Last, period.StatedDays, period.Days));
        Assert.Equal([D(2025, 1, 26), D(2025, 2, 8)], spring.WorkingDays);
        var dragonBoat = Assert.Single(notice.Arrangements[4].Holidays);
        Assert.Equal((D(2025, 5, 31), D(2025, 6, 2)), (dragonBoat.First, dragonBoat.Last)); // a period across a month end
        Assert.Equal(1, Assert.Single(notice.Arrangements[0].Holidays).StatedDays); // "放假1天"
    }

    [Fact]
    public void The_2026_notice_reads_as_the_demo_streets_2026_calendar()
    {
        var notice = HolidayNoticeParser.Parse(Notice(2026), 2026);

        Assert.Equal(WorkingCalendarTests.Calendar2026().OrderBy(d => d.Date).Select(d => (d.Date, d.IsWorkingDay)), notice.Days.Select(d => (d.Date, d.IsWorkingDay)));
    }

    [Fact]
    public void A_notice_pasted_on_one_line_with_ascii_brackets_full_width_digits_and_stray_spaces_reads_the_same()
    {
        var messy = Notice(2025)
            .Replace("\n", "", StringComparison.Ordinal)
            .Replace('（', '(').Replace('）', ')').Replace('：', ':').Replace('，', ',')
            .Replace("1月28日", "１月２８日", StringComparison.Ordinal)
            .Replace("放假调休", "放假 调休", StringComparison.Ordinal)
            .Replace("上班", "\u00a0上班", StringComparison.Ordinal);

        var notice = HolidayNoticeParser.Parse(messy, 2000);

        Assert.Equal(2025, notice.Year);
        Assert.Equal(Expected(2025), notice.Days);
        Assert.Empty(notice.Issues);
    }

    [Fact]
    public void A_notice_in_traditional_characters_reads_the_same()
    {
        var traditional = Notice(2026)
            .Replace("节", "節", StringComparison.Ordinal).Replace("劳动", "勞動", StringComparison.Ordinal)
            .Replace("国庆", "國慶", StringComparison.Ordinal).Replace("调休", "調休", StringComparison.Ordinal)
            .Replace("农历", "農曆", StringComparison.Ordinal).Replace("腊月", "臘月", StringComparison.Ordinal)
            .Replace("关于", "關於", StringComparison.Ordinal);

        var notice = HolidayNoticeParser.Parse(traditional, 2000);

        Assert.Equal(2026, notice.Year);
        Assert.Equal(Expected(2026), notice.Days);
        Assert.Empty(notice.Issues);
    }

    [Fact]
    public void Only_the_items_pasted_are_read_for_the_year_chosen()
    {
        var items = string.Join("\n", Notice(2026).Split('\n').Where(line => line.Length > 2 && "一二三四五六七".Contains(line[0], StringComparison.Ordinal)));

        var notice = HolidayNoticeParser.Parse(items, 2026);

        Assert.False(notice.YearFromText);
        Assert.Equal(2026, notice.Year);
        Assert.Equal(Expected(2026), notice.Days);
        Assert.Empty(notice.Issues);
    }

    [Fact]
    public void Items_read_for_the_wrong_year_report_every_day_of_the_week_that_does_not_fit()
    {
        var items = "一、元旦：1月1日（周三）放假1天，不调休。\n二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。";

        var notice = HolidayNoticeParser.Parse(items, 2026);

        var mismatches = notice.Issues.Where(i => i.Kind == NoticeIssueKind.WeekdayMismatch).ToList();
        Assert.Equal([D(2026, 1, 1), D(2026, 1, 28), D(2026, 2, 4), D(2026, 1, 26), D(2026, 2, 8)], mismatches.Select(i => i.Date!.Value));
        Assert.Equal(DayOfWeek.Wednesday, mismatches[0].StatedWeekday);
        Assert.Equal(DayOfWeek.Thursday, D(2026, 1, 1).DayOfWeek);
        // Read for 2025 the same items fit.
        Assert.DoesNotContain(HolidayNoticeParser.Parse(items, 2025).Issues, i => i.Kind == NoticeIssueKind.WeekdayMismatch);
    }

    [Theory]
    [InlineData("三、清明节：4月4日前后看情况放假。")]
    [InlineData("三、清明节：2月30日至3月2日放假调休，共3天。")]
    [InlineData("三、清明节：4月6日至4月4日放假，共3天。")]
    [InlineData("三、清明节：4月4日至6日放假，共3天，另行通知4月7日上班。")]
    [InlineData("三、清明节：4月4日至6日放假，共3天，4月7日（周日）、4月下旬某日上班。")]
    [InlineData("三、清明节：4月1日至5月20日放假调休。")]
    [InlineData("三、清明节：6日放假。")]
    public void A_sentence_of_an_item_that_cannot_be_read_is_reported_whole_and_nothing_is_taken_from_it(string sentence)
    {
        var text = "一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。\n" + sentence + "\n四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。";

        var notice = HolidayNoticeParser.Parse(text, 2026);

        var issue = Assert.Single(notice.Issues);
        Assert.Equal(NoticeIssueKind.Unreadable, issue.Kind);
        Assert.Equal(sentence.TrimEnd('。'), issue.Sentence);
        Assert.DoesNotContain(notice.Days, d => d.Date.Month is 3 || (d.Date.Month == 4 && d.Date.Day < 30) || (d.Date.Month == 5 && d.Date.Day > 5));
        // The sentences around it are read.
        Assert.Equal([D(2026, 1, 1), D(2026, 1, 2), D(2026, 1, 4), D(2026, 5, 1), D(2026, 5, 4), D(2026, 5, 5)], notice.Days.Select(d => d.Date));
    }

    [Fact]
    public void A_sentence_shaped_like_an_arrangement_before_any_festival_item_is_reported()
    {
        var notice = HolidayNoticeParser.Parse("经国务院批准，现将2026年放假安排通知如下。\n1月1日（周四）至3日（周六）放假调休，共3天。", 2026);

        var issue = Assert.Single(notice.Issues);
        Assert.Equal((NoticeIssueKind.Unreadable, "1月1日（周四）至3日（周六）放假调休，共3天"), (issue.Kind, issue.Sentence));
        Assert.Empty(notice.Days);
    }

    [Fact]
    public void A_stated_number_of_days_that_disagrees_with_the_dates_is_reported_and_the_dates_are_taken()
    {
        var notice = HolidayNoticeParser.Parse("七、国庆节：10月1日（周四）至7日（周三）放假调休，共8天。", 2026);

        var issue = Assert.Single(notice.Issues);
        Assert.Equal((NoticeIssueKind.DayCountMismatch, 8, 7, D(2026, 10, 1)), (issue.Kind, issue.StatedDays!.Value, issue.CountedDays!.Value, issue.Date!.Value));
        Assert.Equal(5, notice.Days.Count);
    }

    [Fact]
    public void A_working_day_on_a_weekday_is_reported_and_not_taken()
    {
        var notice = HolidayNoticeParser.Parse("四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月6日（周三）、5月9日（周六）上班。", 2026);

        var issue = Assert.Single(notice.Issues);
        Assert.Equal((NoticeIssueKind.WorkingDayOnWeekday, D(2026, 5, 6)), (issue.Kind, issue.Date!.Value));
        Assert.Equal([On(2026, 5, 9, "劳动节调休上班")], notice.Days.Where(d => d.IsWorkingDay));
    }

    [Fact]
    public void A_date_given_as_a_holiday_and_as_a_working_day_is_reported_and_neither_is_taken()
    {
        var notice = HolidayNoticeParser.Parse("四、劳动节：5月1日至5日放假调休，共5天。5月4日上班。", 2026);

        var issue = Assert.Single(notice.Issues);
        Assert.Equal((NoticeIssueKind.Conflict, D(2026, 5, 4)), (issue.Kind, issue.Date!.Value));
        Assert.Equal([D(2026, 5, 1), D(2026, 5, 5)], notice.Days.Select(d => d.Date));
    }

    [Fact]
    public void A_holiday_that_starts_in_the_year_before_takes_only_the_notices_year_and_reports_the_rest()
    {
        var notice = HolidayNoticeParser.Parse("关于2027年部分节假日安排的通知\n一、元旦：2026年12月31日（周四）至2027年1月2日（周六）放假调休，共3天。", 2020);

        Assert.Equal(2027, notice.Year);
        Assert.Equal([Off(2027, 1, 1, "元旦")], notice.Days);
        var issue = Assert.Single(notice.Issues);
        Assert.Equal((NoticeIssueKind.OutsideYear, D(2026, 12, 31)), (issue.Kind, issue.Date!.Value));
    }

    [Fact]
    public void A_period_whose_end_month_comes_earlier_ends_in_the_next_year()
    {
        var notice = HolidayNoticeParser.Parse("一、元旦：12月31日（周五）至1月2日（周日）放假调休，共3天。", 2027);

        var period = Assert.Single(Assert.Single(notice.Arrangements).Holidays);
        Assert.Equal((D(2027, 12, 31), D(2028, 1, 2)), (period.First, period.Last));
        Assert.Equal([Off(2027, 12, 31, "元旦")], notice.Days);
        Assert.Empty(notice.Issues); // 2028-01-01 and 02 are a weekend: nothing to take for 2028 either
    }

    [Fact]
    public void The_working_days_name_falls_back_to_the_plain_word_when_the_festival_name_is_long()
    {
        const string festival = "中国人民抗日战争胜利八十周年纪念日"; // 17 characters: with 调休上班 over the 20 a name may have
        var notice = HolidayNoticeParser.Parse($"八、{festival}：9月3日（周四）至4日（周五）放假调休，共2天。9月6日（周日）上班。", 2026);

        Assert.Equal([Off(2026, 9, 3, festival), Off(2026, 9, 4, festival), On(2026, 9, 6, "调休上班")], notice.Days);
        Assert.All(notice.Days, d => Assert.True(d.Name.Length <= CalendarDay.NameMaxLength));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\n ")]
    [InlineData("这不是放假通知。")]
    [InlineData("各省、自治区、直辖市人民政府，国务院各部委、各直属机构：")]
    public void Text_without_any_arrangement_gives_no_days_and_no_issues(string text)
    {
        var notice = HolidayNoticeParser.Parse(text, 2027);

        Assert.Equal((2027, false), (notice.Year, notice.YearFromText));
        Assert.Empty(notice.Days);
        Assert.Empty(notice.Arrangements);
        Assert.Empty(notice.Issues);
    }

    [Fact]
    public void Control_characters_and_an_overlong_paste_are_read_without_failing()
    {
        var withNul = Notice(2026).Replace("上班", "上\0班", StringComparison.Ordinal);
        Assert.Equal(Expected(2026), HolidayNoticeParser.Parse(withNul, 2026).Days);

        var huge = Notice(2026) + new string('长', HolidayNoticeParser.MaxLength * 2);
        Assert.Equal(Expected(2026), HolidayNoticeParser.Parse(huge, 2026).Days);
    }

    [Fact]
    public void Every_day_the_parser_gives_is_a_valid_calendar_day()
    {
        foreach (var year in new[] { 2024, 2025, 2026 })
        {
            var days = HolidayNoticeParser.Parse(Notice(year), year).Days;
            var calendar = new WorkingCalendar(days.Select(d => new CalendarDay(d.Date, d.IsWorkingDay, d.Name)));
            Assert.All(days, d => Assert.Equal(d.IsWorkingDay, calendar.IsWorkingDay(d.Date)));
        }
        Assert.Equal("周日", DayOfWeek.Sunday.ChineseName());
        Assert.Equal("2026-01-01", D(2026, 1, 1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }
}

