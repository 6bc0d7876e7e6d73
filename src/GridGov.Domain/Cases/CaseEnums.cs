namespace GridGov.Domain.Cases;

/// <summary>Where a case stands in the six-step closed loop (六步闭环).</summary>
public enum CaseState
{
    Reported,           // 已上报, waiting for registration
    HandledOnSpot,      // 现场已处置, a general matter the grid worker settled, waiting for the community's confirmation
    Registered,         // 已立案
    Rejected,           // 不予立案 (final)
    Merged,             // 已合并 into another case (final)
    Dispatched,         // 已派遣, waiting for the handler to accept
    Returned,           // 已退回, waiting for re-dispatch
    InProgress,         // 处置中
    FeedbackSubmitted,  // 已反馈, waiting for verification
    Verified,           // 核查通过 (结案), waiting for archive
    Archived,           // 已归档 (final, read-only)
    Voided,             // 已作废 (final)
}

/// <summary>What someone does to a case; each is one row of <see cref="CaseWorkflow.Transitions"/>.</summary>
public enum CaseAction
{
    Report,
    ReportHandledOnSpot,
    ConfirmOnSpot,
    Register,
    Reject,
    Merge,
    Dispatch,
    AssignLocally,
    Accept,
    Return,
    SubmitFeedback,
    Verify,
    Rework,
    Archive,
    Void,
    Escalate,
    Supervise,
    Whistle,
    RespondToWhistle,
    RecordSatisfaction,
    RequestExtension,
    ApproveExtension,
    RefuseExtension,
    CallBack,
    Reopen,
    AcceptCoHandling,
    SubmitCoHandlingOpinion,
    EndCoHandling,
    /// <summary>The grid map changed under an open case (a split, merge or redraw): it moves to the grid its place now falls in.</summary>
    MoveToGrid,
}

public enum CasePriority
{
    Normal,     // 一般
    Urgent,     // 紧急
    Emergency,  // 突发
}

public enum CaseSource
{
    GridWorkerPatrol,    // 网格员巡查
    Resident,            // 居民上报
    Hotline,             // 12345热线
    Department,          // 部门移交
    LeaderInstruction,   // 领导交办
}

/// <summary>The level handling a case: 小事不出网格, 大事不出社区.</summary>
public enum CaseLevel
{
    Grid,
    Community,
    Street,
    District,
}

public enum ClosureType
{
    Normal,     // 按期结案
    Overdue,    // 超期结案
    Erroneous,  // 误报/作废
    Special,    // 特殊结案
}

/// <summary>Deadline warning shown on lists and the map.</summary>
public enum DeadlineWarning
{
    None,
    Yellow,  // 80% of the allowed working time used
    Red,     // overdue
}

public static class DeadlineWarnings
{
    /// <summary>
    /// The one rule for a deadline's warning: red once the due time has come, yellow once the warning time has
    /// (80% of the allowed working time used), otherwise none. Lists read the two times as columns and call this.
    /// </summary>
    public static DeadlineWarning Of(DateTimeOffset? due, DateTimeOffset? warningAt, DateTimeOffset now) =>
        due is not { } d ? DeadlineWarning.None
        : now >= d ? DeadlineWarning.Red
        : warningAt is { } w && now >= w ? DeadlineWarning.Yellow
        : DeadlineWarning.None;
}

public static class CaseNames
{
    public static string ChineseName(this CaseState state) => state switch
    {
        CaseState.Reported => "待立案",
        CaseState.HandledOnSpot => "现场已处置",
        CaseState.Registered => "已立案",
        CaseState.Rejected => "不予立案",
        CaseState.Merged => "已合并",
        CaseState.Dispatched => "已派遣",
        CaseState.Returned => "已退回",
        CaseState.InProgress => "处置中",
        CaseState.FeedbackSubmitted => "已反馈",
        CaseState.Verified => "核查通过",
        CaseState.Archived => "已归档",
        CaseState.Voided => "已作废",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    public static string ChineseName(this CaseAction action) => action switch
    {
        CaseAction.Report => "上报",
        CaseAction.ReportHandledOnSpot => "上报（现场已处置）",
        CaseAction.ConfirmOnSpot => "确认现场处置",
        CaseAction.Register => "立案",
        CaseAction.Reject => "不予立案",
        CaseAction.Merge => "合并",
        CaseAction.Dispatch => "派遣",
        CaseAction.AssignLocally => "社区指派",
        CaseAction.Accept => "签收",
        CaseAction.Return => "退回",
        CaseAction.SubmitFeedback => "反馈",
        CaseAction.Verify => "核查通过",
        CaseAction.Rework => "返工",
        CaseAction.Archive => "结案归档",
        CaseAction.Void => "作废",
        CaseAction.Escalate => "上报上级",
        CaseAction.Supervise => "督办",
        CaseAction.Whistle => "吹哨",
        CaseAction.RespondToWhistle => "报到",
        CaseAction.RecordSatisfaction => "满意度评价",
        CaseAction.RequestExtension => "申请延期",
        CaseAction.ApproveExtension => "批准延期",
        CaseAction.RefuseExtension => "驳回延期",
        CaseAction.CallBack => "回访",
        CaseAction.Reopen => "不满意重办",
        CaseAction.AcceptCoHandling => "协办签收",
        CaseAction.SubmitCoHandlingOpinion => "提交协办意见",
        CaseAction.EndCoHandling => "结束协办",
        CaseAction.MoveToGrid => "网格调整",
        _ => throw new ArgumentOutOfRangeException(nameof(action)),
    };

    public static string ChineseName(this CaseLevel level) => level switch
    {
        CaseLevel.Grid => "网格",
        CaseLevel.Community => "社区",
        CaseLevel.Street => "街道",
        CaseLevel.District => "区职能部门",
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };
}
