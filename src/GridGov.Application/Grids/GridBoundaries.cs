using GridGov.Application.Common;
using GridGov.Domain.Common;
using GridGov.Domain.Geography;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace GridGov.Application.Grids;

/// <summary>
/// Draws and redraws grids. Enforces the rules between polygons: a grid lies inside its community
/// (and so inside the street) and does not overlap the other grids of its community. Shared edges
/// and slivers below <see cref="ToleranceSquareMeters"/> are tolerated.
/// </summary>
public sealed class GridBoundaries(IGridGovDbContext db, ISpatialQueries spatial, TimeProvider clock)
{
    public const double ToleranceSquareMeters = 1.0;

    public async Task<Grid> AddGridAsync(int communityId, int sequence, string name, Polygon boundary, CancellationToken cancellationToken = default)
    {
        var community = await db.Communities.SingleOrDefaultAsync(c => c.Id == communityId, cancellationToken)
            ?? throw new DomainException("community.not-found", "社区不存在");
        var grid = new Grid(community, sequence, name, boundary, DateOnly.FromDateTime(clock.GetLocalNow().DateTime));
        if (await db.Grids.AnyAsync(g => g.Code == grid.Code && g.ValidTo == null, cancellationToken))
        {
            throw new DomainException("grid.code-taken", $"网格代码{grid.Code}已被使用") { Arguments = [grid.Code] };
        }
        await CheckPlacementAsync(community, boundary, exceptGridId: null, cancellationToken);
        db.Grids.Add(grid);
        await db.SaveChangesAsync(cancellationToken);
        return grid;
    }

    /// <summary>Gives the grid a new boundary from <paramref name="effectiveFrom"/>; the old one is kept as history.</summary>
    public async Task<Grid> RedrawAsync(string gridCode, Polygon newBoundary, DateOnly effectiveFrom, CancellationToken cancellationToken = default)
    {
        var grid = await db.Grids.Include(g => g.Community)
            .SingleOrDefaultAsync(g => g.Code == gridCode && g.ValidTo == null, cancellationToken)
            ?? throw new DomainException("grid.not-found", $"网格{gridCode}不存在") { Arguments = [gridCode] };
        BoundaryRules.Require(newBoundary, DomainFields.GridBoundary);
        await CheckPlacementAsync(grid.Community!, newBoundary, grid.Id, cancellationToken);
        db.GridBoundaryVersions.Add(grid.Redraw(newBoundary, effectiveFrom));
        await db.SaveChangesAsync(cancellationToken);
        return grid;
    }

    private async Task CheckPlacementAsync(Community community, Polygon boundary, int? exceptGridId, CancellationToken cancellationToken)
    {
        BoundaryRules.Require(boundary, DomainFields.GridBoundary);
        var outsideStreet = await spatial.AreaOutsideStreetAsync(community.StreetId, boundary, cancellationToken);
        if (outsideStreet > ToleranceSquareMeters)
        {
            throw new DomainException("grid.outside-street", $"网格边界超出街道范围约{outsideStreet:F0}平方米") { Arguments = [Math.Round(outsideStreet)] };
        }
        var outsideCommunity = await spatial.AreaOutsideCommunityAsync(community.Id, boundary, cancellationToken);
        if (outsideCommunity > ToleranceSquareMeters)
        {
            throw new DomainException("grid.outside-community", $"网格边界超出所属社区（{community.Name}）范围约{outsideCommunity:F0}平方米") { Arguments = [community.Name, Math.Round(outsideCommunity)] };
        }
        var overlapping = await spatial.FindOverlappingGridsAsync(community.Id, boundary, exceptGridId, cancellationToken);
        if (overlapping.Count > 0)
        {
            throw new DomainException("grid.overlap", $"网格边界与同社区的网格重叠：{string.Join("、", overlapping)}") { Arguments = [string.Join(", ", overlapping)] };
        }
    }
}
