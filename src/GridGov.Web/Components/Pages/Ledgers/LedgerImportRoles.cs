using GridGov.Domain.Organisation;

namespace GridGov.Web.Components.Pages.Ledgers;

/// <summary>
/// Who may import ledgers (台账导入): administrators for the street and community secretaries for their community
/// (the same roles as <see cref="Application.Ledgers.Import.LedgerImportService.Roles"/>, which checks them again).
/// </summary>
public static class LedgerImportRoles
{
    public const string Importers = $"{nameof(StaffRole.Administrator)},{nameof(StaffRole.CommunitySecretary)}";

    public static readonly string[] All = Importers.Split(',');
}
