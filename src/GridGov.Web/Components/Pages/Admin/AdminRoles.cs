using GridGov.Domain.Organisation;

namespace GridGov.Web.Components.Pages.Admin;

/// <summary>Who manages accounts: administrators only.</summary>
public static class AdminRoles
{
    public const string Administrators = nameof(StaffRole.Administrator);
}
