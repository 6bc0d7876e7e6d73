using GridGov.Domain.Common;

namespace GridGov.Domain.Cases;

/// <summary>One step in a case's history: who, when, from which state to which, and why. Never edited.</summary>
public class CaseHistoryEntry
{
    public const int NoteMaxLength = 1000;

    private CaseHistoryEntry()
    {
        ActorName = "";
    }

    internal CaseHistoryEntry(CaseAction action, CaseActor actor, DateTimeOffset at, CaseState? from, CaseState to, string? note, int? departmentId,
        DateTimeOffset? dueAt = null)
    {
        Action = action;
        ActorStaffId = actor.StaffMemberId;
        ActorName = actor.Name;
        ActorRole = actor.Role;
        At = at;
        FromState = from;
        ToState = to;
        Note = note;
        DepartmentId = departmentId;
        DueAt = dueAt;
    }

    public long Id { get; private set; }
    public int CaseId { get; private set; }
    public CaseAction Action { get; private set; }
    public int? ActorStaffId { get; private set; }
    public string ActorName { get; private set; }
    public Organisation.StaffRole? ActorRole { get; private set; }
    public DateTimeOffset At { get; private set; }
    /// <summary>Null for the report that created the case.</summary>
    public CaseState? FromState { get; private set; }
    public CaseState ToState { get; private set; }
    public string? Note { get; private set; }
    /// <summary>The department involved (dispatched to, returning, summoned, responding), for evaluation.</summary>
    public int? DepartmentId { get; private set; }
    /// <summary>
    /// The deadline that was running when the action was taken (the stage it ends: registration for 立案, dispatch for
    /// 派遣, handling for 反馈, verification for 核查); null when no clock ran. The evaluation measures timeliness by it.
    /// </summary>
    public DateTimeOffset? DueAt { get; private set; }

    /// <summary>Whether the action came by the deadline that was running; null when none was.</summary>
    public bool? WasOnTime => DueAt is { } due ? At <= due : null;
}

/// <summary>A photo or file attached to a case at one step, stored by its content hash.</summary>
public class CaseEvidence
{
    public const int FileNameMaxLength = 200;

    private CaseEvidence()
    {
        Sha256 = ContentType = FileName = "";
    }

    public CaseEvidence(string sha256, string contentType, long sizeBytes, string fileName)
    {
        Sha256 = sha256;
        ContentType = contentType;
        SizeBytes = sizeBytes;
        FileName = Text.Require(fileName, FileNameMaxLength, DomainFields.FileName);
    }

    public long Id { get; private set; }
    public int CaseId { get; private set; }
    public CaseAction Step { get; internal set; }
    public DateTimeOffset AddedAt { get; internal set; }
    public string Sha256 { get; private set; }
    public string ContentType { get; private set; }
    public long SizeBytes { get; private set; }
    public string FileName { get; private set; }
}

/// <summary>吹哨: a department summoned to a case, which must report (报到) within a set time.</summary>
public class Whistle
{
    public const int ResponseMaxLength = 1000;

    private Whistle()
    {
    }

    internal Whistle(int departmentId, int? summonedByStaffId, DateTimeOffset summonedAt, DateTimeOffset respondBy)
    {
        DepartmentId = departmentId;
        SummonedByStaffId = summonedByStaffId;
        SummonedAt = summonedAt;
        RespondBy = respondBy;
    }

    public long Id { get; private set; }
    public int CaseId { get; private set; }
    public int DepartmentId { get; private set; }
    public int? SummonedByStaffId { get; private set; }
    public DateTimeOffset SummonedAt { get; private set; }
    public DateTimeOffset RespondBy { get; private set; }
    public DateTimeOffset? RespondedAt { get; private set; }
    public string? Response { get; private set; }

    public bool IsAnswered => RespondedAt is not null;

    internal void Answer(DateTimeOffset at, string response)
    {
        RespondedAt = at;
        Response = response;
    }
}

/// <summary>Someone to tell about the outcome: the reporter, and reporters of duplicates merged into the case.</summary>
public class CaseFollower
{
    private CaseFollower()
    {
        Name = "";
    }

    internal CaseFollower(string name, string? phone, int? staffMemberId)
    {
        Name = name;
        Phone = phone;
        StaffMemberId = staffMemberId;
    }

    public long Id { get; private set; }
    public int CaseId { get; private set; }
    public string Name { get; private set; }
    public string? Phone { get; private set; }
    public int? StaffMemberId { get; private set; }
}

/// <summary>A deadline and the moment its yellow warning begins (80% of the working time used).</summary>
public sealed record StageDeadline(DateTimeOffset Due, DateTimeOffset WarningAt);
