using GridGov.Domain.Common;
using NetTopologySuite.Geometries;

namespace GridGov.Domain.Geography;

/// <summary>A street office (街道办事处), the whole area GridGov serves.</summary>
public class Street : Entity
{
    public const int NameMaxLength = 50;

    private Street()
    {
        Code = Name = DivisionName = "";
        Boundary = null!;
    }

    public Street(string code, string name, string divisionName, Polygon boundary)
    {
        if (!AdministrativeCode.IsDigits(code, AdministrativeCode.StreetCodeLength))
        {
            throw new DomainException("street.code", "街道代码应为9位数字");
        }
        Code = code;
        Name = Text.Require(name, NameMaxLength, DomainFields.StreetName);
        DivisionName = Text.Require(divisionName, NameMaxLength, DomainFields.County);
        Boundary = BoundaryRules.Require(boundary, DomainFields.StreetBoundary);
    }

    /// <summary>9 digits: county code + street sequence.</summary>
    public string Code { get; private set; }
    public string Name { get; private set; }
    /// <summary>City and district, e.g. 苏州市姑苏区.</summary>
    public string DivisionName { get; private set; }
    public Polygon Boundary { get; private set; }
    public List<Community> Communities { get; } = [];
}
