using GridGov.Application.Common;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Organisation;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Application.Reviews;

/// <summary>A grid as the review sees it.</summary>
public sealed record ReviewGrid(int Id, string Code, string Name, int CommunityId, string CommunityName);

/// <summary>
/// Who sees which grids' monthly reviews: a grid leader the grids they lead, a community secretary the grids of
/// their community, the street (dispatchers, street leaders, administrators) every grid.
/// </summary>
public static class ReviewScope
{
    public static bool IsStreet(CaseActor actor) => actor.Role is StaffRole.Dispatcher or StaffRole.StreetLeader or StaffRole.Administrator;

    public static DomainException Forbidden() => new("review.out-of-scope", "您无权查看该网格的月度审核");

    /// <summary>The current grids the actor may review, optionally only those of one community, in code order.</summary>
    public static async Task<IReadOnlyList<ReviewGrid>> GridsAsync(IGridGovDbContext db, CaseActor actor, int? communityId, DateOnly today, CancellationToken cancellationToken)
    {
        var grids = db.Grids.AsNoTracking().Where(g => g.ValidTo == null);
        if (IsStreet(actor))
        {
            // every grid
        }
        else if (actor.Role == StaffRole.CommunitySecretary && actor.CommunityId is { } own)
        {
            grids = grids.Where(g => g.CommunityId == own);
        }
        else if (actor.Role == StaffRole.GridLeader && actor.StaffMemberId is { } leaderId)
        {
            var led = db.GridAssignments.InForceOn(today).Where(a => a.StaffMemberId == leaderId && a.Duty == GridDuty.Leader).Select(a => a.GridCode);
            grids = grids.Where(g => led.Contains(g.Code));
        }
        else
        {
            throw Forbidden();
        }
        if (communityId is { } only)
        {
            grids = grids.Where(g => g.CommunityId == only);
        }
        return await ToReviewGrids(db, grids, cancellationToken);
    }

    /// <summary>Every current grid of the street, in code order, whoever asks (the monthly evaluation's own use).</summary>
    public static Task<IReadOnlyList<ReviewGrid>> EveryGridAsync(IGridGovDbContext db, CancellationToken cancellationToken) =>
        ToReviewGrids(db, db.Grids.AsNoTracking().Where(g => g.ValidTo == null), cancellationToken);

    private static async Task<IReadOnlyList<ReviewGrid>> ToReviewGrids(IGridGovDbContext db, IQueryable<Domain.Geography.Grid> grids, CancellationToken cancellationToken)
    {
        return await grids
            .Join(db.Communities, g => g.CommunityId, c => c.Id, (g, c) => new { g.Id, g.Code, g.Name, CommunityId = c.Id, CommunityName = c.Name })
            .OrderBy(g => g.Code)
            .Select(g => new ReviewGrid(g.Id, g.Code, g.Name, g.CommunityId, g.CommunityName))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Whether the actor leads the grid (网格长 duty there): only they sign its month off.</summary>
    public static Task<bool> LeadsAsync(IGridGovDbContext db, CaseActor actor, string gridCode, DateOnly today, CancellationToken cancellationToken) =>
        actor.Role == StaffRole.GridLeader && actor.StaffMemberId is { } id
            ? db.GridAssignments.InForceOn(today).AnyAsync(a => a.GridCode == gridCode && a.StaffMemberId == id && a.Duty == GridDuty.Leader, cancellationToken)
            : Task.FromResult(false);
}
