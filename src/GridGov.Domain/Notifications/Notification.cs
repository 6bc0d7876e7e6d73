using GridGov.Domain.Common;

namespace GridGov.Domain.Notifications;

/// <summary>
/// A message waiting in the outbox (written in the same transaction as the change that caused it) and
/// sent later by a pluggable sender (log by default; SMS or WeChat can be plugged in).
/// </summary>
public class Notification
{
    public const int BodyMaxLength = 500;
    public const int RecipientMaxLength = 30;

    private Notification()
    {
        RecipientName = Body = "";
    }

    public Notification(NotificationKind kind, string recipientName, string? recipientPhone, int? recipientStaffId, int? caseId, string text, DateTimeOffset createdAt)
    {
        Kind = kind;
        RecipientName = Text.Require(recipientName, RecipientMaxLength, DomainFields.Recipient);
        RecipientPhone = recipientPhone;
        RecipientStaffId = recipientStaffId;
        CaseId = caseId;
        Body = Text.Require(text, BodyMaxLength, DomainFields.NotificationText);
        CreatedAt = createdAt;
    }

    public long Id { get; private set; }
    public NotificationKind Kind { get; private set; }
    public string RecipientName { get; private set; }
    public string? RecipientPhone { get; private set; }
    public int? RecipientStaffId { get; private set; }
    public int? CaseId { get; private set; }
    public string Body { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? SentAt { get; private set; }
    public int Attempts { get; private set; }
    public string? LastError { get; private set; }

    public void MarkSent(DateTimeOffset at)
    {
        SentAt = at;
        Attempts++;
        LastError = null;
    }

    public void MarkFailed(string error)
    {
        Attempts++;
        LastError = error.Length > 500 ? error[..500] : error;
    }
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
}
