namespace GridGov.Web.Resources;

/// <summary>Marker for the audit log page's strings: AuditResource.resx (Chinese, neutral) and AuditResource.en.resx (English).</summary>
public sealed class AuditResource;
