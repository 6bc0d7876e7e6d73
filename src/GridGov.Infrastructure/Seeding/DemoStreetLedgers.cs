using System.Globalization;
using GridGov.Domain.Geography;
using GridGov.Domain.Ledgers;
using NetTopologySuite.Geometries;

namespace GridGov.Infrastructure.Seeding;

/// <summary>An entity with the id the seeder gave it: ledger rows are copied with explicit ids.</summary>
internal readonly record struct SeedRow<T>(int Id, T Entity);

/// <summary>Hands out consecutive ids for one table, starting after the largest id already there.</summary>
internal sealed class IdSequence(int lastUsed)
{
    private int _last = lastUsed;

    public int Last => _last;

    public int Next() => ++_last;
}

/// <summary>A grid to fill, with what its addresses and names are made from.</summary>
internal sealed record GridSite(int Id, Polygon Boundary, string CommunityStem);

/// <summary>A kind of component (部件) and the department that owns and maintains it.</summary>
internal sealed record ComponentKind(ComponentClass Class, int Minor, string Name, int OwnerDepartmentId, int Weight);

/// <summary>Ledger rows generated for a few grids, written to the database together.</summary>
internal sealed class LedgerBatch
{
    public List<SeedRow<Compound>> Compounds { get; } = [];
    public List<SeedRow<Building>> Buildings { get; } = [];
    public List<SeedRow<Household>> Households { get; } = [];
    public List<SeedRow<Resident>> Residents { get; } = [];
    /// <summary>Household → head resident; set after both are written (each row refers to the other).</summary>
    public List<int> HeadHouseholdIds { get; } = [];
    public List<int> HeadResidentIds { get; } = [];
    public List<SeedRow<Unit>> Units { get; } = [];
    public List<SeedRow<Component>> Components { get; } = [];
}

/// <summary>
/// Fills one grid's ledgers (台账): compounds and buildings with their households and residents,
/// units (organisations and shops) and components, all located strictly inside the grid.
/// </summary>
internal sealed class DemoStreetLedgers(Random random, DemoStreetPeople people, IReadOnlyList<ComponentKind> componentKinds, LedgerIds ids)
{
    private const double CompoundMarginMetres = 30;
    private const double PointMarginMetres = 5;

    private static readonly UnitKind[] UnitKinds = [UnitKind.Shop, UnitKind.Enterprise, UnitKind.Institution, UnitKind.GovernmentBody, UnitKind.SocialOrganisation];
    private static readonly int[] UnitKindWeights = DemoStreetNames.Cumulative([60, 20, 8, 4, 8]);
    private static readonly ComponentState[] ComponentStates = [ComponentState.Intact, ComponentState.Damaged, ComponentState.Lost, ComponentState.Occupied];
    private static readonly int[] ComponentStateWeights = DemoStreetNames.Cumulative([930, 40, 10, 20]);

    private readonly int[] _componentKindWeights = DemoStreetNames.Cumulative(componentKinds.Select(k => k.Weight));
    private readonly Dictionary<(ComponentClass, int), int> _componentSerials = [];
    private readonly Dictionary<string, int> _compoundNameUses = [];

    public void AddGrid(GridSite grid, LedgerBatch batch)
    {
        AddDwellings(grid, batch);
        string[] roads = [DemoStreetNames.RoadName(random), DemoStreetNames.RoadName(random)];
        var unitCount = random.Next(10, 23);
        for (var i = 0; i < unitCount; i++)
        {
            batch.Units.Add(new(ids.Units.Next(), NewUnit(grid, roads)));
        }
        var componentCount = random.Next(24, 40);
        for (var i = 0; i < componentCount; i++)
        {
            batch.Components.Add(new(ids.Components.Next(), NewComponent(grid)));
        }
    }

