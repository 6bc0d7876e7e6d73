using GridGov.Domain.Common;

namespace GridGov.Domain.Organisation;

/// <summary>A person's duty in a grid (实名落图): its leader or one of its workers.</summary>
public class GridAssignment : Entity
{
    private GridAssignment()
    {
    }

    public GridAssignment(string gridCode, int staffMemberId, GridDuty duty, DateOnly since)
    {
        GridCode = gridCode;
        StaffMemberId = staffMemberId;
        Duty = duty;
        Since = since;
    }

    /// <summary>The grid's stable code, so an assignment survives boundary versions.</summary>
    public string GridCode { get; private set; } = "";
    public int StaffMemberId { get; private set; }
    public StaffMember? StaffMember { get; private set; }
    public GridDuty Duty { get; private set; }
    public DateOnly Since { get; private set; }
}

public enum GridDuty
{
    Leader,             // 网格长
    FullTimeWorker,     // 专职网格员
    ProfessionalWorker, // 专业网格员
    AuxiliaryWorker,    // 辅助网格员
}

public static class GridDuties
{
    public static string ChineseName(this GridDuty duty) => duty switch
    {
        GridDuty.Leader => "网格长",
        GridDuty.FullTimeWorker => "专职网格员",
        GridDuty.ProfessionalWorker => "专业网格员",
        GridDuty.AuxiliaryWorker => "辅助网格员",
        _ => throw new ArgumentOutOfRangeException(nameof(duty)),
    };
}
