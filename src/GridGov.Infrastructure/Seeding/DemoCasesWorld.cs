using System.Text.RegularExpressions;
using GridGov.Domain.Calendar;
using GridGov.Domain.Cases;
using GridGov.Domain.Categories;
using GridGov.Domain.Organisation;
using GridGov.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Infrastructure.Seeding;

/// <summary>A point inside a grid with what is around it, for wording a case's place and address.</summary>
internal sealed record DemoSpot(
    int GridId, string GridCode, int CommunityId, double Longitude, double Latitude,
    string? Compound, string? Building, string? ShopName, string? Address);

/// <summary>A component of the ledger (部件) that a component case is about.</summary>
internal sealed record DemoComponentSpot(
    string Code, string CategoryCode, string Name, string GridCode, double Longitude, double Latitude, string? Address);

/// <summary>The people of one grid: its leader and workers.</summary>
internal sealed record DemoGridTeam(string GridCode, int CommunityId, StaffMember? Leader, IReadOnlyList<StaffMember> Workers)
{
    public IEnumerable<StaffMember> Everyone => Leader is null ? Workers : Workers.Prepend(Leader);
}

/// <summary>
/// Everything the demo cases are made of, loaded once up front (no lookups per case): categories, departments,
/// routes, the working calendar, staff with their grids, and points inside every grid.
/// </summary>
internal sealed partial class DemoCasesWorld
{
    public const int SpotsPerGrid = 10;
    public const int ComponentsPerCategory = 40;

    private readonly Dictionary<int, CaseActor> _actors = [];

    private DemoCasesWorld()
    {
    }

    public required WorkingCalendar Calendar { get; init; }
    public required IReadOnlyDictionary<string, Category> Categories { get; init; }
    public required IReadOnlyDictionary<string, int> DepartmentIds { get; init; }
    public required IReadOnlyList<DispatchRoute> Routes { get; init; }
    public required IReadOnlyList<StaffMember> Dispatchers { get; init; }
    public required IReadOnlyList<StaffMember> StreetLeaders { get; init; }
    public required IReadOnlyDictionary<int, List<StaffMember>> HandlersByDepartment { get; init; }
    public required IReadOnlyDictionary<int, StaffMember> SecretaryByCommunity { get; init; }
    public required IReadOnlyDictionary<string, DemoGridTeam> Teams { get; init; }
    public required IReadOnlyList<IReadOnlyList<DemoSpot>> SpotsByGrid { get; init; }
    public required IReadOnlyDictionary<string, List<DemoComponentSpot>> ComponentsByCategory { get; init; }
    private IReadOnlyDictionary<int, List<string>> GridCodesByStaff { get; init; } = new Dictionary<int, List<string>>();

    /// <summary>The actor for a staff member, as <c>CaseActors.ForStaffAsync</c> builds it, from the cache.</summary>
    public CaseActor Actor(StaffMember staff)
    {
        if (!_actors.TryGetValue(staff.Id, out var actor))
        {
            actor = _actors[staff.Id] = CaseActor.Staff(staff, GridCodesByStaff.GetValueOrDefault(staff.Id) ?? []);
        }
        return actor;
    }

    /// <summary>定责 as the workflow does it: grid route, then community route, then the category's default department.</summary>
    public int DepartmentFor(Category category, string gridCode, int communityId) =>
        Routes.FirstOrDefault(r => r.CategoryId == category.Id && r.GridCode == gridCode)?.DepartmentId
        ?? Routes.FirstOrDefault(r => r.CategoryId == category.Id && r.CommunityId == communityId)?.DepartmentId
        ?? category.DefaultDepartmentId;

