namespace GridGov.Web.Resources;

/// <summary>Strings of the report page (问题上报), its fragments and the done page (Chinese neutral, English satellite).</summary>
public sealed class ReportResource;
