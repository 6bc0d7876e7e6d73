using GridGov.Domain.Common;

namespace GridGov.Domain.Categories;

/// <summary>A major class (大类) of cases.</summary>
public class CategoryMajor : Entity
{
    public const int CodeMaxLength = 10;
    public const int NameMaxLength = 30;

    private CategoryMajor()
    {
        Code = Name = "";
    }

    public CategoryMajor(string code, string name, CategoryKind kind)
    {
        Code = Text.Require(code, CodeMaxLength, DomainFields.MajorCode);
        Name = Text.Require(name, NameMaxLength, DomainFields.MajorName);
        Kind = kind;
    }

    public string Code { get; private set; }
    public string Name { get; private set; }
    public CategoryKind Kind { get; private set; }
    public List<Category> Minors { get; } = [];
}

/// <summary>
/// A minor class (小类): what a case is about, with its filing standard (立案标准), the department
/// that handles it by default (定责) and its time limits per stage (限时办结).
/// </summary>
public class Category : Entity
{
    public const int CodeMaxLength = 10;
    public const int NameMaxLength = 40;
    public const int FilingStandardMaxLength = 500;

    private Category()
    {
        Code = Name = FilingStandard = "";
        Limits = null!;
    }

    public Category(CategoryMajor major, string code, string name, string filingStandard, int defaultDepartmentId, StageLimits limits)
    {
        MajorId = major.Id;
        Major = major;
        Code = Text.Require(code, CodeMaxLength, DomainFields.MinorCode);
        Name = Text.Require(name, NameMaxLength, DomainFields.MinorName);
        FilingStandard = Text.Require(filingStandard, FilingStandardMaxLength, DomainFields.FilingStandard);
        DefaultDepartmentId = defaultDepartmentId;
        Limits = limits;
        IsActive = true;
    }

    public int MajorId { get; private set; }
    public CategoryMajor? Major { get; private set; }
    public string Code { get; private set; }
    public string Name { get; private set; }
    public string FilingStandard { get; private set; }
    public int DefaultDepartmentId { get; private set; }
    public StageLimits Limits { get; private set; }
    public bool IsActive { get; private set; }
    /// <summary>Open cases of this category within this distance are offered as possible duplicates.</summary>
    public int DuplicateRadiusMeters { get; private set; } = DefaultDuplicateRadiusMeters;

    public const int DefaultDuplicateRadiusMeters = 50;

    public void Update(string name, string filingStandard, int defaultDepartmentId, StageLimits limits)
    {
        Name = Text.Require(name, NameMaxLength, DomainFields.MinorName);
        FilingStandard = Text.Require(filingStandard, FilingStandardMaxLength, DomainFields.FilingStandard);
        DefaultDepartmentId = defaultDepartmentId;
        Limits = limits;
    }
}

public enum CategoryKind
{
    Component,   // 部件
    Event,       // 事件
    Governance,  // 社会治理事项
}
