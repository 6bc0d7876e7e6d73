namespace GridGov.Domain.Cases;

public enum CoHandlingStatus
{
    Waiting,   // 待签收
    Accepted,  // 已签收, the opinion still to come
    Answered,  // 已反馈协办意见
    Ended,     // 未反馈: the lead department closed without this answer, with a reason
}

/// <summary>
/// 协办: one co-handling department of a dispatch. It accepts on its own and gives its partial answer (协办意见);
/// the lead department feeds back as done only when every co-handler answered or it ended co-handling with a reason.
/// A new dispatch starts the co-handling afresh; the trace stays in the case history.
/// </summary>
public class CaseCoHandling
{
    public const int OpinionMaxLength = 1000;

    private CaseCoHandling()
    {
    }

    internal CaseCoHandling(int departmentId)
    {
        DepartmentId = departmentId;
    }

    public long Id { get; private set; }
    public int CaseId { get; private set; }
    public int DepartmentId { get; private set; }
    public DateTimeOffset? AcceptedAt { get; private set; }
    public int? AcceptedByStaffId { get; private set; }
    public string? AcceptedByName { get; private set; }
    public DateTimeOffset? AnsweredAt { get; private set; }
    public int? AnsweredByStaffId { get; private set; }
    public string? AnsweredByName { get; private set; }
    public string? Opinion { get; private set; }
    /// <summary>When the lead department stopped waiting for this answer, and why.</summary>
    public DateTimeOffset? EndedAt { get; private set; }
    public string? EndReason { get; private set; }

    public CoHandlingStatus Status =>
        EndedAt is not null ? CoHandlingStatus.Ended
        : AnsweredAt is not null ? CoHandlingStatus.Answered
        : AcceptedAt is not null ? CoHandlingStatus.Accepted
        : CoHandlingStatus.Waiting;

    /// <summary>Still owes its answer: neither answered nor ended by the lead.</summary>
    public bool IsOpen => AnsweredAt is null && EndedAt is null;

    internal void Accept(CaseActor actor, DateTimeOffset at)
    {
        AcceptedAt = at;
        AcceptedByStaffId = actor.StaffMemberId;
        AcceptedByName = actor.Name;
    }

    internal void Answer(CaseActor actor, DateTimeOffset at, string opinion)
    {
        AnsweredAt = at;
        AnsweredByStaffId = actor.StaffMemberId;
        AnsweredByName = actor.Name;
        Opinion = opinion;
    }

    internal void End(DateTimeOffset at, string reason)
    {
        EndedAt = at;
        EndReason = reason;
    }
}

public static class CoHandlingNames
{
    public static string ChineseName(this CoHandlingStatus status) => status switch
    {
        CoHandlingStatus.Waiting => "待签收",
        CoHandlingStatus.Accepted => "已签收，待反馈",
        CoHandlingStatus.Answered => "已反馈",
        CoHandlingStatus.Ended => "未反馈，主办部门已结束协办",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };
}
