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
/// create databases and the postgis extension); otherwise starts a throwaway cluster from the local
/// PostgreSQL 15 binaries, stopped and deleted when the process exits. Started on first use.
/// </summary>
public static partial class PostgresServer
{
    public const string ConnectionStringVariable = "GRIDGOV_TEST_CONNECTION";

    private static readonly Lazy<Task<Server>> Instance =
        new(() => Task.Run(StartAsync), LazyThreadSafetyMode.ExecutionAndPublication);

    // Keeps this process's databases apart from other test processes on a shared server.
    private static readonly string RunId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));

    private static readonly SemaphoreSlim TemplateLock = new(1, 1);
    private static readonly ConcurrentDictionary<string, bool> ReadyTemplates = new();
    private static readonly ConcurrentDictionary<string, bool> OwnedDatabases = new();
    private static int _databaseCounter;

    /// <summary>A superuser connection string to the server's <c>postgres</c> database.</summary>
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
        await ExecuteAsync(server.AdminConnectionString, $"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"", cancellationToken);
        OwnedDatabases[name] = true;

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
        await ExecuteAsync(server.AdminConnectionString, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", CancellationToken.None);
        OwnedDatabases.TryRemove(name, out _);
    }

    private static async Task<Server> StartAsync()
    {
        string? external = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            await VerifyAsync(external, $"the server in {ConnectionStringVariable}");
            // Leave a shared server as we found it, even if a test forgot to dispose its database.
            AppDomain.CurrentDomain.ProcessExit += (_, _) => DropOwnedDatabases(external);
            return new Server(external, IsShared: true);
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

        return new Server(cluster.ConnectionString, IsShared: false);
    }

    private static async Task VerifyAsync(string connectionString, string what)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'postgis')", connection);
        if (await command.ExecuteScalarAsync() is not true)
        {
            throw new InvalidOperationException(
                $"PostGIS is not available on {what} (PostgreSQL {connection.PostgreSqlVersion}). " +
                "On Debian: apt-get install postgresql-15-postgis-3.");
        }
    }

    private static async Task<string> EnsureTemplateAsync(
        Server server, string key, Func<string, Task>? initializer, CancellationToken cancellationToken)
    {
        // Each test process on a shared server builds its own template (its migrations may differ).
        string name = server.IsShared ? $"gridgov_tpl_{key}_{RunId}" : $"gridgov_tpl_{key}";
        if (ReadyTemplates.ContainsKey(name))
        {
            return name;
        }

        await TemplateLock.WaitAsync(cancellationToken);
        try
        {
            if (!ReadyTemplates.ContainsKey(name))
            {
                await CreateTemplateAsync(server.AdminConnectionString, name, initializer, cancellationToken);
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
        string adminConnectionString, string name, Func<string, Task>? initializer, CancellationToken cancellationToken)
    {
        // template0: a clean start even where the server's template1 has been customised.
        await ExecuteAsync(adminConnectionString, $"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'", cancellationToken);
        OwnedDatabases[name] = true;
        try
        {
            // No pooling: CREATE DATABASE … TEMPLATE refuses while any connection to the template is open.
            var template = new NpgsqlConnectionStringBuilder(adminConnectionString)
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
            await ExecuteAsync(adminConnectionString, $"ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS false", cancellationToken);
            await ExecuteAsync(adminConnectionString,
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", cancellationToken, name);
        }
        catch
        {
            // Half-built: drop it so the next caller starts over and sees the real error.
            await ExecuteAsync(adminConnectionString, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", CancellationToken.None);
            OwnedDatabases.TryRemove(name, out _);
            throw;
        }
    }

    private static void DropOwnedDatabases(string adminConnectionString)
    {
        foreach (string name in OwnedDatabases.Keys)
        {
            try
            {
                using var connection = new NpgsqlConnection(adminConnectionString);
                connection.Open();
                using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
                command.ExecuteNonQuery();
            }
            catch (NpgsqlException)
            {
                // Best effort at exit.
            }
        }
    }

    private static async Task ExecuteAsync(
        string connectionString, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 300 };
        foreach (object value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [GeneratedRegex("^[a-z0-9_]{1,30}$")]
    private static partial Regex TemplateKeyPattern();

    private sealed record Server(string AdminConnectionString, bool IsShared);
}
