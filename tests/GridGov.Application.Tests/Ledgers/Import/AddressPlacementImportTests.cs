using GridGov.Application.Ledgers.Import;
using GridGov.Domain.Geography;
using GridGov.Domain.Ledgers;
using Microsoft.EntityFrameworkCore;
using static GridGov.Application.Tests.Ledgers.Import.LedgerImportTests;
using static GridGov.Application.Tests.Ledgers.Import.UnitImportTests;

namespace GridGov.Application.Tests.Ledgers.Import;

/// <summary>
/// 地址定位: a new household or unit whose row gives neither coordinates nor a grid code is placed by its address when
/// the address names a registered compound and one of its buildings (with or without the street's name before it).
/// </summary>
public sealed class AddressPlacementImportTests(LedgerImportScenario scenario) : IClassFixture<LedgerImportScenario>
{
    [Fact]
    public async Task A_household_whose_address_names_a_registered_building_lands_in_that_buildings_grid_and_building()
    {
        var admin = await scenario.ActorAsync("admin1");
        var (street, place, elsewhere) = await PlacesAsync();
        var named = $"{street}{place.Compound}{place.Building}9单元901";
        var withoutStreet = $"{place.Compound}{place.Building}9单元902";
        var noSuchBuilding = $"{street}{place.Compound}999幢9单元903";
        var coded = $"{street}{place.Compound}{place.Building}9单元904";
        var rows = new object?[][]
        {
            [named, "9单元901", "人户一致", null, null, null],
            [withoutStreet, "9单元902", "租房户", null, null, null],
            [noSuchBuilding, "9单元903", "人户一致", null, null, null],
            // A grid code the person gives wins; the building of another grid is then not linked.
            [coded, "9单元904", "人户一致", elsewhere.GridCode, null, null],
        };

        var (dryRun, imported) = await scenario.ImportFileAsync(admin, LedgerImportKind.Households, File(HouseholdHeader, rows));

        Assert.Equal((3, 1), (dryRun.Created, dryRun.Refused));
        Assert.Equal("ledger-import.location-required", Assert.Single(Assert.Single(dryRun.RefusedSample, r => r.Row == 4).Reasons).Reason.Code);
        Assert.Equal(3, imported.Created);
        var households = await scenario.DbAsync(db => db.Households.AsNoTracking()
            .Where(h => h.Address == named || h.Address == withoutStreet || h.Address == coded)
            .ToDictionaryAsync(h => h.Address));
        Assert.Equal((place.GridId, (int?)place.BuildingId), (households[named].GridId, households[named].BuildingId));
        Assert.Equal((place.GridId, (int?)place.BuildingId), (households[withoutStreet].GridId, households[withoutStreet].BuildingId));
        Assert.Equal((elsewhere.GridId, (int?)null), (households[coded].GridId, households[coded].BuildingId));
    }

    [Fact]
    public async Task A_new_unit_without_coordinates_stands_at_the_building_its_address_names_and_a_road_address_is_refused()
    {
        var (street, place, elsewhere) = await PlacesAsync();
        var secretary = await scenario.SecretaryOfAsync(place.CommunityId);
        var inBuilding = LedgerImportScenario.NewUnitName();
        var onRoad = LedgerImportScenario.NewUnitName();
        var otherCommunity = LedgerImportScenario.NewUnitName();
        object?[] Row(string name, string address) => [null, name, "门店/商户", address, "王店主", "13800007777", 2, null, null, null, null, null];
        var rows = new[]
        {
            Row(inBuilding, $"{street}{place.Compound}{place.Building}底商5号"),
            Row(onRoad, $"{street}幸福路{Random.Shared.Next(1000, 9999)}号"),
            Row(otherCommunity, $"{street}{elsewhere.Compound}{elsewhere.Building}底商6号"),
        };
        var upload = await scenario.UploadAsync(secretary, LedgerImportKind.Units, File(UnitHeader, rows), "单位.xlsx");

        var dryRun = await scenario.DryRunAsync(secretary, upload.Token);
        var imported = await scenario.ImportAsync(secretary, upload.Token);

        var reasons = dryRun.RefusedSample.ToDictionary(r => r.Row, r => Assert.Single(r.Reasons).Reason.Code);
        Assert.Equal(new Dictionary<int, string>
        {
            [3] = "ledger-import.unit-place-required",
            [4] = "ledger-import.point-out-of-scope",
        }, reasons);
        Assert.Equal((1, 2), (imported.Created, imported.Refused));
        var unit = await scenario.DbAsync(db => db.Units.AsNoTracking().SingleAsync(u => u.Name == inBuilding));
        Assert.Equal(place.GridId, unit.GridId);
        Assert.True(unit.Location.EqualsExact(place.Location), $"the unit stands at {unit.Location}, the building at {place.Location}");
        Assert.False(await scenario.DbAsync(db => db.Units.AnyAsync(u => u.Name == onRoad || u.Name == otherCommunity)));
    }

    /// <summary>The street's name, a building of the first community's first grid and one of a grid in another community.</summary>
    private async Task<(string Street, Place Place, Place Elsewhere)> PlacesAsync() => await scenario.DbAsync(async db =>
    {
        var street = await db.Streets.Select(s => s.Name).SingleAsync();
        var buildings = db.Buildings.AsNoTracking()
            .Join(db.Compounds, b => b.CompoundId, c => c.Id, (b, c) => new { Building = b, Compound = c })
            .Join(db.Grids, x => x.Building.GridId, g => g.Id, (x, g) => new { x.Building, x.Compound, Grid = g })
            .Where(x => x.Grid.ValidTo == null)
            .OrderBy(x => x.Grid.Code).ThenBy(x => x.Building.Id);
        var first = await buildings.FirstAsync();
        var other = await buildings.FirstAsync(x => x.Grid.CommunityId != first.Grid.CommunityId);
        Place Of(Building building, Compound compound, Grid grid) =>
            new(compound.Name, building.Name, building.Id, grid.Id, grid.Code, grid.CommunityId, building.Location);
        var (place, elsewhere) = (Of(first.Building, first.Compound, first.Grid), Of(other.Building, other.Compound, other.Grid));
        return (street, place, elsewhere);
    });

    private sealed record Place(string Compound, string Building, int BuildingId, int GridId, string GridCode, int CommunityId, NetTopologySuite.Geometries.Point Location);
}
