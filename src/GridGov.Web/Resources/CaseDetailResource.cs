namespace GridGov.Web.Resources;

/// <summary>Strings of the case detail page and its action forms (Chinese neutral, English satellite).</summary>
public sealed class CaseDetailResource;
