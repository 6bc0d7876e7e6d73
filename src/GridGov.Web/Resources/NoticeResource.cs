namespace GridGov.Web.Resources;

/// <summary>Marker for the notices page and the senders' admin page: NoticeResource.resx (Chinese) and NoticeResource.en.resx (English).</summary>
public sealed class NoticeResource;
