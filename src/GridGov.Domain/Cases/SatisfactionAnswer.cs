using GridGov.Domain.Organisation;

namespace GridGov.Domain.Cases;

/// <summary>How the reporter's verdict reached the center.</summary>
public enum SatisfactionChannel
{
    PhoneCallBack,   // 电话回访: the dispatcher called the reporter back
    ResidentAnswer,  // 居民自行答复: the reporter answered (the reply to the closing SMS, or the public form)
}

/// <summary>
/// The reporter's verdict in three answers (满意 / 基本满意 / 不满意). 基本满意 counts as satisfied wherever the loop and
/// the evaluation count satisfied answers; only 不满意 reopens a case.
/// </summary>
public enum SatisfactionLevel
{
    Satisfied,           // 满意
    BasicallySatisfied,  // 基本满意
    Dissatisfied,        // 不满意
}

/// <summary>One satisfaction answer (满意度回访记录) of one round of handling; evaluation counts the dissatisfied ones.</summary>
public class SatisfactionAnswer
{
    private SatisfactionAnswer()
    {
        RecordedByName = "";
    }

    internal SatisfactionAnswer(SatisfactionLevel level, SatisfactionChannel channel, string? comment, CaseActor recordedBy, DateTimeOffset at, int? departmentId)
    {
        Level = level;
        Satisfied = level != SatisfactionLevel.Dissatisfied;
        Channel = channel;
        Comment = comment;
        RecordedByStaffId = recordedBy.StaffMemberId;
        RecordedByName = recordedBy.Name;
        RecordedByRole = recordedBy.Role;
        RecordedAt = at;
        DepartmentId = departmentId;
    }

    public long Id { get; private set; }
    public int CaseId { get; private set; }
    public bool Satisfied { get; private set; }
    /// <summary>The answer in three levels; <see cref="Satisfied"/> is false only for <see cref="SatisfactionLevel.Dissatisfied"/>.</summary>
    public SatisfactionLevel Level { get; private set; }
    public SatisfactionChannel Channel { get; private set; }
    public string? Comment { get; private set; }
    public int? RecordedByStaffId { get; private set; }
    public string RecordedByName { get; private set; }
    public StaffRole? RecordedByRole { get; private set; }
    public DateTimeOffset RecordedAt { get; private set; }
    /// <summary>The lead department of the round answered about (null for local handling).</summary>
    public int? DepartmentId { get; private set; }
    /// <summary>This answer reopened the case for rework (dissatisfied, within the window).</summary>
    public bool Reopened { get; internal set; }
}

public static class SatisfactionNames
{
    public static string ChineseName(this SatisfactionChannel channel) => channel switch
    {
        SatisfactionChannel.PhoneCallBack => "电话回访",
        SatisfactionChannel.ResidentAnswer => "居民自行答复",
        _ => throw new ArgumentOutOfRangeException(nameof(channel)),
    };

    public static string ChineseName(this SatisfactionLevel level) => level switch
    {
        SatisfactionLevel.Satisfied => "满意",
        SatisfactionLevel.BasicallySatisfied => "基本满意",
        SatisfactionLevel.Dissatisfied => "不满意",
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };

    public static SatisfactionLevel LevelOf(bool satisfied) => satisfied ? SatisfactionLevel.Satisfied : SatisfactionLevel.Dissatisfied;
}
