using GridGov.Infrastructure.Persistence;
using GridGov.TestSupport;
using GridGov.TestSupport.GridGov;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Application.Tests.Persistence;

public sealed class MigrationTests(MigratedDatabaseFixture fixture) : IClassFixture<MigratedDatabaseFixture>
{
    [Fact]
    public async Task Migrations_apply_on_an_empty_database_and_leave_nothing_pending()
    {
        await using var empty = await PostgresServer.CreateDatabaseAsync("migrations_empty");
        await using var services = GridGovServices.Create(empty.ConnectionString);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
        Assert.Empty(await db.Database.GetAppliedMigrationsAsync());

        await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        Assert.False(db.Database.HasPendingModelChanges(), "The model has changes that no migration captures: add a migration.");
        var geometryColumns = await db.Database.SqlQuery<string>($"""
            SELECT f_table_name || '.' || f_geometry_column || ':' || type || ':' || srid AS "Value"
            FROM geometry_columns ORDER BY 1
            """).ToListAsync();
        Assert.Contains("grids.boundary:POLYGON:4326", geometryColumns);
        Assert.Contains("residents", await db.Database.SqlQuery<string>($"SELECT tablename AS \"Value\" FROM pg_tables WHERE schemaname = 'public'").ToListAsync());
    }

    [Fact]
    public async Task Every_geometry_column_has_a_gist_index()
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();

        var unindexed = await db.Database.SqlQuery<string>($"""
            SELECT gc.f_table_name || '.' || gc.f_geometry_column AS "Value"
            FROM geometry_columns gc
            WHERE NOT EXISTS (
                SELECT 1 FROM pg_indexes i
                WHERE i.tablename = gc.f_table_name AND i.indexdef ILIKE '%USING gist%' AND i.indexdef LIKE '%(' || gc.f_geometry_column || ')%')
            """).ToListAsync();

        Assert.Empty(unindexed);
    }
}
