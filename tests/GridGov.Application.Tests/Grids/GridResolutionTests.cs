using GridGov.Application.Grids;
using GridGov.Domain.Common;
using GridGov.Infrastructure.Persistence;
using GridGov.TestSupport.GridGov;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static GridGov.Application.Tests.Grids.TinyStreet;

namespace GridGov.Application.Tests.Grids;

public sealed class GridResolutionTests(MigratedDatabaseFixture fixture) : IClassFixture<MigratedDatabaseFixture>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
        if (await db.Streets.AnyAsync())
        {
            return;
        }
        var (west, east) = await CreateAsync(db);
        var boundaries = scope.ServiceProvider.GetRequiredService<GridBoundaries>();
        await boundaries.AddGridAsync(west.Id, 1, "西园第1网格", Rectangle(West, South, Middle, North));
        // The east community has a grid only on its northern half: its south is an uncovered gap.
        await boundaries.AddGridAsync(east.Id, 1, "东园第1网格", Rectangle(Middle, 31.31, East, North));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<GridLocation> ResolveAsync(double longitude, double latitude)
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISpatialQueries>().ResolveGridAsync(Locations.Point(longitude, latitude));
    }

    [Fact]
    public async Task A_point_inside_a_grid_resolves_to_that_grid_and_its_community()
    {
        var location = Assert.IsType<GridLocation.InGrid>(await ResolveAsync(120.615, 31.315));

        Assert.Equal("320508021002001", location.GridCode);
        Assert.Equal("320508021002", location.CommunityCode);
        Assert.Equal("东园社区", location.CommunityName);
    }

    [Fact]
    public async Task A_point_on_the_edge_shared_by_two_grids_goes_to_the_grid_with_the_smaller_code()
    {
        var location = Assert.IsType<GridLocation.InGrid>(await ResolveAsync(Middle, 31.315));

        Assert.Equal("320508021001001", location.GridCode);
    }

    [Fact]
    public async Task A_point_outside_the_street_is_reported_as_outside_the_street()
    {
        Assert.IsType<GridLocation.OutsideStreet>(await ResolveAsync(120.70, 31.315));
    }

    [Fact]
    public async Task A_point_in_the_street_that_no_grid_covers_is_reported_as_uncovered()
    {
        Assert.IsType<GridLocation.Uncovered>(await ResolveAsync(120.615, 31.305));
    }

    [Fact]
    public async Task The_resolution_query_uses_the_gist_index_on_grid_boundaries()
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
        await using var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        // A tiny table would be scanned sequentially; turn that off to see whether the index is usable at all.
        command.CommandText = """
            SET enable_seqscan = off;
            EXPLAIN SELECT id FROM grids WHERE valid_to IS NULL AND ST_Covers(boundary, ST_SetSRID(ST_MakePoint(120.615, 31.315), 4326));
            """;
        var plan = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            plan.Add(reader.GetString(0));
        }

        Assert.Contains(plan, line => line.Contains("ix_grids_boundary"));
    }
}
