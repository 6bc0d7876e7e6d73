using System.Globalization;
using GridGov.Domain.Calendar;
using GridGov.Domain.Cases;

namespace GridGov.Application.Cases;

/// <summary>How the case list is ordered. Each order pages by keyset on (its key, id).</summary>
public enum CaseSort
{
    ReportedDesc,
    ReportedAsc,
    DueAsc,
    DueDesc,
    NumberDesc,
    NumberAsc,
}

/// <summary>
/// The case list's filters, order and page position, as they travel in the URL (a GET form), so a filtered
/// list can be bookmarked, shared and exported. <see cref="Parse"/> reads the query string and reports every
/// bad value in Chinese; <see cref="ToQuery"/> writes it back.
/// </summary>
public sealed record CaseSearchFilter
{
    public const int TextMaxLength = 100;
    public const int MaxPage = 100_000;

    public IReadOnlyList<CaseState> States { get; init; } = [];
    /// <summary>Minor class (小类).</summary>
    public int? CategoryId { get; init; }
    /// <summary>Major class (大类): all its minor classes.</summary>
    public int? MajorId { get; init; }
    public int? CommunityId { get; init; }
    public string? GridCode { get; init; }
    /// <summary>The department the case is assigned to (主办).</summary>
    public int? DepartmentId { get; init; }
    public CasePriority? Priority { get; init; }
    public DeadlineWarning? Warning { get; init; }
    public bool? Supervised { get; init; }
    /// <summary>Reported on or after this China date.</summary>
    public DateOnly? From { get; init; }
    /// <summary>Reported on or before this China date.</summary>
    public DateOnly? To { get; init; }
    /// <summary>Closed (archived or voided) on this China date: the dashboard's "closed today" counter links here.</summary>
    public DateOnly? ClosedOn { get; init; }
    /// <summary>Part of the number, address or description.</summary>
    public string? Text { get; init; }
    public CaseSort Sort { get; init; } = CaseSort.ReportedDesc;
    /// <summary>The last row of the previous page; null on the first page.</summary>
    public CaseSearchCursor? After { get; init; }
    /// <summary>The page's ordinal, for display only (the cursor decides the rows).</summary>
    public int Page { get; init; } = 1;

    /// <summary>True when anything narrows the list (used to open the filter panel).</summary>
    public bool HasSecondaryFilters =>
        CategoryId is not null || MajorId is not null || CommunityId is not null || GridCode is not null || DepartmentId is not null
        || Priority is not null || Warning is not null || Supervised is not null || ClosedOn is not null;

    public DateTimeOffset? FromUtc => From is { } from ? ChinaMidnight(from) : null;

    /// <summary>Exclusive upper bound: midnight after <see cref="To"/>, China time.</summary>
    public DateTimeOffset? ToUtcExclusive => To is { } to ? ChinaMidnight(to.AddDays(1)) : null;

    /// <summary>The China day <see cref="ClosedOn"/> as a UTC range [start, end).</summary>
    public (DateTimeOffset Start, DateTimeOffset End)? ClosedOnUtc => ClosedOn is { } day ? (ChinaMidnight(day), ChinaMidnight(day.AddDays(1))) : null;

    // ---- The URL form ----

    public static class Names
    {
        public const string State = "state";
        public const string Category = "category";
        public const string Major = "major";
        public const string Community = "community";
        public const string Grid = "grid";
        public const string Department = "department";
        public const string Priority = "priority";
        public const string Warning = "warning";
        public const string Supervised = "supervised";
        public const string From = "from";
        public const string To = "to";
        public const string ClosedOn = "closedOn";
        public const string Text = "q";
        public const string Sort = "sort";
        public const string After = "after";
        public const string Page = "page";
    }

