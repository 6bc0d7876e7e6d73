using GridGov.Application.Cases;
using GridGov.Application.Grids;
using GridGov.Application.Tests.Ledgers;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Geography;
using GridGov.TestSupport.GridGov;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NetTopologySuite.Geometries;

namespace GridGov.Application.Tests.Grids;

/// <summary>
/// Splitting a grid of the demo street in two and merging it back: the boundaries keep their history, and the ledgers,
/// buildings and open cases of the affected area follow by location (closed cases stay where they happened).
/// </summary>
public sealed class GridSplitMergeTests(LedgerScenario scenario) : IClassFixture<LedgerScenario>
{
    private static readonly GeometryFactory Factory = new(new PrecisionModel(), Srid.Wgs84);

    private Task<GridMapChange> EditAsync(Func<GridBoundaries, Task<GridMapChange>> edit) =>
        scenario.WithAsync(provider => edit(provider.GetRequiredService<GridBoundaries>()));

    /// <summary>The grid with the most open cases, and a north–south line between the middle two of them.</summary>
    private async Task<(Grid Grid, LineString Cut)> BusiestGridAsync()
    {
        var open = Enum.GetValues<CaseState>().Where(CaseWorkflow.IsOpen).ToArray();
        var grid = await scenario.DbAsync(db => db.Grids.AsNoTracking().Where(g => g.ValidTo == null)
            .OrderByDescending(g => db.Cases.Count(c => c.GridId == g.Id && open.Contains(c.State))).ThenBy(g => g.Code).FirstAsync());
        var xs = (await scenario.DbAsync(db => db.Cases.Where(c => c.GridId == grid.Id && open.Contains(c.State)).Select(c => c.Location).ToListAsync()))
            .Select(p => p.X).Order().ToList();
        Assert.True(xs.Count >= 2 && xs[0] < xs[^1], "the demo street has a grid with open cases in more than one place");
        var middle = (xs[0] + xs[^1]) / 2;
        var envelope = grid.Boundary.EnvelopeInternal;
        var cut = Factory.CreateLineString([new Coordinate(middle, envelope.MinY - 0.001), new Coordinate(middle, envelope.MaxY + 0.001)]);
        return (grid, cut);
    }

