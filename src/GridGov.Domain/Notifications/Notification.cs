using GridGov.Domain.Common;

namespace GridGov.Domain.Notifications;

/// <summary>
/// A message waiting in the outbox (written in the same transaction as the change that caused it) and sent later by the
/// sender an administrator chose for its channel (<see cref="NoticeSender"/>: an SMS gateway, SMTP, or the log). Each row
/// keeps its delivery: pending (with the time of the next attempt after a failure), sent (with the gateway's message id),
/// failed (with the reason), or capped (the recipient had reached the daily cap).
/// </summary>
public class Notification
{
    public const int BodyMaxLength = 500;
    public const int RecipientMaxLength = 30;
    public const int EmailMaxLength = 200;
    public const int ErrorMaxLength = 500;
    public const int MessageIdMaxLength = 100;

    /// <summary>Attempts before a message is given up as failed.</summary>
    public const int MaxAttempts = 5;

    /// <summary>The wait after the first failed attempt; each further failure doubles it.</summary>
    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(30);

    private Notification()
    {
        RecipientName = Body = "";
    }

    public Notification(NotificationKind kind, string recipientName, string? recipientPhone, int? recipientStaffId, int? caseId, string text, DateTimeOffset createdAt)
    {
        Kind = kind;
        Channel = NotificationChannel.Sms;
        RecipientName = Text.Require(recipientName, RecipientMaxLength, DomainFields.Recipient);
        RecipientPhone = recipientPhone;
        RecipientStaffId = recipientStaffId;
        CaseId = caseId;
        Body = Text.Require(text, BodyMaxLength, DomainFields.NotificationText);
        CreatedAt = createdAt;
    }

    /// <summary>A test message an administrator sends to check the sender of a channel (a phone for SMS, an address for e-mail).</summary>
    public static Notification Test(NotificationChannel channel, string recipientName, string address, string text, DateTimeOffset createdAt)
    {
        var trimmed = address?.Trim() ?? "";
        var notification = new Notification(NotificationKind.Test, recipientName, null, null, null, text, createdAt) { Channel = channel };
        if (channel == NotificationChannel.Sms)
        {
            notification.RecipientPhone = Phone.Require(trimmed, DomainFields.SenderTestAddress);
        }
        else
        {
            notification.RecipientEmail = EmailAddress.Require(trimmed, DomainFields.SenderTestAddress);
        }
        return notification;
    }

    public long Id { get; private set; }
    public NotificationKind Kind { get; private set; }
    public NotificationChannel Channel { get; private set; }
    public string RecipientName { get; private set; }
    public string? RecipientPhone { get; private set; }
    public string? RecipientEmail { get; private set; }
    public int? RecipientStaffId { get; private set; }
    public int? CaseId { get; private set; }
    /// <summary>The notice to residents (通知) this message is one of.</summary>
    public long? NoticeId { get; private set; }
    public string Body { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DeliveryStatus Status { get; private set; }
    public DateTimeOffset? SentAt { get; private set; }
    /// <summary>When a failed message is tried again (exponential backoff); null when it is not waiting for a retry.</summary>
    public DateTimeOffset? NextAttemptAt { get; private set; }
    public int Attempts { get; private set; }
    public string? LastError { get; private set; }
    /// <summary>Which sender delivered it (the log, the SMS gateway, SMTP).</summary>
    public NoticeSenderKind? SentBy { get; private set; }
    /// <summary>The gateway's id of the accepted message (an SMS gateway's BizId, an SMTP server's queue id).</summary>
    public string? GatewayMessageId { get; private set; }

    /// <summary>Where the message goes on its channel: the phone for SMS, the address for e-mail.</summary>
    public string? Address => Channel == NotificationChannel.Email ? RecipientEmail : RecipientPhone;

    /// <summary>
    /// The daily cap protects residents from floods of notices; staff work messages (a dispatch, a deadline) always go, and so
    /// does a resident's own one-time code (it has its own limits: ResidentOptions) — it is not sent through the outbox.
    /// </summary>
    public bool IsCapped => RecipientStaffId is null && Kind != NotificationKind.ResidentCode;

    /// <summary>
    /// The record of a one-time code sent at once to a resident who asked for it. <paramref name="text"/> carries the digits
    /// while it is sent; <see cref="Redact"/> blanks them before the row is saved, so no code sits in the database.
    /// </summary>
    public static Notification ResidentCode(string phone, string text, DateTimeOffset createdAt) =>
        new(NotificationKind.ResidentCode, "居民", phone, null, null, text, createdAt);

    /// <summary>Replaces the body by a note that says what it was (a one-time code) without its digits.</summary>
    public void Redact(string note) => Body = Text.Require(note, BodyMaxLength, DomainFields.NotificationText);

    public void MarkSent(DateTimeOffset at, NoticeSenderKind by, string? gatewayMessageId)
    {
        RequirePending();
        Status = DeliveryStatus.Sent;
        SentAt = at;
        Attempts++;
        LastError = null;
        NextAttemptAt = null;
        SentBy = by;
        GatewayMessageId = gatewayMessageId is null ? null : Cut(gatewayMessageId, MessageIdMaxLength);
    }

    /// <summary>
    /// One attempt failed: tried again after 30 s, 1, 2, 4 minutes …, failed for good after <see cref="MaxAttempts"/>
    /// attempts or at once when the failure is <paramref name="permanent"/> (no phone number, a refused address).
    /// </summary>
    public void MarkAttemptFailed(string error, DateTimeOffset at, bool permanent = false)
    {
        RequirePending();
        Attempts++;
        LastError = Cut(error, ErrorMaxLength);
        if (permanent || Attempts >= MaxAttempts)
        {
            Status = DeliveryStatus.Failed;
            NextAttemptAt = null;
        }
        else
        {
            NextAttemptAt = at + RetryDelay(Attempts);
        }
    }

    /// <summary>Not sent because the recipient already had the day's cap of messages: recorded, never silently dropped.</summary>
    public void MarkCapped(string reason)
    {
        RequirePending();
        Status = DeliveryStatus.Capped;
        LastError = Cut(reason, ErrorMaxLength);
        NextAttemptAt = null;
    }

    /// <summary>The wait after the <paramref name="attempts"/>-th failed attempt: 30 s doubled each time.</summary>
    public static TimeSpan RetryDelay(int attempts) => FirstRetryDelay * Math.Pow(2, Math.Max(0, attempts - 1));

    private void RequirePending()
    {
        if (Status != DeliveryStatus.Pending)
        {
            throw new InvalidOperationException($"Notification {Id} is {Status}, not pending.");
        }
    }

    private static string Cut(string value, int length) => value.Length > length ? value[..length] : value;
}

public enum NotificationKind
{
    Assignment,          // 新派遣 / 指派
    Returned,            // 退回待重新派遣
    Rework,              // 返工
    Supervision,         // 督办
    Whistle,             // 吹哨
    Emergency,           // 突发事件
    CaseClosed,          // 办结告知 + 满意度
    Extension,           // 延期申请与审批
    Notice,              // 通知（居民）
    Test,                // 测试消息（管理员）
    ResidentCode,        // 居民验证码: sent at once, not through the outbox
}

/// <summary>How a message reaches its recipient.</summary>
public enum NotificationChannel
{
    Sms,
    Email,
}

/// <summary>Where a message is in its delivery.</summary>
public enum DeliveryStatus
{
    Pending,
    Sent,
    Failed,
    Capped,
}