    public static async Task<DemoCasesWorld> LoadAsync(GridGovDbContext db, int seed, CancellationToken ct)
    {
        var calendar = new WorkingCalendar(await db.CalendarDays.AsNoTracking().ToListAsync(ct));
        var categories = await db.Categories.AsNoTracking().Where(c => c.IsActive).ToDictionaryAsync(c => c.Code, StringComparer.Ordinal, ct);
        var departments = await db.Departments.AsNoTracking().ToDictionaryAsync(d => d.Code, d => d.Id, StringComparer.Ordinal, ct);
        var routes = await db.DispatchRoutes.AsNoTracking().ToListAsync(ct);
        var staff = await db.StaffMembers.AsNoTracking().Where(s => s.IsActive).OrderBy(s => s.Id).ToListAsync(ct);
        var assignments = await db.GridAssignments.AsNoTracking().OrderBy(a => a.Id).ToListAsync(ct);
        var grids = await db.Grids.AsNoTracking().Where(g => g.ValidTo == null).OrderBy(g => g.Code)
            .Select(g => new { g.Code, g.CommunityId }).ToListAsync(ct);

        var staffById = staff.ToDictionary(s => s.Id);
        var teams = new Dictionary<string, DemoGridTeam>(StringComparer.Ordinal);
        foreach (var grid in grids)
        {
            var members = assignments.Where(a => a.GridCode == grid.Code && staffById.ContainsKey(a.StaffMemberId)).ToList();
            var leader = members.FirstOrDefault(a => a.Duty == GridDuty.Leader) is { } l ? staffById[l.StaffMemberId] : null;
            var workers = members.Where(a => a.Duty != GridDuty.Leader).Select(a => staffById[a.StaffMemberId]).ToList();
            teams[grid.Code] = new DemoGridTeam(grid.Code, grid.CommunityId, leader, workers);
        }

        var spots = await LoadSpotsAsync(db, seed, ct);
        return new DemoCasesWorld
        {
            Calendar = calendar,
            Categories = categories,
            DepartmentIds = departments,
            Routes = routes,
            Dispatchers = staff.Where(s => s.Role == StaffRole.Dispatcher).ToList(),
            StreetLeaders = staff.Where(s => s.Role == StaffRole.StreetLeader).ToList(),
            HandlersByDepartment = staff.Where(s => s.Role == StaffRole.DepartmentHandler && s.DepartmentId is not null)
                .GroupBy(s => s.DepartmentId!.Value).ToDictionary(g => g.Key, g => g.ToList()),
            SecretaryByCommunity = staff.Where(s => s.Role == StaffRole.CommunitySecretary && s.CommunityId is not null)
                .GroupBy(s => s.CommunityId!.Value).ToDictionary(g => g.Key, g => g.First()),
            Teams = teams,
            GridCodesByStaff = assignments.GroupBy(a => a.StaffMemberId).ToDictionary(g => g.Key, g => g.Select(a => a.GridCode).ToList()),
            SpotsByGrid = spots.GroupBy(s => s.GridCode).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Where(g => teams.TryGetValue(g.Key, out var team) && team.Workers.Count > 0)
                .Select(g => (IReadOnlyList<DemoSpot>)g.ToList()).ToList(),
            ComponentsByCategory = (await LoadComponentsAsync(db, seed, ct))
                .GroupBy(c => c.CategoryCode).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal),
        };
    }

    /// <summary>Random points inside every current grid (PostGIS, seeded), each with the nearest building and shop of its grid.</summary>
    private static async Task<List<DemoSpot>> LoadSpotsAsync(GridGovDbContext db, int seed, CancellationToken ct) =>
        await db.Database.SqlQuery<DemoSpot>($"""
            SELECT g.id AS "GridId", g.code AS "GridCode", g.community_id AS "CommunityId",
                   ST_X(p.geom) AS "Longitude", ST_Y(p.geom) AS "Latitude",
                   b.compound AS "Compound", b.building AS "Building", u.name AS "ShopName", u.address AS "Address"
            FROM grids g
            CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(g.boundary, {SpotsPerGrid}, {Math.Max(1, seed)})) p
            LEFT JOIN LATERAL (
                SELECT c.name AS compound, bl.name AS building
                FROM buildings bl JOIN compounds c ON c.id = bl.compound_id
                WHERE bl.grid_id = g.id
                ORDER BY bl.location <-> p.geom
                LIMIT 1) b ON true
            LEFT JOIN LATERAL (
                SELECT un.name, un.address
                FROM units un
                WHERE un.grid_id = g.id AND un.kind = 'Shop'
                ORDER BY un.location <-> p.geom
                LIMIT 1) u ON true
            WHERE g.valid_to IS NULL AND ST_Covers(g.boundary, p.geom)
            ORDER BY g.code, p.path
            """).ToListAsync(ct);

    /// <summary>A seeded sample of the components of each kind, with the nearest address.</summary>
    private static async Task<List<DemoComponentSpot>> LoadComponentsAsync(GridGovDbContext db, int seed, CancellationToken ct) =>
        await db.Database.SqlQuery<DemoComponentSpot>($"""
            SELECT c.code AS "Code", substring(c.code from 7 for 4) AS "CategoryCode", c.name AS "Name", g.code AS "GridCode",
                   ST_X(c.location) AS "Longitude", ST_Y(c.location) AS "Latitude", u.address AS "Address"
            FROM (SELECT *, row_number() OVER (PARTITION BY substring(code from 7 for 4) ORDER BY md5(code || {seed.ToString(System.Globalization.CultureInfo.InvariantCulture)})) AS rank
                  FROM components) c
            JOIN grids g ON g.id = c.grid_id AND g.valid_to IS NULL AND ST_Covers(g.boundary, c.location)
            LEFT JOIN LATERAL (
                SELECT un.address FROM units un WHERE un.grid_id = c.grid_id ORDER BY un.location <-> c.location LIMIT 1) u ON true
            WHERE c.rank <= {ComponentsPerCategory}
            ORDER BY c.code
            """).ToListAsync(ct);

    /// <summary>"云帆街道侍其巷123号" → ("侍其巷", "123").</summary>
    public static (string Road, string Number)? SplitAddress(string? address)
    {
        if (address is null)
        {
            return null;
        }
        var match = AddressPattern().Match(address);
        return match.Success ? (match.Groups["road"].Value, match.Groups["number"].Value) : null;
    }

    [GeneratedRegex(@"^(?:.+?街道)?(?<road>\D+?)(?<number>\d+)号$")]
    private static partial Regex AddressPattern();
}
