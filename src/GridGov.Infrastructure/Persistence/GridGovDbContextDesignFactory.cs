using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace GridGov.Infrastructure.Persistence;

/// <summary>Builds the context for scaffolding migrations; no database is contacted.</summary>
public sealed class GridGovDbContextDesignFactory : IDesignTimeDbContextFactory<GridGovDbContext>
{
    public GridGovDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<GridGovDbContext>();
        DependencyInjection.Configure(options, DependencyInjection.CreateDataSource("Host=localhost;Database=gridgov_design"));
        return new GridGovDbContext(options.Options);
    }
}
