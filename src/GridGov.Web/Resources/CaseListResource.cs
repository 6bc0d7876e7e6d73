namespace GridGov.Web.Resources;

/// <summary>Marker for the case list's strings: CaseListResource.resx (Chinese, neutral) and CaseListResource.en.resx (English).</summary>
public sealed class CaseListResource;