    private static readonly Dictionary<string, CaseSort> SortNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["reported-desc"] = CaseSort.ReportedDesc,
        ["reported-asc"] = CaseSort.ReportedAsc,
        ["due-asc"] = CaseSort.DueAsc,
        ["due-desc"] = CaseSort.DueDesc,
        ["number-desc"] = CaseSort.NumberDesc,
        ["number-asc"] = CaseSort.NumberAsc,
    };

    public static string SortName(CaseSort sort) => SortNames.First(pair => pair.Value == sort).Key;

    public static string WarningName(DeadlineWarning warning) => warning.ToString().ToLowerInvariant();

    public static string PriorityName(CasePriority priority) => priority.ToString().ToLowerInvariant();

    /// <summary>Reads the query string (repeated keys allowed); unknown keys are ignored, empty values mean "any".</summary>
    public static CaseSearchParseResult Parse(IEnumerable<KeyValuePair<string, string?>> query)
    {
        var errors = new List<string>();
        var values = query
            .Where(pair => !string.IsNullOrWhiteSpace(pair.Value))
            .GroupBy(pair => pair.Key, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(group => group.Key, group => group.Select(pair => pair.Value!.Trim()).ToList(), StringComparer.OrdinalIgnoreCase);

        string? One(string name, string label)
        {
            if (!values.TryGetValue(name, out var list))
            {
                return null;
            }
            if (list.Distinct(StringComparer.Ordinal).Count() > 1)
            {
                errors.Add($"{label}只能选择一个");
            }
            return list[0];
        }

        int? Id(string name, string label)
        {
            var text = One(name, label);
            if (text is null)
            {
                return null;
            }
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0)
            {
                return id;
            }
            errors.Add($"{label}参数“{Show(text)}”无效");
            return null;
        }

        TEnum? Choice<TEnum>(string name, string label) where TEnum : struct, Enum
        {
            var text = One(name, label);
            if (text is null)
            {
                return null;
            }
            if (IsName(text) && Enum.TryParse<TEnum>(text, ignoreCase: true, out var value))
            {
                return value;
            }
            errors.Add($"未知的{label}“{Show(text)}”");
            return null;
        }

        DateOnly? Date(string name, string label)
        {
            var text = One(name, label);
            if (text is null)
            {
                return null;
            }
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) && date.Year >= 2000)
            {
                return date;
            }
            errors.Add($"{label}“{Show(text)}”格式无效，请按“年-月-日”填写，如 2026-11-23");
            return null;
        }

        var states = new List<CaseState>();
        foreach (var stateText in values.GetValueOrDefault(Names.State) ?? [])
        {
            foreach (var part in stateText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (IsName(part) && Enum.TryParse<CaseState>(part, ignoreCase: true, out var state))
                {
                    if (!states.Contains(state))
                    {
                        states.Add(state);
                    }
                }
                else
                {
                    errors.Add($"未知的案件状态“{Show(part)}”");
                }
            }
        }

        var grid = One(Names.Grid, "网格");
        if (grid is not null && !(grid.Length == 15 && grid.All(char.IsAsciiDigit)))
        {
            errors.Add($"网格编码“{Show(grid)}”无效，应为15位数字");
            grid = null;
        }

        bool? supervised = null;
        if (One(Names.Supervised, "督办") is { } supervisedText)
        {
            supervised = supervisedText.ToLowerInvariant() switch
            {
                "true" or "yes" or "1" => true,
                "false" or "no" or "0" => false,
                _ => null,
            };
            if (supervised is null)
            {
                errors.Add($"督办参数“{Show(supervisedText)}”无效");
            }
        }

        var searchText = One(Names.Text, "搜索内容");
        if (searchText is { Length: > TextMaxLength })
        {
            errors.Add($"搜索内容过长，最多{TextMaxLength}个字");
            searchText = null;
        }

        var sort = CaseSort.ReportedDesc;
        if (One(Names.Sort, "排序") is { } sortText)
        {
            if (!SortNames.TryGetValue(sortText, out sort))
            {
                errors.Add($"未知的排序方式“{Show(sortText)}”");
                sort = CaseSort.ReportedDesc;
            }
        }

        var from = Date(Names.From, "开始日期");
        var to = Date(Names.To, "结束日期");
        if (from is not null && to is not null && from > to)
        {
            errors.Add("开始日期不能晚于结束日期");
        }

        CaseSearchCursor? after = null;
        if (One(Names.After, "分页") is { } afterText)
        {
            after = CaseSearchCursor.TryParse(afterText, sort);
            if (after is null)
            {
                errors.Add("分页参数无效或已过期，请从第一页重新查看");
            }
        }

        var page = 1;
        if (One(Names.Page, "页码") is { } pageText)
        {
            if (!int.TryParse(pageText, NumberStyles.None, CultureInfo.InvariantCulture, out page) || page is < 1 or > MaxPage)
            {
                errors.Add($"页码“{Show(pageText)}”无效");
                page = 1;
            }
        }

        var filter = new CaseSearchFilter
        {
            States = states,
            CategoryId = Id(Names.Category, "小类"),
            MajorId = Id(Names.Major, "大类"),
            CommunityId = Id(Names.Community, "社区"),
            GridCode = grid,
            DepartmentId = Id(Names.Department, "部门"),
            Priority = Choice<CasePriority>(Names.Priority, "紧急程度"),
            Warning = Choice<DeadlineWarning>(Names.Warning, "时限预警"),
            Supervised = supervised,
            From = from,
            To = to,
            ClosedOn = Date(Names.ClosedOn, "结案日期"),
            Text = searchText,
            Sort = sort,
            After = after,
            Page = after is null ? 1 : Math.Max(page, 2),
        };
        return new CaseSearchParseResult(filter, errors);
    }

    /// <summary>The query-string pairs of this filter; paging is left out unless asked for.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ToQuery(bool withPaging = false)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                pairs.Add(new(name, value));
            }
        }
        foreach (var state in States)
        {
            Add(Names.State, state.ToString());
        }
        Add(Names.Major, MajorId?.ToString(CultureInfo.InvariantCulture));
        Add(Names.Category, CategoryId?.ToString(CultureInfo.InvariantCulture));
        Add(Names.Community, CommunityId?.ToString(CultureInfo.InvariantCulture));
        Add(Names.Grid, GridCode);
        Add(Names.Department, DepartmentId?.ToString(CultureInfo.InvariantCulture));
        Add(Names.Priority, Priority is { } priority ? PriorityName(priority) : null);
        Add(Names.Warning, Warning is { } warning ? WarningName(warning) : null);
        Add(Names.Supervised, Supervised is { } supervised ? (supervised ? "true" : "false") : null);
        Add(Names.From, From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Add(Names.To, To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Add(Names.ClosedOn, ClosedOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Add(Names.Text, Text);
        Add(Names.Sort, Sort == CaseSort.ReportedDesc ? null : SortName(Sort));
        if (withPaging && After is { } after)
        {
            Add(Names.After, after.ToString());
            Add(Names.Page, Page.ToString(CultureInfo.InvariantCulture));
        }
        return pairs;
    }

    /// <summary>"?a=1&amp;b=2" (or "" when empty), escaped for a URL.</summary>
    public string ToQueryString(bool withPaging = false)
    {
        var pairs = ToQuery(withPaging);
        return pairs.Count == 0 ? "" : "?" + string.Join('&', pairs.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
    }

    /// <summary>This filter on the page after the one ending at <paramref name="last"/>.</summary>
    public CaseSearchFilter NextPage(CaseSearchCursor last) => this with { After = last, Page = Page + 1 };

    public CaseSearchFilter FirstPage() => this with { After = null, Page = 1 };

    private static DateTimeOffset ChinaMidnight(DateOnly date) =>
        new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), WorkingCalendar.ChinaOffset).ToUniversalTime();

    // Enum.TryParse also accepts numbers ("3") and lists ("A,B"); the URL carries names only.
    private static bool IsName(string text) => text.Length > 0 && text.All(char.IsAsciiLetter);

    // Echo user input in messages, but short.
    private static string Show(string text) => text.Length <= 30 ? text : text[..30] + "…";
}

