using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace GridGov.Domain.Calendar;

/// <summary>
/// Reads the State Council's yearly holiday notice (国务院办公厅关于20XX年部分节假日安排的通知) as an administrator pastes it,
/// into the working calendar's days for that year. Pure: no clock, no database.
/// </summary>
/// <remarks>
/// <para>
/// The notice lists one item per festival, each a heading and sentences of a few fixed shapes:
/// "一、元旦：1月1日（周三）放假1天，不调休。", "二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。
/// 1月26日（周日）、2月8日（周六）上班。", "五、端午节：6月10日放假，与周末连休。". A sentence is read clause by clause (split at
/// "，"): a holiday period (a date, or a date 至 a date, 放假 or 放假调休, optionally N天), 共N天, 不调休, 与周末连休, or a list of
/// dates joined by "、" followed by 上班. A clause without a month and day and without a word about rest or work (放假, 上班, 调休,
/// 休息, 补班) is commentary and passes.
/// </para>
/// <para>
/// Nothing is dropped silently: inside a festival item, a sentence with any other clause that names a date or such a word is
/// reported as <see cref="NoticeIssueKind.Unreadable"/> and nothing is taken from it (the 2024 notice's "鼓励各单位……安排职工在除夕
/// （2月9日）休息" is one: advice, not a holiday). A date with its year ("2025年11月4日", the signature) is not a day of the
/// arrangement. Before the first item (title, addressees, preamble) a sentence is reported only when it is shaped like an
/// arrangement without a festival: a clause opening with a month and day, and a word about rest or work (the 2025 preamble's
/// "国庆节自10月1日起放假调休7天" states the rule, not the dates, and passes).
/// </para>
/// <para>
/// Text pasted from a web page is tidied first: spaces and invisible characters are removed, full-width digits and ASCII
/// brackets, colons and commas become the notice's own, and the traditional characters of the notice's words (節, 勞動, 國慶,
/// 調休, 農曆…) their simplified ones. The day of the week in brackets is checked against the date, and 共N天 against the
/// period: a mismatch is reported (it usually means the notice is for another year than the one chosen).
/// </para>
/// </remarks>
public static partial class HolidayNoticeParser
{
    /// <summary>The longest text read (a notice is about 1,000 characters).</summary>
    public const int MaxLength = 20_000;

    /// <summary>The festivals of the national holiday regulations (全国年节及纪念日放假办法).</summary>
    public static readonly IReadOnlyList<string> Festivals = ["元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"];

    private const string WorkingDaySuffix = "调休上班";
    private const int LongestPeriod = 31;

    // Not 休假: "带薪年休假" (paid annual leave) is the notices' usual advice, not an arrangement.
    private static readonly string[] RestOrWorkWords = ["放假", "上班", "调休", "休息", "补班"];

    /// <param name="text">The notice as pasted; only its first <see cref="MaxLength"/> characters are read.</param>
    /// <param name="fallbackYear">The year when the text names none (e.g. only the items were pasted).</param>
    public static HolidayNotice Parse(string? text, int fallbackYear)
    {
        var normalized = Normalize(text is { Length: > MaxLength } ? text[..MaxLength] : text ?? "");
        var (year, fromText) = YearOf(normalized) is { } found ? (found, true) : (fallbackYear, false);
        var reader = new Reader(year);
        foreach (var sentence in Sentences(normalized))
        {
            reader.Read(sentence);
        }
        return reader.Result(fromText);
    }

    /// <summary>Spaces and invisible characters out; full-width digits, ASCII punctuation and traditional characters to the notice's own.</summary>
    public static string Normalize(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n'))
        {
            if (c == '\n')
            {
                builder.Append(c);
            }
            else if (char.IsWhiteSpace(c) || char.IsControl(c) || c is '\u200B' or '\u200C' or '\u200D' or '\uFEFF')
            {
                // spaces between characters mean nothing in Chinese text; a line break ends a sentence
            }
            else if (c is >= '０' and <= '９')
            {
                builder.Append((char)('0' + (c - '０')));
            }
            else
            {
                builder.Append(c switch
                {
                    '(' => '（',
                    ')' => '）',
                    ':' => '：',
                    ',' => '，',
                    ';' or '；' => '。',
                    _ => Traditional.GetValueOrDefault(c, c),
                });
            }
        }
        return builder.ToString();
    }

    /// <summary>The traditional forms of the characters the notices' words use.</summary>
    private static readonly Dictionary<char, char> Traditional = new()
    {
        ['節'] = '节', ['勞'] = '劳', ['動'] = '动', ['國'] = '国', ['慶'] = '庆', ['調'] = '调', ['農'] = '农', ['曆'] = '历',
        ['歷'] = '历', ['臘'] = '腊', ['週'] = '周', ['與'] = '与', ['連'] = '连', ['關'] = '关', ['於'] = '于', ['現'] = '现',
        ['將'] = '将', ['補'] = '补',
    };

