namespace GridGov.Web.Resources;

/// <summary>Marker for the grid directory and notice strings: GridDirectoryResource.resx (Chinese) and .en.resx (English).</summary>
public sealed class GridDirectoryResource;