public sealed record CaseSearchParseResult(CaseSearchFilter Filter, IReadOnlyList<string> Errors)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>
/// Where a page ended: the sort key and id of its last row, so the next page starts strictly after it
/// (keyset pagination: no OFFSET). Written as "r.{utc ticks}.{id}", "d.{utc ticks or -}.{id}" or "n.{number}".
/// </summary>
public sealed record CaseSearchCursor
{
    private CaseSearchCursor(char key, DateTimeOffset? moment, string? number, int id)
    {
        Key = key;
        Moment = moment;
        Number = number;
        Id = id;
    }

    /// <summary>'r' reported time, 'd' deadline, 'n' number.</summary>
    public char Key { get; }
    public DateTimeOffset? Moment { get; }
    public string? Number { get; }
    public int Id { get; }

    public static CaseSearchCursor ForReported(DateTimeOffset reportedAt, int id) => new('r', reportedAt.ToUniversalTime(), null, id);

    public static CaseSearchCursor ForDue(DateTimeOffset? due, int id) => new('d', due?.ToUniversalTime(), null, id);

    public static CaseSearchCursor ForNumber(string number, int id) => new('n', null, number, id);

    public static char KeyOf(CaseSort sort) => sort switch
    {
        CaseSort.ReportedAsc or CaseSort.ReportedDesc => 'r',
        CaseSort.DueAsc or CaseSort.DueDesc => 'd',
        _ => 'n',
    };

    /// <summary>Null when the text is not a cursor for this sort.</summary>
    public static CaseSearchCursor? TryParse(string text, CaseSort sort)
    {
        var parts = text.Split('.');
        var key = KeyOf(sort);
        if (parts.Length == 0 || parts[0].Length != 1 || parts[0][0] != key)
        {
            return null;
        }
        if (key == 'n')
        {
            return parts.Length == 2 && parts[1].Length == Case.NumberLength && parts[1].All(char.IsAsciiDigit)
                ? new CaseSearchCursor('n', null, parts[1], 0)
                : null;
        }
        if (parts.Length != 3 || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
        {
            return null;
        }
        if (key == 'd' && parts[1] == "-")
        {
            return new CaseSearchCursor('d', null, null, id);
        }
        return long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
               && ticks >= DateTimeOffset.MinValue.UtcTicks && ticks <= DateTimeOffset.MaxValue.UtcTicks
            ? new CaseSearchCursor(key, new DateTimeOffset(ticks, TimeSpan.Zero), null, id)
            : null;
    }

    public override string ToString() => Key switch
    {
        'n' => $"n.{Number}",
        _ => string.Create(CultureInfo.InvariantCulture, $"{Key}.{(Moment is { } moment ? moment.UtcTicks.ToString(CultureInfo.InvariantCulture) : "-")}.{Id}"),
    };
}
