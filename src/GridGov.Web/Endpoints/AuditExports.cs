namespace GridGov.Web.Endpoints;

/// <summary>How exports name themselves in the audit log (entity type of an Export entry) and their filter.</summary>
public static class AuditExports
{
    public const string Cases = "CaseExport";
    public const string Reviews = "ReviewExport";
    public const string Bulletins = "BulletinExport";
    public const string LedgerImportRefusedRows = "LedgerImportRefusedRows";
    public const string Residents = "ResidentExport";
    public const string Households = "HouseholdExport";
    public const string Units = "UnitExport";
    public const string Components = "ComponentExport";

    /// <summary>The query string as typed (decoded), or 无 for none.</summary>
    public static string Filter(QueryString query) =>
        query.HasValue ? Uri.UnescapeDataString(query.Value!.Replace('+', ' ')) : "无";
}
