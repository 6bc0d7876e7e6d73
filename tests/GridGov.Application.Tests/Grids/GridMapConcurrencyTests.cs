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

/// <summary>
/// Two administrators at the grid editor at once: changes of the map take turns, so two drawings of the same place cannot
/// both pass the overlap check; and a change made on a grid as one of them last saw it does not overwrite the other's.
/// </summary>
public sealed class GridMapConcurrencyTests(MigratedDatabaseFixture fixture) : IClassFixture<MigratedDatabaseFixture>, IAsyncLifetime
{
    private static readonly CaseActor Administrator = CaseActor.Staff(new StaffMember("管理员", "13900000000", StaffRole.Administrator), []);

    private Community _east = null!;

    public async Task InitializeAsync()
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
        _east = await db.Communities.SingleOrDefaultAsync(c => c.Code == "320508021002") ?? (await CreateAsync(db)).EastCommunity;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Four_administrators_drawing_the_same_place_at_once_get_one_grid_and_three_overlap_refusals()
    {
        var place = Rectangle(Middle, South, 120.615, 31.305);

        // Each administrator's page has its service ready and has checked the place (all fine); then all four save at once.
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ready = new CountdownEvent(4);
        var saves = Enumerable.Range(1, 4).Select(n => Task.Run(async () =>
        {
            await using var scope = fixture.Services.CreateAsyncScope();
            var boundaries = scope.ServiceProvider.GetRequiredService<GridBoundaries>();
            Assert.Empty(await boundaries.CheckAsync(_east.Id, place, null));
            ready.Signal();
            await go.Task;
            try
            {
                return (Code: (await boundaries.DrawAsync(Administrator, _east.Id, $"同时划的网格{n}", place, Guid.NewGuid())).GridCode, Refusal: (string?)null);
            }
            catch (DomainException refusal)
            {
                return (Code: (string?)null, Refusal: refusal.Code);
            }
        })).ToList();
        Assert.True(ready.Wait(TimeSpan.FromSeconds(30)), "the four pages got ready");
        go.SetResult();
        var attempts = await Task.WhenAll(saves);

        var drawn = Assert.Single(attempts, a => a.Code is not null);
        Assert.All(attempts.Where(a => a.Code is null), a => Assert.Equal("grid.overlap", a.Refusal));
        await using var scope = fixture.Services.CreateAsyncScope();
        var grids = await scope.ServiceProvider.GetRequiredService<GridGovDbContext>().Grids.AsNoTracking()
            .Where(g => g.CommunityId == _east.Id && g.ValidTo == null && g.Name.StartsWith("同时划的网格")).Select(g => g.Code).ToListAsync();
        Assert.Equal([drawn.Code!], grids);
    }

    [Fact]
    public async Task A_redraw_rename_or_retire_of_a_grid_someone_changed_since_it_was_shown_is_refused_and_keeps_the_other_change()
    {
        var drawn = await WithAsync(b => b.DrawAsync(Administrator, _east.Id, "先后改的网格", Rectangle(Middle, 31.31, 120.615, North), Guid.NewGuid()));
        var shown = await DetailAsync(drawn.GridCode);
        var first = Rectangle(Middle, 31.31, 120.616, North);

        await WithAsync(b => b.RedrawAsync(Administrator, drawn.GridCode, first, shown.Version));
        var refusals = new[]
        {
            await Assert.ThrowsAsync<DomainException>(() => WithAsync(b => b.RedrawAsync(Administrator, drawn.GridCode, Rectangle(Middle, 31.31, 120.614, North), shown.Version))),
            await Assert.ThrowsAsync<DomainException>(() => WithAsync(b => b.RenameAsync(Administrator, drawn.GridCode, "旧页面上的新名", shown.Version))),
            await Assert.ThrowsAsync<DomainException>(() => WithAsync(b => b.RetireAsync(Administrator, drawn.GridCode, shown.Version))),
        };

        Assert.All(refusals, refusal => Assert.Equal(("grid.changed", drawn.GridCode), (refusal.Code, (string)refusal.Arguments[0]!)));
        await using var scope = fixture.Services.CreateAsyncScope();
        var grid = await scope.ServiceProvider.GetRequiredService<GridGovDbContext>().Grids.AsNoTracking().SingleAsync(g => g.Code == drawn.GridCode);
        Assert.True(grid.Boundary.EqualsExact(first), $"the first redraw stays: {grid.Boundary}");
        Assert.Equal(("先后改的网格", (DateOnly?)null), (grid.Name, grid.ValidTo));
        Assert.NotEqual(shown.Version, grid.Version);

        // On the grid as it is now, the same rename goes through.
        var now = (await DetailAsync(drawn.GridCode)).Version;
        await WithAsync(b => b.RenameAsync(Administrator, drawn.GridCode, "旧页面上的新名", now));
        Assert.Equal("旧页面上的新名", (await DetailAsync(drawn.GridCode)).Name);
    }

    private async Task<EditorGrid> DetailAsync(string code)
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<GridEditorQuery>().DetailAsync(code))!.Grid;
    }

    private async Task<T> WithAsync<T>(Func<GridBoundaries, Task<T>> action)
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<GridBoundaries>());
    }

    private Task WithAsync(Func<GridBoundaries, Task> action) => WithAsync(async b =>
    {
        await action(b);
        return true;
    });
}
