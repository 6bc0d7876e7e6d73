namespace GridGov.Web.Resources;

/// <summary>
/// Marker for the dashboard's strings (指挥中心). DashboardResource.resx holds Chinese (the neutral
/// language); DashboardResource.en.resx holds English.
/// </summary>
public sealed class DashboardResource;
