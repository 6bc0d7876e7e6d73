namespace GridGov.Web.Resources;

/// <summary>Marker for the grid editor (网格划分) strings: GridEditorResource.resx (Chinese) and .en.resx (English).</summary>
public sealed class GridEditorResource;
