using GridGov.Domain.Common;

namespace GridGov.Domain.Organisation;

/// <summary>A responsible department (职能部门 / 科室) that receives dispatched cases.</summary>
public class Department : Entity
{
    public const int CodeMaxLength = 20;
    public const int NameMaxLength = 50;

    private Department()
    {
        Code = Name = "";
    }

    public Department(string code, string name, DepartmentLevel level, string? dutyPhone)
    {
        Code = Text.Require(code, CodeMaxLength, DomainFields.DepartmentCode);
        Name = Text.Require(name, NameMaxLength, DomainFields.DepartmentName);
        Level = level;
        DutyPhone = dutyPhone is null ? null : Phone.Require(dutyPhone, DomainFields.DutyPhone);
    }

    public string Code { get; private set; }
    public string Name { get; private set; }
    public DepartmentLevel Level { get; private set; }
    public string? DutyPhone { get; private set; }

    public void Rename(string name) => Name = Text.Require(name, NameMaxLength, DomainFields.DepartmentName);
}

public enum DepartmentLevel
{
    Community,  // 社区居委会
    Street,     // 街道科室
    District,   // 区级职能部门 (派驻)
}
