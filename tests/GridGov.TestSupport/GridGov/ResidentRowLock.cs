using Npgsql;
using Xunit;

namespace GridGov.TestSupport.GridGov;

/// <summary>
/// A resident's row locked by another session, so that a write to it waits until the lock is released: disposing it
/// rolls back and closes the session. <see cref="WaitingAsync"/> tells when a statement has reached the lock.
/// </summary>
public sealed class ResidentRowLock : IAsyncDisposable
{
    private readonly NpgsqlConnection connection;
    private readonly NpgsqlTransaction transaction;

    private ResidentRowLock(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        this.connection = connection;
        this.transaction = transaction;
    }

    public static async Task<ResidentRowLock> TakeAsync(string connectionString, int residentId)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand("SELECT id FROM residents WHERE id = @id FOR UPDATE", connection, transaction);
        command.Parameters.AddWithValue("id", residentId);
        await command.ExecuteScalarAsync();
        return new ResidentRowLock(connection, transaction);
    }

    /// <summary>Until a session's statement containing <paramref name="statement"/> waits on a lock (pg_stat_activity), at most 30 s.</summary>
    public static async Task WaitingAsync(string connectionString, string statement)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        while (true)
        {
            await using var command = new NpgsqlCommand("""
                SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%' || @statement || '%'
                """, connection);
            command.Parameters.AddWithValue("statement", statement);
            if ((long)(await command.ExecuteScalarAsync())! > 0)
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"no session waited on a lock in “{statement}” within 30 s");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await transaction.RollbackAsync();
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }
}
