using GridGov.Application.Common;
using GridGov.Application.Grids;
using GridGov.Domain.Cases;
using GridGov.Domain.Ledgers;
using GridGov.Domain.Organisation;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Application.Ledgers;

public sealed record GridLedgerHousehold(int Id, string Dwelling, HouseholdKind Kind, string? HeadName, int Members);

/// <summary>A building (or the households with no building) and who lives in it.</summary>
public sealed record GridLedgerBuilding(string? CompoundName, string? BuildingName, int Residents, IReadOnlyList<GridLedgerHousehold> Households);

public sealed record GridLedgerPerson(int Id, string Name, Sex Sex, int Age, string? Where);

public sealed record GridLedgerGroup(ResidentGroup Group, int Count, IReadOnlyList<GridLedgerPerson> People);

public sealed record GridLedgerStaff(string Name, GridDuty Duty, string Phone);

/// <summary>
/// A local helper (网格骨干) as the grid's ledger lists him: the phone in full only to those who may reveal numbers in the
/// grid (<see cref="LedgerScope.CanReveal"/>), masked for the others.
/// </summary>
public sealed record GridLedgerHelper(int Id, GridHelperRole Role, string Name, string Phone, bool PhoneRevealed, int? ResidentId, string? Coverage,
    string? Note, DateOnly Since, uint Version);

/// <summary>A registered resident of the grid offered when a helper is entered (name and where he lives).</summary>
public sealed record GridResidentChoice(int Id, string Name, string? Phone, string? Where);

public sealed record GridLedgerPartyUnit(int Id, string Name, UnitKind Kind, bool HasPartyOrganisation, int PartyMemberCount);

/// <summary>"三个一口清" of one grid: who lives where, the vulnerable and key people, and the local helpers.</summary>
public sealed record GridLedgerView(
    LedgerScope Scope,
    string GridCode,
    string GridName,
    string CommunityName,
    int HouseholdCount,
    int ResidentCount,
    IReadOnlyDictionary<PopulationKind, int> ByPopulationKind,
    IReadOnlyDictionary<HouseholdKind, int> ByHouseholdKind,
    IReadOnlyList<GridLedgerBuilding> Buildings,
    IReadOnlyList<GridLedgerGroup> Groups,
    IReadOnlyList<GridLedgerStaff> Staff,
    IReadOnlyList<GridLedgerHelper> Helpers,
    GridLedgerGroup PartyMembers,
    IReadOnlyList<GridLedgerPartyUnit> PartyUnits);

public sealed record GridLedgerIndexRow(GridChoice Grid, int Households, int Residents);

public sealed record GridLedgerIndexView(LedgerScope Scope, IReadOnlyList<CommunityChoice> Communities, IReadOnlyList<GridLedgerIndexRow> Grids);

/// <summary>Reads one grid's ledgers at once (about 300 households and 800 people: a few indexed queries by grid).</summary>
public sealed class GridLedgerQuery(IGridGovDbContext db, LedgerScopes scopes, IGridLedgerCounts ledgerCounts, TimeProvider clock)
{
    /// <summary>Names listed per tag; the count is always complete and the resident list shows the rest.</summary>
    public const int NamesPerGroup = 100;

    /// <summary>The grids of the person's scope with their household and resident counts.</summary>
    public async Task<GridLedgerIndexView> IndexAsync(CaseActor actor, CancellationToken cancellationToken = default)
    {
        var scope = await scopes.ForAsync(actor, cancellationToken);
        if (!scope.SeesPeople)
        {
            return new GridLedgerIndexView(scope, [], []);
        }
        var grids = await LedgerPlaces.Grids(db, scope).OrderBy(g => g.Code).Select(GridChoices.Choice).ToListAsync(cancellationToken);
        var communities = grids.GroupBy(g => g.CommunityId).Select(c => new CommunityChoice(c.Key, c.First().CommunityName)).ToList();
        var counts = await ledgerCounts.ByGridAsync(grids.Select(g => g.Id).ToList(), cancellationToken);
        return new GridLedgerIndexView(scope, communities, grids.Select(g =>
        {
            var count = counts.GetValueOrDefault(g.Id);
            return new GridLedgerIndexRow(g, count.Households, count.Residents);
        }).ToList());
    }

