using GridGov.Domain.Cases;

namespace GridGov.Domain.Hotline;

public enum HotlinePushStatus
{
    /// <summary>Waiting to be sent (first try, or again after a failed one at <see cref="HotlineStatusPush.NextAttemptAt"/>).</summary>
    Pending,
    Delivered,
    /// <summary>Gave up after <see cref="HotlinePushPolicy.MaxAttempts"/> failures; waits for an administrator's resend.</summary>
    DeadLettered,
}

/// <summary>
/// One change of a hotline case to tell the hotline (the outbox row), written in the transaction of the change itself, so a
/// change that commits is pushed and one that rolls back is not. Delivered in order per work order, retried with
/// exponential backoff, dead-lettered after too many failures and resent only by an administrator.
/// </summary>
public class HotlineStatusPush
{
    public const int NoteMaxLength = 2000;
    public const int ErrorMaxLength = 500;

    private HotlineStatusPush()
    {
        OrderNumber = CaseNumber = "";
    }

    private HotlineStatusPush(Case @case, CaseHistoryEntry entry, string? note, DateTimeOffset now)
    {
        OrderNumber = @case.HotlineOrderNumber ?? throw new InvalidOperationException($"Case {@case.Number} came from no hotline order.");
        CaseId = @case.Id;
        CaseNumber = @case.Number;
        Action = entry.Action;
        FromState = entry.FromState;
        ToState = entry.ToState;
        Note = note is null ? null : note.Length <= NoteMaxLength ? note : note[..NoteMaxLength];
        Due = @case.CurrentDue;
        OccurredAt = entry.At;
        CreatedAt = now;
        NextAttemptAt = now;
    }

    public long Id { get; private set; }
    public string OrderNumber { get; private set; }
    public int CaseId { get; private set; }
    public string CaseNumber { get; private set; }
    public CaseAction Action { get; private set; }
    public CaseState? FromState { get; private set; }
    public CaseState ToState { get; private set; }
    /// <summary>What the hotline needs with the change: the reply (办结回复) on feedback and verification, the reason of a refusal.</summary>
    public string? Note { get; private set; }
    /// <summary>The deadline running after the change, if any.</summary>
    public DateTimeOffset? Due { get; private set; }
    public DateTimeOffset OccurredAt { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public HotlinePushStatus Status { get; private set; }
    public int Attempts { get; private set; }
    public DateTimeOffset NextAttemptAt { get; private set; }
    public DateTimeOffset? LastAttemptAt { get; private set; }
    public string? LastError { get; private set; }
    public DateTimeOffset? DeliveredAt { get; private set; }
    /// <summary>Optimistic concurrency token (PostgreSQL xmin): the sender and a resend never both win.</summary>
    public uint Version { get; private set; }

    /// <summary>
    /// Whether the hotline hears of this step: every change of state, and an extension request (延期申请), which the hotline
    /// decides for its own time limit.
    /// </summary>
    public static bool IsPushed(CaseHistoryEntry entry) =>
        entry.Action != CaseAction.Report && (entry.FromState != entry.ToState || entry.Action == CaseAction.RequestExtension);

    /// <summary>The push for one step of a hotline case; the reply text on feedback and verification, the step's note otherwise.</summary>
    public static HotlineStatusPush For(Case @case, CaseHistoryEntry entry, DateTimeOffset now)
    {
        var note = entry.Action is CaseAction.SubmitFeedback or CaseAction.Verify or CaseAction.ConfirmOnSpot && @case.Result is { } result
            ? result
            : entry.Note;
        return new HotlineStatusPush(@case, entry, note, now);
    }

    /// <summary>
    /// The hotline's word for the step: 签收 when the street registers the order, 退单 when it refuses, voids or merges it,
    /// 延期申请, 办结回复 once the result is verified (or confirmed on the spot), 已归档 at the archive, and 办理中 for the rest
    /// (dispatched, returned inside the street, handled, fed back, reworked, reopened).
    /// </summary>
    public static string HotlineStatusOf(CaseAction action, CaseState toState) => (action, toState) switch
    {
        (CaseAction.RequestExtension, _) => "extension_requested",
        (_, CaseState.Registered) when action == CaseAction.Register => "accepted",
        (_, CaseState.Rejected or CaseState.Voided or CaseState.Merged) => "sent_back",
        (_, CaseState.Verified) => "replied",
        (CaseAction.ConfirmOnSpot, CaseState.Archived) => "replied",
        (_, CaseState.Archived) => "closed",
        _ => "in_progress",
    };

    public void MarkDelivered(DateTimeOffset now)
    {
        Attempts++;
        Status = HotlinePushStatus.Delivered;
        LastAttemptAt = now;
        DeliveredAt = now;
        LastError = null;
    }

    /// <summary>A failed try: again after the policy's backoff, or dead-lettered once the attempts are spent.</summary>
    public void MarkFailed(string error, HotlinePushPolicy policy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Attempts++;
        LastAttemptAt = now;
        LastError = error.Length <= ErrorMaxLength ? error : error[..ErrorMaxLength];
        if (Attempts >= policy.MaxAttempts)
        {
            Status = HotlinePushStatus.DeadLettered;
            return;
        }
        NextAttemptAt = now + policy.DelayAfter(Attempts);
    }

    /// <summary>An administrator sends a dead-lettered push again: a fresh round of attempts from now.</summary>
    public void Resend(DateTimeOffset now)
    {
        if (Status != HotlinePushStatus.DeadLettered)
        {
            throw new Common.DomainException("hotline.resend-not-dead", "只有投递失败（已停止重试）的推送才能重新发送");
        }
        Status = HotlinePushStatus.Pending;
        Attempts = 0;
        NextAttemptAt = now;
    }
}

/// <summary>Retries of a push: the delay doubles after each failure (first, 2×, 4× …) up to a cap; dead-lettered after MaxAttempts.</summary>
public sealed record HotlinePushPolicy(int MaxAttempts, TimeSpan FirstDelay, TimeSpan MaxDelay)
{
    public TimeSpan DelayAfter(int failedAttempts)
    {
        if (failedAttempts < 1)
        {
            return TimeSpan.Zero;
        }
        var factor = Math.Pow(2, Math.Min(failedAttempts - 1, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(FirstDelay.Ticks * factor, MaxDelay.Ticks));
        return delay < MaxDelay ? delay : MaxDelay;
    }
}
