namespace GridGov.Web.Resources;

/// <summary>
/// Marker for the names of the domain's enums as users read them (a case's state, an action, a role, a duty…).
/// DomainNamesResource.resx holds Chinese, DomainNamesResource.en.resx English; keys are "EnumType.Value".
/// Pages name an enum value through <see cref="DomainNames.Of"/>, never through the domain's Chinese-only switches.
/// </summary>
public sealed class DomainNamesResource;
