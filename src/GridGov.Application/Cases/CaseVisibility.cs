using GridGov.Domain.Cases;
using GridGov.Domain.Organisation;

namespace GridGov.Application.Cases;

/// <summary>
/// Which single cases a staff member may open (detail page, photos): the street roles every case; a
/// community secretary the community's; grid leaders and workers their grids' and the ones they reported
/// or were assigned; a department handler only cases dispatched to the department (now or earlier, as
/// co-handler, or summoned by a whistle). Anyone may open a case they reported themselves.
/// The case list and exports show a narrower working set (<see cref="CaseSearchQuery"/>'s scope: the area or
/// department as it is now); every case the list shows is also visible here.
/// </summary>
public static class CaseVisibility
{
    public static IQueryable<Case> VisibleTo(this IQueryable<Case> cases, CaseActor actor)
    {
        var me = actor.StaffMemberId;
        switch (actor.Role)
        {
            case StaffRole.Dispatcher or StaffRole.StreetLeader or StaffRole.Administrator:
                return cases;
            case StaffRole.CommunitySecretary when actor.CommunityId is { } communityId:
                return cases.Where(c => c.CommunityId == communityId || c.ReporterStaffId == me);
            case StaffRole.GridLeader or StaffRole.GridWorker:
                var gridCodes = actor.GridCodes.ToList();
                return cases.Where(c => gridCodes.Contains(c.GridCode) || c.ReporterStaffId == me || c.AssignedStaffId == me);
            case StaffRole.DepartmentHandler when actor.DepartmentId is { } departmentId:
                int[] department = [departmentId]; // "[d] <@ co_handling", as in the list: a GIN index can serve it
                return cases.Where(c => c.AssignedDepartmentId == departmentId
                                        || department.All(d => c.CoHandlingDepartmentIds.Contains(d))
                                        || c.History.Any(h => h.DepartmentId == departmentId)
                                        || c.Whistles.Any(w => w.DepartmentId == departmentId)
                                        || c.ReporterStaffId == me);
            default:
                return me is null ? cases.Where(c => false) : cases.Where(c => c.ReporterStaffId == me);
        }
    }

    /// <summary>Whether the person sees the reporter's phone: department handlers work on the problem, not with the reporter.</summary>
    public static bool SeesReporterContact(CaseActor actor) => actor.Role is not StaffRole.DepartmentHandler;
}
