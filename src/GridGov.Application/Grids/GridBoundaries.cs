using GridGov.Application.Cases;
using GridGov.Application.Common;
using GridGov.Domain.Calendar;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Geography;
using GridGov.Domain.Organisation;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace GridGov.Application.Grids;

/// <summary>What moved with a change of the grid map, by kind, and how many records now lie in no grid (to draw next).</summary>
public sealed record GridMoveCounts(int Households, int Residents, int Units, int Components, int Buildings, int Helpers, int OpenCases, int LeftUncovered)
{
    public static readonly GridMoveCounts None = new(0, 0, 0, 0, 0, 0, 0, 0);

    public int Total => Households + Residents + Units + Components + Buildings + Helpers + OpenCases;
}

/// <summary>The outcome of one change of the grid map: the grid drawn or kept, and what moved with it.</summary>
public sealed record GridMapChange(string GridCode, GridMoveCounts Moved);

/// <summary>A grid cut in two by a line, before anything is written: both parts with their areas in m².</summary>
public sealed record GridSplitPreview(Polygon First, Polygon Second, double FirstSquareMeters, double SecondSquareMeters);

/// <summary>
/// The grid editor (网格划分): draws, redraws, splits, merges and retires grids. It enforces the rules between polygons: a grid
/// lies inside its community (and so inside the street) and does not overlap the other grids of its community; shared edges
/// and slivers below <see cref="ToleranceSquareMeters"/> are tolerated. Every change takes effect on today's China date and
/// keeps history: an earlier boundary is kept as a <see cref="GridBoundaryVersion"/>, a retired grid keeps its row and code
/// (never given again), so a past month is still counted on the grids of that month. What the change moves is moved in the
/// same transaction (<see cref="GridBoundaries"/>.Moves.cs): ledger rows, buildings and open cases go to the grid their place
/// now falls in; a merge moves everything of the absorbed grid. Only administrators edit the map; every write is audited.
/// Changes of the map take turns street-wide (<see cref="MapChangeAsync{T}"/>), and a change made on a grid as the person
/// last saw it is refused once someone else changed that grid meanwhile (its <see cref="Grid.Version"/>).
/// </summary>
public sealed partial class GridBoundaries(IGridGovDbContext db, ISpatialQueries spatial, ICaseChangeFeed caseChanges, TimeProvider clock)
{
    public const double ToleranceSquareMeters = 1.0;

    /// <summary>The refusal of a change made on a grid as someone saw it before another person changed it.</summary>
    public const string GridChangedCode = "grid.changed";

    public static bool MayEdit(CaseActor actor) => actor.Role == StaffRole.Administrator;

    private DateOnly Today => WorkingCalendar.ChinaDate(clock.GetUtcNow());

    /// <summary>
    /// The rules a boundary breaks where it is drawn (the same refusals a save would give, for the page to word in its
    /// language); empty when it may be saved. Writes nothing.
    /// </summary>
    public Task<IReadOnlyList<DomainException>> CheckAsync(int communityId, Polygon? boundary, string? exceptGridCode, CancellationToken cancellationToken = default) =>
        ProblemsAsync(async () =>
        {
            var community = await db.Communities.AsNoTracking().SingleOrDefaultAsync(c => c.Id == communityId, cancellationToken)
                ?? throw new DomainException("community.not-found", "社区不存在");
            var except = exceptGridCode is null ? null : await db.Grids.Where(g => g.Code == exceptGridCode).Select(g => (int?)g.Id).SingleOrDefaultAsync(cancellationToken);
            await CheckPlacementAsync(community, boundary, except, cancellationToken);
        });

    /// <summary>A check's refusal as the list of problems a live check answers: empty when the check passes.</summary>
    private static async Task<IReadOnlyList<DomainException>> ProblemsAsync(Func<Task> check)
    {
        try
        {
            await check();
            return [];
        }
        catch (DomainException exception)
        {
            return [exception];
        }
    }

