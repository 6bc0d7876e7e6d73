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

    /// <summary>How far back a move may be dated: it takes effect at once, the date is for the record.</summary>
    public const int PostingMaxDaysBack = 366;

    /// <summary>
    /// Moves a community secretary to another community, or a department handler to another department, from
    /// <paramref name="since"/> (today or up to a year back; scopes follow at once). The posting in force
    /// (<paramref name="current"/>, if any) ends that day; the new one is returned to be saved.
    /// </summary>
    public StaffPosting PostTo(int? communityId, int? departmentId, DateOnly since, DateOnly today, StaffPosting? current)
    {
        (int? community, int? department) = Role switch
        {
            StaffRole.CommunitySecretary => ((int?)(communityId ?? throw DomainException.For(DomainFields.PostingPlace, "posting.community-required", "请选择任职的社区")), (int?)null),
            StaffRole.DepartmentHandler => ((int?)null, (int?)(departmentId ?? throw DomainException.For(DomainFields.PostingPlace, "posting.department-required", "请选择任职的部门"))),
            _ => throw new DomainException("posting.role", "只有社区书记和部门人员按社区或部门任职，网格长和网格员按网格落图"),
        };
        if (!IsActive)
        {
            throw new DomainException("posting.inactive", "该人员已停用，不能调任");
        }
        if (since > today || since < today.AddDays(-PostingMaxDaysBack))
        {
            throw DomainException.For(DomainFields.PostingSince, "posting.since-out-of-range", "任职日期须为今天或一年之内的过去日期");
        }
        if (community == CommunityId && department == DepartmentId)
        {
            throw DomainException.For(DomainFields.PostingPlace, "posting.same-place", $"{Name}已在该处任职", Name);
        }
        if (current is not null)
        {
            if (since < current.Since)
            {
                throw DomainException.For(DomainFields.PostingSince, "posting.before-current", $"任职日期不能早于现任职的开始日期{current.Since:yyyy-MM-dd}",
                    current.Since.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            }
            current.End(since);
        }
        CommunityId = community;
        DepartmentId = department;
        return new StaffPosting(Id, community, department, since);
    }
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
