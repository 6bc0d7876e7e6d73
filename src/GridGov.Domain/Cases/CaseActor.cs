using GridGov.Domain.Organisation;

namespace GridGov.Domain.Cases;

/// <summary>
/// Who acts on a case, with the scope their role covers. Built by the application from the signed-in
/// staff member (or for a resident or the system), never from what a form claims.
/// </summary>
public sealed record CaseActor
{
    private CaseActor(int? staffMemberId, string name, StaffRole? role, int? communityId, int? departmentId, IReadOnlySet<string> gridCodes)
    {
        StaffMemberId = staffMemberId;
        Name = name;
        Role = role;
        CommunityId = communityId;
        DepartmentId = departmentId;
        GridCodes = gridCodes;
    }

    public int? StaffMemberId { get; }
    public string Name { get; }
    /// <summary>Null for residents and the system.</summary>
    public StaffRole? Role { get; }
    public int? CommunityId { get; }
    public int? DepartmentId { get; }
    /// <summary>Grids where a grid leader or worker serves.</summary>
    public IReadOnlySet<string> GridCodes { get; }

    public bool IsSystem => StaffMemberId is null && Role is null && Name == SystemName;

    private const string SystemName = "系统";

    public static CaseActor Staff(StaffMember staff, IEnumerable<string> gridCodes) =>
        new(staff.Id, staff.Name, staff.Role, staff.CommunityId, staff.DepartmentId, gridCodes.ToHashSet());

    /// <summary>A member of the public (resident, hotline caller).</summary>
    public static CaseActor Public(string name) => new(null, name, null, null, null, new HashSet<string>());

    /// <summary>Automatic steps (the emergency fast path); recorded as 系统.</summary>
    public static CaseActor System { get; } = new(null, SystemName, null, null, null, new HashSet<string>());

    public override string ToString() => Role is { } role ? $"{Name}（{role.ChineseName()}）" : Name;
}
