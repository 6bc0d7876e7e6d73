using GridGov.Domain.Common;
using GridGov.Domain.Organisation;

namespace GridGov.Domain.Cases;

public enum ExtensionStatus
{
    Pending,   // 待审批
    Approved,  // 已批准
    Refused,   // 已驳回
    Lapsed,    // 已失效: the case left handling before anyone decided
}

/// <summary>
/// 延期申请: the handler asks, before the handling deadline passes, to move it to a later moment, with a reason.
/// Who decides is fixed when it is asked (<see cref="ApproverFor"/>); one request waits at a time per case.
/// </summary>
public class CaseExtension
{
    public const int ReasonMaxLength = 500;

    private CaseExtension()
    {
        RequestedByName = Reason = "";
    }

    internal CaseExtension(int? departmentId, CaseActor requester, DateTimeOffset requestedAt, string reason,
        DateTimeOffset previousDue, DateTimeOffset requestedDue, StaffRole approver)
    {
        DepartmentId = departmentId;
        RequestedByStaffId = requester.StaffMemberId;
        RequestedByName = requester.Name;
        RequestedAt = requestedAt;
        Reason = reason;
        PreviousDue = previousDue;
        RequestedDue = requestedDue;
        Approver = approver;
        Status = ExtensionStatus.Pending;
    }

    public long Id { get; private set; }
    public int CaseId { get; private set; }
    /// <summary>The lead department when it was asked (null for a case handled locally by a grid leader or worker); evaluation counts by it.</summary>
    public int? DepartmentId { get; private set; }
    public int? RequestedByStaffId { get; private set; }
    public string RequestedByName { get; private set; }
    public DateTimeOffset RequestedAt { get; private set; }
    public string Reason { get; private set; }
    /// <summary>The handling deadline when it was asked.</summary>
    public DateTimeOffset PreviousDue { get; private set; }
    public DateTimeOffset RequestedDue { get; private set; }
    /// <summary>The role that decides: <see cref="StaffRole.Dispatcher"/> or, above the limit, <see cref="StaffRole.StreetLeader"/>.</summary>
    public StaffRole Approver { get; private set; }
    public ExtensionStatus Status { get; private set; }
    public int? DecidedByStaffId { get; private set; }
    public string? DecidedByName { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    public string? DecisionNote { get; private set; }

    public bool IsPending => Status == ExtensionStatus.Pending;

    /// <summary>
    /// The approval limit: the dispatcher decides an extension of at most the category's own handling time (working
    /// time from the current deadline to the requested one) for a case that has had no extension approved yet; a longer
    /// one, or any second extension, goes to the street leader.
    /// </summary>
    public static StaffRole ApproverFor(TimeSpan extraWorkingTime, TimeSpan categoryHandlingTime, int approvedBefore) =>
        approvedBefore > 0 || extraWorkingTime > categoryHandlingTime ? StaffRole.StreetLeader : StaffRole.Dispatcher;

    internal void Decide(ExtensionStatus outcome, CaseActor actor, DateTimeOffset at, string? note)
    {
        Status = outcome;
        DecidedByStaffId = actor.StaffMemberId;
        DecidedByName = actor.Name;
        DecidedAt = at;
        DecisionNote = note;
    }
}

public static class ExtensionNames
{
    public static string ChineseName(this ExtensionStatus status) => status switch
    {
        ExtensionStatus.Pending => "待审批",
        ExtensionStatus.Approved => "已批准",
        ExtensionStatus.Refused => "已驳回",
        ExtensionStatus.Lapsed => "已失效",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };
}
