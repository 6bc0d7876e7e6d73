using GridGov.Domain.Organisation;

namespace GridGov.Web.Components.Pages.Reviews;

/// <summary>Who may open the monthly reviews: grid leaders, community secretaries and the street.</summary>
public static class ReviewRoles
{
    public const string Reviewers = $"{nameof(StaffRole.GridLeader)},{nameof(StaffRole.CommunitySecretary)},{nameof(StaffRole.Dispatcher)},{nameof(StaffRole.StreetLeader)},{nameof(StaffRole.Administrator)}";

    public static readonly string[] All = Reviewers.Split(',');
}
