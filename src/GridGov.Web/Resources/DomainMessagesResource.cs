namespace GridGov.Web.Resources;

/// <summary>
/// Marker for the domain's refusals as users read them: one entry per <c>DomainException.Code</c> (a template with {0}…
/// for its arguments) and one per field label ("Label." + the Chinese label). DomainMessagesResource.resx holds the
/// Chinese templates (the exceptions' own messages), DomainMessagesResource.en.resx the English ones.
/// </summary>
public sealed class DomainMessagesResource;
