namespace GridGov.Web.Resources;

/// <summary>Marker for the ledger pages' strings (台账): LedgerResource.resx is Chinese, LedgerResource.en.resx English.</summary>
public sealed class LedgerResource;
