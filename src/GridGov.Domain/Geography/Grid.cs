using GridGov.Domain.Common;
using NetTopologySuite.Geometries;

namespace GridGov.Domain.Geography;

/// <summary>
/// A unit grid (单元网格). A boundary change closes this version (<see cref="ValidTo"/>) and
/// starts a new one under the same code, so history keeps the old polygon.
/// </summary>
public class Grid : Entity
{
    public const int NameMaxLength = 50;

    private Grid()
    {
        Code = Name = "";
        Boundary = null!;
    }

    public Grid(Community community, int sequence, string name, Polygon boundary, DateOnly validFrom)
    {
        CommunityId = community.Id;
        Community = community;
        Sequence = sequence;
        Code = AdministrativeCode.GridCode(community.Code, sequence);
        Name = Text.Require(name, NameMaxLength, "网格名称");
        Boundary = BoundaryRules.Require(boundary, "网格");
        ValidFrom = validFrom;
    }

    public int CommunityId { get; private set; }
    public Community? Community { get; private set; }
    public int Sequence { get; private set; }
    /// <summary>15 digits: community code + 3-digit sequence. Stable across boundary versions.</summary>
    public string Code { get; private set; }
    public string Name { get; private set; }
    public Polygon Boundary { get; private set; }
    public DateOnly ValidFrom { get; private set; }
    /// <summary>Exclusive end; null while this version is current.</summary>
    public DateOnly? ValidTo { get; private set; }

    public bool IsCurrent => ValidTo is null;

    /// <summary>Closes this version and returns the next one with the new boundary.</summary>
    public Grid Redraw(Polygon newBoundary, DateOnly effectiveFrom)
    {
        if (!IsCurrent)
        {
            throw new DomainException("grid.not-current", $"网格{Code}的该版本边界已停用，不能再修改");
        }
        if (effectiveFrom <= ValidFrom)
        {
            throw new DomainException("grid.redraw-date", "新边界的生效日期必须晚于当前边界的生效日期");
        }
        var next = new Grid
        {
            CommunityId = CommunityId,
            Community = Community,
            Sequence = Sequence,
            Code = Code,
            Name = Name,
            Boundary = BoundaryRules.Require(newBoundary, "网格"),
            ValidFrom = effectiveFrom,
        };
        ValidTo = effectiveFrom;
        return next;
    }
}
