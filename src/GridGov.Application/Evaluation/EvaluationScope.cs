using System.Globalization;
using GridGov.Application.Common;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Organisation;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Application.Evaluation;

/// <summary>
/// Who sees which evaluation figures: street leaders, dispatchers and administrators the whole street; a community
/// secretary their community (its grids, its grid staff, its registrars); a grid leader the grids they lead and the staff
/// serving there; a department handler their department; a grid worker their own row. Ranks stay the street's.
/// </summary>
public sealed class EvaluationScope
{
    private EvaluationScope(bool street, int? communityId, IReadOnlySet<string> gridCodes, int? departmentId, int? staffMemberId)
    {
        IsStreet = street;
        CommunityId = communityId;
        GridCodes = gridCodes;
        DepartmentId = departmentId;
        StaffMemberId = staffMemberId;
    }

    public bool IsStreet { get; }
    public int? CommunityId { get; }
    public IReadOnlySet<string> GridCodes { get; }
    public int? DepartmentId { get; }
    public int? StaffMemberId { get; }

    public static DomainException Forbidden() => new("evaluation.out-of-scope", "您无权查看该考核结果");

    public static async Task<EvaluationScope> ForAsync(IGridGovDbContext db, CaseActor actor, DateOnly today, CancellationToken cancellationToken)
    {
        var none = new HashSet<string>();
        switch (actor.Role)
        {
            case StaffRole.StreetLeader or StaffRole.Dispatcher or StaffRole.Administrator:
                return new EvaluationScope(true, null, none, null, null);
            case StaffRole.CommunitySecretary when actor.CommunityId is { } community:
                return new EvaluationScope(false, community, none, null, actor.StaffMemberId);
            case StaffRole.GridLeader when actor.StaffMemberId is { } leader:
                var led = await db.GridAssignments.InForceOn(today).AsNoTracking()
                    .Where(a => a.StaffMemberId == leader && a.Duty == GridDuty.Leader)
                    .Select(a => a.GridCode)
                    .ToListAsync(cancellationToken);
                return new EvaluationScope(false, null, led.ToHashSet(StringComparer.Ordinal), null, leader);
            case StaffRole.DepartmentHandler when actor.DepartmentId is { } department:
                return new EvaluationScope(false, null, none, department, actor.StaffMemberId);
            case StaffRole.GridWorker when actor.StaffMemberId is { } worker:
                return new EvaluationScope(false, null, none, null, worker);
            default:
                throw Forbidden();
        }
    }

    /// <summary>The results this viewer may see.</summary>
    public EvaluationResults Filter(EvaluationResults results)
    {
        if (IsStreet)
        {
            return results;
        }
        var community = CommunityId?.ToString(CultureInfo.InvariantCulture);
        return results with
        {
            Workers = results.Workers.Where(w =>
                w.StaffMemberId == StaffMemberId
                || (community is not null && w.CommunityId == CommunityId)
                || w.GridCodes.Any(GridCodes.Contains)).ToList(),
            Departments = results.Departments.Where(d => DepartmentId is { } own && d.DepartmentId == own).ToList(),
            Dispatchers = results.Dispatchers.Where(d =>
                d.StaffMemberId == StaffMemberId || (CommunityId is not null && d.CommunityId == CommunityId)).ToList(),
            Areas = results.Areas.Where(a =>
                (community is not null && (a.Key == community && a.Level == AreaLevel.Community || a.ParentKey == community && a.Level == AreaLevel.Grid))
                || (a.Level == AreaLevel.Grid && GridCodes.Contains(a.Key))).ToList(),
        };
    }
}
