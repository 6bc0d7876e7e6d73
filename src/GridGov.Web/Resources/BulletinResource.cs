namespace GridGov.Web.Resources;

/// <summary>Marker for the monthly bulletin's strings: BulletinResource.resx (Chinese) and BulletinResource.en.resx (English).</summary>
public sealed class BulletinResource;
