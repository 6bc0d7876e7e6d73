namespace GridGov.Web.Resources;

/// <summary>
/// Marker for the shared UI strings. SharedResource.resx holds Chinese (the neutral language);
/// SharedResource.en.resx holds English.
/// </summary>
public sealed class SharedResource;