    /// <summary>A new grid of the community with the next free sequence; records already lying in its area move into it.</summary>
    public async Task<GridMapChange> DrawAsync(CaseActor actor, int communityId, string name, Polygon boundary, Guid? submissionId, CancellationToken cancellationToken = default)
    {
        RequireEditor(actor);
        if (await ReplayAsync(actor, submissionId, cancellationToken) is { } replay)
        {
            return replay;
        }
        return await SaveOnceAsync(actor, submissionId, async () =>
        {
            var community = await db.Communities.SingleOrDefaultAsync(c => c.Id == communityId, cancellationToken)
                ?? throw new DomainException("community.not-found", "社区不存在");
            var grid = new Grid(community, await NextSequenceAsync(community, cancellationToken), name, boundary, Today);
            await CheckPlacementAsync(community, boundary, exceptGridId: null, cancellationToken);
            db.Grids.Add(grid);
            await db.SaveChangesAsync(cancellationToken);
            return (grid, await MoveByLocationAsync(actor, boundary, $"新划网格{grid.Code}", cancellationToken));
        }, cancellationToken);
    }

    /// <summary>
    /// A new boundary from today; the old one is kept as history, and records on either side follow.
    /// <paramref name="seenVersion"/>: the grid's <see cref="Grid.Version"/> the person redrew (null: whatever it is now).
    /// </summary>
    public async Task<GridMapChange> RedrawAsync(CaseActor actor, string gridCode, Polygon newBoundary, uint? seenVersion = null,
        CancellationToken cancellationToken = default)
    {
        RequireEditor(actor);
        BoundaryRules.Require(newBoundary, DomainFields.GridBoundary);
        return await MapChangeAsync(async () =>
        {
            var grid = await CurrentGridAsync(gridCode, seenVersion, cancellationToken);
            await CheckPlacementAsync(grid.Community!, newBoundary, grid.Id, cancellationToken);
            var area = grid.Boundary.Union(newBoundary);
            Keep(grid.Redraw(newBoundary, Today));
            await db.SaveChangesAsync(cancellationToken);
            return new GridMapChange(grid.Code, await MoveByLocationAsync(actor, area, $"网格{grid.Code}边界调整", cancellationToken));
        }, cancellationToken);
    }

    /// <summary>The two parts a line cuts the grid into, or a message when it does not cut it in exactly two.</summary>
    public async Task<GridSplitPreview> PreviewSplitAsync(string gridCode, LineString cut, CancellationToken cancellationToken = default)
    {
        var grid = await CurrentGridAsync(gridCode, seenVersion: null, cancellationToken);
        return await SplitPartsAsync(grid, cut, cancellationToken);
    }

    /// <summary>
    /// Cuts the grid in two along <paramref name="cut"/>: part <paramref name="newGridPart"/> (0 or 1, as the preview lists
    /// them) becomes a new grid named <paramref name="newName"/>, the other stays the grid (its old boundary kept as
    /// history). Records in the new part move to the new grid. <paramref name="seenVersion"/>: as for <see cref="RedrawAsync"/>.
    /// </summary>
    public async Task<GridMapChange> SplitAsync(CaseActor actor, string gridCode, LineString cut, int newGridPart, string newName, Guid? submissionId,
        uint? seenVersion = null, CancellationToken cancellationToken = default)
    {
        RequireEditor(actor);
        if (newGridPart is not (0 or 1))
        {
            throw new DomainException("grid.split-part", "请选择哪一块划为新网格");
        }
        if (await ReplayAsync(actor, submissionId, cancellationToken) is { } replay)
        {
            return replay;
        }
        return await SaveOnceAsync(actor, submissionId, async () =>
        {
            var grid = await CurrentGridAsync(gridCode, seenVersion, cancellationToken);
            var parts = await SplitPartsAsync(grid, cut, cancellationToken);
            var (kept, split) = newGridPart == 0 ? (parts.Second, parts.First) : (parts.First, parts.Second);
            var community = grid.Community!;
            var newGrid = new Grid(community, await NextSequenceAsync(community, cancellationToken), newName, split, Today);
            Keep(grid.Redraw(kept, Today));
            db.Grids.Add(newGrid);
            await db.SaveChangesAsync(cancellationToken);
            return (newGrid, await MoveByLocationAsync(actor, split, $"网格{grid.Code}拆分出{newGrid.Code}", cancellationToken));
        }, cancellationToken);
    }

