using GridGov.Domain.Organisation;

namespace GridGov.Web.Components.Pages.Admin;

/// <summary>Who keeps the responsible people (实名落图): administrators, and community secretaries for their own community's grids.</summary>
public static class PeopleRoles
{
    public const string Editors = $"{nameof(StaffRole.Administrator)},{nameof(StaffRole.CommunitySecretary)}";
}
