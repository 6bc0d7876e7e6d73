using System.Diagnostics;
using Npgsql;

namespace GridGov.TestSupport;

/// <summary>
/// A PostgreSQL + PostGIS cluster of a test's own, which the test may stop and start again (same port, same data)
/// to play a database outage. Never the cluster the other tests of the process share. Disposing stops and deletes it.
/// </summary>
public sealed class PrivatePostgresCluster : IAsyncDisposable
{
    private readonly LocalPostgresCluster _cluster;

    private PrivatePostgresCluster(LocalPostgresCluster cluster) => _cluster = cluster;

    /// <summary>Superuser on the cluster's <c>postgres</c> database.</summary>
    public string AdminConnectionString => _cluster.ConnectionString;

    public int Port => _cluster.Port;

    public static Task<PrivatePostgresCluster> StartAsync() => Task.Run(() => new PrivatePostgresCluster(LocalPostgresCluster.Start()));

    /// <summary>Creates a database with the postgis extension; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using (var admin = new NpgsqlConnection(AdminConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\" ENCODING 'UTF8'", admin);
            await create.ExecuteNonQueryAsync();
        }
        var connectionString = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var postgis = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS postgis", connection);
        await postgis.ExecuteNonQueryAsync();
        return connectionString;
    }

    /// <summary>Copies a database from any server into one of this cluster (pg_dump | pg_restore, no owners).</summary>
    public async Task<string> CopyDatabaseAsync(string sourceConnectionString, string name)
    {
        var target = await CreateDatabaseAsync(name);
        var dump = Path.Combine(Path.GetTempPath(), $"gridgov-copy-{Guid.NewGuid():N}.dump");
        try
        {
            await PostgresTools.RunAsync("pg_dump", sourceConnectionString, "--format=custom", "--no-owner", "--file=" + dump);
            await PostgresTools.RunAsync("pg_restore", target, "--no-owner", "--exit-on-error", "--dbname=" + new NpgsqlConnectionStringBuilder(target).Database, dump);
        }
        finally
        {
            File.Delete(dump);
        }
        return target;
    }

    /// <summary>The outage: a fast shutdown, which ends every open connection.</summary>
    public Task StopAsync() => Task.Run(_cluster.StopServer);

    /// <summary>The server is back, on the same port with the same data.</summary>
    public Task StartAgainAsync() => Task.Run(_cluster.RestartServer);

    public ValueTask DisposeAsync()
    {
        _cluster.Stop();
        return ValueTask.CompletedTask;
    }
}

/// <summary>The PostgreSQL client programs (pg_dump, pg_restore, psql) of the local installation, given a connection string.</summary>
public static class PostgresTools
{
    private static readonly string BinDir = Environment.GetEnvironmentVariable("GRIDGOV_PG_BIN") ?? "/usr/lib/postgresql/15/bin";

    public static string Tool(string name) => File.Exists(Path.Combine(BinDir, name)) ? Path.Combine(BinDir, name) : name;

    /// <summary>Runs the tool against the database of <paramref name="connectionString"/> (libpq environment variables); throws with its output on failure.</summary>
    public static async Task<string> RunAsync(string tool, string connectionString, params string[] args)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var psi = new ProcessStartInfo(Tool(tool))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["PGHOST"] = builder.Host;
        psi.Environment["PGPORT"] = builder.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        psi.Environment["PGUSER"] = builder.Username;
        psi.Environment["PGDATABASE"] = builder.Database;
        if (builder.Password is { Length: > 0 } password)
        {
            psi.Environment["PGPASSWORD"] = password;
        }
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {tool}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var output = await stdout + await stderr;
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"{tool} {string.Join(' ', args)} failed ({process.ExitCode}):\n{output}");
    }
}
