namespace GridGov.Web.Resources;

/// <summary>Marker for the visit pages' strings: VisitResource.resx (Chinese) and VisitResource.en.resx (English).</summary>
public sealed class VisitResource;
