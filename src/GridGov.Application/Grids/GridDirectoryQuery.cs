using GridGov.Application.Common;
using GridGov.Domain.Calendar;
using GridGov.Domain.Geography;
using GridGov.Domain.Organisation;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace GridGov.Application.Grids;

/// <summary>A person named for a grid (实名落图): their duty there, name and phone.</summary>
public sealed record GridPerson(GridDuty Duty, string Name, string Phone);

public sealed record DirectoryCommunity(string Code, string Name);

/// <param name="ColorIndex">The community's colour on the grid map (its rank by code, mod 10), as <c>/api/map/grids</c> gives it.</param>
/// <param name="Boundary">Only when asked for (the filtered map layer); null otherwise.</param>
public sealed record DirectoryGrid(string Code, string Name, string CommunityCode, string CommunityName, int ColorIndex,
    IReadOnlyList<GridPerson> People, Polygon? Boundary = null)
{
    public GridPerson? Leader => People.FirstOrDefault(p => p.Duty == GridDuty.Leader);

    public IEnumerable<GridPerson> Workers => People.Where(p => p.Duty != GridDuty.Leader);
}

/// <param name="HasMore">More grids match than <see cref="GridDirectoryQuery.Limit"/>: the search should be narrowed.</param>
public sealed record GridDirectory(IReadOnlyList<DirectoryCommunity> Communities, IReadOnlyList<DirectoryGrid> Grids, bool HasMore);

/// <summary>One grid of the community, for the sketch map on the notice.</summary>
public sealed record GridOutline(string Code, int Sequence, Polygon Boundary);

/// <summary>Everything the public notice of one grid (网格化服务管理公示牌) shows.</summary>
public sealed record GridNotice(
    string Code,
    string Name,
    string CommunityCode,
    string CommunityName,
    string StreetName,
    string DivisionName,
    IReadOnlyList<GridPerson> People,
    GridOutline Grid,
    IReadOnlyList<GridOutline> CommunityGrids,
    DateOnly PublishedOn)
{
    /// <summary>The government service hotline (政务服务便民热线) printed on every notice.</summary>
    public const string ServiceHotline = "12345";
}

/// <summary>The grid directory (实名落图): who is responsible for which grid, searchable; and the printable notice per grid.</summary>
public sealed class GridDirectoryQuery(IGridGovDbContext db, TimeProvider clock)
{
    public const int Limit = 500;
    public const int SearchMaxLength = 50;
    private const int PaletteSize = 10;

    /// <summary>
    /// Current grids matching <paramref name="search"/> (grid code or name, community name, a person's name or phone)
    /// and <paramref name="communityCode"/>, by code.
    /// </summary>
    public async Task<GridDirectory> SearchAsync(string? search, string? communityCode, bool withBoundaries = false, CancellationToken cancellationToken = default)
    {
        var communities = await db.Communities.AsNoTracking()
            .OrderBy(c => c.Code)
            .Select(c => new DirectoryCommunity(c.Code, c.Name))
            .ToListAsync(cancellationToken);
        var colorIndex = communities.Select((c, i) => (c.Code, i % PaletteSize)).ToDictionary();

        var grids = db.Grids.AsNoTracking().Where(g => g.ValidTo == null);
        var inForce = db.AssignmentsInForce(clock);
        if (!string.IsNullOrWhiteSpace(communityCode))
        {
            var community = communityCode.Trim();
            grids = grids.Where(g => g.Community!.Code == community);
        }
        if (Normalize(search) is { } q)
        {
            grids = grids.Where(g => g.Code.Contains(q) || g.Name.Contains(q) || g.Community!.Name.Contains(q)
                || inForce.Any(a => a.GridCode == g.Code && a.StaffMember!.IsActive
                    && (a.StaffMember.Name.Contains(q) || a.StaffMember.Phone.Contains(q))));
        }
        var rows = await grids
            .OrderBy(g => g.Code)
            .Take(Limit + 1)
            .Select(g => new { g.Code, g.Name, CommunityCode = g.Community!.Code, CommunityName = g.Community.Name })
            .ToListAsync(cancellationToken);
        var hasMore = rows.Count > Limit;
        if (hasMore)
        {
            rows.RemoveAt(Limit);
        }

        var codes = rows.Select(r => r.Code).ToList();
        var people = await PeopleAsync(codes, cancellationToken);
        var boundaries = withBoundaries
            ? await db.Grids.AsNoTracking()
                .Where(g => codes.Contains(g.Code) && g.ValidTo == null)
                .Select(g => new { g.Code, g.Boundary })
                .ToDictionaryAsync(g => g.Code, g => g.Boundary, cancellationToken)
            : new Dictionary<string, Polygon>();
        var result = rows
            .Select(r => new DirectoryGrid(r.Code, r.Name, r.CommunityCode, r.CommunityName, colorIndex.GetValueOrDefault(r.CommunityCode),
                people[r.Code].ToList(), boundaries.GetValueOrDefault(r.Code)))
            .ToList();
        return new GridDirectory(communities, result, hasMore);
    }

    /// <summary>The notice of a current grid; null when there is no such grid.</summary>
    public async Task<GridNotice?> NoticeAsync(string code, CancellationToken cancellationToken = default)
    {
        var gridCode = code.Trim();
        if (!AdministrativeCode.IsDigits(gridCode, AdministrativeCode.GridCodeLength))
        {
            return null;
        }
        var grid = await db.Grids.AsNoTracking()
            .Where(g => g.Code == gridCode && g.ValidTo == null)
            .Select(g => new
            {
                g.Code, g.Name, g.Sequence, g.Boundary, g.CommunityId,
                CommunityCode = g.Community!.Code, CommunityName = g.Community.Name,
                StreetName = g.Community.Street!.Name, g.Community.Street.DivisionName,
            })
            .SingleOrDefaultAsync(cancellationToken);
        if (grid is null)
        {
            return null;
        }
        var neighbours = await db.Grids.AsNoTracking()
            .Where(g => g.CommunityId == grid.CommunityId && g.ValidTo == null)
            .OrderBy(g => g.Code)
            .Select(g => new GridOutline(g.Code, g.Sequence, g.Boundary))
            .ToListAsync(cancellationToken);
        var people = await PeopleAsync([grid.Code], cancellationToken);
        return new GridNotice(grid.Code, grid.Name, grid.CommunityCode, grid.CommunityName, grid.StreetName, grid.DivisionName,
            people[grid.Code].ToList(), new GridOutline(grid.Code, grid.Sequence, grid.Boundary), neighbours,
            WorkingCalendar.ChinaDate(clock.GetUtcNow()));
    }

    /// <summary>Leader first, then workers by duty and name; active staff in force today only.</summary>
    private async Task<ILookup<string, GridPerson>> PeopleAsync(List<string> gridCodes, CancellationToken cancellationToken)
    {
        var rows = await db.AssignmentsInForce(clock).AsNoTracking()
            .Where(a => gridCodes.Contains(a.GridCode) && a.StaffMember!.IsActive)
            .Select(a => new { a.GridCode, a.Duty, a.StaffMember!.Name, a.StaffMember.Phone })
            .ToListAsync(cancellationToken);
        return rows
            .OrderBy(r => r.Duty).ThenBy(r => r.Name, StringComparer.Ordinal)
            .ToLookup(r => r.GridCode, r => new GridPerson(r.Duty, r.Name, r.Phone));
    }

    private static string? Normalize(string? search)
    {
        var q = SearchText.Clean(search);
        if (string.IsNullOrEmpty(q))
        {
            return null;
        }
        return q.Length > SearchMaxLength ? q[..SearchMaxLength] : q;
    }
}
