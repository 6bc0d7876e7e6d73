using Npgsql;

namespace GridGov.Infrastructure.Persistence;

/// <summary>
/// The lock app nodes take around start-up work on the database (migrations, demo seeding): a second node starting
/// at the same moment waits, then finds the work done.
/// </summary>
public static class StartupLock
{
    /// <summary>Any number, fixed: a PostgreSQL session-level advisory lock key ("GridGov").</summary>
    private const long Key = 0x47726964476f76;

    public static async Task RunAsync(NpgsqlDataSource dataSource, Func<Task> work)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock($1)", connection))
        {
            take.Parameters.Add(new NpgsqlParameter { Value = Key });
            await take.ExecuteNonQueryAsync();
        }
        try
        {
            await work();
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", connection);
            release.Parameters.Add(new NpgsqlParameter { Value = Key });
            await release.ExecuteNonQueryAsync();
        }
    }
}
