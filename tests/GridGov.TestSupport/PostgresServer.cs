using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;

namespace GridGov.TestSupport;

/// <summary>
/// The PostgreSQL + PostGIS server the tests of this process share. Uses the server in
/// <c>GRIDGOV_TEST_CONNECTION</c> when set (an admin connection string: the role must be able to
/// create databases and the postgis extension); otherwise a throwaway PostGIS container (Testcontainers,
/// <see cref="ContainerPostgres"/>) where a Docker engine runs; otherwise a throwaway cluster from the local
/// PostgreSQL 15 binaries, stopped and deleted when the process exits. Started on first use;
/// safe to call from parallel test classes.
/// </summary>
public static partial class PostgresServer
{
    public const string ConnectionStringVariable = "GRIDGOV_TEST_CONNECTION";

    private const string LeaseLabel = "gridgov-test-run:";

    // Started once; a failed start stays failed, so every test reports the same clear error quickly.
    private static readonly Lazy<Task<Server>> Instance =
        new(() => Task.Run(StartAsync), LazyThreadSafetyMode.ExecutionAndPublication);

    // Keep this process's databases apart from those of other test processes on a shared server.
    private static readonly string RunId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
    private static readonly long LeaseKey = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8));

    private static readonly SemaphoreSlim TemplateLock = new(1, 1);
    private static readonly ConcurrentDictionary<string, bool> ReadyTemplates = new();
    private static int _databaseCounter;

    /// <summary>
    /// The admin connection string: <c>GRIDGOV_TEST_CONNECTION</c> as given, or superuser
    /// <c>postgres</c> on our cluster's <c>postgres</c> database.
    /// </summary>
    public static async Task<string> GetAdminConnectionStringAsync() => (await Instance.Value).AdminConnectionString;

    /// <summary>
    /// Creates a fresh database copied from the template for <paramref name="templateKey"/>. The first
    /// call for a key builds that template: the postgis extension, then
    /// <paramref name="templateInitializer"/> (e.g. EF migrations) given the template's connection
    /// string; later calls for the key reuse it and ignore their initializer.
    /// </summary>
    /// <param name="prefix">Start of the database name, e.g. the test class name.</param>
    /// <param name="templateKey">Lowercase letters, digits and underscores, at most 30 characters.</param>
    public static async Task<TestDatabase> CreateDatabaseAsync(
        string prefix,
        Func<string, Task>? templateInitializer = null,
        string templateKey = "default",
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (!TemplateKeyPattern().IsMatch(templateKey))
        {
            throw new ArgumentException(
                $"Template key '{templateKey}' must be 1-30 lowercase letters, digits or underscores.", nameof(templateKey));
        }

        var server = await Instance.Value;
        string template = await EnsureTemplateAsync(server, templateKey, templateInitializer, cancellationToken);

        string name = string.Create(CultureInfo.InvariantCulture,
            $"{ToIdentifier(prefix, 40)}_{RunId}_{Interlocked.Increment(ref _databaseCounter)}");
        await CopyDatabaseAsync(server, name, template, cancellationToken);

        var connectionString = new NpgsqlConnectionStringBuilder(server.AdminConnectionString)
        {
            Database = name,
            IncludeErrorDetail = true,
        };
        return new TestDatabase(name, connectionString.ConnectionString);
    }

    /// <summary>Lowercase letters, digits and underscores, starting with a letter; at most <paramref name="maxLength"/> long.</summary>
    internal static string ToIdentifier(string value, int maxLength)
    {
        var builder = new StringBuilder(value.Length);
        foreach (char c in value.ToLowerInvariant())
        {
            builder.Append(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) ? c : '_');
        }

        string identifier = builder.ToString().Trim('_');
        if (identifier.Length == 0 || !char.IsAsciiLetterLower(identifier[0]))
        {
            identifier = "db_" + identifier;
        }

        return identifier.Length <= maxLength ? identifier : identifier[..maxLength];
    }

    internal static async Task DropDatabaseAsync(string name, string connectionString)
    {
        // The test's own pooled connections would otherwise linger as broken entries.
        using (var connection = new NpgsqlConnection(connectionString))
        {
            NpgsqlConnection.ClearPool(connection);
        }

        var server = await Instance.Value;
        await ExecuteAsync(server.AdminConnectionString, $"DROP DATABASE IF EXISTS {Quote(name)} WITH (FORCE)", CancellationToken.None);
    }

    private static async Task<Server> StartAsync()
    {
        string? external = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            await VerifyAsync(external, $"the server in {ConnectionStringVariable}");
            var lease = await TakeLeaseAsync(external);
            await DropAbandonedDatabasesAsync(external);
            return new Server(external, IsOwnCluster: false, lease);
        }

        if (await ContainerPostgres.TryStartAsync() is { } container)
        {
            await VerifyAsync(container, "the PostGIS test container");
            return new Server(container, IsOwnCluster: true, Lease: null);
        }

        var cluster = LocalPostgresCluster.Start();
        try
        {
            await VerifyAsync(cluster.ConnectionString, "the local test cluster");
        }
        catch (NpgsqlException e)
        {
            throw new InvalidOperationException(
                $"The local PostgreSQL test cluster started but does not answer on port {cluster.Port}: {e.Message}\n" +
                $"Server log:\n{cluster.ReadLogTail()}", e);
        }

        return new Server(cluster.ConnectionString, IsOwnCluster: true, Lease: null);
    }

    private static async Task VerifyAsync(string connectionString, string what)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        if (await ExecuteAsync(connection, "SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'postgis')",
                CancellationToken.None) is not true)
        {
            throw new InvalidOperationException(
                $"PostGIS is not available on {what} (PostgreSQL {connection.PostgreSqlVersion}). " +
                "On Debian: apt-get install postgresql-15-postgis-3.");
        }
    }

    // On a shared server, each database we create is labelled with our lease key, and the lease (an
    // advisory lock) lives as long as this process. dotnet test kills test hosts without running
    // ProcessExit handlers, so instead of cleaning up at exit, each run drops what dead runs left.
    private static async Task<NpgsqlConnection> TakeLeaseAsync(string adminConnectionString)
    {
        var lease = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(adminConnectionString) { Pooling = false }.ConnectionString);
        await lease.OpenAsync();
        await ExecuteAsync(lease, "SELECT pg_advisory_lock($1)", CancellationToken.None, LeaseKey);
        return lease;
    }

    private static async Task DropAbandonedDatabasesAsync(string adminConnectionString)
    {
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync();
        var labelled = new List<(string Name, long Key)>();
        await using (var command = new NpgsqlCommand(
            "SELECT datname, shobj_description(oid, 'pg_database') FROM pg_database " +
            "WHERE shobj_description(oid, 'pg_database') LIKE $1", connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = LeaseLabel + "%" });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                if (long.TryParse(reader.GetString(1).AsSpan(LeaseLabel.Length), CultureInfo.InvariantCulture, out long key))
                {
                    labelled.Add((reader.GetString(0), key));
                }
            }
        }

        foreach (var (name, key) in labelled)
        {
            // Free only if the run holding it has ended; held while we drop, so no two runs race.
            if (await ExecuteAsync(connection, "SELECT pg_try_advisory_lock($1)", CancellationToken.None, key) is true)
            {
                await ExecuteAsync(connection, $"DROP DATABASE IF EXISTS {Quote(name)} WITH (FORCE)", CancellationToken.None);
                await ExecuteAsync(connection, "SELECT pg_advisory_unlock($1)", CancellationToken.None, key);
            }
        }
    }

    private static async Task CopyDatabaseAsync(Server server, string name, string template, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(server.AdminConnectionString);
        await connection.OpenAsync(cancellationToken);
        // FILE_COPY skips WAL-logging every block of the template; with fsync off its checkpoints are
        // cheap, so it takes about half the time of the default. A shared server keeps its default.
        string strategy = server.IsOwnCluster ? " STRATEGY FILE_COPY" : "";
        await ExecuteAsync(connection,
            $"CREATE DATABASE {Quote(name)} TEMPLATE {Quote(template)} ENCODING 'UTF8'{strategy}", cancellationToken);
        if (server.Lease is not null)
        {
            await ExecuteAsync(connection,
                string.Create(CultureInfo.InvariantCulture, $"COMMENT ON DATABASE {Quote(name)} IS '{LeaseLabel}{LeaseKey}'"),
                cancellationToken);
        }
    }

    private static async Task<string> EnsureTemplateAsync(
        Server server, string key, Func<string, Task>? initializer, CancellationToken cancellationToken)
    {
        // Each test process on a shared server builds its own template (its migrations may differ).
        string name = server.IsOwnCluster ? $"gridgov_tpl_{key}" : $"gridgov_tpl_{key}_{RunId}";
        if (ReadyTemplates.ContainsKey(name))
        {
            return name;
        }

        await TemplateLock.WaitAsync(cancellationToken);
        try
        {
            if (!ReadyTemplates.ContainsKey(name))
            {
                await CreateTemplateAsync(server, name, initializer, cancellationToken);
                ReadyTemplates[name] = true;
            }

            return name;
        }
        finally
        {
            TemplateLock.Release();
        }
    }

    private static async Task CreateTemplateAsync(
        Server server, string name, Func<string, Task>? initializer, CancellationToken cancellationToken)
    {
        string admin = server.AdminConnectionString;

        // template0: a clean start even where the server's template1 has been customised.
        await CopyDatabaseAsync(server, name, "template0", cancellationToken);
        try
        {
            // No pooling: CREATE DATABASE … TEMPLATE refuses while any connection to the template is open.
            var template = new NpgsqlConnectionStringBuilder(admin)
            {
                Database = name,
                Pooling = false,
                IncludeErrorDetail = true,
            };
            await ExecuteAsync(template.ConnectionString, "CREATE EXTENSION IF NOT EXISTS postgis", cancellationToken);
            if (initializer is not null)
            {
                await initializer(template.ConnectionString);
            }

            // Shut out stray connections for good (an initializer's own pool, autovacuum) and end any left open.
            await ExecuteAsync(admin, $"ALTER DATABASE {Quote(name)} ALLOW_CONNECTIONS false", cancellationToken);
            await ExecuteAsync(admin, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1",
                cancellationToken, name);
        }
        catch
        {
            // Half-built: drop it so the next caller starts over and sees the real error.
            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {Quote(name)} WITH (FORCE)", CancellationToken.None);
            throw;
        }
    }

    private static async Task<object?> ExecuteAsync(
        string connectionString, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return await ExecuteAsync(connection, sql, cancellationToken, parameters);
    }

    private static async Task<object?> ExecuteAsync(
        NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 300 };
        foreach (object value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    [GeneratedRegex("^[a-z0-9_]{1,30}$")]
    private static partial Regex TemplateKeyPattern();

    /// <param name="Lease">Open for the life of the process on a shared server; null on our own cluster.</param>
    private sealed record Server(string AdminConnectionString, bool IsOwnCluster, NpgsqlConnection? Lease);
}
