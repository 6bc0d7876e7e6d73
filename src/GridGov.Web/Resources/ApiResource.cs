namespace GridGov.Web.Resources;

/// <summary>Marker for the staff JSON API's own strings (/api/v1): ApiResource.resx (Chinese) and ApiResource.en.resx (English).</summary>
public sealed class ApiResource;
