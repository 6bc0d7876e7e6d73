using GridGov.Domain.Organisation;

namespace GridGov.Web.Components.Pages.Visits;

/// <summary>Who may open the visit pages (Identity roles are named after <see cref="StaffRole"/>).</summary>
public static class VisitRoles
{
    /// <summary>Those who visit households: grid workers and grid leaders.</summary>
    public const string Visitors = $"{nameof(StaffRole.GridWorker)},{nameof(StaffRole.GridLeader)}";

    /// <summary>Visitors, and the community secretary who reads their progress and asks for 五必到 visits.</summary>
    public const string VisitorsAndSecretaries = $"{nameof(StaffRole.GridWorker)},{nameof(StaffRole.GridLeader)},{nameof(StaffRole.CommunitySecretary)}";
}
