using GridGov.Domain.Common;

namespace GridGov.Domain.Visits;

/// <summary>A household visit (入户走访) by a grid worker: who, when, what was found, and any case raised.</summary>
public class Visit
{
    public const int FindingsMaxLength = 2000;
    public const int CompanionsMaxLength = 100;

    private Visit()
    {
        Findings = "";
    }

    public Visit(int householdId, int gridId, int visitorStaffId, DateTimeOffset visitedAt, string findings, string? companions, long? visitDemandId)
    {
        HouseholdId = householdId;
        GridId = gridId;
        VisitorStaffId = visitorStaffId;
        VisitedAt = visitedAt;
        Findings = Text.Require(findings, FindingsMaxLength, DomainFields.Findings);
        Companions = Text.Optional(companions, CompanionsMaxLength, DomainFields.Companions);
        VisitDemandId = visitDemandId;
    }

    public long Id { get; private set; }
    public int HouseholdId { get; private set; }
    public int GridId { get; private set; }
    public int VisitorStaffId { get; private set; }
    public DateTimeOffset VisitedAt { get; private set; }
    public string Findings { get; private set; }
    /// <summary>Other people who came along (names), e.g. the building head.</summary>
    public string? Companions { get; private set; }
    /// <summary>The 五必到 demand this visit answers, if any.</summary>
    public long? VisitDemandId { get; private set; }
    public int? RaisedCaseId { get; private set; }
    /// <summary>The row version (PostgreSQL xmin): an amendment carries the one its author saw.</summary>
    public uint Version { get; private set; }

    public void LinkRaisedCase(int caseId) => RaisedCaseId = caseId;

    public void Amend(string findings, string? companions)
    {
        Findings = Text.Require(findings, FindingsMaxLength, DomainFields.Findings);
        Companions = Text.Optional(companions, CompanionsMaxLength, DomainFields.Companions);
    }
}

/// <summary>五必到: an event in a household that calls for a prompt visit.</summary>
public enum FiveMustReason
{
    FamilyCrisis,        // 家庭变故
    SuddenHardship,      // 突发困难
    NeighbourDispute,    // 邻里纠纷
    CommunityEmergency,  // 社区突发事件
    PublicSecurity,      // 治安案件
}

public static class FiveMustReasons
{
    public static string ChineseName(this FiveMustReason reason) => reason switch
    {
        FiveMustReason.FamilyCrisis => "家庭变故",
        FiveMustReason.SuddenHardship => "突发困难",
        FiveMustReason.NeighbourDispute => "邻里纠纷",
        FiveMustReason.CommunityEmergency => "社区突发事件",
        FiveMustReason.PublicSecurity => "治安案件",
        _ => throw new ArgumentOutOfRangeException(nameof(reason)),
    };
}

/// <summary>A visit that must happen by <see cref="DueBy"/> because of a 五必到 event.</summary>
public class VisitDemand
{
    public const int DefaultDueDays = 2;
    public const int NoteMaxLength = 500;

    private VisitDemand()
    {
    }

    public VisitDemand(int householdId, FiveMustReason reason, DateTimeOffset createdAt, DateTimeOffset dueBy, int? caseId, string? note)
    {
        if (dueBy <= createdAt)
        {
            throw new DomainException("visit-demand.due", "走访期限必须晚于登记时间");
        }
        HouseholdId = householdId;
        Reason = reason;
        CreatedAt = createdAt;
        DueBy = dueBy;
        CaseId = caseId;
        Note = Text.Optional(note, NoteMaxLength, DomainFields.VisitNote);
    }

    public long Id { get; private set; }
    public int HouseholdId { get; private set; }
    public FiveMustReason Reason { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset DueBy { get; private set; }
    /// <summary>The case that triggered it, when created automatically.</summary>
    public int? CaseId { get; private set; }
    public string? Note { get; private set; }
    public long? FulfilledByVisitId { get; private set; }
    public DateTimeOffset? FulfilledAt { get; private set; }

    public bool IsOpen => FulfilledAt is null;

    /// <summary>Open and past its due time.</summary>
    public bool IsOverdue(DateTimeOffset now) => IsOpen && now > DueBy;

    /// <summary>Fulfilled by a visit made no later than the due time.</summary>
    public bool WasFulfilledInTime() => FulfilledAt is { } at && at <= DueBy;

    public void Fulfil(Visit visit)
    {
        if (visit.HouseholdId != HouseholdId)
        {
            throw new DomainException("visit-demand.household", "走访的住户与五必到事项的住户不一致") { Field = DomainFields.VisitDemand.Name };
        }
        if (!IsOpen)
        {
            throw new DomainException("visit-demand.fulfilled", "该五必到事项已完成走访") { Field = DomainFields.VisitDemand.Name };
        }
        FulfilledByVisitId = visit.Id;
        FulfilledAt = visit.VisitedAt;
    }
}
