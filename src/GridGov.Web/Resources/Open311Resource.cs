namespace GridGov.Web.Resources;

/// <summary>Marker for the Open311 API's own strings: Open311Resource.resx (Chinese) and Open311Resource.en.resx (English).</summary>
public sealed class Open311Resource;
