using GridGov.Domain.Common;
using NetTopologySuite.Geometries;

namespace GridGov.Domain.Geography;

/// <summary>
/// A unit grid (单元网格). Its id and code are stable, so ledgers and cases keep pointing at it when its
/// boundary is redrawn; earlier boundaries are kept in <see cref="GridBoundaryVersion"/>.
/// <see cref="ValidFrom"/>/<see cref="ValidTo"/> bound the grid's own life (a grid can be retired).
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
        Name = Text.Require(name, NameMaxLength, DomainFields.GridName);
        Boundary = BoundaryRules.Require(boundary, DomainFields.GridBoundary);
        ValidFrom = validFrom;
        BoundaryValidFrom = validFrom;
    }

    public int CommunityId { get; private set; }
    public Community? Community { get; private set; }
    public int Sequence { get; private set; }
    /// <summary>15 digits: community code + 3-digit sequence.</summary>
    public string Code { get; private set; }
    public string Name { get; private set; }
    /// <summary>The current boundary.</summary>
    public Polygon Boundary { get; private set; }
    /// <summary>Since when the current boundary applies.</summary>
    public DateOnly BoundaryValidFrom { get; private set; }
    public DateOnly ValidFrom { get; private set; }
    /// <summary>Exclusive end of the grid's life; null while the grid is in use.</summary>
    public DateOnly? ValidTo { get; private set; }

    public bool IsCurrent => ValidTo is null;

    /// <summary>Changes with every save of the grid (PostgreSQL's xmin): the grid editor's page sends back the one it showed.</summary>
    public uint Version { get; private set; }

    /// <summary>
    /// Replaces the boundary from <paramref name="effectiveFrom"/> and returns the old one as history; a boundary drawn
    /// the same day is corrected in place (it never applied for a whole day, so there is no history to keep).
    /// </summary>
    public GridBoundaryVersion? Redraw(Polygon newBoundary, DateOnly effectiveFrom)
    {
        EnsureCurrent();
        if (effectiveFrom < BoundaryValidFrom)
        {
            throw new DomainException("grid.redraw-date", "新边界的生效日期不能早于当前边界的生效日期");
        }
        var boundary = BoundaryRules.Require(newBoundary, DomainFields.GridBoundary);
        GridBoundaryVersion? previous = effectiveFrom == BoundaryValidFrom ? null : new GridBoundaryVersion(Id, Boundary, BoundaryValidFrom, effectiveFrom);
        Boundary = boundary;
        BoundaryValidFrom = effectiveFrom;
        return previous;
    }

    public void Rename(string name)
    {
        EnsureCurrent();
        Name = Text.Require(name, NameMaxLength, DomainFields.GridName);
    }

    private void EnsureCurrent()
    {
        if (!IsCurrent)
        {
            throw new DomainException("grid.not-current", $"网格{Code}已撤销，不能再修改") { Arguments = [Code] };
        }
    }

    /// <summary>Ends the grid's life on <paramref name="effectiveFrom"/> (exclusive); its code is never given again.</summary>
    public void Retire(DateOnly effectiveFrom)
    {
        EnsureCurrent();
        if (effectiveFrom <= ValidFrom)
        {
            throw new DomainException("grid.retire-date", $"网格{Code}是今天设立的，最早明天才能撤销或合并") { Arguments = [Code] };
        }
        ValidTo = effectiveFrom;
    }
}

/// <summary>A grid's earlier boundary, valid from <see cref="ValidFrom"/> until <see cref="ValidTo"/> (exclusive).</summary>
public class GridBoundaryVersion
{
    private GridBoundaryVersion()
    {
        Boundary = null!;
    }

    internal GridBoundaryVersion(int gridId, Polygon boundary, DateOnly validFrom, DateOnly validTo)
    {
        GridId = gridId;
        Boundary = boundary;
        ValidFrom = validFrom;
        ValidTo = validTo;
    }

    public long Id { get; private set; }
    public int GridId { get; private set; }
    public Polygon Boundary { get; private set; }
    public DateOnly ValidFrom { get; private set; }
    public DateOnly ValidTo { get; private set; }
}
