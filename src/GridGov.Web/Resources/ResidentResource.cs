namespace GridGov.Web.Resources;

/// <summary>Marker for the residents' phone pages and the staff pages around them: ResidentResource.resx (Chinese) and ResidentResource.en.resx (English).</summary>
public sealed class ResidentResource;
