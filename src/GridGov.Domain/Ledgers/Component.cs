using GridGov.Domain.Geography;
using System.Globalization;
using GridGov.Domain.Common;
using NetTopologySuite.Geometries;

namespace GridGov.Domain.Ledgers;

/// <summary>
/// A city component (部件). Code: 6-digit division + 2-digit major class + 2-digit minor class +
/// 6-digit serial, e.g. 3205080101000001 (a water-supply manhole cover).
/// </summary>
public class Component : LedgerEntry, IHeldByGrid
{
    public const int CodeLength = 16;
    public const int NameMaxLength = 40;

    private Component()
    {
        Code = Name = "";
        Location = null!;
    }

    public Component(int gridId, string divisionCode, ComponentClass majorClass, int minorClass, int serial, string name, Point location, int ownerDepartmentId)
    {
        RequireParts(divisionCode, majorClass, minorClass, serial);
        GridId = gridId;
        MajorClass = majorClass;
        MinorClass = minorClass;
        Code = string.Create(CultureInfo.InvariantCulture, $"{divisionCode}{(int)majorClass:D2}{minorClass:D2}{serial:D6}");
        Name = Text.Require(name, NameMaxLength, DomainFields.ComponentName);
        Location = Locations.Require(location, DomainFields.ComponentLocation);
        OwnerDepartmentId = ownerDepartmentId;
        State = ComponentState.Intact;
    }

    /// <summary>
    /// A new component from its whole 16-digit code as typed (a form): the code must be 16 digits, and its parts obey the
    /// same rules as the constructor's (6-digit division, a known major class, minor class 01–99, serial 000001–999999).
    /// </summary>
    public static Component FromCode(int gridId, string? code, string name, Point location, int ownerDepartmentId)
    {
        var parts = ParseCode(code);
        return new Component(gridId, parts.DivisionCode, parts.MajorClass, parts.MinorClass, parts.Serial, name, location, ownerDepartmentId);
    }

    /// <summary>
    /// The parts of a whole 16-digit code as typed (a form, an import), by the rules of <see cref="FromCode"/>: 16 digits,
    /// a 6-digit division, a known major class, minor class 01–99, serial 000001–999999.
    /// </summary>
    public static ComponentCodeParts ParseCode(string? code)
    {
        var digits = code?.Trim() ?? "";
        if (digits.Length == 0)
        {
            throw DomainException.For(DomainFields.ComponentCode, "text.required", $"{DomainFields.ComponentCode}不能为空");
        }
        if (digits.Length != CodeLength || !digits.All(char.IsAsciiDigit))
        {
            throw new DomainException("component.code-format", "部件编码应为16位数字：区划代码6位 + 大类2位 + 小类2位 + 序号6位")
            {
                Field = DomainFields.ComponentCode.Name,
            };
        }
        var major = (ComponentClass)int.Parse(digits.AsSpan(6, 2), NumberStyles.None, CultureInfo.InvariantCulture);
        var minor = int.Parse(digits.AsSpan(8, 2), NumberStyles.None, CultureInfo.InvariantCulture);
        var serial = int.Parse(digits.AsSpan(10, 6), NumberStyles.None, CultureInfo.InvariantCulture);
        RequireParts(digits[..6], major, minor, serial);
        return new ComponentCodeParts(digits, digits[..6], major, minor, serial);
    }

    private static void RequireParts(string divisionCode, ComponentClass majorClass, int minorClass, int serial)
    {
        if (divisionCode.Length != 6 || !divisionCode.All(char.IsAsciiDigit))
        {
            throw new DomainException("component.division", "部件编码的行政区划代码应为6位数字") { Field = DomainFields.ComponentCode.Name };
        }
        if (!Enum.IsDefined(majorClass))
        {
            throw new DomainException("component.class", "部件大类无效") { Field = DomainFields.ComponentCode.Name };
        }
        if (minorClass is < 1 or > 99 || serial is < 1 or > 999_999)
        {
            throw new DomainException("component.code", "部件小类应在01至99之间，序号应在000001至999999之间") { Field = DomainFields.ComponentCode.Name };
        }
    }

    public int GridId { get; private set; }

    /// <summary>Moved by a change of the grid map (<see cref="IHeldByGrid"/>); a removed row keeps the grid it had.</summary>
    public void MoveToGrid(int gridId)
    {
        EnsureActive();
        GridId = gridId;
    }

    public string Code { get; private set; }
    public ComponentClass MajorClass { get; private set; }
    public int MinorClass { get; private set; }
    public string Name { get; private set; }
    public ComponentState State { get; private set; }
    public Point Location { get; private set; }
    public int OwnerDepartmentId { get; private set; }

    public void ChangeState(ComponentState state) =>
        State = Enum.IsDefined(state) ? state : throw new DomainException("component.state", "部件状态无效") { Field = DomainFields.ComponentState.Name };

    /// <summary>The 6-digit division code the component's code starts with.</summary>
    public string DivisionCode => Code[..6];

    /// <summary>The 6-digit serial the component's code ends with.</summary>
    public int Serial => int.Parse(Code.AsSpan(10, 6), NumberStyles.None, CultureInfo.InvariantCulture);

    public void Rename(string name)
    {
        EnsureActive();
        Name = Text.Require(name, NameMaxLength, DomainFields.ComponentName);
    }

    /// <summary>A new class and serial: the code is rebuilt from the same division code.</summary>
    public void Reclassify(ComponentClass majorClass, int minorClass, int serial)
    {
        EnsureActive();
        RequireParts(DivisionCode, majorClass, minorClass, serial);
        Code = string.Create(CultureInfo.InvariantCulture, $"{DivisionCode}{(int)majorClass:D2}{minorClass:D2}{serial:D6}");
        MajorClass = majorClass;
        MinorClass = minorClass;
    }

    public void ChangeOwner(int ownerDepartmentId)
    {
        EnsureActive();
        OwnerDepartmentId = ownerDepartmentId;
    }

    /// <summary>A new location and the grid it resolved to (the caller resolves it, in the database).</summary>
    public void Relocate(Point location, int gridId)
    {
        EnsureActive();
        Location = Locations.Require(location, DomainFields.ComponentLocation);
        GridId = gridId;
    }
}

/// <summary>A component's whole code and its parts.</summary>
public sealed record ComponentCodeParts(string Code, string DivisionCode, ComponentClass MajorClass, int MinorClass, int Serial);

/// <summary>Major classes of components; the value is the 2-digit code.</summary>
public enum ComponentClass
{
    PublicUtilities = 1,      // 01 公用设施
    RoadTraffic = 2,          // 02 道路交通
    CityAppearance = 3,       // 03 市容环境
    Landscaping = 4,          // 04 园林绿化
    HousingLand = 5,          // 05 房屋土地
    Other = 6,                // 06 其他
}

public enum ComponentState
{
    Intact,    // 完好
    Damaged,   // 破损
    Lost,      // 丢失
    Occupied,  // 占用
}
