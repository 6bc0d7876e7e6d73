namespace GridGov.Web.Resources;

/// <summary>Marker for the inbox page's strings: InboxResource.resx (Chinese) and InboxResource.en.resx (English).</summary>
public sealed class InboxResource;