    private static async Task EventuallyAsync(Action assertion)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                assertion();
                return;
            }
            catch (Xunit.Sdk.XunitException) when (attempt < 50)
            {
                await Task.Delay(100);
            }
        }
    }

    [Fact]
    public async Task A_split_moves_what_lies_in_the_new_part_and_a_merge_the_next_day_brings_it_all_back_with_history()
    {
        var admin = await scenario.ActorAsync("admin1");
        var (grid, cut) = await BusiestGridAsync();
        var preview = await scenario.WithAsync(provider => provider.GetRequiredService<GridBoundaries>().PreviewSplitAsync(grid.Code, cut));
        Assert.Equal(grid.Boundary.Area, preview.First.Area + preview.Second.Area, 9);
        Assert.True(preview.FirstSquareMeters >= preview.SecondSquareMeters);
        var closed = Enum.GetValues<CaseState>().Where(s => !CaseWorkflow.IsOpen(s)).ToArray();
        var closedBefore = await scenario.DbAsync(db => db.Cases.Where(c => c.GridId == grid.Id && closed.Contains(c.State)).Select(c => c.Id).ToListAsync());
        var submission = Guid.NewGuid();
        var announced = new System.Collections.Concurrent.ConcurrentQueue<CaseChanged>();
        using var listening = scenario.Services.GetRequiredService<CaseChangeNotifier>().Subscribe(change =>
        {
            announced.Enqueue(change);
            return Task.CompletedTask;
        });

        var split = await EditAsync(b => b.SplitAsync(admin, grid.Code, cut, 1, "拆分出的新网格", submission));
        var replay = await EditAsync(b => b.SplitAsync(admin, grid.Code, cut, 1, "拆分出的新网格", submission));

        Assert.Equal(split.GridCode, replay.GridCode);
        Assert.Equal(GridMoveCounts.None, replay.Moved);
        var (kept, created, version) = await scenario.DbAsync(async db => (
            await db.Grids.AsNoTracking().SingleAsync(g => g.Id == grid.Id),
            await db.Grids.AsNoTracking().SingleAsync(g => g.Code == split.GridCode),
            await db.GridBoundaryVersions.AsNoTracking().SingleAsync(v => v.GridId == grid.Id)));
        Assert.Equal(grid.CommunityId, created.CommunityId);
        Assert.Equal(grid.Boundary.Area, kept.Boundary.Area + created.Boundary.Area, 9);
        Assert.True(version.Boundary.EqualsTopologically(grid.Boundary));
        Assert.Equal(kept.BoundaryValidFrom, version.ValidTo);

        // Everything placed in the new part is in the new grid; nothing placed in the kept part is.
        var buildings = await scenario.DbAsync(db => db.Buildings.AsNoTracking().Where(b => b.GridId == grid.Id || b.GridId == created.Id).ToListAsync());
        // A place on the cut itself stays with the lower code (the kept grid), as ResolveGridAsync decides.
        bool InNewPart(Point place) => created.Boundary.Covers(place) && !kept.Boundary.Covers(place);
        Assert.All(buildings, b => Assert.Equal(InNewPart(b.Location) ? created.Id : grid.Id, b.GridId));
        var movedBuildings = buildings.Where(b => b.GridId == created.Id).Select(b => b.Id).ToList();
        Assert.NotEmpty(movedBuildings);
        Assert.Equal(movedBuildings.Count, split.Moved.Buildings);
        var households = await scenario.DbAsync(db => db.Households.AsNoTracking()
            .Where(h => h.BuildingId != null && movedBuildings.Contains(h.BuildingId.Value) && h.RemovedAt == null).ToListAsync());
        Assert.All(households, h => Assert.Equal(created.Id, h.GridId));
        Assert.Equal(households.Count, split.Moved.Households);
        var householdIds = households.Select(h => h.Id).ToList();
        // The visit counting (household_visit_status, kept by triggers) follows the households to the new grid.
        var statusIds = householdIds.ToArray();
        Assert.Equal(0, await scenario.DbAsync(db => db.Database.SqlQuery<int>(
            $"SELECT count(*)::int AS \"Value\" FROM household_visit_status WHERE household_id = ANY({statusIds}) AND grid_id <> {created.Id}").SingleAsync()));
        var residents = await scenario.DbAsync(db => db.Residents.AsNoTracking()
            .Where(r => r.HouseholdId != null && householdIds.Contains(r.HouseholdId.Value) && r.RemovedAt == null).ToListAsync());
        Assert.NotEmpty(residents);
        Assert.All(residents, r => Assert.Equal(created.Id, r.GridId));
        Assert.Equal(residents.Count, split.Moved.Residents);
        var history = await scenario.ChangesAsync("Resident", residents[0].Id);
        Assert.Contains(history, c => c.Kind == Domain.Ledgers.LedgerChangeKind.Updated && c.After!.Contains($"\"GridId\": {created.Id}"));

        // Open cases follow with a line in their history; closed ones stay in the grid they were handled in.
        var cases = await scenario.DbAsync(db => db.Cases.AsNoTracking().Include(c => c.History).Where(c => c.GridId == grid.Id || c.GridId == created.Id).ToListAsync());
        foreach (var @case in cases)
        {
            var shouldMove = CaseWorkflow.IsOpen(@case.State) && InNewPart(@case.Location);
            Assert.Equal(shouldMove ? created.Code : grid.Code, @case.GridCode);
            Assert.Equal(shouldMove, @case.History.Any(h => h.Action == CaseAction.MoveToGrid));
        }
        var movedCases = cases.Where(c => c.History.Any(h => h.Action == CaseAction.MoveToGrid)).Select(c => c.Id).Order().ToList();
        Assert.NotEmpty(movedCases);
        Assert.Equal(movedCases.Count, split.Moved.OpenCases);
        // The live pages hear of each moved case once the split commits (raised on the thread pool, so shortly after).
        await EventuallyAsync(() => Assert.Equal(movedCases, announced.Select(c => c.CaseId).Distinct().Order().ToList()));

        // The next day the new grid goes back into the old one.
        scenario.Clock.Advance(TimeSpan.FromDays(1));
        var merge = await EditAsync(b => b.MergeAsync(admin, grid.Code, created.Code));

        Assert.Equal(grid.Code, merge.GridCode);
        var (merged, retired, versions) = await scenario.DbAsync(async db => (
            await db.Grids.AsNoTracking().SingleAsync(g => g.Id == grid.Id),
            await db.Grids.AsNoTracking().SingleAsync(g => g.Id == created.Id),
            await db.GridBoundaryVersions.AsNoTracking().CountAsync(v => v.GridId == grid.Id)));
        Assert.False(retired.IsCurrent);
        Assert.Equal(2, versions);
        Assert.Equal(grid.Boundary.Area, merged.Boundary.Area, 9);
        Assert.Equal(0, await scenario.DbAsync(db => db.Residents.CountAsync(r => r.GridId == created.Id && r.RemovedAt == null)));
        Assert.Equal(0, await scenario.DbAsync(db => db.Buildings.CountAsync(b => b.GridId == created.Id)));
        Assert.Equal(residents.Count, merge.Moved.Residents);
        Assert.Equal(split.Moved.OpenCases, merge.Moved.OpenCases);
        Assert.Equal(closedBefore.Count, await scenario.DbAsync(db => db.Cases.CountAsync(c => closedBefore.Contains(c.Id) && c.GridId == grid.Id)));
    }

    [Fact]
    public async Task A_line_that_does_not_cross_the_grid_a_merge_of_grids_apart_or_of_two_communities_and_retiring_a_full_grid_are_refused_writing_nothing()
    {
        var admin = await scenario.ActorAsync("admin1");
        var grids = await scenario.DbAsync(db => db.Grids.AsNoTracking().Where(g => g.ValidTo == null).OrderBy(g => g.Code).ToListAsync());
        var first = grids[0];
        var center = first.Boundary.Centroid;
        var shortLine = Factory.CreateLineString([new Coordinate(center.X, center.Y), new Coordinate(center.X + 0.0001, center.Y)]);
        var apart = grids.Where(g => g.CommunityId == first.CommunityId && g.Id != first.Id)
            .First(g => g.Boundary.Distance(first.Boundary) > 0.0005);
        var otherCommunity = grids.First(g => g.CommunityId != first.CommunityId);
        var dispatcher = await scenario.ActorAsync("dispatcher1");
        var before = await scenario.DbAsync(async db => (await db.Grids.CountAsync(), await db.GridBoundaryVersions.CountAsync(), await db.CaseHistory.CountAsync()));
        scenario.Clock.Advance(TimeSpan.FromDays(3));

        var refusals = new[]
        {
            await Assert.ThrowsAsync<DomainException>(() => EditAsync(b => b.SplitAsync(admin, first.Code, shortLine, 0, "新网格", Guid.NewGuid()))),
            await Assert.ThrowsAsync<DomainException>(() => EditAsync(b => b.MergeAsync(admin, first.Code, apart.Code))),
            await Assert.ThrowsAsync<DomainException>(() => EditAsync(b => b.MergeAsync(admin, first.Code, otherCommunity.Code))),
            await Assert.ThrowsAsync<DomainException>(() => EditAsync(b => b.RetireAsync(admin, first.Code))),
            await Assert.ThrowsAsync<DomainException>(() => EditAsync(b => b.MergeAsync(dispatcher, first.Code, apart.Code))),
        };

        Assert.Equal(["grid.split-parts", "grid.merge-apart", "grid.merge-community", "grid.retire-not-empty", "grid.forbidden"], refusals.Select(r => r.Code));
        Assert.Equal(before, await scenario.DbAsync(async db => (await db.Grids.CountAsync(), await db.GridBoundaryVersions.CountAsync(), await db.CaseHistory.CountAsync())));
        Assert.True(await scenario.DbAsync(db => db.Grids.AllAsync(g => g.ValidTo == null || g.Code != first.Code)));
    }
}
