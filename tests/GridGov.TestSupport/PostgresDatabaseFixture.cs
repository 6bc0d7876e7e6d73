using Xunit;

namespace GridGov.TestSupport;

/// <summary>
/// One PostGIS database per test class: <c>IClassFixture&lt;PostgresDatabaseFixture&gt;</c> for a bare
/// one, or derive and override <see cref="InitializeTemplateAsync"/> (apply migrations, seed) so every
/// class using the derived fixture gets a copy of the prepared template.
/// </summary>
public class PostgresDatabaseFixture : IAsyncLifetime
{
    private TestDatabase? _database;

    public TestDatabase Database =>
        _database ?? throw new InvalidOperationException("The database exists only between InitializeAsync and DisposeAsync.");

    public string ConnectionString => Database.ConnectionString;

    /// <summary>
    /// Which template this fixture copies. Defaults to one per fixture type, so fixtures with
    /// different initializers never share a template by accident.
    /// </summary>
    protected virtual string TemplateKey => PostgresServer.ToIdentifier(GetType().Name, 30);

    protected virtual string DatabasePrefix => GetType().Name;

    /// <summary>Runs once per process and template key, on the template, after the postgis extension exists.</summary>
    protected virtual Task InitializeTemplateAsync(string connectionString) => Task.CompletedTask;

    public virtual async Task InitializeAsync() =>
        _database = await PostgresServer.CreateDatabaseAsync(DatabasePrefix, InitializeTemplateAsync, TemplateKey);

    public virtual async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
