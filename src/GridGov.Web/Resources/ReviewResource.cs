namespace GridGov.Web.Resources;

/// <summary>Marker for the monthly review pages' strings: ReviewResource.resx (Chinese) and ReviewResource.en.resx (English).</summary>
public sealed class ReviewResource;
