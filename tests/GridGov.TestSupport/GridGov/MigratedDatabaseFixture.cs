using GridGov.Infrastructure.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.TestSupport.GridGov;

/// <summary>A database per test class with the product schema applied by the real migrator.</summary>
public class MigratedDatabaseFixture : PostgresDatabaseFixture
{
    private ServiceProvider? _services;

    /// <summary>The real container on this class's database.</summary>
    public ServiceProvider Services => _services ??= GridGovServices.Create(ConnectionString);

    protected override string TemplateKey => "migrated";

    protected override async Task InitializeTemplateAsync(string connectionString)
    {
        await using var services = GridGovServices.Create(connectionString);
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync();
    }

    public override async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
        await base.DisposeAsync();
    }
}
