using GridGov.Domain.Organisation;

namespace GridGov.Web.Components.Pages.Notices;

/// <summary>Who sends notices to residents (the same roles as Notices.Composers): the center and community secretaries.</summary>
public static class NoticeRoles
{
    public const string Composers = $"{nameof(StaffRole.Dispatcher)},{nameof(StaffRole.Administrator)},{nameof(StaffRole.CommunitySecretary)}";
}
