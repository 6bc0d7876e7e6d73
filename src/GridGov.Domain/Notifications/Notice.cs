using GridGov.Domain.Cases;
using GridGov.Domain.Common;

namespace GridGov.Domain.Notifications;

/// <summary>
/// A notice (通知) to the residents of chosen grids or of one compound (a water cut-off, a meeting): one SMS per phone
/// number among the residents on the ledgers (removed and moved-out residents left out), sent through the outbox. A
/// community secretary notifies her community's grids, the center any; its notifications carry its id, so the notice's
/// page counts those reached, failed and capped.
/// </summary>
public class Notice
{
    /// <summary>An SMS of a few segments; longer texts belong on a notice board.</summary>
    public const int TextMaxLength = 300;
    public const int TargetNameMaxLength = 300;
    public const int ActorNameMaxLength = Case.NameMaxLength;
    /// <summary>Grids one notice may address at once.</summary>
    public const int MaxGrids = 100;

    private Notice()
    {
        Text = TargetName = CreatedByName = "";
        GridIds = [];
    }

    private Notice(string text, NoticeTarget target, List<int> gridIds, int? compoundId, int? communityId, string targetName, int recipientCount, CaseActor actor, DateTimeOffset now)
    {
        Text = text;
        Target = target;
        GridIds = gridIds;
        CompoundId = compoundId;
        CommunityId = communityId;
        TargetName = targetName.Length > TargetNameMaxLength ? targetName[..(TargetNameMaxLength - 1)] + "…" : targetName;
        RecipientCount = recipientCount;
        CreatedAt = now;
        CreatedByStaffId = actor.StaffMemberId;
        CreatedByName = actor.Name.Length > ActorNameMaxLength ? actor.Name[..ActorNameMaxLength] : actor.Name;
    }

    public long Id { get; private set; }
    public string Text { get; private set; }
    public NoticeTarget Target { get; private set; }
    /// <summary>The grids notified (for a compound: its grid).</summary>
    public List<int> GridIds { get; private set; }
    public int? CompoundId { get; private set; }
    /// <summary>The community of every grid notified; null when the center notified grids of several communities.</summary>
    public int? CommunityId { get; private set; }
    /// <summary>The grids' or compound's names as they were when the notice went out.</summary>
    public string TargetName { get; private set; }
    /// <summary>Phone numbers the notice was sent to (deduplicated).</summary>
    public int RecipientCount { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public int? CreatedByStaffId { get; private set; }
    public string CreatedByName { get; private set; }

    /// <summary>The notice's text as checked: required, at most <see cref="TextMaxLength"/> characters, no control characters.</summary>
    public static string RequireText(string? text) => Common.Text.Require(text, TextMaxLength, DomainFields.NoticeText);

    /// <summary>A notice about to go out: refused when nobody would receive it.</summary>
    public static Notice Compose(string? text, NoticeTarget target, IReadOnlyCollection<int> gridIds, int? compoundId, int? communityId, string targetName,
        int recipientCount, CaseActor actor, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var checkedText = RequireText(text);
        if (gridIds.Count == 0 || (target == NoticeTarget.Compound && compoundId is null))
        {
            throw DomainException.For(DomainFields.NoticeTarget, "notice.no-target", "请选择要通知的网格或小区");
        }
        if (recipientCount <= 0)
        {
            throw DomainException.For(DomainFields.NoticeTarget, "notice.no-recipients", "所选范围内没有登记手机号码的居民，无法发送通知");
        }
        return new Notice(checkedText, target, [.. gridIds.Distinct().Order()], compoundId, communityId, targetName, recipientCount, actor, now);
    }
}

/// <summary>Whom a notice addresses.</summary>
public enum NoticeTarget
{
    /// <summary>网格</summary>
    Grids,
    /// <summary>小区</summary>
    Compound,
}
