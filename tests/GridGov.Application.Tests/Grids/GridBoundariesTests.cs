using GridGov.Application.Grids;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Geography;
using GridGov.Domain.Organisation;
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

        var grid = await boundaries.AddGridAsync(_east.Id, 50, "东园第50网格", polygon);

        await using var readScope = fixture.Services.CreateAsyncScope();
        var stored = await readScope.ServiceProvider.GetRequiredService<GridGovDbContext>().Grids.AsNoTracking().SingleAsync(g => g.Id == grid.Id);
        Assert.Equal("320508021002050", stored.Code);
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

    private static readonly CaseActor Administrator = CaseActor.Staff(new StaffMember("管理员", "13900000000", StaffRole.Administrator), []);

    /// <summary>The container on a clock the test moves: a change takes effect on the clock's China date.</summary>
    private ServiceProvider ServicesOn(TestClock clock) => GridGovServices.Create(fixture.ConnectionString, clock);

    [Fact]
    public async Task Redrawing_on_a_later_day_keeps_the_old_boundary_as_history_and_the_new_one_is_checked_too()
    {
        var clock = new TestClock(TestClock.China(2099, 1, 1, 9));
        await using var services = ServicesOn(clock);
        var code = await WithAsync(services, b => b.DrawAsync(Administrator, _east.Id, "东园南网格", Rectangle(Middle, South, 120.614, 31.305), Guid.NewGuid()));
        var neighbour = await WithAsync(services, b => b.DrawAsync(Administrator, _east.Id, "东园东南网格", Rectangle(120.616, South, East, 31.303), Guid.NewGuid()));
        var overlapping = await Assert.ThrowsAsync<DomainException>(() =>
            WithAsync(services, b => b.RedrawAsync(Administrator, code.GridCode, Rectangle(Middle, South, 120.617, 31.305))));
        Assert.Equal("grid.overlap", overlapping.Code);
        Assert.Contains(neighbour.GridCode, overlapping.Message);

        clock.Advance(TimeSpan.FromDays(1));
        await WithAsync(services, b => b.RedrawAsync(Administrator, code.GridCode, Rectangle(Middle, South, 120.615, 31.305)));

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
        var grid = await db.Grids.AsNoTracking().SingleAsync(g => g.Code == code.GridCode);
        var previous = Assert.Single(await db.GridBoundaryVersions.AsNoTracking().Where(v => v.GridId == grid.Id).ToListAsync());
        Assert.Equal(120.615, grid.Boundary.EnvelopeInternal.MaxX, 9);
        Assert.Equal(new DateOnly(2099, 1, 2), grid.BoundaryValidFrom);
        Assert.Equal(120.614, previous.Boundary.EnvelopeInternal.MaxX, 9);
        Assert.Equal((new DateOnly(2099, 1, 1), new DateOnly(2099, 1, 2)), (previous.ValidFrom, previous.ValidTo));
    }

    [Fact]
    public async Task A_drawn_grid_takes_the_next_code_a_replay_answers_with_it_and_an_empty_grid_is_retired_the_next_day_without_its_code_coming_back()
    {
        var clock = new TestClock(TestClock.China(2099, 3, 1, 9));
        await using var services = ServicesOn(clock);
        var submission = Guid.NewGuid();
        var drawn = await WithAsync(services, b => b.DrawAsync(Administrator, _east.Id, "东园北网格", Rectangle(120.615, 31.305, East, 31.31), submission));
        var replay = await WithAsync(services, b => b.DrawAsync(Administrator, _east.Id, "东园北网格", Rectangle(120.615, 31.305, East, 31.31), submission));
        Assert.Equal(drawn.GridCode, replay.GridCode);
        var sameDay = await Assert.ThrowsAsync<DomainException>(() => WithAsync(services, b => b.RetireAsync(Administrator, drawn.GridCode)));
        Assert.Equal("grid.retire-date", sameDay.Code);

        clock.Advance(TimeSpan.FromDays(1));
        await WithAsync(services, b => b.RetireAsync(Administrator, drawn.GridCode));
        var next = await WithAsync(services, b => b.DrawAsync(Administrator, _east.Id, "东园北网格", Rectangle(120.615, 31.305, East, 31.31), Guid.NewGuid()));

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
        var retired = await db.Grids.AsNoTracking().SingleAsync(g => g.Code == drawn.GridCode);
        Assert.Equal(new DateOnly(2099, 3, 2), retired.ValidTo);
        Assert.True(string.CompareOrdinal(next.GridCode, drawn.GridCode) > 0, $"{next.GridCode} should follow {drawn.GridCode}");
        Assert.Equal(1, await db.Grids.CountAsync(g => g.CommunityId == _east.Id && g.Name == "东园北网格" && g.ValidTo == null));
    }

    [Fact]
    public async Task Only_an_administrator_changes_the_grid_map()
    {
        var secretary = CaseActor.Staff(new StaffMember("社区书记", "13900000001", StaffRole.CommunitySecretary, _east.Id), []);
        await using var services = ServicesOn(new TestClock(TestClock.China(2099, 5, 1, 9)));

        var exception = await Assert.ThrowsAsync<DomainException>(() =>
            WithAsync(services, b => b.DrawAsync(secretary, _east.Id, "越权网格", Rectangle(120.611, 31.301, 120.612, 31.302), Guid.NewGuid())));

        Assert.Equal("grid.forbidden", exception.Code);
        await using var scope = services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<GridGovDbContext>().Grids.AnyAsync(g => g.Name == "越权网格"));
    }

    [Fact]
    public async Task The_live_check_names_the_rule_a_drawing_breaks_and_writes_nothing()
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        var boundaries = scope.ServiceProvider.GetRequiredService<GridBoundaries>();

        var overlap = await boundaries.CheckAsync(_west.Id, Rectangle(West, 31.305, Middle, 31.315), null);
        var fine = await boundaries.CheckAsync(_west.Id, Rectangle(West, 31.305, Middle, 31.315), "320508021001001");
        var outside = await boundaries.CheckAsync(_east.Id, Rectangle(120.605, South, 120.615, 31.305), null);

        Assert.Contains("320508021001002", Assert.Single(overlap).Message);
        Assert.DoesNotContain(fine, m => m.Message.Contains("320508021001001"));
        Assert.Contains("东园社区", Assert.Single(outside).Message);
    }

    [Fact]
    public async Task A_community_outline_must_stay_in_the_street_overlap_no_neighbour_and_keep_its_grids_and_one_that_does_is_saved()
    {
        await using var services = ServicesOn(new TestClock(TestClock.China(2099, 6, 1, 9)));
        var refusals = new[]
        {
            await Assert.ThrowsAsync<DomainException>(() => WithAsync(services, b => b.RedrawCommunityAsync(Administrator, _west.Id, Rectangle(West, South, 120.605, North)))),
            await Assert.ThrowsAsync<DomainException>(() => WithAsync(services, b => b.RedrawCommunityAsync(Administrator, _east.Id, Rectangle(120.605, South, East, North)))),
            await Assert.ThrowsAsync<DomainException>(() => WithAsync(services, b => b.RedrawCommunityAsync(Administrator, _east.Id, Rectangle(Middle, South, 120.63, North)))),
            await Assert.ThrowsAsync<DomainException>(() => WithAsync(services, b => b.RenameCommunityAsync(Administrator, _east.Id, "  "))),
        };
        Assert.Equal(["community.grids-outside", "community.overlap", "community.outside-street", "text.required"], refusals.Select(r => r.Code));
        Assert.Contains("320508021001001", refusals[0].Message);
        Assert.Contains("西园社区", refusals[1].Message);

        // The same outline with a corner added on its west edge, and a new name.
        var factory = new NetTopologySuite.Geometries.GeometryFactory(new NetTopologySuite.Geometries.PrecisionModel(), Srid.Wgs84);
        var withCorner = factory.CreatePolygon([new(Middle, South), new(East, South), new(East, North), new(Middle, North), new(Middle, 31.31), new(Middle, South)]);
        await WithAsync(services, b => b.RedrawCommunityAsync(Administrator, _east.Id, withCorner));
        await WithAsync(services, b => b.RenameCommunityAsync(Administrator, _east.Id, "东园新社区"));

        await using (var scope = services.CreateAsyncScope())
        {
            var saved = await scope.ServiceProvider.GetRequiredService<GridGovDbContext>().Communities.AsNoTracking().SingleAsync(c => c.Id == _east.Id);
            Assert.Equal(("东园新社区", 6), (saved.Name, saved.Boundary.NumPoints));
        }
        await WithAsync(services, b => b.RenameCommunityAsync(Administrator, _east.Id, "东园社区"));
    }

    private static async Task<T> WithAsync<T>(ServiceProvider services, Func<GridBoundaries, Task<T>> action)
    {
        await using var scope = services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<GridBoundaries>());
    }

    private static Task WithAsync(ServiceProvider services, Func<GridBoundaries, Task> action) =>
        WithAsync(services, async b =>
        {
            await action(b);
            return true;
        });
}
