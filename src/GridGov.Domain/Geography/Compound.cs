using GridGov.Domain.Common;
using NetTopologySuite.Geometries;

namespace GridGov.Domain.Geography;

/// <summary>A residential compound or courtyard (小区 / 楼院).</summary>
public class Compound : Entity, IHeldByGrid
{
    public const int NameMaxLength = 60;

    private Compound()
    {
        Name = "";
        Location = null!;
    }

    public Compound(int gridId, string name, Point location)
    {
        GridId = gridId;
        Name = Text.Require(name, NameMaxLength, DomainFields.CompoundName);
        Location = Locations.Require(location, DomainFields.CompoundLocation);
    }

    public int GridId { get; private set; }

    public void MoveToGrid(int gridId) => GridId = gridId;
    public string Name { get; private set; }
    public Point Location { get; private set; }
}

/// <summary>A building (楼栋) inside a compound.</summary>
public class Building : Entity, IHeldByGrid
{
    public const int NameMaxLength = 40;

    private Building()
    {
        Name = "";
        Location = null!;
    }

    public Building(int gridId, int? compoundId, string name, int floors, Point location)
    {
        GridId = gridId;
        CompoundId = compoundId;
        Name = Text.Require(name, NameMaxLength, DomainFields.BuildingName);
        Floors = floors is >= 1 and <= 200 ? floors : throw new DomainException("building.floors", "楼层数应在1至200之间");
        Location = Locations.Require(location, DomainFields.BuildingLocation);
    }

    public int GridId { get; private set; }

    public void MoveToGrid(int gridId) => GridId = gridId;
    public int? CompoundId { get; private set; }
    public string Name { get; private set; }
    public int Floors { get; private set; }
    public Point Location { get; private set; }
}
