namespace GridGov.TestSupport;

/// <summary>A database of its own for a test or test class; disposing drops it, open connections and all.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private int _disposed;

    internal TestDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await PostgresServer.DropDatabaseAsync(Name, ConnectionString);
        }
    }

    public override string ToString() => Name;
}
