using GridGov.Domain.Cases;
using Microsoft.Extensions.Logging;

namespace GridGov.Application.Cases;

/// <summary>
/// A case changed (reported, moved on, supervised…) and the change is committed. <see cref="CaseId"/> 0 is
/// <see cref="Anything"/>: changes may have been missed (the node lost its database connection for a while), so a
/// subscriber should read again whatever it shows.
/// </summary>
public sealed record CaseChanged(int CaseId, string Number, CaseState State)
{
    public static readonly CaseChanged Anything = new(0, "", default);

    public bool IsAnything => CaseId == 0;
}

/// <summary>
/// Where the workflow announces a change, inside the transaction that makes it. The implementation
/// (Infrastructure) sends it to the other app nodes with the transaction (PostgreSQL NOTIFY is delivered only on
/// commit) and raises it on this node's <see cref="CaseChangeNotifier"/> when the transaction commits; a rollback
/// announces nothing.
/// </summary>
public interface ICaseChangeFeed
{
    Task EnlistAsync(CaseChanged change, CancellationToken cancellationToken = default);
}

/// <summary>
/// This node's "a case changed" events, raised after commit (never before, never for a rolled-back change), for the
/// live pages. A singleton: subscribers are circuits (one per browser tab), and each must dispose its subscription.
/// Handlers run on the thread pool, one task per handler, so a slow page never holds up the command that committed.
/// </summary>
public sealed class CaseChangeNotifier(ILogger<CaseChangeNotifier> logger)
{
    private readonly Lock _lock = new();
    private Subscription[] _subscriptions = [];

    /// <summary>This node, so that it can skip its own changes when they come back from the database.</summary>
    public Guid NodeId { get; } = Guid.NewGuid();

    /// <summary>Calls <paramref name="handler"/> on every committed case change, until the result is disposed.</summary>
    public IDisposable Subscribe(Func<CaseChanged, Task> handler) => Add(new Subscription(this, null, handler));

    /// <summary>Calls <paramref name="handler"/> when case <paramref name="caseId"/> changed (or anything may have).</summary>
    public IDisposable SubscribeToCase(int caseId, Func<CaseChanged, Task> handler) => Add(new Subscription(this, caseId, handler));

    public int SubscriberCount => Volatile.Read(ref _subscriptions).Length;

    /// <summary>Raised by the infrastructure once a change is committed (here or on another node).</summary>
    public void Publish(CaseChanged change)
    {
        foreach (var subscription in Volatile.Read(ref _subscriptions))
        {
            if (subscription.CaseId is { } only && !change.IsAnything && only != change.CaseId)
            {
                continue;
            }
            _ = Task.Run(() => RunAsync(subscription, change));
        }
    }

    private async Task RunAsync(Subscription subscription, CaseChanged change)
    {
        try
        {
            await subscription.Handler(change);
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "A subscriber to case changes failed on case {CaseNumber}", change.Number);
        }
    }

    private Subscription Add(Subscription subscription)
    {
        lock (_lock)
        {
            _subscriptions = [.. _subscriptions, subscription];
        }
        return subscription;
    }

    private void Remove(Subscription subscription)
    {
        lock (_lock)
        {
            _subscriptions = _subscriptions.Where(s => s != subscription).ToArray();
        }
    }

    private sealed class Subscription(CaseChangeNotifier owner, int? caseId, Func<CaseChanged, Task> handler) : IDisposable
    {
        public int? CaseId => caseId;

        public Func<CaseChanged, Task> Handler => handler;

        public void Dispose() => owner.Remove(this);
    }
}
