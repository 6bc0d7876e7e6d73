using GridGov.Application.Grids;
using GridGov.Domain.Common;
using GridGov.Domain.Geography;
using GridGov.Infrastructure.Persistence;
using GridGov.TestSupport.GridGov;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static GridGov.Application.Tests.Grids.TinyStreet;

namespace GridGov.Application.Tests.Grids;

public sealed class GridBoundariesTests(MigratedDatabaseFixture fixture) : IClassFixture<MigratedDatabaseFixture>, IAsyncLifetime
{
    private Community _west = null!;
    private Community _east = null!;

    public async Task InitializeAsync()
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
        if (!await db.Streets.AnyAsync())
        {
            (_west, _east) = await CreateAsync(db);
            // The west community: two grids, north and south halves.
            var boundaries = scope.ServiceProvider.GetRequiredService<GridBoundaries>();
            await boundaries.AddGridAsync(_west.Id, 1, "西园第1网格", Rectangle(West, 31.31, Middle, North));
            await boundaries.AddGridAsync(_west.Id, 2, "西园第2网格", Rectangle(West, South, Middle, 31.31));
        }
        else
        {
            _west = await db.Communities.SingleAsync(c => c.Code == "320508021001");
            _east = await db.Communities.SingleAsync(c => c.Code == "320508021002");
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<int> CurrentGridCountAsync()
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<GridGovDbContext>().Grids.CountAsync();
    }

    private async Task<DomainException> RefusedAsync(Func<GridBoundaries, Task> action)
    {
        var before = await CurrentGridCountAsync();
        await using var scope = fixture.Services.CreateAsyncScope();
        var exception = await Assert.ThrowsAsync<DomainException>(() => action(scope.ServiceProvider.GetRequiredService<GridBoundaries>()));
        Assert.Equal(before, await CurrentGridCountAsync());
        return exception;
    }

    [Fact]
    public async Task A_grid_sharing_only_an_edge_with_its_neighbours_is_accepted_and_round_trips_through_postgis()
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        var boundaries = scope.ServiceProvider.GetRequiredService<GridBoundaries>();
        var polygon = Rectangle(Middle, 31.31, East, North);

        var grid = await boundaries.AddGridAsync(_east.Id, 1, "东园第1网格", polygon);

        await using var readScope = fixture.Services.CreateAsyncScope();
        var stored = await readScope.ServiceProvider.GetRequiredService<GridGovDbContext>().Grids.AsNoTracking().SingleAsync(g => g.Id == grid.Id);
        Assert.Equal("320508021002001", stored.Code);
        Assert.True(stored.Boundary.EqualsExact(polygon));
        Assert.Equal(Srid.Wgs84, stored.Boundary.SRID);
    }

    [Fact]
    public async Task An_overlapping_grid_is_refused_naming_the_grid_it_overlaps_and_nothing_is_written()
    {
        var exception = await RefusedAsync(b => b.AddGridAsync(_west.Id, 3, "重叠网格", Rectangle(West, 31.305, Middle, 31.315)));

        Assert.Equal("grid.overlap", exception.Code);
        Assert.Contains("320508021001001", exception.Message);
        Assert.Contains("320508021001002", exception.Message);
    }

    [Fact]
    public async Task A_grid_reaching_outside_its_community_is_refused()
    {
        var exception = await RefusedAsync(b => b.AddGridAsync(_east.Id, 5, "越界网格", Rectangle(120.605, South, 120.615, 31.305)));

        Assert.Equal("grid.outside-community", exception.Code);
        Assert.Contains("东园社区", exception.Message);
    }

    [Fact]
    public async Task A_grid_reaching_outside_the_street_is_refused_as_outside_the_street()
    {
        var exception = await RefusedAsync(b => b.AddGridAsync(_east.Id, 6, "街道外网格", Rectangle(120.615, 31.295, East, 31.300 + 0.001)));

        Assert.Equal("grid.outside-street", exception.Code);
    }

    [Fact]
    public async Task A_self_intersecting_boundary_is_refused_before_any_query()
    {
        var factory = new NetTopologySuite.Geometries.GeometryFactory(new NetTopologySuite.Geometries.PrecisionModel(), Srid.Wgs84);
        var bowTie = factory.CreatePolygon([
            new(Middle, South), new(East, 31.302), new(East, South), new(Middle, 31.302), new(Middle, South),
        ]);

        var exception = await RefusedAsync(b => b.AddGridAsync(_east.Id, 7, "自相交网格", bowTie));

        Assert.Equal("boundary.invalid", exception.Code);
        Assert.Contains("自相交", exception.Message);
    }

    [Fact]
    public async Task A_taken_grid_code_is_refused()
    {
        var exception = await RefusedAsync(b => b.AddGridAsync(_west.Id, 1, "重复编码", Rectangle(West, South, 120.601, 31.301)));

        Assert.Equal("grid.code-taken", exception.Code);
    }

    [Fact]
    public async Task Redrawing_keeps_the_old_boundary_as_history_and_the_new_one_is_checked_too()
    {
        await using (var scope = fixture.Services.CreateAsyncScope())
        {
            var boundaries = scope.ServiceProvider.GetRequiredService<GridBoundaries>();
            await boundaries.AddGridAsync(_east.Id, 9, "东园第9网格", Rectangle(Middle, South, 120.615, 31.305));
        }
        var overlapping = await RefusedAsync(b => b.RedrawAsync("320508021002009", Rectangle(Middle, South, East, North), new DateOnly(2099, 1, 1)));
        Assert.Equal("grid.overlap", overlapping.Code);

        await using (var scope = fixture.Services.CreateAsyncScope())
        {
            var boundaries = scope.ServiceProvider.GetRequiredService<GridBoundaries>();
            await boundaries.RedrawAsync("320508021002009", Rectangle(Middle, South, 120.62, 31.305), new DateOnly(2099, 1, 1));
        }

        await using var readScope = fixture.Services.CreateAsyncScope();
        var db = readScope.ServiceProvider.GetRequiredService<GridGovDbContext>();
        var grid = await db.Grids.AsNoTracking().SingleAsync(g => g.Code == "320508021002009");
        var history = await db.GridBoundaryVersions.AsNoTracking().Where(v => v.GridId == grid.Id).ToListAsync();
        Assert.Equal(120.62, grid.Boundary.EnvelopeInternal.MaxX, 9);
        Assert.Equal(new DateOnly(2099, 1, 1), grid.BoundaryValidFrom);
        var previous = Assert.Single(history);
        Assert.Equal(120.615, previous.Boundary.EnvelopeInternal.MaxX, 9);
        Assert.Equal(new DateOnly(2099, 1, 1), previous.ValidTo);
    }
}
