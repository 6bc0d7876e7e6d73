using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace GridGov.Application.Tests.Faults;

public enum FaultKind
{
    /// <summary>The command throws before it reaches the database (a failure inside the unit of work).</summary>
    Throw,

    /// <summary>The server ends the command's connection (pg_terminate_backend from another connection) just before it runs.</summary>
    KillConnection,
}

/// <summary>Thrown by <see cref="FaultInjector"/>: the failure a test asked for.</summary>
public sealed class InjectedFaultException(int write) : Exception($"Fault injected at write command {write}");

/// <summary>
/// Breaks the N-th write command (anything but a SELECT) of EF Core, either by throwing or by terminating the
/// connection's backend from another connection. Disarmed, it only counts.
/// </summary>
public sealed class FaultInjector(string adminConnectionString) : DbCommandInterceptor
{
    private int _failAt;
    private int _writes;
    private FaultKind _kind;

    public bool Fired { get; private set; }

    public int Writes => _writes;

    public void Arm(int failAtWrite, FaultKind kind)
    {
        _failAt = failAtWrite;
        _kind = kind;
        _writes = 0;
        Fired = false;
    }

    public void Disarm() => _failAt = 0;

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        await BreakIfDueAsync(command);
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await BreakIfDueAsync(command);
        return result;
    }

    public override async ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        await BreakIfDueAsync(command);
        return result;
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        BreakIfDueAsync(command).GetAwaiter().GetResult();
        return result;
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        BreakIfDueAsync(command).GetAwaiter().GetResult();
        return result;
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        BreakIfDueAsync(command).GetAwaiter().GetResult();
        return result;
    }

    private async Task BreakIfDueAsync(DbCommand command)
    {
        if (command.CommandText.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }
        var write = Interlocked.Increment(ref _writes);
        if (_failAt == 0 || write != _failAt)
        {
            return;
        }
        Fired = true;
        if (_kind == FaultKind.Throw)
        {
            throw new InjectedFaultException(write);
        }
        var pid = ((NpgsqlConnection)command.Connection!).ProcessID;
        await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(adminConnectionString) { Pooling = false }.ConnectionString);
        await admin.OpenAsync();
        await using var terminate = new NpgsqlCommand("SELECT pg_terminate_backend($1, 5000)", admin);
        terminate.Parameters.Add(new NpgsqlParameter { Value = pid });
        await terminate.ExecuteScalarAsync();
    }
}
