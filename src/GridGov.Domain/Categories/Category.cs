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
    public const int ResidentNameMaxLength = 40;

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
    /// <summary>The name residents read on the public report page (e.g. 路灯不亮了); null: they read <see cref="Name"/>.</summary>
    public string? ResidentName { get; private set; }
    public string FilingStandard { get; private set; }
    public int DefaultDepartmentId { get; private set; }
    public StageLimits Limits { get; private set; }
    public bool IsActive { get; private set; }
    /// <summary>Open cases of this category within this distance are offered as possible duplicates.</summary>
    public int DuplicateRadiusMeters { get; private set; } = DefaultDuplicateRadiusMeters;

    public const int DefaultDuplicateRadiusMeters = 50;

    /// <summary>Optimistic concurrency token (PostgreSQL xmin): an administrator's edit carries the version they saw.</summary>
    public uint Version { get; private set; }

    /// <summary>
    /// An administrator's edit. New limits apply to the deadlines set from now on (a dispatch after the edit); the
    /// deadlines of cases already under way were fixed when they were set and stay. A retired class (停用) keeps its cases
    /// and history but is no longer offered for new reports; a class is retired, never deleted.
    /// </summary>
    public void Update(string name, string filingStandard, int defaultDepartmentId, StageLimits limits, bool isActive)
    {
        if (HasControlCharacters(name))
        {
            throw new DomainException("category.name-control", "小类名称含有不可见的控制字符，请删除后重试");
        }
        if (HasControlCharacters(filingStandard))
        {
            throw new DomainException("category.filing-control", "立案标准含有不可见的控制字符，请删除后重试");
        }
        StageLimitBounds.Require(limits);
        Update(name, filingStandard, defaultDepartmentId, limits);
        IsActive = isActive;
    }

    public void Update(string name, string filingStandard, int defaultDepartmentId, StageLimits limits)
    {
        Name = Text.Require(name, NameMaxLength, DomainFields.MinorName);
        FilingStandard = Text.Require(filingStandard, FilingStandardMaxLength, DomainFields.FilingStandard);
        DefaultDepartmentId = defaultDepartmentId;
        Limits = limits;
    }

    /// <summary>The plain-language name for the public report page (e.g. 路灯不亮或灯杆坏了); null or blank: residents read <see cref="Name"/>.</summary>
    public void NameForResidents(string? residentName) =>
        ResidentName = Text.Optional(residentName, ResidentNameMaxLength, DomainFields.MinorName);

    private static bool HasControlCharacters(string? text) => text is not null && text.Any(c => char.IsControl(c) && c is not ('\t' or '\n' or '\r'));
}

/// <summary>
/// What an administrator may set as a stage's time limit: at least one unit and at most a sensible maximum per unit
/// (longer limits belong in the next unit up). Each refusal names its stage, so the editor shows it under that field.
/// </summary>
public static class StageLimitBounds
{
    /// <summary>A working day's worth of minutes.</summary>
    public const int MaxMinutes = 480;
    /// <summary>Ten working days' worth of working hours.</summary>
    public const int MaxWorkingHours = 80;
    /// <summary>About three months of working days.</summary>
    public const int MaxWorkingDays = 60;

    public static int MaxFor(TimeUnit unit) => unit switch
    {
        TimeUnit.Minutes => MaxMinutes,
        TimeUnit.WorkingHours => MaxWorkingHours,
        _ => MaxWorkingDays,
    };

    public static string UnitName(TimeUnit unit) => unit switch
    {
        TimeUnit.Minutes => "分钟",
        TimeUnit.WorkingHours => "工作时",
        _ => "工作日",
    };

    public static void Require(StageLimits limits)
    {
        Check(limits.Register, "category.limit-register", "立案时限");
        Check(limits.Dispatch, "category.limit-dispatch", "派遣时限");
        Check(limits.Handle, "category.limit-handle", "处置时限");
        Check(limits.Verify, "category.limit-verify", "核查时限");
        Check(limits.UrgentHandle, "category.limit-urgent", "紧急处置时限");
        if (limits.UrgentHandle.Unit == limits.Handle.Unit && limits.UrgentHandle.Amount > limits.Handle.Amount)
        {
            throw new DomainException("category.limit-urgent-longer", "紧急处置时限不能长于一般处置时限");
        }
    }

    private static void Check(TimeLimit limit, string code, string stage) => Limit(limit.Amount, limit.Unit, code, stage);

    /// <summary>The limit an editor typed, refused under <paramref name="code"/> when out of bounds.</summary>
    public static TimeLimit Limit(int? amount, TimeUnit unit, string code, string stage)
    {
        var max = MaxFor(unit);
        if (amount is not { } value || value < 1 || value > max || !Enum.IsDefined(unit))
        {
            throw new DomainException(code, $"{stage}必须是1至{max}之间的整数（{UnitName(unit)}）");
        }
        return new TimeLimit(value, unit);
    }
}

public enum CategoryKind
{
    Component,   // 部件
    Event,       // 事件
    Governance,  // 社会治理事项
}