    /// <summary>150–500 households (about 320) in 2–5 compounds of multi-storey and high-rise buildings.</summary>
    private void AddDwellings(GridSite grid, LedgerBatch batch)
    {
        var households = (int)Math.Clamp(Math.Round(320 + 70 * StandardNormal()), 150, 500);
        var compoundCount = random.Next(2, 6);
        var shares = Enumerable.Range(0, compoundCount).Select(_ => 0.5 + random.NextDouble()).ToArray();
        var remainingShare = shares.Sum();
        for (var c = 0; c < compoundCount; c++)
        {
            var quota = c == compoundCount - 1 ? households : (int)Math.Round(households * shares[c] / remainingShare);
            households -= quota;
            remainingShare -= shares[c];

            var compound = new Compound(grid.Id, CompoundName(grid.CommunityStem),
                DemoStreetLayout.PointInside(grid.Boundary, random, CompoundMarginMetres));
            var compoundId = ids.Compounds.Next();
            batch.Compounds.Add(new(compoundId, compound));
            for (var number = 1; quota > 0; number++)
            {
                quota -= AddBuilding(grid, compoundId, compound, number, quota, batch);
            }
        }
    }

    /// <summary>Adds one building and up to <paramref name="quota"/> households in it; about 1 in 10 dwellings is empty.</summary>
    private int AddBuilding(GridSite grid, int compoundId, Compound compound, int number, int quota, LedgerBatch batch)
    {
        // Mostly six-storey walk-ups of the 1980s–90s, some high-rises, a few low old houses.
        var (floors, entrances, flatsPerFloor) = random.Next(100) switch
        {
            < 65 => (random.Next(5, 8), random.Next(2, 5), 2),
            < 85 => (random.Next(11, 19), random.Next(1, 3), 4),
            _ => (random.Next(2, 4), random.Next(1, 3), 2),
        };
        var building = new Building(grid.Id, compoundId, $"{number}幢", floors,
            DemoStreetLayout.PointNear(grid.Boundary, compound.Location, 80, random, PointMarginMetres));
        var buildingId = ids.Buildings.Next();
        batch.Buildings.Add(new(buildingId, building));

        var added = 0;
        for (var entrance = 1; entrance <= entrances && added < quota; entrance++)
        {
            for (var floor = 1; floor <= floors && added < quota; floor++)
            {
                for (var flat = 1; flat <= flatsPerFloor && added < quota; flat++)
                {
                    if (random.Next(10) == 0)
                    {
                        continue;
                    }
                    var dwelling = string.Create(CultureInfo.InvariantCulture, $"{entrance}单元{floor}{flat:D2}");
                    AddHousehold(grid, buildingId, $"{DemoStreetNames.StreetName}{compound.Name}{building.Name}{dwelling}", dwelling, batch);
                    added++;
                }
            }
        }
        return added;
    }

    private void AddHousehold(GridSite grid, int buildingId, string address, string dwelling, LedgerBatch batch)
    {
        // ~80% 人户一致, 12% 人户分离, 8% 租房户.
        var kind = random.Next(100) switch
        {
            < 80 => HouseholdKind.RegisteredAndResident,
            < 92 => HouseholdKind.Separated,
            _ => HouseholdKind.Rental,
        };
        var householdId = ids.Households.Next();
        batch.Households.Add(new(householdId, new Household(grid.Id, buildingId, address, dwelling, kind)));
        var members = people.HouseholdMembers(kind, grid.Id, householdId);
        for (var i = 0; i < members.Count; i++)
        {
            var residentId = ids.Residents.Next();
            batch.Residents.Add(new(residentId, members[i]));
            if (i == 0)
            {
                batch.HeadHouseholdIds.Add(householdId);
                batch.HeadResidentIds.Add(residentId);
            }
        }
    }

    /// <summary>Compound names are unique in the street; a repeated name becomes a later phase (二期, 三期…).</summary>
    private string CompoundName(string communityStem)
    {
        var name = DemoStreetNames.CompoundBaseName(communityStem, random);
        var uses = _compoundNameUses.GetValueOrDefault(name) + 1;
        _compoundNameUses[name] = uses;
        return uses == 1 ? name : name + DemoStreetNames.ChineseNumber(Math.Min(uses, 99)) + "期";
    }