    private static int? YearOf(string text)
    {
        foreach (var pattern in (Regex[])[TitleYear(), FirstParagraphYear()])
        {
            if (pattern.Match(text) is { Success: true } match)
            {
                return int.Parse(match.Groups["y"].Value, CultureInfo.InvariantCulture);
            }
        }
        return null;
    }

    /// <summary>Lines, then sentences ending in 。; empty ones skipped, the 。 left out.</summary>
    private static IEnumerable<string> Sentences(string text) =>
        text.Split('\n').SelectMany(line => line.Split('。')).Where(s => s.Length > 0);

    /// <summary>Clauses at the commas outside brackets ("（农历除夕，周二）" stays whole).</summary>
    private static List<string> Clauses(string sentence, char separator)
    {
        var clauses = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < sentence.Length; i++)
        {
            depth += sentence[i] switch { '（' => 1, '）' => depth > 0 ? -1 : 0, _ => 0 };
            if (sentence[i] == separator && depth == 0)
            {
                clauses.Add(sentence[start..i]);
                start = i + 1;
            }
        }
        clauses.Add(sentence[start..]);
        return clauses;
    }

    private static bool NamesRestOrWork(string text) => RestOrWorkWords.Any(w => text.Contains(w, StringComparison.Ordinal));

    /// <summary>Walks the sentences in order, keeping the festival item they belong to.</summary>
    private sealed class Reader(int year)
    {
        private readonly List<(string Name, List<NoticeHolidayPeriod> Holidays, List<DateOnly> WorkingDays)> _items = [];
        private readonly List<NoticeIssue> _issues = [];
        // Each date the first time it is given, with the item's name; a date given as both kinds is a conflict.
        private readonly Dictionary<DateOnly, (string Name, string Sentence)> _holidays = [];
        private readonly Dictionary<DateOnly, (string Name, string Sentence)> _workingDays = [];

        public void Read(string sentence)
        {
            if (Heading().Match(sentence) is { Success: true } heading && IsItem(heading))
            {
                _items.Add((heading.Groups["name"].Value, [], []));
                ReadArrangement(sentence, heading.Groups["rest"].Value);
            }
            else if (_items.Count > 0)
            {
                ReadArrangement(sentence, sentence);
            }
            else if (NamesRestOrWork(sentence) && Clauses(sentence, '，').Any(c => LeadingMonthDay().IsMatch(c)))
            {
                // Before the first item (title, addressees, preamble) only a sentence shaped like an arrangement, a clause opening
                // with its date, is worth a word: it has no festival to belong to.
                _issues.Add(new NoticeIssue(NoticeIssueKind.Unreadable, sentence));
            }
        }

        /// <summary>A numbered heading, or one of festival names only; its name must fit a calendar day's.</summary>
        private static bool IsItem(Match heading) =>
            heading.Groups["name"].Value.Length <= CalendarDay.NameMaxLength
            && (heading.Groups["number"].Success || heading.Groups["name"].Value.Split('、').All(name => Festivals.Contains(name)));

        /// <summary>Reads one sentence of the current item; takes all of it or, if any clause is not understood, none of it.</summary>
        private void ReadArrangement(string sentence, string body)
        {
            var periods = new List<(NoticeHolidayPeriod Period, List<(DateOnly Date, DayOfWeek? Stated)> Dates)>();
            var workingDays = new List<(DateOnly Date, DayOfWeek? Stated)>();
            var understood = true;
            foreach (var clause in Clauses(body, '，').Where(c => c.Length > 0))
            {
                if (HolidayClause().Match(clause) is { Success: true } holiday)
                {
                    if (PeriodOf(holiday) is { } period)
                    {
                        periods.Add(period);
                        continue;
                    }
                    understood = false;
                }
                else if (StatedDaysClause().Match(clause) is { Success: true } stated)
                {
                    if (periods.Count > 0 && periods[^1].Period.StatedDays is null)
                    {
                        periods[^1] = (periods[^1].Period with { StatedDays = int.Parse(stated.Groups["n"].Value, CultureInfo.InvariantCulture) }, periods[^1].Dates);
                        continue;
                    }
                    understood = false;
                }
                else if (NoSwapClause().IsMatch(clause) || WithWeekendClause().IsMatch(clause))
                {
                    continue;
                }
                else if (WorkingDaysClause().Match(clause) is { Success: true } working)
                {
                    if (DateListOf(working.Groups["list"].Value) is { } dates)
                    {
                        workingDays.AddRange(dates);
                        continue;
                    }
                    understood = false;
                }
                else if (!NamesRestOrWork(clause) && !BareMonthDay().IsMatch(clause))
                {
                    continue; // commentary ("鼓励单位和个人结合落实带薪年休假等制度"), or the signature's date ("2025年11月4日")
                }
                understood = false;
            }

            if (!understood)
            {
                _issues.Add(new NoticeIssue(NoticeIssueKind.Unreadable, sentence));
                return;
            }
            var item = _items[^1];
            foreach (var (period, dates) in periods)
            {
                item.Holidays.Add(period);
                if (period.StatedDays is { } statedDays && statedDays != period.Days)
                {
                    _issues.Add(new NoticeIssue(NoticeIssueKind.DayCountMismatch, sentence, period.First, StatedDays: statedDays, CountedDays: period.Days));
                }
                CheckWeekdays(sentence, dates);
                for (var date = period.First; date <= period.Last; date = date.AddDays(1))
                {
                    _holidays.TryAdd(date, (item.Name, sentence));
                }
            }
            CheckWeekdays(sentence, workingDays);
            foreach (var (date, _) in workingDays)
            {
                item.WorkingDays.Add(date);
                _workingDays.TryAdd(date, (item.Name, sentence));
            }
        }

        private void CheckWeekdays(string sentence, IEnumerable<(DateOnly Date, DayOfWeek? Stated)> dates)
        {
            foreach (var (date, stated) in dates)
            {
                if (stated is { } weekday && weekday != date.DayOfWeek)
                {
                    _issues.Add(new NoticeIssue(NoticeIssueKind.WeekdayMismatch, sentence, date, StatedWeekday: weekday));
                }
            }
        }

        /// <summary>A holiday period from "A（…）至B（…）放假…N天"; null when a date does not exist or the period runs backwards or too long.</summary>
        private (NoticeHolidayPeriod, List<(DateOnly, DayOfWeek?)>)? PeriodOf(Match match)
        {
            if (DateOf(match, "a", null) is not { } first)
            {
                return null;
            }
            var last = first;
            if (match.Groups["bd"].Success)
            {
                if (DateOf(match, "b", first.Date) is not { } end)
                {
                    return null;
                }
                last = end;
            }
            if (last.Date < first.Date || last.Date.DayNumber - first.Date.DayNumber >= LongestPeriod)
            {
                return null;
            }
            int? stated = match.Groups["n"].Success ? int.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture) : null;
            List<(DateOnly, DayOfWeek?)> given = match.Groups["bd"].Success ? [first, last] : [first];
            return (new NoticeHolidayPeriod(first.Date, last.Date, stated), given);
        }

        /// <summary>"1月26日（周日）、2月8日（周六）" (a later date may leave out its month); null when any piece is not a date.</summary>
        private List<(DateOnly Date, DayOfWeek? Stated)>? DateListOf(string list)
        {
            var dates = new List<(DateOnly, DayOfWeek?)>();
            DateOnly? previous = null;
            foreach (var piece in Clauses(list, '、'))
            {
                if (DateToken().Match(piece) is not { Success: true } match || DateOf(match, "a", previous) is not { } date)
                {
                    return null;
                }
                dates.Add(date);
                previous = date.Date;
            }
            return dates;
        }

        /// <summary>
        /// The date of the groups with <paramref name="prefix"/> (y, m, d, note). Without a year: the notice's, or for the end of a
        /// period the start's (the next year when its month comes earlier); without a month: the start's.
        /// </summary>
        private (DateOnly Date, DayOfWeek? Stated)? DateOf(Match match, string prefix, DateOnly? start)
        {
            var day = int.Parse(match.Groups[prefix + "d"].Value, CultureInfo.InvariantCulture);
            var hasMonth = match.Groups[prefix + "m"].Success;
            if (!hasMonth && start is null)
            {
                return null;
            }
            var month = hasMonth ? int.Parse(match.Groups[prefix + "m"].Value, CultureInfo.InvariantCulture) : start!.Value.Month;
            var dateYear = match.Groups[prefix + "y"].Success ? int.Parse(match.Groups[prefix + "y"].Value, CultureInfo.InvariantCulture)
                : start is { } from ? (month < from.Month ? from.Year + 1 : from.Year)
                : year;
            if (month is < 1 or > 12 || dateYear is < 1 or > 9998 || day < 1 || day > DateTime.DaysInMonth(dateYear, month))
            {
                return null;
            }
            DayOfWeek? stated = match.Groups[prefix + "note"].Success && StatedWeekday().Match(match.Groups[prefix + "note"].Value) is { Success: true } weekday
                ? "一二三四五六".IndexOf(weekday.Groups["w"].Value[0], StringComparison.Ordinal) switch
                {
                    -1 => DayOfWeek.Sunday, // 日, 天
                    var index => (DayOfWeek)(index + 1),
                }
                : null;
            return (new DateOnly(dateYear, month, day), stated);
        }

        public HolidayNotice Result(bool yearFromText)
        {
            var days = new List<NoticeDay>();
            var doubts = new List<NoticeIssue>();
            foreach (var (date, (name, sentence)) in _holidays.OrderBy(p => p.Key))
            {
                if (_workingDays.ContainsKey(date))
                {
                    doubts.Add(new NoticeIssue(NoticeIssueKind.Conflict, sentence, date));
                }
                else if (!CalendarDay.IsWeekend(date))
                {
                    Take(new NoticeDay(date, false, name), sentence);
                }
            }
            foreach (var (date, (name, sentence)) in _workingDays.OrderBy(p => p.Key))
            {
                if (_holidays.ContainsKey(date))
                {
                    continue; // reported once, above
                }
                if (!CalendarDay.IsWeekend(date))
                {
                    doubts.Add(new NoticeIssue(NoticeIssueKind.WorkingDayOnWeekday, sentence, date));
                }
                else
                {
                    Take(new NoticeDay(date, true, WorkingDayName(name)), sentence);
                }
            }
            var arrangements = _items.Select(i => new NoticeArrangement(i.Name, i.Holidays, i.WorkingDays)).ToList();
            return new HolidayNotice(year, yearFromText, arrangements, [.. days.OrderBy(d => d.Date)],
                [.. _issues.Where(i => i.Kind == NoticeIssueKind.Unreadable), .. _issues.Where(i => i.Kind != NoticeIssueKind.Unreadable), .. doubts]);

            void Take(NoticeDay day, string sentence)
            {
                if (day.Date.Year == year)
                {
                    days.Add(day);
                }
                else
                {
                    doubts.Add(new NoticeIssue(NoticeIssueKind.OutsideYear, sentence, day.Date));
                }
            }
        }

        /// <summary>"春节" → "春节调休上班" (as the demo calendar names them), or just "调休上班" when that would be too long.</summary>
        private static string WorkingDayName(string festival) =>
            festival.Length + WorkingDaySuffix.Length <= CalendarDay.NameMaxLength ? festival + WorkingDaySuffix : WorkingDaySuffix;
    }

    private const string StartDate = @"(?:(?<ay>\d{4})年)?(?:(?<am>\d{1,2})月)?(?<ad>\d{1,2})日(?:（(?<anote>[^（）]*)）)?";
    private const string EndDate = @"(?:(?<by>\d{4})年)?(?:(?<bm>\d{1,2})月)?(?<bd>\d{1,2})日(?:（(?<bnote>[^（）]*)）)?";

    /// <summary>"六、国庆节、中秋节：…" (a number, or only known festival names, makes it an item; <see cref="Reader"/> decides).</summary>
    [GeneratedRegex(@"^(?:(?<number>[一二三四五六七八九十]{1,3}|\d{1,2})[、.．])?(?<name>\p{IsCJKUnifiedIdeographs}{1,20}(?:、\p{IsCJKUnifiedIdeographs}{1,20}){0,3})：(?<rest>.*)$")]
    private static partial Regex Heading();

    [GeneratedRegex("^" + StartDate + "(?:至" + EndDate + ")?放假(?:调休)?(?:(?<n>\\d{1,2})天)?$")]
    private static partial Regex HolidayClause();

    [GeneratedRegex(@"^共(?<n>\d{1,2})天$")]
    private static partial Regex StatedDaysClause();

    [GeneratedRegex("^不调休$")]
    private static partial Regex NoSwapClause();

    [GeneratedRegex("^与(?:周末|周六|周日|星期六|星期日|星期天)连休$")]
    private static partial Regex WithWeekendClause();

    [GeneratedRegex("^(?<list>.+?)(?:调休)?(?:上班|补班)$")]
    private static partial Regex WorkingDaysClause();

    [GeneratedRegex("^" + StartDate + "$")]
    private static partial Regex DateToken();

    [GeneratedRegex("(?:周|星期)(?<w>[一二三四五六日天])")]
    private static partial Regex StatedWeekday();

    /// <summary>A clause that opens with a month and day, as an arrangement does ("1月1日（周三）放假1天").</summary>
    [GeneratedRegex(@"^\d{1,2}月\d{1,2}日")]
    private static partial Regex LeadingMonthDay();

    /// <summary>A month and day not preceded by a year ("1月1日", not "2025年1月1日").</summary>
    [GeneratedRegex(@"(?<!\d年)(?<!\d)\d{1,2}月\d{1,2}日")]
    private static partial Regex BareMonthDay();

    [GeneratedRegex(@"关于(?<y>\d{4})年部分节假日")]
    private static partial Regex TitleYear();

    [GeneratedRegex(@"现将(?<y>\d{4})年")]
    private static partial Regex FirstParagraphYear();
}
