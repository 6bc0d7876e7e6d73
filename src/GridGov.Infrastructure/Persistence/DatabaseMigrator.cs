using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging;

namespace GridGov.Infrastructure.Persistence;

/// <summary>Applies pending migrations (at start-up, or by the <c>migrate</c> command).</summary>
public sealed class DatabaseMigrator(GridGovDbContext db, ILogger<DatabaseMigrator> logger)
{
    public static readonly TimeSpan MigrationTimeout = TimeSpan.FromMinutes(30);

    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        // Creating the history table first keeps EF from logging a failed query against a missing table.
        await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count == 0)
        {
            logger.LogInformation("Database schema is up to date");
            return;
        }
        logger.LogInformation("Applying {MigrationCount} migrations: {Migrations}", pending.Count, pending);
        // A migration that fills a derived table reads every row of a city's ledgers: no 30-second command limit.
        db.Database.SetCommandTimeout(MigrationTimeout);
        await db.Database.MigrateAsync(cancellationToken);
    }
}
