using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Geography;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace GridGov.Application.Grids;

/// <summary>
/// Communities on the grid map: a community's outline lies inside the street, overlaps no other community, and holds all
/// its grids (a grid reaching outside is redrawn first). Its code never changes. The outline has no history of its own:
/// the audit log keeps the one before (grids keep theirs, which is what evaluation counts).
/// </summary>
public sealed partial class GridBoundaries
{
    /// <summary>The rules a community outline breaks, as a save would refuse it; empty when it may be saved. Writes nothing.</summary>
    public Task<IReadOnlyList<DomainException>> CheckCommunityAsync(int communityId, Polygon? boundary, CancellationToken cancellationToken = default) =>
        ProblemsAsync(async () =>
        {
            var community = await db.Communities.AsNoTracking().SingleOrDefaultAsync(c => c.Id == communityId, cancellationToken)
                ?? throw new DomainException("community.not-found", "社区不存在");
            await CheckCommunityPlacementAsync(community, boundary, cancellationToken);
        });

    public async Task RedrawCommunityAsync(CaseActor actor, int communityId, Polygon boundary, CancellationToken cancellationToken = default)
    {
        RequireEditor(actor);
        await MapChangeAsync(async () =>
        {
            var community = await CommunityAsync(communityId, cancellationToken);
            await CheckCommunityPlacementAsync(community, boundary, cancellationToken);
            community.Redraw(boundary);
            return await db.SaveChangesAsync(cancellationToken);
        }, cancellationToken);
    }

    public async Task RenameCommunityAsync(CaseActor actor, int communityId, string name, CancellationToken cancellationToken = default)
    {
        RequireEditor(actor);
        await MapChangeAsync(async () =>
        {
            var community = await CommunityAsync(communityId, cancellationToken);
            community.Rename(name);
            return await db.SaveChangesAsync(cancellationToken);
        }, cancellationToken);
    }

    private async Task<Community> CommunityAsync(int communityId, CancellationToken cancellationToken) =>
        await db.Communities.SingleOrDefaultAsync(c => c.Id == communityId, cancellationToken)
        ?? throw new DomainException("community.not-found", "社区不存在");

    private async Task CheckCommunityPlacementAsync(Community community, Polygon? boundary, CancellationToken cancellationToken)
    {
        BoundaryRules.Require(boundary, DomainFields.CommunityBoundary);
        var outsideStreet = await spatial.AreaOutsideStreetAsync(community.StreetId, boundary!, cancellationToken);
        if (outsideStreet > ToleranceSquareMeters)
        {
            throw new DomainException("community.outside-street", $"社区边界超出街道范围约{outsideStreet:F0}平方米") { Arguments = [Math.Round(outsideStreet)] };
        }
        var overlapping = await spatial.FindOverlappingCommunitiesAsync(community.StreetId, boundary!, community.Id, cancellationToken);
        if (overlapping.Count > 0)
        {
            throw new DomainException("community.overlap", $"社区边界与其他社区重叠：{string.Join("、", overlapping)}") { Arguments = [string.Join(", ", overlapping)] };
        }
        var outside = await spatial.GridsOutsideAsync(community.Id, boundary!, cancellationToken);
        if (outside.Count > 0)
        {
            throw new DomainException("community.grids-outside", $"本社区的网格超出新边界：{string.Join("、", outside)}，请先调整这些网格")
            {
                Arguments = [string.Join(", ", outside)],
            };
        }
    }
}
