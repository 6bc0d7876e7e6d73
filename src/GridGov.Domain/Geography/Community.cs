using GridGov.Domain.Common;
using NetTopologySuite.Geometries;

namespace GridGov.Domain.Geography;

/// <summary>A community (社区 / 居委会) of the street.</summary>
public class Community : Entity
{
    public const int NameMaxLength = 50;

    private Community()
    {
        Code = Name = "";
        Boundary = null!;
    }

    public Community(Street street, int sequence, string name, Polygon boundary)
    {
        StreetId = street.Id;
        Street = street;
        Code = AdministrativeCode.CommunityCode(street.Code, sequence);
        Name = Text.Require(name, NameMaxLength, DomainFields.CommunityName);
        Boundary = BoundaryRules.Require(boundary, DomainFields.CommunityBoundary);
    }

    public int StreetId { get; private set; }
    public Street? Street { get; private set; }
    /// <summary>12 digits: the statistical community code.</summary>
    public string Code { get; private set; }
    public string Name { get; private set; }
    public Polygon Boundary { get; private set; }
    public List<Grid> Grids { get; } = [];

    public void Rename(string name) => Name = Text.Require(name, NameMaxLength, DomainFields.CommunityName);

    /// <summary>A new outline; the rules between polygons (inside the street, no overlap, its grids inside) are GridBoundaries'.</summary>
    public void Redraw(Polygon boundary) => Boundary = BoundaryRules.Require(boundary, DomainFields.CommunityBoundary);
}
