using GridGov.Domain.Organisation;

namespace GridGov.Web.Components.Pages.ResidentAffairs;

/// <summary>Who works the residents' side on staff pages; the same roles the application services check.</summary>
public static class ResidentAffairsRoles
{
    /// <summary>The review queue of held reports (HeldReports.Roles).</summary>
    public const string Reviewers = $"{nameof(StaffRole.Dispatcher)},{nameof(StaffRole.Administrator)}";

    /// <summary>Redemptions at the counter (ResidentPointsService.CounterRoles).</summary>
    public const string Counter = $"{nameof(StaffRole.Dispatcher)},{nameof(StaffRole.CommunitySecretary)},{nameof(StaffRole.Administrator)}";
}