    public async Task<GridLedgerView?> GetAsync(string gridCode, CaseActor actor, CancellationToken cancellationToken = default)
    {
        var scope = await scopes.ForAsync(actor, cancellationToken);
        var grid = await db.Grids.AsNoTracking().Where(g => g.Code == gridCode)
            .Select(g => new { g.Id, g.Code, g.Name, Community = g.Community!.Name })
            .SingleOrDefaultAsync(cancellationToken);
        if (grid is null || !scope.Covers(grid.Id))
        {
            return null;
        }

        var households = await db.Households.AsNoTracking()
            .Where(h => h.GridId == grid.Id && h.RemovedAt == null)
            .Select(h => new { h.Id, h.BuildingId, h.Dwelling, h.Kind, h.HeadResidentId })
            .ToListAsync(cancellationToken);
        var buildings = await db.Buildings.AsNoTracking().Where(b => b.GridId == grid.Id)
            .Select(b => new { b.Id, b.Name, Compound = db.Compounds.Where(c => c.Id == b.CompoundId).Select(c => c.Name).FirstOrDefault() })
            .ToDictionaryAsync(b => b.Id, cancellationToken);
        var residents = await db.Residents.AsNoTracking()
            .Where(r => r.GridId == grid.Id && r.RemovedAt == null)
            .Select(r => new { r.Id, r.Name, r.Sex, r.BirthDate, r.HouseholdId, r.PopulationKind, r.Groups })
            .ToListAsync(cancellationToken);
        // Duties are stored by name: the leader first is an order of the enum, taken in memory.
        var staff = (await db.AssignmentsInForce(clock).AsNoTracking()
            .Where(a => a.GridCode == grid.Code)
            .Select(a => new { a.StaffMemberId, Row = new GridLedgerStaff(a.StaffMember!.Name, a.Duty, a.StaffMember.Phone) })
            .ToListAsync(cancellationToken))
            .OrderBy(a => a.Row.Duty).ThenBy(a => a.StaffMemberId).Select(a => a.Row).ToList();
        var helpers = await db.GridHelpers.AsNoTracking()
            .Where(h => h.GridId == grid.Id && h.RemovedAt == null)
            .Select(h => new { h.Id, h.Role, h.Name, h.Phone, h.ResidentId, h.Coverage, h.Note, h.Since, h.Version })
            .ToListAsync(cancellationToken);
        // Parts are stored by name: their order (liaisons first) is the enum's, taken in memory.
        helpers = [.. helpers.OrderBy(h => h.Role).ThenBy(h => h.Since).ThenBy(h => h.Id)];
        var reveal = scope.CanReveal(grid.Id);
        var partyUnits = await db.Units.AsNoTracking()
            .Where(u => u.GridId == grid.Id && u.RemovedAt == null && (u.HasPartyOrganisation || u.PartyMemberCount > 0))
            .OrderByDescending(u => u.HasPartyOrganisation).ThenByDescending(u => u.PartyMemberCount).ThenBy(u => u.Id)
            .Select(u => new GridLedgerPartyUnit(u.Id, u.Name, u.Kind, u.HasPartyOrganisation, u.PartyMemberCount))
            .ToListAsync(cancellationToken);

        var today = Ages.Today(clock);
        var names = residents.ToDictionary(r => r.Id, r => r.Name);
        var membersOf = residents.Where(r => r.HouseholdId is not null).GroupBy(r => r.HouseholdId!.Value).ToDictionary(g => g.Key, g => g.Count());
        var householdById = households.ToDictionary(h => h.Id);

        string? WhereOf(int? householdId)
        {
            if (householdId is not { } id || !householdById.TryGetValue(id, out var household))
            {
                return null;
            }
            return household.BuildingId is { } b && buildings.TryGetValue(b, out var building)
                ? $"{building.Compound}{building.Name}{household.Dwelling}"
                : household.Dwelling;
        }

        var byBuilding = households
            .GroupBy(h => h.BuildingId)
            .Select(g =>
            {
                var building = g.Key is { } id ? buildings.GetValueOrDefault(id) : null;
                var rows = g.OrderBy(h => NaturalKey(h.Dwelling), StringComparer.Ordinal)
                    .Select(h => new GridLedgerHousehold(h.Id, h.Dwelling, h.Kind,
                        h.HeadResidentId is { } head ? names.GetValueOrDefault(head) : null, membersOf.GetValueOrDefault(h.Id)))
                    .ToList();
                return new GridLedgerBuilding(building?.Compound, building?.Name, rows.Sum(r => r.Members), rows);
            })
            .OrderBy(b => b.CompoundName is null ? 1 : 0)
            .ThenBy(b => b.CompoundName, StringComparer.Ordinal)
            .ThenBy(b => NaturalKey(b.BuildingName ?? ""), StringComparer.Ordinal)
            .ToList();

        GridLedgerGroup Group(ResidentGroup tag)
        {
            var people = residents.Where(r => r.Groups.Contains(tag)).OrderBy(r => r.BirthDate).ThenBy(r => r.Id).ToList();
            return new GridLedgerGroup(tag, people.Count, people.Take(NamesPerGroup)
                .Select(r => new GridLedgerPerson(r.Id, r.Name, r.Sex, Ages.On(r.BirthDate, today), WhereOf(r.HouseholdId)))
                .ToList());
        }

        var groups = scope.VisibleGroups.Where(g => g != ResidentGroup.PartyMember).Select(Group).ToList();
        return new GridLedgerView(
            scope, grid.Code, grid.Name, grid.Community,
            households.Count, residents.Count,
            residents.GroupBy(r => r.PopulationKind).ToDictionary(g => g.Key, g => g.Count()),
            households.GroupBy(h => h.Kind).ToDictionary(g => g.Key, g => g.Count()),
            byBuilding, groups, staff,
            helpers.Select(h => new GridLedgerHelper(h.Id, h.Role, h.Name, reveal ? h.Phone : Masking.Phone(h.Phone)!, reveal, h.ResidentId, h.Coverage,
                h.Note, h.Since, h.Version)).ToList(),
            Group(ResidentGroup.PartyMember), partyUnits);
    }

