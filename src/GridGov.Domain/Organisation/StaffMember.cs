using GridGov.Domain.Common;

namespace GridGov.Domain.Organisation;

/// <summary>
/// A person who works in grid management. The sign-in account (Identity user) points here;
/// where they work is in <see cref="CommunityId"/>, <see cref="DepartmentId"/> and grid assignments.
/// </summary>
public class StaffMember : Entity
{
    public const int NameMaxLength = 30;

    private StaffMember()
    {
        Name = Phone = "";
    }

    public StaffMember(string name, string phone, StaffRole role, int? communityId = null, int? departmentId = null)
    {
        Name = Text.Require(name, NameMaxLength, DomainFields.PersonName);
        Phone = Common.Phone.Require(phone, DomainFields.StaffPhone);
        Role = role;
        if (role == StaffRole.CommunitySecretary && communityId is null)
        {
            throw new DomainException("staff.community-required", "社区书记必须属于一个社区");
        }
        if (role == StaffRole.DepartmentHandler && departmentId is null)
        {
            throw new DomainException("staff.department-required", "部门承办人必须属于一个职能部门");
        }
        CommunityId = communityId;
        DepartmentId = departmentId;
        IsActive = true;
    }

    public string Name { get; private set; }
    public string Phone { get; private set; }
    public StaffRole Role { get; private set; }
    public int? CommunityId { get; private set; }
    public int? DepartmentId { get; private set; }
    public bool IsActive { get; private set; }
}

public enum StaffRole
{
    Dispatcher,          // 座席员 / 调度员
    CommunitySecretary,  // 社区书记
    GridLeader,          // 网格长
    GridWorker,          // 网格员
    DepartmentHandler,   // 部门承办人
    StreetLeader,        // 街道领导
    Administrator,       // 系统管理员
}

public static class StaffRoles
{
    public static string ChineseName(this StaffRole role) => role switch
    {
        StaffRole.Dispatcher => "座席员",
        StaffRole.CommunitySecretary => "社区书记",
        StaffRole.GridLeader => "网格长",
        StaffRole.GridWorker => "网格员",
        StaffRole.DepartmentHandler => "部门承办人",
        StaffRole.StreetLeader => "街道领导",
        StaffRole.Administrator => "系统管理员",
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };
}
