using GridGov.Application.Common;
using GridGov.Domain.Calendar;
using GridGov.Domain.Cases;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Application.Grids;

public sealed record EditorCommunity(int Id, string Code, string Name);

/// <summary>
/// A grid as the editor lists it; <see cref="ValidTo"/> set once retired. <see cref="Version"/> goes back with a change, so a
/// change to a grid someone else changed meanwhile is refused.
/// </summary>
public sealed record EditorGrid(string Code, string Name, DateOnly ValidFrom, DateOnly? ValidTo, DateOnly BoundaryValidFrom, uint Version)
{
    public bool IsCurrent => ValidTo is null;
}

/// <summary>One boundary of a grid's history; the current one has no end.</summary>
public sealed record EditorBoundaryVersion(DateOnly ValidFrom, DateOnly? ValidTo);

/// <summary>What a grid holds: what a split or merge moves, and what keeps it from being retired.</summary>
public sealed record GridHoldings(int Households, int Residents, int Units, int Components, int Helpers, int OpenCases)
{
    public int Total => Households + Residents + Units + Components + Helpers + OpenCases;
}

/// <summary>A selected grid: its boundary history, what it holds, and the current grids of its community it touches (to merge with).</summary>
public sealed record EditorGridDetail(EditorGrid Grid, int CommunityId, IReadOnlyList<EditorBoundaryVersion> Boundaries, GridHoldings Holdings,
    IReadOnlyList<EditorGrid> Neighbours);

/// <summary>What the grid editor page (网格划分) reads: communities, their grids with history, and the map on a day.</summary>
public sealed class GridEditorQuery(IGridGovDbContext db, ISpatialQueries spatial, TimeProvider clock)
{

    public DateOnly Today => WorkingCalendar.ChinaDate(clock.GetUtcNow());

    public async Task<IReadOnlyList<EditorCommunity>> CommunitiesAsync(CancellationToken cancellationToken = default) =>
        await db.Communities.AsNoTracking().OrderBy(c => c.Code).Select(c => new EditorCommunity(c.Id, c.Code, c.Name)).ToListAsync(cancellationToken);

    /// <summary>The community's grids: those in use by code, then the retired ones, latest first.</summary>
    public async Task<IReadOnlyList<EditorGrid>> GridsAsync(int communityId, CancellationToken cancellationToken = default) =>
        await db.Grids.AsNoTracking().Where(g => g.CommunityId == communityId)
            .OrderBy(g => g.ValidTo != null).ThenByDescending(g => g.ValidTo).ThenBy(g => g.Code)
            .Select(g => new EditorGrid(g.Code, g.Name, g.ValidFrom, g.ValidTo, g.BoundaryValidFrom, g.Version))
            .ToListAsync(cancellationToken);

    public async Task<EditorGridDetail?> DetailAsync(string code, CancellationToken cancellationToken = default)
    {
        var grid = await db.Grids.AsNoTracking().Where(g => g.Code == code).SingleOrDefaultAsync(cancellationToken);
        if (grid is null)
        {
            return null;
        }
        var earlier = await db.GridBoundaryVersions.AsNoTracking().Where(v => v.GridId == grid.Id).OrderByDescending(v => v.ValidFrom)
            .Select(v => new EditorBoundaryVersion(v.ValidFrom, v.ValidTo)).ToListAsync(cancellationToken);
        var id = grid.Id;
        var holdings = new GridHoldings(
            await db.Households.CountAsync(h => h.GridId == id && h.RemovedAt == null, cancellationToken),
            await db.Residents.CountAsync(r => r.GridId == id && r.RemovedAt == null, cancellationToken),
            await db.Units.CountAsync(u => u.GridId == id && u.RemovedAt == null, cancellationToken),
            await db.Components.CountAsync(c => c.GridId == id && c.RemovedAt == null, cancellationToken),
            await db.GridHelpers.CountAsync(h => h.GridId == id && h.RemovedAt == null, cancellationToken),
            await db.Cases.CountAsync(c => c.GridId == id && CaseWorkflow.OpenStates.Contains(c.State), cancellationToken));
        var neighbours = grid.ValidTo is not null
            ? []
            : await db.Grids.AsNoTracking()
                .Where(g => g.CommunityId == grid.CommunityId && g.ValidTo == null && g.Id != id && g.Boundary.IsWithinDistance(grid.Boundary, 0.00001))
                .OrderBy(g => g.Code)
                .Select(g => new EditorGrid(g.Code, g.Name, g.ValidFrom, g.ValidTo, g.BoundaryValidFrom, g.Version))
                .ToListAsync(cancellationToken);
        var current = grid.ValidTo is null ? [new EditorBoundaryVersion(grid.BoundaryValidFrom, null)] : new List<EditorBoundaryVersion>
            { new(grid.BoundaryValidFrom, grid.ValidTo) };
        return new EditorGridDetail(new EditorGrid(grid.Code, grid.Name, grid.ValidFrom, grid.ValidTo, grid.BoundaryValidFrom, grid.Version), grid.CommunityId,
            [.. current, .. earlier], holdings, neighbours);
    }

    /// <summary>The map as it stood on <paramref name="day"/> (today when null), as GeoJSON.</summary>
    public Task<string> MapAsync(DateOnly? day, CancellationToken cancellationToken = default) =>
        spatial.GridMapGeoJsonAsync(day ?? Today, cancellationToken);
}