    /// <summary>Residents of the grid (in the person's scope, not removed) whose name contains the text, to link a helper to.</summary>
    public async Task<IReadOnlyList<GridResidentChoice>> ResidentChoicesAsync(string gridCode, string? text, CaseActor actor, CancellationToken cancellationToken = default)
    {
        var name = text?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > ResidentChoiceTextMaxLength || name.Any(char.IsControl))
        {
            return [];
        }
        var scope = await scopes.ForAsync(actor, cancellationToken);
        var gridId = await db.Grids.AsNoTracking().Where(g => g.Code == gridCode).Select(g => (int?)g.Id).SingleOrDefaultAsync(cancellationToken);
        if (gridId is not { } grid || !scope.Covers(grid))
        {
            return [];
        }
        var reveal = scope.CanReveal(grid);
        var rows = await db.Residents.AsNoTracking()
            .Where(r => r.GridId == grid && r.RemovedAt == null && r.Name.Contains(name))
            .OrderBy(r => r.Name).ThenBy(r => r.Id).Take(ResidentChoiceLimit)
            .Select(r => new { r.Id, r.Name, r.Phone, Dwelling = db.Households.Where(h => h.Id == r.HouseholdId).Select(h => h.Address).FirstOrDefault() })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new GridResidentChoice(r.Id, r.Name, reveal ? r.Phone : Masking.Phone(r.Phone), r.Dwelling)).ToList();
    }

    public const int ResidentChoiceLimit = 20;
    public const int ResidentChoiceTextMaxLength = 30;

    /// <summary>Sorts "2幢" before "10幢" and "1单元302" before "1单元1101": numbers padded to a fixed width.</summary>
    private static string NaturalKey(string text)
    {
        var builder = new System.Text.StringBuilder(text.Length + 16);
        var digits = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                digits++;
                continue;
            }
            if (digits > 0)
            {
                builder.Append('0', Math.Max(0, 8 - digits)).Append(text.AsSpan(i - digits, digits));
                digits = 0;
            }
            if (i < text.Length)
            {
                builder.Append(text[i]);
            }
        }
        return builder.ToString();
    }
}
