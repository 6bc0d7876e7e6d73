using GridGov.Domain.Common;
using GridGov.Domain.Organisation;
using static GridGov.Domain.Cases.CaseAction;
using static GridGov.Domain.Cases.CaseState;
using static GridGov.Domain.Organisation.StaffRole;

namespace GridGov.Domain.Cases;

/// <summary>One row of the transition table: from which states an action is allowed, where it leads, and who may take it.</summary>
/// <param name="To">Null when the action records something without moving the case (supervise, whistle).</param>
/// <param name="Roles">Empty means anyone, including the public.</param>
public sealed record CaseTransition(CaseAction Action, IReadOnlySet<CaseState> From, CaseState? To, IReadOnlySet<StaffRole> Roles);

/// <summary>
/// The case workflow in one table (六步闭环: 上报 → 立案 → 派遣 → 处置 → 反馈 → 核查/归档).
/// <see cref="Case"/> consults it on every transition; nothing else changes a case's state.
/// </summary>
public static class CaseWorkflow
{
    private static readonly CaseState[] Open = [Reported, HandledOnSpot, Registered, Dispatched, Returned, InProgress, FeedbackSubmitted, Verified];
    private static readonly CaseState[] Handling = [Registered, Dispatched, Returned, InProgress];

    public static IReadOnlyList<CaseTransition> Transitions { get; } =
    [
        //  action               from                                  to                 who
        Row(Report,              [],                                   Reported),
        Row(ReportHandledOnSpot, [],                                   HandledOnSpot,     GridWorker, GridLeader),
        Row(ConfirmOnSpot,       [HandledOnSpot],                      Archived,          CommunitySecretary, Dispatcher),
        Row(Register,            [Reported],                           Registered,        Dispatcher, CommunitySecretary),
        Row(Reject,              [Reported, HandledOnSpot],            Rejected,          Dispatcher, CommunitySecretary),
        Row(Merge,               [Reported],                           Merged,            Dispatcher, CommunitySecretary),
        Row(Dispatch,            [Registered, Returned],               Dispatched,        Dispatcher),
        Row(AssignLocally,       [Registered, Returned],               Dispatched,        CommunitySecretary, Dispatcher),
        Row(Accept,              [Dispatched],                         InProgress,        DepartmentHandler, GridLeader, GridWorker),
        Row(Return,              [Dispatched],                         Returned,          DepartmentHandler, GridLeader, GridWorker),
        Row(SubmitFeedback,      [InProgress],                         FeedbackSubmitted, DepartmentHandler, GridLeader, GridWorker),
        Row(Verify,              [FeedbackSubmitted],                  Verified,          Dispatcher, GridLeader, GridWorker), // never by whoever accepted or fed it back (four eyes, Case.Verify)
        Row(Rework,              [FeedbackSubmitted, Verified],        InProgress,        Dispatcher, GridLeader, GridWorker),
        Row(Archive,             [Verified],                           Archived,          Dispatcher),
        Row(CaseAction.Void,     Open,                                 Voided,            Dispatcher),
        Row(Escalate,            Handling,                             Registered,        GridLeader, GridWorker, CommunitySecretary, Dispatcher),
        Row(Supervise,           Open,                                 null,              StreetLeader),
        Row(CaseAction.Whistle,  Handling,                             null,              CommunitySecretary, GridLeader, Dispatcher),
        Row(RespondToWhistle,    Open,                                 null,              DepartmentHandler),
        Row(RecordSatisfaction,  [Verified, Archived],                 null),
        // 延期申请: by the case's handler before the handling deadline; the dispatcher decides up to the limit, the street
        // leader above it (CaseExtension.ApproverFor); one request waits at a time and lapses when the case leaves handling.
        Row(RequestExtension,    [InProgress],                         null,              DepartmentHandler, GridLeader, GridWorker),
        Row(ApproveExtension,    [InProgress],                         null,              Dispatcher, StreetLeader),
        Row(RefuseExtension,     [InProgress],                         null,              Dispatcher, StreetLeader),
        // 回访: the dispatcher records the reporter's verdict (phone call-back or the resident's own answer). A dissatisfied
        // verdict within the window (SatisfactionOptions) reopens the case to its handler at once: by the dispatcher, or by
        // the system when the reporter answered alone. Counted as a reopening, apart from rework.
        Row(CallBack,            [Verified, Archived],                 null,              Dispatcher),
        Row(Reopen,              [Verified, Archived],                 InProgress,        Dispatcher),
        // 协办: each co-handling department of the dispatch accepts and answers on its own (never as the lead); the lead
        // feeds back as done only when all answered, or after it ended co-handling with a reason (Case.EndCoHandling).
        Row(AcceptCoHandling,    [Dispatched, InProgress],             null,              DepartmentHandler),
        Row(SubmitCoHandlingOpinion, [Dispatched, InProgress],         null,              DepartmentHandler),
        Row(EndCoHandling,       [InProgress],                         null,              DepartmentHandler),
        // 网格调整: the grid editor (an administrator) moves an open case with the grid map; a closed case keeps its grid.
        Row(MoveToGrid,          Open,                                 null,              Administrator),
    ];

    private static readonly Dictionary<CaseAction, CaseTransition> ByAction = Transitions.ToDictionary(t => t.Action);

    public static CaseTransition For(CaseAction action) => ByAction[action];

    public static bool IsFinal(CaseState state) => state is Rejected or Merged or Archived or Voided;

    public static bool IsOpen(CaseState state) => Open.Contains(state);

    /// <summary>The states in which a case is still open (not yet archived, rejected, merged or voided).</summary>
    public static IReadOnlyList<CaseState> OpenStates => Open;

    /// <summary>
    /// Whether a new report of the same problem may be merged into a case in this state: open and not yet verified (a
    /// verified problem is solved). The report form offers such nearby cases; <see cref="Case.MergeInto"/> requires it.
    /// </summary>
    public static bool TakesDuplicates(CaseState state) => IsOpen(state) && state != Verified;

    /// <summary>The actions the table allows this actor in this state (scope is checked by <see cref="Case"/>).</summary>
    public static IEnumerable<CaseAction> ActionsFor(CaseState state, StaffRole? role) =>
        Transitions.Where(t => t.From.Contains(state) && (t.Roles.Count == 0 || (role is { } r && t.Roles.Contains(r))))
            .Select(t => t.Action);

    /// <summary>Throws a domain error, in Chinese, when the table forbids the action.</summary>
    public static CaseTransition Check(CaseAction action, CaseState state, CaseActor actor)
    {
        var transition = For(action);
        if (transition.From.Count > 0 && !transition.From.Contains(state))
        {
            throw new DomainException("case.illegal-transition",
                $"案件当前状态为“{state.ChineseName()}”，不能执行“{action.ChineseName()}”") { Arguments = [state, action] };
        }
        if (transition.Roles.Count > 0 && !actor.IsSystem && (actor.Role is not { } role || !transition.Roles.Contains(role)))
        {
            throw actor.Role is { } r
                ? new DomainException("case.role-forbidden", $"{r.ChineseName()}无权执行“{action.ChineseName()}”") { Arguments = [r, action] }
                : new DomainException("case.public-forbidden", $"公众无权执行“{action.ChineseName()}”") { Arguments = [action] };
        }
        return transition;
    }

    private static CaseTransition Row(CaseAction action, CaseState[] from, CaseState? to, params StaffRole[] roles) =>
        new(action, from.ToHashSet(), to, roles.ToHashSet());
}
