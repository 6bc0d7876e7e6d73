namespace GridGov.Web.Infrastructure;

/// <summary>
/// A list's first page, read while prerendering and persisted into the circuit (<c>[PersistentState]</c>), is served once
/// to the grid's first read there, so a visit queries it once. Only once: the framework supplies the persisted value
/// again on every later parameter set, when the URL (and so the filter) may have changed since.
/// </summary>
public sealed class PrerenderedFirstRead
{
    private bool _done;

    /// <summary>The persisted page if this is the grid's first read and it asks for the first page; otherwise null.</summary>
    public T? Take<T>(T? persisted, bool asksForFirstPage) where T : class
    {
        var first = !_done;
        _done = true;
        return first && asksForFirstPage ? persisted : null;
    }
}