    private Unit NewUnit(GridSite grid, string[] roads)
    {
        var kind = UnitKinds[DemoStreetNames.Pick(UnitKindWeights, random)];
        var (name, employees) = kind switch
        {
            UnitKind.Shop => (DemoStreetNames.ShopName(grid.CommunityStem, random), random.Next(1, 9)),
            UnitKind.Enterprise => (DemoStreetNames.EnterpriseName(random), (int)Math.Round(Math.Exp(1.6 + random.NextDouble() * 3.7))),
            UnitKind.Institution => (DemoStreetNames.InstitutionName(grid.CommunityStem, random), random.Next(15, 151)),
            UnitKind.GovernmentBody => (DemoStreetNames.GovernmentBodyName(grid.CommunityStem, random), random.Next(8, 81)),
            _ => (DemoStreetNames.SocialOrganisationName(grid.CommunityStem, random), random.Next(3, 26)),
        };
        var road = roads[random.Next(roads.Length)];
        var address = string.Create(CultureInfo.InvariantCulture, $"{DemoStreetNames.StreetName}{road}{random.Next(1, 300)}号");
        var contactPhone = kind is UnitKind.GovernmentBody or UnitKind.Institution
            ? DemoStreetNames.Landline(random)
            : DemoStreetNames.MobilePhone(random);
        var unit = new Unit(grid.Id, name, kind, address, DemoStreetLayout.PointInside(grid.Boundary, random, PointMarginMetres),
            employees, DemoStreetNames.FullName(RandomSex(), random.Next(1960, 2001), random), contactPhone);
        unit.SetSmallVenue(kind == UnitKind.Shop && DemoStreetNames.IsSmallVenue(name));

        // Party organisations (党组织, at least 3 members) in government bodies and institutions, larger
        // enterprises and some social organisations; other units may still have a few party members.
        var partyOrganisationRate = kind switch
        {
            UnitKind.GovernmentBody => 1.0,
            UnitKind.Institution => 0.9,
            UnitKind.Enterprise => employees >= 50 ? 0.6 : 0.08,
            UnitKind.SocialOrganisation => 0.2,
            _ => 0.0,
        };
        if (employees >= 3 && random.NextDouble() < partyOrganisationRate)
        {
            unit.SetParty(true, Math.Clamp((int)Math.Round(employees * (0.1 + random.NextDouble() * 0.3)), 3, employees));
        }
        else if (kind != UnitKind.Shop && random.Next(3) == 0)
        {
            unit.SetParty(false, Math.Min(employees, random.Next(1, 3)));
        }
        return unit;
    }

    private Component NewComponent(GridSite grid)
    {
        var kind = componentKinds[DemoStreetNames.Pick(_componentKindWeights, random)];
        var serial = _componentSerials.GetValueOrDefault((kind.Class, kind.Minor)) + 1;
        _componentSerials[(kind.Class, kind.Minor)] = serial;
        var component = new Component(grid.Id, DemoStreetNames.CountyCode, kind.Class, kind.Minor, serial, kind.Name,
            DemoStreetLayout.PointInside(grid.Boundary, random, PointMarginMetres), kind.OwnerDepartmentId);
        var state = ComponentStates[DemoStreetNames.Pick(ComponentStateWeights, random)];
        if (state != ComponentState.Intact)
        {
            component.ChangeState(state);
        }
        return component;
    }

    private Sex RandomSex() => random.Next(2) == 0 ? Sex.Male : Sex.Female;

    /// <summary>Box–Muller: a standard normal variate from two uniform ones.</summary>
    private double StandardNormal() =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}

/// <summary>Id sequences of the tables written by COPY.</summary>
internal sealed record LedgerIds(
    IdSequence Compounds,
    IdSequence Buildings,
    IdSequence Households,
    IdSequence Residents,
    IdSequence Units,
    IdSequence Components);
