using System.Data.Common;
using GridGov.Application.Cases;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace GridGov.Infrastructure.Cases;

/// <summary>
/// Holds the case changes announced inside a database transaction of one context and raises them on this node's
/// <see cref="CaseChangeNotifier"/> when that transaction commits; a rollback (or a failed commit) drops them. Hooked
/// on the transaction itself, not on the workflow's own commit call, because the workflow may run inside a caller's
/// transaction (a patrol's report, a visit's case) that commits later or not at all.
/// </summary>
internal sealed class CaseChangeCommits(CaseChangeNotifier notifier) : DbTransactionInterceptor
{
    private readonly List<(Guid Transaction, CaseChanged Change)> _pending = [];

    public void Add(Guid transaction, CaseChanged change)
    {
        lock (_pending)
        {
            _pending.Add((transaction, change));
        }
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Raise(eventData.TransactionId);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Raise(eventData.TransactionId);
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Drop(eventData.TransactionId);

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Drop(eventData.TransactionId);
        return Task.CompletedTask;
    }

    public override void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Drop(eventData.TransactionId);

    public override Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Drop(eventData.TransactionId);
        return Task.CompletedTask;
    }

    // A transaction disposed without commit or rollback call (an exception left the using block) reports neither:
    // what it held is dropped when the next one starts on the context.
    public override DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        Drop(except: eventData.TransactionId);
        return result;
    }

    public override ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result,
        CancellationToken cancellationToken = default)
    {
        Drop(except: eventData.TransactionId);
        return ValueTask.FromResult(result);
    }

    private void Raise(Guid transaction)
    {
        List<CaseChanged> committed;
        lock (_pending)
        {
            committed = _pending.Where(p => p.Transaction == transaction).Select(p => p.Change).ToList();
            _pending.RemoveAll(p => p.Transaction == transaction);
        }
        foreach (var change in committed.DistinctBy(c => c.CaseId))
        {
            notifier.Publish(change);
        }
    }

    private void Drop(Guid transaction)
    {
        lock (_pending)
        {
            _pending.RemoveAll(p => p.Transaction == transaction);
        }
    }

    private void Drop(Guid? except)
    {
        lock (_pending)
        {
            _pending.RemoveAll(p => p.Transaction != except);
        }
    }
}
