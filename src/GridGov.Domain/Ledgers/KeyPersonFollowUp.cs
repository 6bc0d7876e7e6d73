using GridGov.Domain.Common;

namespace GridGov.Domain.Ledgers;

/// <summary>
/// A follow-up of a key person (重点人员跟进记录): a resident with a sensitive tag (社区矫正, 安置帮教, 吸毒人员, 精神障碍) seen
/// or called by the community, what was found and how the situation is judged. Need-to-know like the tags themselves.
/// A record is never changed: a correction is a new record.
/// </summary>
public class KeyPersonFollowUp : Entity
{
    public const int SituationMaxLength = 500;

    private KeyPersonFollowUp()
    {
        Situation = "";
    }

    public KeyPersonFollowUp(int residentId, int staffMemberId, DateOnly followedUpOn, FollowUpWay way, FollowUpRisk risk, string situation, DateTimeOffset recordedAt)
    {
        ResidentId = residentId;
        StaffMemberId = staffMemberId;
        FollowedUpOn = followedUpOn;
        Way = Enum.IsDefined(way) ? way : throw new DomainException("follow-up.way", "请选择跟进方式") { Field = DomainFields.FollowUpWay.Name };
        Risk = Enum.IsDefined(risk) ? risk : throw new DomainException("follow-up.risk", "请选择现实表现评估") { Field = DomainFields.FollowUpRisk.Name };
        Situation = Text.Require(situation, SituationMaxLength, DomainFields.FollowUpSituation);
        RecordedAt = recordedAt;
    }

    public int ResidentId { get; private set; }
    /// <summary>Who followed up (and recorded it).</summary>
    public int StaffMemberId { get; private set; }
    public DateOnly FollowedUpOn { get; private set; }
    public FollowUpWay Way { get; private set; }
    public FollowUpRisk Risk { get; private set; }
    public string Situation { get; private set; }
    public DateTimeOffset RecordedAt { get; private set; }
}

/// <summary>How the key person was followed up (跟进方式).</summary>
public enum FollowUpWay
{
    /// <summary>入户走访.</summary>
    HomeVisit,
    /// <summary>约见面谈.</summary>
    Interview,
    /// <summary>电话联系.</summary>
    Phone,
    /// <summary>向家属、邻里了解.</summary>
    Relatives,
}

/// <summary>How the person's situation is judged (现实表现评估).</summary>
public enum FollowUpRisk
{
    /// <summary>稳定.</summary>
    Stable,
    /// <summary>需关注.</summary>
    Attention,
    /// <summary>预警: to be reported to the police station or the judicial office at once.</summary>
    Alert,
}
