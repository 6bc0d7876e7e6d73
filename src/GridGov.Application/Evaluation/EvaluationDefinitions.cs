using GridGov.Domain.Evaluation;

namespace GridGov.Application.Evaluation;

/// <summary>Who a figure is about.</summary>
public enum EvaluationSubject
{
    Worker,
    Department,
    Dispatcher,
    Area,
}

/// <summary>
/// A figure's definition as the evaluation page shows it next to the figure (Chinese; the page's resources carry the
/// English): what counts in the numerator and the denominator, and why.
/// </summary>
public sealed record FigureDefinition(string Key, EvaluationSubject Subject, string Name, string Numerator, string Denominator, string Note);

/// <summary>
/// The definitions of every evaluation figure (domain.md §7). Where the sources give no formula (timely discovery,
/// discovery coverage, missed reports) the definition is GridGov's own and says so. A snapshot records
/// <see cref="Version"/>: when a definition changes, the version changes, and closed months keep the one they used.
/// </summary>
public static class EvaluationDefinitions
{
    public const string Version = "2026-12.1";

    /// <summary>A report made this long after the end of the reporter's own patrol of the grid still counts as found in time.</summary>
    public static readonly TimeSpan DiscoveryGrace = TimeSpan.FromHours(2);

    /// <summary>The major class whose cases are the hazards (安全隐患) found and fixed.</summary>
    public const string HazardMajorName = "安全隐患";

    public static IReadOnlyList<FigureDefinition> All { get; } =
    [
        new(EvaluationFigures.TimelyDiscovery, EvaluationSubject.Worker, "发现及时率",
            "本人当月上报的问题中，在本人该网格巡查期间或巡查结束后2小时内上报的",
            "本人当月上报的问题",
            "来源未给出统一公式，本系统定义：问题应在巡查中当场上报。"),
        new(EvaluationFigures.AccurateDiscovery, EvaluationSubject.Worker, "发现准确率（有效上报率）",
            "本人当月上报、已立案（含现场处置经确认）的问题",
            "本人当月上报、已作出立案、不予立案、合并或作废决定的问题",
            "尚未处理的上报不计入分母。"),
        new(EvaluationFigures.DiscoveryCoverage, EvaluationSubject.Worker, "发现覆盖率",
            "本人各网格当月达到全覆盖的巡查天数之和（当天本人轨迹覆盖网格面积达到全覆盖标准）",
            "当月已过天数 × 本人负责的网格数",
            "来源要求每天不低于1轮次全覆盖巡查，本系统以此定义覆盖率。"),
        new(EvaluationFigures.TimelyVerification, EvaluationSubject.Worker, "核查及时率",
            "本人当月完成的核查中，在核查时限内完成的",
            "本人当月完成、设有核查时限的核查",
            "时限按工作时计算。"),
        new(EvaluationFigures.MissedReports, EvaluationSubject.Worker, "漏报率",
            "本人网格当月由居民、热线、部门或领导交办等其他渠道立案的问题",
            "上述问题 + 本人网格当月由网格员巡查上报并立案的问题",
            "来源未给出统一公式，本系统定义；计分时取（1 − 漏报率）。"),
        new(EvaluationFigures.FiveMustOnTime, EvaluationSubject.Worker, "五必到按时率",
            "本人当月完成的五必到走访中，在应到时间前完成的",
            "本人当月完成的、当月到期的五必到走访",
            ""),
        new(EvaluationFigures.OnTimeClosure, EvaluationSubject.Department, "按期结案率",
            "处置时限在当月到期、已按时反馈的案件",
            "处置时限（含批准的延期）在当月到期的案件（不含作废）",
            "按部门当前承办的案件统计；时限按工作时计算。"),
        new(EvaluationFigures.Closure, EvaluationSubject.Department, "结案率",
            "处置时限在当月到期、已反馈的案件（含超期反馈）",
            "处置时限在当月到期的案件（不含作废）",
            ""),
        new(EvaluationFigures.Rework, EvaluationSubject.Department, "返工率",
            "当月被退回返工的次数",
            "当月提交反馈的次数",
            "计分时取（1 − 返工率）。"),
        new(EvaluationFigures.Return, EvaluationSubject.Department, "退回率",
            "当月退回（非本部门职责）的次数",
            "当月派遣给本部门的次数",
            "计分时取（1 − 退回率）。"),
        new(EvaluationFigures.WhistleOnTime, EvaluationSubject.Department, "吹哨报到及时率",
            "当月被吹哨、在报到时限内报到的",
            "当月被吹哨的次数",
            "另列报到用时中位数（分钟）。"),
        new(EvaluationFigures.OnTimeDispatch, EvaluationSubject.Dispatcher, "按时派遣率",
            "本人当月派遣（含社区指派）中，在派遣时限内完成的",
            "本人当月设有派遣时限的派遣",
            ""),
        new(EvaluationFigures.AccurateDispatch, EvaluationSubject.Dispatcher, "准确派遣率",
            "本人当月派遣数 − 其中被部门退回（派错部门）的",
            "本人当月派遣数",
            "退回指派遣后的下一步路由为部门退回。"),
        new(EvaluationFigures.OnTimeRegistration, EvaluationSubject.Dispatcher, "按时立案率",
            "本人当月立案中，在立案时限内完成的",
            "本人当月设有立案时限的立案",
            ""),
        new(EvaluationFigures.AccurateRegistration, EvaluationSubject.Dispatcher, "准确立案率",
            "本人当月立案数 − 其中后来作废的",
            "本人当月立案数",
            ""),
        new(EvaluationFigures.QuotaMet, EvaluationSubject.Area, "走访达标率",
            "当月走访户数达到配额的网格员",
            "计配额的网格员（不含网格长）",
            ""),
        new(EvaluationFigures.HazardsFixed, EvaluationSubject.Area, "隐患整改率",
            "当月发现（上报并立案）的安全隐患中，已核查通过或归档的",
            "当月发现的安全隐患",
            "安全隐患指大类为“安全隐患”的案件。"),
    ];

    private static readonly Dictionary<string, FigureDefinition> ByKey = All.ToDictionary(d => d.Key, StringComparer.Ordinal);

    public static FigureDefinition Of(string key) => ByKey[key];

    public static bool TryGet(string key, out FigureDefinition definition) => ByKey.TryGetValue(key, out definition!);
}
