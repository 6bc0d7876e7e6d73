namespace GridGov.Web.Resources;

/// <summary>Marker for the patrol pages' strings: PatrolResource.resx (Chinese) and PatrolResource.en.resx (English).</summary>
public sealed class PatrolResource;
