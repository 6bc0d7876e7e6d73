namespace GridGov.Web.Resources;

/// <summary>Marker for the administrator pages' strings: AdminResource.resx (Chinese) and AdminResource.en.resx (English).</summary>
public sealed class AdminResource;
