using GridGov.Domain.Organisation;

namespace GridGov.Web.Components.Pages.Bulletins;

/// <summary>
/// Who may open the bulletins: the street (leaders, the center's dispatchers, administrators: drafts too) and department
/// handlers (issued ones). BulletinService decides again on every call.
/// </summary>
public static class BulletinRoles
{
    public const string Readers = $"{nameof(StaffRole.StreetLeader)},{nameof(StaffRole.Dispatcher)},{nameof(StaffRole.Administrator)},{nameof(StaffRole.DepartmentHandler)}";

    public static readonly string[] All = Readers.Split(',');
}
