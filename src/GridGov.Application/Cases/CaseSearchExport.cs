using System.Globalization;
using GridGov.Application.Ledgers;
using GridGov.Domain.Calendar;
using GridGov.Domain.Cases;

namespace GridGov.Application.Cases;

/// <summary>What an export reads of a case; the columns decide what is shown of it.</summary>
public sealed record CaseExportRow(
    string Number,
    CaseState State,
    int CategoryId,
    int CommunityId,
    string GridCode,
    int? DepartmentId,
    CasePriority Priority,
    CaseSource Source,
    CaseLevel Level,
    string Description,
    string Address,
    string ReporterName,
    string? ReporterPhone,
    DateTimeOffset ReportedAt,
    DateTimeOffset? CurrentDue,
    DateTimeOffset? WarningAt,
    bool IsSupervised,
    DateTimeOffset? ClosedAt);

/// <param name="ShowsReporterContact">As on the case page (<see cref="CaseVisibility.SeesReporterContact"/>): false leaves the phone column empty.</param>
/// <param name="GridNames">Every grid's name by its code (a file may hold cases of any grid).</param>
public sealed record CaseExportContext(CaseSearchOptions Names, IReadOnlyDictionary<string, string> GridNames, DateTimeOffset Now, bool ShowsReporterContact);

/// <summary>One column of the case export: its Chinese header, a width for spreadsheets (characters), and its text.</summary>
public sealed record CaseExportColumn(string Header, double Width, Func<CaseExportRow, CaseExportContext, string> Value);

/// <summary>An export ready to write: headers, then rows of text (ending with a note when the cap was reached).</summary>
public sealed record CaseExport(IReadOnlyList<CaseExportColumn> Columns, IAsyncEnumerable<IReadOnlyList<string>> Rows, DateTimeOffset Now)
{
    public IReadOnlyList<string> Headers => Columns.Select(c => c.Header).ToList();

    public IReadOnlyList<double> Widths => Columns.Select(c => c.Width).ToList();

    /// <summary>"案件列表-20261123", the China date of the export.</summary>
    public string FileStem => "案件列表-" + WorkingCalendar.ChinaDate(Now).ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>An ASCII name for clients that ignore filename*.</summary>
    public string AsciiFileStem => "cases-" + WorkingCalendar.ChinaDate(Now).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
}

/// <summary>
/// The columns of the case export, in one place: CSV and XLSX write exactly these. Personal numbers are masked
/// here (the reporter's phone), so no export carries a full one; what the case page hides from a reader
/// (<see cref="CaseVisibility"/>) the export leaves out for that reader too.
/// </summary>
public static class CaseExportColumns
{
    private const string TimeFormat = "yyyy-MM-dd HH:mm";

    public static IReadOnlyList<CaseExportColumn> All { get; } =
    [
        new("案件编号", 16, (c, _) => c.Number),
        new("状态", 10, (c, _) => c.State.ChineseName()),
        new("大类", 12, (c, x) => x.Names.MajorName(c.CategoryId)),
        new("小类", 16, (c, x) => x.Names.CategoryName(c.CategoryId)),
        new("社区", 12, (c, x) => x.Names.CommunityName(c.CommunityId)),
        new("网格编码", 17, (c, _) => c.GridCode),
        new("网格", 16, (c, x) => x.GridNames.GetValueOrDefault(c.GridCode, c.GridCode)),
        new("责任部门", 16, (c, x) => x.Names.DepartmentName(c.DepartmentId)),
        new("紧急程度", 9, (c, _) => PriorityName(c.Priority)),
        new("来源", 12, (c, _) => SourceName(c.Source)),
        new("处置层级", 10, (c, _) => c.Level.ChineseName()),
        new("问题描述", 40, (c, _) => c.Description),
        new("地址", 28, (c, _) => c.Address),
        new("上报人", 10, (c, _) => c.ReporterName),
        // Masked for every reader, as in every list; empty for those the case page shows no phone at all.
        new("联系电话", 14, (c, x) => x.ShowsReporterContact ? Masking.Phone(c.ReporterPhone) ?? "" : ""),
        new("上报时间", 17, (c, _) => Time(c.ReportedAt)),
        new("办理时限", 17, (c, _) => c.CurrentDue is { } due ? Time(due) : ""),
        new("时限预警", 9, (c, x) => WarningName(DeadlineWarnings.Of(c.CurrentDue, c.WarningAt, x.Now))),
        new("督办", 6, (c, _) => c.IsSupervised ? "是" : "否"),
        new("结案时间", 17, (c, _) => c.ClosedAt is { } closed ? Time(closed) : ""),
    ];

    public static string CappedNote(int cap) =>
        $"注：符合条件的案件超过{cap.ToString("N0", CultureInfo.InvariantCulture)}条，仅导出前{cap.ToString("N0", CultureInfo.InvariantCulture)}条，请缩小筛选范围后分批导出。";

    public static string PriorityName(CasePriority priority) => priority switch
    {
        CasePriority.Normal => "一般",
        CasePriority.Urgent => "紧急",
        CasePriority.Emergency => "突发",
        _ => priority.ToString(),
    };

    public static string SourceName(CaseSource source) => source switch
    {
        CaseSource.GridWorkerPatrol => "网格员巡查",
        CaseSource.Resident => "居民上报",
        CaseSource.Hotline => "12345热线",
        CaseSource.Department => "部门移交",
        CaseSource.LeaderInstruction => "领导交办",
        _ => source.ToString(),
    };

    public static string WarningName(DeadlineWarning warning) => warning switch
    {
        DeadlineWarning.Red => "已超期",
        DeadlineWarning.Yellow => "即将到期",
        _ => "正常",
    };

    private static string Time(DateTimeOffset moment) => WorkingCalendar.ToChinaTime(moment).ToString(TimeFormat, CultureInfo.InvariantCulture);
}
