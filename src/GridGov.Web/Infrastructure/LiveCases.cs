using GridGov.Application.Cases;

namespace GridGov.Web.Infrastructure;

/// <summary>
/// How an interactive page stays live: it subscribes to committed case changes (this node's and, through the
/// database, every other node's) and re-reads what it shows. A burst of changes (a dispatcher working through a
/// queue) becomes one refresh after <see cref="Quiet"/>; a change during a refresh brings one more after it. Dispose
/// the subscription with the component.
/// <code>
/// _live = LiveCases.OnAnyCase(Changes, () => InvokeAsync(ReloadAsync));        // a list, the dashboard
/// _live = LiveCases.OnCase(Changes, caseId, () => InvokeAsync(ReloadAsync));   // one open case
/// </code>
/// </summary>
public sealed class LiveCases : IDisposable
{
    public static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(250);

    private readonly Func<Task> _refresh;
    private readonly TimeSpan _quiet;
    private readonly Lock _lock = new();
    private IDisposable? _subscription;
    private bool _scheduled;
    private bool _again;
    private bool _disposed;

    private LiveCases(Func<Task> refresh, TimeSpan? quiet)
    {
        _refresh = refresh;
        _quiet = quiet ?? Quiet;
    }

    /// <summary>Refreshes after any case changed.</summary>
    public static LiveCases OnAnyCase(CaseChangeNotifier changes, Func<Task> refresh, TimeSpan? quiet = null)
    {
        var live = new LiveCases(refresh, quiet);
        live._subscription = changes.Subscribe(live.ChangedAsync);
        return live;
    }

    /// <summary>Refreshes after case <paramref name="caseId"/> changed (or changes may have been missed).</summary>
    public static LiveCases OnCase(CaseChangeNotifier changes, int caseId, Func<Task> refresh, TimeSpan? quiet = null)
    {
        var live = new LiveCases(refresh, quiet);
        live._subscription = changes.SubscribeToCase(caseId, live.ChangedAsync);
        return live;
    }

    private async Task ChangedAsync(CaseChanged change)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            if (_scheduled)
            {
                _again = true;
                return;
            }
            _scheduled = true;
        }
        while (true)
        {
            await Task.Delay(_quiet);
            lock (_lock)
            {
                _again = false;
                if (_disposed)
                {
                    _scheduled = false;
                    return;
                }
            }
            await _refresh();
            lock (_lock)
            {
                if (!_again || _disposed)
                {
                    _scheduled = false;
                    return;
                }
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
        }
        _subscription?.Dispose();
    }
}
