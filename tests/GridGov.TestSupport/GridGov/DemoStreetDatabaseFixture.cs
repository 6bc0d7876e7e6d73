using GridGov.Infrastructure.Persistence;
using GridGov.Infrastructure.Seeding;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.TestSupport.GridGov;

/// <summary>
/// A database per test class holding the migrated schema and the scale-1 demo street. The street is
/// generated once per test process into a template; each class gets a copy.
/// </summary>
public class DemoStreetDatabaseFixture : MigratedDatabaseFixture
{
    public const string DemoPassword = "Demo@Test2026";

    protected override string TemplateKey => "demo_street";

    protected override async Task InitializeTemplateAsync(string connectionString)
    {
        await base.InitializeTemplateAsync(connectionString);
        await using var services = GridGovServices.Create(connectionString);
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DemoStreetSeeder>()
            .SeedAsync(new DemoStreetOptions { DemoPassword = DemoPassword }, CancellationToken.None);
        // A month of demo cases (relative to the real clock) through the real workflow.
        await scope.ServiceProvider.GetRequiredService<DemoCasesSeeder>()
            .SeedAsync(new DemoCasesOptions(), CancellationToken.None);
        // Three months of visits and patrols (relative to the real clock).
        await ActivatorUtilities.CreateInstance<DemoGridWorkSeeder>(scope.ServiceProvider).SeedAsync(new DemoGridWorkOptions(), CancellationToken.None);
        // Fresh statistics, as after a real load, so that query plans in tests are realistic.
        await using var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
        await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.ExecuteSqlRawAsync(db.Database, "ANALYZE");
    }
}
