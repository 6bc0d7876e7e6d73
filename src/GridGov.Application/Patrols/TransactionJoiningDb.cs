using System.Reflection;
using System.Runtime.ExceptionServices;
using GridGov.Application.Common;
using Microsoft.EntityFrameworkCore.Storage;

namespace GridGov.Application.Patrols;

/// <summary>
/// The same <see cref="IGridGovDbContext"/>, except that <c>BeginTransactionAsync</c> joins a transaction already
/// open instead of starting a second one (which EF refuses). Lets a use case call the workflow service, which
/// opens its own transaction, inside the use case's transaction, so that one failure writes nothing.
/// </summary>
public class TransactionJoiningDb : DispatchProxy
{
    private IGridGovDbContext _inner = null!;
    private IDbContextTransaction _outer = null!;

    public static IGridGovDbContext Wrap(IGridGovDbContext inner, IDbContextTransaction outer)
    {
        var proxy = Create<IGridGovDbContext, TransactionJoiningDb>();
        var joining = (TransactionJoiningDb)(object)proxy;
        joining._inner = inner;
        joining._outer = outer;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name == nameof(IGridGovDbContext.BeginTransactionAsync))
        {
            return Task.FromResult<IDbContextTransaction>(new JoinedTransaction(_outer));
        }
        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException exception) when (exception.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(exception.InnerException);
            throw;
        }
    }

    /// <summary>Commit is left to the owner of the outer transaction; a rollback rolls the outer one back.</summary>
    private sealed class JoinedTransaction(IDbContextTransaction outer) : IDbContextTransaction
    {
        public Guid TransactionId => outer.TransactionId;

        public void Commit()
        {
        }

        public Task CommitAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public void Rollback() => outer.Rollback();

        public Task RollbackAsync(CancellationToken cancellationToken = default) => outer.RollbackAsync(cancellationToken);

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