    /// <summary>
    /// Merges <paramref name="absorbedCode"/> into <paramref name="keptCode"/>: two neighbouring grids of one community. The
    /// kept grid's boundary becomes both (the old one kept as history); the absorbed grid is retired, its people's duties end
    /// today, and all it holds (ledger rows, buildings, helpers, open cases) moves to the kept grid.
    /// <paramref name="seenVersion"/>: the kept grid's, as for <see cref="RedrawAsync"/>.
    /// </summary>
    public async Task<GridMapChange> MergeAsync(CaseActor actor, string keptCode, string absorbedCode, uint? seenVersion = null,
        CancellationToken cancellationToken = default)
    {
        RequireEditor(actor);
        if (keptCode == absorbedCode)
        {
            throw DomainException.For(DomainFields.MergeGrid, "grid.merge-self", "请选择另一个网格合并");
        }
        return await MapChangeAsync(async () =>
        {
            var kept = await CurrentGridAsync(keptCode, seenVersion, cancellationToken);
            var absorbed = await CurrentGridAsync(absorbedCode, seenVersion: null, cancellationToken);
            if (kept.CommunityId != absorbed.CommunityId)
            {
                throw DomainException.For(DomainFields.MergeGrid, "grid.merge-community", "只能合并同一社区的网格");
            }
            var union = await spatial.UnionAsync(kept.Boundary, absorbed.Boundary, cancellationToken)
                ?? throw DomainException.For(DomainFields.MergeGrid, "grid.merge-apart", $"网格{kept.Code}与{absorbed.Code}不相邻（合并后不是一整块），不能合并",
                    kept.Code, absorbed.Code);
            var today = Today;
            absorbed.Retire(today);
            Keep(kept.Redraw(union, today));
            await EndDutiesAsync(absorbed.Code, today, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            return new GridMapChange(kept.Code, await MoveEverythingAsync(actor, absorbed, kept, cancellationToken));
        }, cancellationToken);
    }

    /// <summary>
    /// Retires an empty grid from today (the area is left to its neighbours' next redraw); its code is never given again.
    /// A grid still holding ledger rows, helpers or open cases is refused: merge it into a neighbour instead.
    /// </summary>
    public async Task<GridMapChange> RetireAsync(CaseActor actor, string gridCode, uint? seenVersion = null, CancellationToken cancellationToken = default)
    {
        RequireEditor(actor);
        return await MapChangeAsync(async () =>
        {
            var grid = await CurrentGridAsync(gridCode, seenVersion, cancellationToken);
            var held = await HeldAsync(grid.Id, cancellationToken);
            if (held > 0)
            {
                throw new DomainException("grid.retire-not-empty", $"网格{grid.Code}中还有{held}条台账、骨干或未结案件，请先把它合并到相邻网格")
                {
                    Arguments = [grid.Code, held],
                };
            }
            var today = Today;
            grid.Retire(today);
            await EndDutiesAsync(grid.Code, today, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            return new GridMapChange(grid.Code, GridMoveCounts.None);
        }, cancellationToken);
    }

    /// <summary>A grid's new name, from now on (the name is not part of its history: the code is).</summary>
    public async Task RenameAsync(CaseActor actor, string gridCode, string name, uint? seenVersion = null, CancellationToken cancellationToken = default)
    {
        RequireEditor(actor);
        await MapChangeAsync(async () =>
        {
            var grid = await CurrentGridAsync(gridCode, seenVersion, cancellationToken);
            grid.Rename(name);
            return await db.SaveChangesAsync(cancellationToken);
        }, cancellationToken);
    }

    /// <summary>
    /// A grid with a given sequence, today, without an actor: for the demo street and tests. Its boundary obeys the same
    /// rules; records are not moved.
    /// </summary>
    public async Task<Grid> AddGridAsync(int communityId, int sequence, string name, Polygon boundary, CancellationToken cancellationToken = default)
    {
        var community = await db.Communities.SingleOrDefaultAsync(c => c.Id == communityId, cancellationToken)
            ?? throw new DomainException("community.not-found", "社区不存在");
        var grid = new Grid(community, sequence, name, boundary, Today);
        if (await db.Grids.AnyAsync(g => g.Code == grid.Code, cancellationToken))
        {
            throw new DomainException("grid.code-taken", $"网格代码{grid.Code}已被使用") { Arguments = [grid.Code] };
        }
        await CheckPlacementAsync(community, boundary, exceptGridId: null, cancellationToken);
        db.Grids.Add(grid);
        await db.SaveChangesAsync(cancellationToken);
        return grid;
    }

    private static void RequireEditor(CaseActor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!MayEdit(actor))
        {
            throw new DomainException("grid.forbidden", "只有系统管理员可以调整网格划分");
        }
    }

    /// <summary>The grid in use with this code; refused when it changed since the person saw it at <paramref name="seenVersion"/>.</summary>
    private async Task<Grid> CurrentGridAsync(string gridCode, uint? seenVersion, CancellationToken cancellationToken)
    {
        var grid = await db.Grids.Include(g => g.Community).SingleOrDefaultAsync(g => g.Code == gridCode && g.ValidTo == null, cancellationToken)
            ?? throw new DomainException("grid.not-found", $"网格{gridCode}不存在或已撤销") { Arguments = [gridCode] };
        return seenVersion is { } seen && seen != grid.Version
            ? throw new DomainException(GridChangedCode, $"网格{gridCode}刚被他人修改，请查看它现在的边界后再操作") { Arguments = [gridCode] }
            : grid;
    }

    /// <summary>Codes are never given twice, not even a retired grid's: the next sequence follows the highest ever used.</summary>
    private async Task<int> NextSequenceAsync(Community community, CancellationToken cancellationToken)
    {
        var next = (await db.Grids.Where(g => g.CommunityId == community.Id).MaxAsync(g => (int?)g.Sequence, cancellationToken) ?? 0) + 1;
        return next <= 999 ? next : throw new DomainException("grid.sequence-full", $"{community.Name}的网格编号已用完（最多999个）") { Arguments = [community.Name] };
    }

    private async Task<GridSplitPreview> SplitPartsAsync(Grid grid, LineString cut, CancellationToken cancellationToken)
    {
        if (cut is null || cut.IsEmpty || cut.NumPoints < 2 || cut.SRID != Srid.Wgs84)
        {
            throw DomainException.For(DomainFields.SplitLine, "grid.split-line", "请在地图上画一条穿过网格的分割线");
        }
        var parts = await spatial.SplitAsync(grid.Boundary, cut, cancellationToken);
        if (parts.Count != 2)
        {
            throw DomainException.For(DomainFields.SplitLine, "grid.split-parts",
                parts.Count < 2 ? "分割线须从网格一侧穿到另一侧，把网格分成两块" : $"分割线把网格分成了{parts.Count}块，只能分成两块", parts.Count);
        }
        var areas = parts.Select(p => p.SquareMeters).ToArray();
        if (areas.Min() <= ToleranceSquareMeters)
        {
            throw DomainException.For(DomainFields.SplitLine, "grid.split-sliver", "分割线太靠近网格边界，分出的一块几乎没有面积");
        }
        return new GridSplitPreview(BoundaryRules.Require(parts[0].Polygon, DomainFields.GridBoundary),
            BoundaryRules.Require(parts[1].Polygon, DomainFields.GridBoundary), areas[0], areas[1]);
    }

    private void Keep(GridBoundaryVersion? previous)
    {
        if (previous is not null)
        {
            db.GridBoundaryVersions.Add(previous);
        }
    }

    private async Task EndDutiesAsync(string gridCode, DateOnly today, CancellationToken cancellationToken)
    {
        var open = await db.GridAssignments.Where(a => a.GridCode == gridCode && a.EndedOn == null).ToListAsync(cancellationToken);
        foreach (var assignment in open)
        {
            assignment.End(assignment.Since > today ? assignment.Since : today, today);
        }
    }

    /// <summary>
    /// One change of the map at a time, street-wide: a change waits for the one before it to commit and then reads the map
    /// afresh, so two administrators saving at once cannot both pass the overlap check, nor one overwrite the other's grid.
    /// </summary>
    private async Task<T> MapChangeAsync<T>(Func<Task<T>> change, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        await db.LockAsync(MapLock, cancellationToken);
        var result = await change();
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    private const string MapLock = "grid-map";

    /// <summary>The grid an earlier post of this submission created (a replay moves nothing), or null for a new one.</summary>
    private async Task<GridMapChange?> ReplayAsync(CaseActor actor, Guid? submissionId, CancellationToken cancellationToken) =>
        await db.FirstResultAsync(SubmissionKeys.Staff(actor), SubmissionPurpose.GridDraw, submissionId, cancellationToken) is { } first
            ? new GridMapChange(await CodeOfAsync(first, cancellationToken), GridMoveCounts.None)
            : null;

    private Task<string> CodeOfAsync(string gridId, CancellationToken cancellationToken)
    {
        var id = int.Parse(gridId, System.Globalization.CultureInfo.InvariantCulture);
        return db.Grids.Where(g => g.Id == id).Select(g => g.Code).SingleAsync(cancellationToken);
    }

    /// <summary>A change that creates a grid, remembered under its submission id in the same transaction.</summary>
    private async Task<GridMapChange> SaveOnceAsync(CaseActor actor, Guid? submissionId, Func<Task<(Grid Grid, GridMoveCounts Moved)>> change,
        CancellationToken cancellationToken)
    {
        var moved = GridMoveCounts.None;
        var author = SubmissionKeys.Staff(actor);
        var gridId = await db.CreateOnceAsync(author, SubmissionPurpose.GridDraw, submissionId, async () =>
            {
                await using var transaction = await db.BeginTransactionAsync(cancellationToken);
                await db.LockAsync(MapLock, cancellationToken);
                var (grid, counts) = await change();
                moved = counts;
                db.Remember(author, SubmissionPurpose.GridDraw, submissionId, grid.Id, clock.GetUtcNow());
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return grid.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            },
            first => Task.FromResult(first), cancellationToken);
        return new GridMapChange(await CodeOfAsync(gridId, cancellationToken), moved);
    }

    private async Task CheckPlacementAsync(Community community, Polygon? boundary, int? exceptGridId, CancellationToken cancellationToken)
    {
        BoundaryRules.Require(boundary, DomainFields.GridBoundary);
        var outsideStreet = await spatial.AreaOutsideStreetAsync(community.StreetId, boundary!, cancellationToken);
        if (outsideStreet > ToleranceSquareMeters)
        {
            throw new DomainException("grid.outside-street", $"网格边界超出街道范围约{outsideStreet:F0}平方米") { Arguments = [Math.Round(outsideStreet)] };
        }
        var outsideCommunity = await spatial.AreaOutsideCommunityAsync(community.Id, boundary!, cancellationToken);
        if (outsideCommunity > ToleranceSquareMeters)
        {
            throw new DomainException("grid.outside-community", $"网格边界超出所属社区（{community.Name}）范围约{outsideCommunity:F0}平方米") { Arguments = [community.Name, Math.Round(outsideCommunity)] };
        }
        var overlapping = await spatial.FindOverlappingGridsAsync(community.Id, boundary!, exceptGridId, cancellationToken);
        if (overlapping.Count > 0)
        {
            throw new DomainException("grid.overlap", $"网格边界与同社区的网格重叠：{string.Join("、", overlapping)}") { Arguments = [string.Join(", ", overlapping)] };
        }
    }
}
