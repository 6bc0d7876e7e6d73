using System.Text.Json;
using GridGov.Application.Ledgers;
using GridGov.Application.Ledgers.Import;
using GridGov.Domain.Common;
using GridGov.Domain.Ledgers;
using GridGov.TestSupport.GridGov;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static GridGov.Application.Tests.Ledgers.Import.LedgerImportTests;

namespace GridGov.Application.Tests.Ledgers.Import;

/// <summary>
/// Units (单位: organisations and shops) imported from spreadsheets: matched by credit code, else by name and address;
/// the grid resolved from the point; every rule of a row refused with its Chinese reason under its column; a changed
/// unit recorded in its change history as an import by the person who ran it; the same file again changes nothing.
/// </summary>
public sealed class UnitImportTests(LedgerImportScenario scenario) : IClassFixture<LedgerImportScenario>
{
    internal static readonly string[] UnitHeader =
        ["统一社会信用代码", "单位名称", "单位类别", "经营地址", "负责人", "联系电话", "从业人数", "是否建立党组织", "党员人数", "五小门店", "经度", "纬度"];

    [Fact]
    public async Task Units_import_after_a_dry_run_that_writes_nothing_and_the_same_file_again_changes_nothing()
    {
        var secretary = await scenario.ActorAsync("secretary1");
        var grids = await scenario.GridsOfAsync(secretary.CommunityId!.Value);
        var in0 = await scenario.PointInAsync(grids[0].Id);
        var in1 = await scenario.PointInAsync(grids[1].Id);
        var code = LedgerImportScenario.NewCreditCode();
        string[] names = [LedgerImportScenario.NewUnitName("小吃店"), LedgerImportScenario.NewUnitName("公司"), LedgerImportScenario.NewUnitName("社工站")];
        string[] addresses = [LedgerImportScenario.NewAddress(), LedgerImportScenario.NewAddress(), LedgerImportScenario.NewAddress()];
        var file = File(UnitHeader,
            [code, names[0], "门店/商户", addresses[0], "李一", "13800001111", 3, "否", 0, "是", in0.Longitude, in0.Latitude],
            [null, names[1], "企业", addresses[1], "李二", "0512-66661234", "25", "是", "4", null, in1.Longitude, in1.Latitude],
            [null, names[2], "社会团体", addresses[2], "李三", "13800003333", 5, null, null, null, in0.Longitude, in0.Latitude]);
        var before = await scenario.WrittenAsync();

        var upload = await scenario.UploadAsync(secretary, LedgerImportKind.Units, file, "单位.xlsx");
        var dryRun = await scenario.DryRunAsync(secretary, upload.Token);

        Assert.False(dryRun.Applied);
        Assert.Equal((3, 3, 0, 0, 0), (dryRun.Rows, dryRun.Created, dryRun.Updated, dryRun.Unchanged, dryRun.Refused));
        Assert.Equal(before, await scenario.WrittenAsync());

        var imported = await scenario.ImportAsync(secretary, upload.Token);

        Assert.Equal((3, 3, 0, 0, 0), (imported.Rows, imported.Created, imported.Updated, imported.Unchanged, imported.Refused));
        var units = await scenario.DbAsync(db => db.Units.AsNoTracking().Where(u => names.Contains(u.Name)).OrderBy(u => u.Id).ToListAsync());
        Assert.Equal(names, units.Select(u => u.Name));
        Assert.Equal(addresses, units.Select(u => u.Address));
        Assert.Equal([code, null, null], units.Select(u => u.CreditCode));
        Assert.Equal([UnitKind.Shop, UnitKind.Enterprise, UnitKind.SocialOrganisation], units.Select(u => u.Kind));
        Assert.Equal([grids[0].Id, grids[1].Id, grids[0].Id], units.Select(u => u.GridId));
        Assert.Equal([true, false, false], units.Select(u => u.IsSmallVenue));
        Assert.Equal([(false, 0), (true, 4), (false, 0)], units.Select(u => (u.HasPartyOrganisation, u.PartyMemberCount)));
        Assert.Equal([3, 25, 5], units.Select(u => u.EmployeeCount));
        Assert.Equal(["13800001111", "0512-66661234", "13800003333"], units.Select(u => u.ContactPhone));
        Assert.Equal((in1.Longitude, in1.Latitude), (units[1].Location.X, units[1].Location.Y));
        Assert.Equal(4326, units[1].Location.SRID);
        var ids = units.Select(u => (long)u.Id).ToList();
        var changes = await scenario.DbAsync(db => db.LedgerChanges.AsNoTracking().Where(c => c.EntityType == nameof(Unit) && ids.Contains(c.EntityId)).ToListAsync());
        Assert.Equal(3, changes.Count);
        Assert.All(changes, change =>
        {
            Assert.Equal(LedgerChangeKind.Created, change.Kind);
            Assert.Equal(imported.ImportId, change.ImportId);
            Assert.Equal((secretary.StaffMemberId, secretary.Name), (change.ActorStaffId, change.ActorName));
        });
        var record = await scenario.DbAsync(db => db.LedgerImports.AsNoTracking().SingleAsync(i => i.Id == imported.ImportId));
        Assert.Equal((LedgerImportKind.Units, secretary.CommunityId, 3, 3), (record.Kind, record.CommunityId, record.Rows, record.Created));

        var afterFirst = await scenario.WrittenAsync();
        var (secondDryRun, second) = await scenario.ImportFileAsync(secretary, LedgerImportKind.Units, file);

        Assert.Equal((3, 0, 0, 3, 0), (secondDryRun.Rows, secondDryRun.Created, secondDryRun.Updated, secondDryRun.Unchanged, secondDryRun.Refused));
        Assert.Equal((0, 0, 3), (second.Created, second.Updated, second.Unchanged));
        Assert.Null(second.ImportId);
        Assert.Equal(afterFirst, await scenario.WrittenAsync());
    }

    [Fact]
    public async Task A_changed_unit_found_by_credit_code_or_by_name_and_address_is_updated_with_its_change_history_as_an_import_like_a_forms_change()
    {
        var secretary = await scenario.ActorAsync("secretary1");
        var grids = await scenario.GridsOfAsync(secretary.CommunityId!.Value);
        var gridIds = grids.Select(g => g.Id).ToList();
        var in2 = await scenario.PointInAsync(grids[2].Id);
        // A demo unit (no credit code) found by its name and address; a unit registered in the form found by its credit code.
        var demo = await scenario.DbAsync(db => db.Units.AsNoTracking()
            .Where(u => gridIds.Contains(u.GridId) && u.RemovedAt == null && u.Kind != UnitKind.Shop && u.GridId != grids[2].Id
                        && !db.Units.Any(o => o.Id != u.Id && o.Name == u.Name && o.Address == u.Address))
            .OrderBy(u => u.Id).FirstAsync());
        var in0 = await scenario.PointInAsync(grids[0].Id);
        int formUnit;
        await using (var formScope = scenario.Services.CreateAsyncScope())
        {
            formUnit = await formScope.ServiceProvider.GetRequiredService<LedgerService>().CreateUnitAsync(
                new UnitInput(LedgerImportScenario.NewUnitName("理发店"), UnitKind.Shop, LedgerImportScenario.NewAddress(), in0.Longitude, in0.Latitude, 2,
                    "周五", "13800005555", false, 0, IsSmallVenue: true), secretary);
        }
        var code = LedgerImportScenario.NewCreditCode();
        var demoCode = LedgerImportScenario.NewCreditCode();
        await scenario.DbAsync(async db =>
        {
            var unit = await db.Units.SingleAsync(u => u.Id == formUnit);
            unit.SetCreditCode(code);
            return await db.SaveChangesAsync();
        });
        var shop = await scenario.DbAsync(db => db.Units.AsNoTracking().SingleAsync(u => u.Id == formUnit));
        var file = File(UnitHeader,
            // the demo unit: its credit code given, its phone changed, moved to grid 2; the columns left empty keep their values
            [demoCode, demo.Name, ImportValues.UnitKindNames[demo.Kind], demo.Address, demo.ContactName, "13900009999", null, null, null, null, in2.Longitude, in2.Latitude],
            // the shop by its code: renamed, no longer a shop (so no longer a 五小 shop)
            [code, shop.Name + "新店", "企业", shop.Address, shop.ContactName, shop.ContactPhone, 2, null, null, null, null, null]);

        var (dryRun, imported) = await scenario.ImportFileAsync(secretary, LedgerImportKind.Units, file);

        Assert.Equal((2, 0, 2, 0, 0), (dryRun.Rows, dryRun.Created, dryRun.Updated, dryRun.Unchanged, dryRun.Refused));
        Assert.Equal((0, 2, 0), (imported.Created, imported.Updated, imported.Refused));
        var moved = await scenario.DbAsync(db => db.Units.AsNoTracking().SingleAsync(u => u.Id == demo.Id));
        Assert.Equal((demoCode, "13900009999", grids[2].Id, in2.Longitude), (moved.CreditCode, moved.ContactPhone, moved.GridId, moved.Location.X));
        Assert.Equal((demo.EmployeeCount, demo.HasPartyOrganisation, demo.PartyMemberCount), (moved.EmployeeCount, moved.HasPartyOrganisation, moved.PartyMemberCount));
        var renamed = await scenario.DbAsync(db => db.Units.AsNoTracking().SingleAsync(u => u.Id == formUnit));
        Assert.Equal((shop.Name + "新店", UnitKind.Enterprise, false, shop.GridId), (renamed.Name, renamed.Kind, renamed.IsSmallVenue, renamed.GridId));

        // The timeline of the moved unit: its code, phone, place and grid before → after, by the secretary, marked as an import.
        await using (var scope = scenario.Services.CreateAsyncScope())
        {
            var ledgerScope = await scope.ServiceProvider.GetRequiredService<LedgerScopes>().ForAsync(secretary);
            var history = await scenario.DbAsync(db => LedgerHistory.LoadAsync(db, nameof(Unit), demo.Id, ledgerScope, new Dictionary<int, string>(), CancellationToken.None));
            var entry = history.First();
            Assert.True(entry.Imported);
            Assert.Equal((LedgerChangeKind.Updated, secretary.Name), (entry.Kind, entry.ActorName));
            Assert.Equal([nameof(Unit.ContactPhone), nameof(Unit.CreditCode), nameof(Unit.GridId), nameof(Unit.Location)], entry.Fields.Select(f => f.Field).Order());
            Assert.Equal(["139****9999"], entry.Fields.Single(f => f.Field == nameof(Unit.ContactPhone)).After);
        }

        // An import's record of a unit holds the same facts, under the same names, as the form's.
        var formAfter = await AfterAsync(formUnit, LedgerChangeKind.Created, null);
        var importAfter = await AfterAsync(demo.Id, LedgerChangeKind.Updated, imported.ImportId);
        Assert.Equal(formAfter.EnumerateObject().Select(p => p.Name).Where(n => n != "Version").Order(), importAfter.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(moved.Location.AsText(), importAfter.GetProperty("Location").GetString());
        Assert.Equal(demo.Kind.ToString(), importAfter.GetProperty("Kind").GetString());

        var afterFirst = await scenario.WrittenAsync();
        var (_, second) = await scenario.ImportFileAsync(secretary, LedgerImportKind.Units, file);
        Assert.Equal((0, 0, 2), (second.Created, second.Updated, second.Unchanged));
        Assert.Equal(afterFirst, await scenario.WrittenAsync());
    }

    [Fact]
    public async Task Every_rule_of_a_unit_row_refuses_it_with_its_Chinese_reason_under_its_column_and_the_good_rows_import()
    {
        var secretary = await scenario.ActorAsync("secretary1");
        var own = await scenario.GridsOfAsync(secretary.CommunityId!.Value);
        var otherCommunity = await scenario.DbAsync(db => db.Communities.Where(c => c.Id != secretary.CommunityId).OrderByDescending(c => c.Id).Select(c => c.Id).FirstAsync());
        var other = await scenario.GridsOfAsync(otherCommunity);
        var retired = other[^1];
        var inRetired = await scenario.PointInAsync(retired.Id);
        await scenario.DbAsync(db => db.Database.ExecuteSqlAsync($"UPDATE grids SET valid_to = valid_from + 1 WHERE id = {retired.Id}"));
        var inOwn = await scenario.PointInAsync(own[0].Id);
        var inOther = await scenario.PointInAsync(other[0].Id);
        var point = Locations.Point(inOwn.Longitude, inOwn.Latitude);

        // Units on record for the rules that compare with the ledger.
        var twice = (Name: LedgerImportScenario.NewUnitName(), Address: LedgerImportScenario.NewAddress());
        var coded = (Name: LedgerImportScenario.NewUnitName(), Address: LedgerImportScenario.NewAddress(), Code: LedgerImportScenario.NewCreditCode());
        var target = (Name: LedgerImportScenario.NewUnitName(), Address: LedgerImportScenario.NewAddress(), Code: LedgerImportScenario.NewCreditCode());
        var small = (Name: LedgerImportScenario.NewUnitName(), Address: LedgerImportScenario.NewAddress());
        var elsewhere = (Name: LedgerImportScenario.NewUnitName(), Address: LedgerImportScenario.NewAddress());
        var changed = (Name: LedgerImportScenario.NewUnitName(), Address: LedgerImportScenario.NewAddress());
        await scenario.DbAsync(async db =>
        {
            db.Units.Add(new Unit(own[0].Id, twice.Name, UnitKind.Shop, twice.Address, point, 2, "甲", "13800000001"));
            db.Units.Add(new Unit(own[0].Id, twice.Name, UnitKind.Shop, twice.Address, point, 2, "乙", "13800000002"));
            var withCode = new Unit(own[0].Id, coded.Name, UnitKind.Enterprise, coded.Address, point, 10, "丙", "13800000003");
            withCode.SetCreditCode(coded.Code);
            db.Units.Add(withCode);
            var targeted = new Unit(own[0].Id, target.Name, UnitKind.Enterprise, target.Address, point, 10, "丁", "13800000004");
            targeted.SetCreditCode(target.Code);
            db.Units.Add(targeted);
            db.Units.Add(new Unit(own[0].Id, small.Name, UnitKind.Enterprise, small.Address, point, 2, "戊", "13800000005"));
            db.Units.Add(new Unit(other[0].Id, elsewhere.Name, UnitKind.Enterprise, elsewhere.Address, Locations.Point(inOther.Longitude, inOther.Latitude), 2, "己", "13800000006"));
            db.Units.Add(new Unit(own[0].Id, changed.Name, UnitKind.Enterprise, changed.Address, point, 8, "庚", "13800000007"));
            return await db.SaveChangesAsync();
        });
        var repeatedCode = LedgerImportScenario.NewCreditCode();
        var repeated = (Name: LedgerImportScenario.NewUnitName(), Address: LedgerImportScenario.NewAddress());
        var goodCode = LedgerImportScenario.NewCreditCode();
        var badDivision = "92AB0508MA0000001";
        badDivision += CreditCode.ComputeCheckCharacter(badDivision);
        object?[] Row(string? code, string? name, string? kind = "企业", string? address = null, string? contact = "张负责", string? phone = "13800008888",
            object? employees = null, object? hasParty = null, object? partyMembers = null, object? smallVenue = null, object? longitude = null, object? latitude = null) =>
            [code, name, kind, address ?? LedgerImportScenario.NewAddress(), contact, phone, employees, hasParty, partyMembers, smallVenue, longitude, latitude];
        string New() => LedgerImportScenario.NewUnitName();
        var (x, y) = inOwn;

        var cases = new List<(object?[] Cells, (string Column, string Code)[] Expected)>
        {
            (Row(goodCode, New(), "门店/商户", employees: 4, hasParty: "否", partyMembers: 0, smallVenue: "是", longitude: x, latitude: y), []),
            (Row(null, changed.Name, "企业", changed.Address, employees: 9), []),
            (Row(WithWrongCheck(LedgerImportScenario.NewCreditCode()), New(), employees: 1, longitude: x, latitude: y), [("统一社会信用代码", "credit-code.checksum")]),
            (Row("91350100M000100Y4", New(), employees: 1, longitude: x, latitude: y), [("统一社会信用代码", "credit-code.length")]),
            (Row("91350100I000100Y43", New(), employees: 1, longitude: x, latitude: y), [("统一社会信用代码", "credit-code.characters")]),
            (Row(badDivision, New(), employees: 1, longitude: x, latitude: y), [("统一社会信用代码", "credit-code.division")]),
            (Row(null, null, employees: 1, longitude: x, latitude: y), [("单位名称", "text.required")]),
            (Row(null, new string('名', 101), employees: 1, longitude: x, latitude: y), [("单位名称", "text.too-long")]),
            (Row(null, New(), "工厂", employees: 1, longitude: x, latitude: y), [("单位类别", "ledger-import.unknown-value")]),
            (Row(null, New(), address: new string('址', 201), employees: 1, longitude: x, latitude: y), [("经营地址", "text.too-long")]),
            (Row(null, New(), contact: null, employees: 1, longitude: x, latitude: y), [("负责人", "text.required")]),
            (Row(null, New(), phone: "12345", employees: 1, longitude: x, latitude: y), [("联系电话", "phone.invalid")]),
            (Row(null, New(), employees: "十二", longitude: x, latitude: y), [("从业人数", "ledger-import.not-count")]),
            (Row(null, New(), employees: -1, longitude: x, latitude: y), [("从业人数", "unit.size")]),
            (Row(null, New(), employees: 1, hasParty: "可能", longitude: x, latitude: y), [("是否建立党组织", "ledger-import.unknown-value")]),
            (Row(null, New(), employees: 3, partyMembers: 5, longitude: x, latitude: y), [("党员人数", "unit.party-members")]),
            (Row(null, New(), "企业", employees: 3, smallVenue: "是", longitude: x, latitude: y), [("五小门店", "unit.small-venue-kind")]),
            (Row(null, New(), employees: 1, longitude: "东经120度", latitude: y), [("经度", "ledger-import.coordinate")]),
            (Row(null, New(), employees: 1, longitude: x), [("纬度", "ledger-import.coordinate-half")]),
            (Row(null, New(), employees: 1, longitude: 200d, latitude: 100d), [("经度", "location.range")]),
            (Row(null, New(), employees: 1, longitude: 116.397, latitude: 39.908), [("经度", "ledger-import.outside-street")]),
            (Row(null, New(), employees: 1, longitude: inRetired.Longitude, latitude: inRetired.Latitude), [("经度", "ledger-import.uncovered")]),
            (Row(null, New(), employees: 1, longitude: inOther.Longitude, latitude: inOther.Latitude), [("经度", "ledger-import.point-out-of-scope")]),
            (Row(null, New(), employees: 1), [("经度", "ledger-import.unit-place-required")]),
            (Row(null, New(), longitude: x, latitude: y), [("从业人数", "ledger-import.required-for-new")]),
            (Row(repeatedCode, New(), employees: 1, longitude: x, latitude: y), [("统一社会信用代码", "ledger-import.duplicate-in-file")]),
            (Row(repeatedCode, New(), employees: 1, longitude: x, latitude: y), [("统一社会信用代码", "ledger-import.duplicate-in-file")]),
            (Row(null, repeated.Name, address: repeated.Address, employees: 1, longitude: x, latitude: y), [("单位名称", "ledger-import.duplicate-unit")]),
            (Row(null, repeated.Name, address: repeated.Address, employees: 1, longitude: x, latitude: y), [("单位名称", "ledger-import.duplicate-unit")]),
            (Row(null, twice.Name, "门店/商户", twice.Address), [("单位名称", "ledger-import.unit-ambiguous")]),
            (Row(LedgerImportScenario.NewCreditCode(), coded.Name, address: coded.Address), [("统一社会信用代码", "ledger-import.credit-code-differs")]),
            (Row(target.Code, target.Name + "（更名）", address: target.Address), [("", "ledger-import.same-record")]),
            (Row(null, target.Name, address: target.Address), [("", "ledger-import.same-record")]),
            (Row(null, elsewhere.Name, address: elsewhere.Address), [("", "ledger-import.unit-out-of-scope")]),
            (Row(null, small.Name, address: small.Address, partyMembers: 5), [("党员人数", "unit.party-members")]),
        };
        var before = await scenario.WrittenAsync();
        var upload = await scenario.UploadAsync(secretary, LedgerImportKind.Units, File(UnitHeader, [.. cases.Select(c => c.Cells)]), "单位.xlsx");

        var dryRun = await scenario.DryRunAsync(secretary, upload.Token);

        Assert.Equal((cases.Count, 1, 1, 0, cases.Count - 2), (dryRun.Rows, dryRun.Created, dryRun.Updated, dryRun.Unchanged, dryRun.Refused));
        Assert.Equal(before, await scenario.WrittenAsync());
        var refused = dryRun.RefusedSample.ToDictionary(r => r.Row);
        for (var i = 0; i < cases.Count; i++)
        {
            var row = i + 2; // the header is row 1
            var expected = cases[i].Expected.Select(e => (e.Column, e.Code)).Order().ToList();
            var actual = refused.TryGetValue(row, out var view) ? view.Reasons.Select(r => (r.Column ?? "", r.Reason.Code)).Order().ToList() : [];
            Assert.True(expected.SequenceEqual(actual), $"row {row}: expected {string.Join(", ", expected)}, got {string.Join(", ", actual)}");
            Assert.All(view?.Reasons ?? [], reason => Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", reason.Reason.Message));
        }
        Assert.Contains("第28行", refused[27].Reasons.Single().Reason.Message);
        Assert.Contains(coded.Code, refused[32].Reasons.Single().Reason.Message);

        // The refused rows' file gives each reason beside its column.
        var file = await scenario.AsAsync(secretary, imports => imports.RefusedRowsAsync(upload.Token, secretary));
        Assert.NotNull(file);
        byte[] bytes;
        await using (file.Content)
        {
            using var copy = new MemoryStream();
            await file.Content.CopyToAsync(copy);
            bytes = copy.ToArray();
        }
        var sheet = TestWorkbooks.Read(bytes);
        Assert.Equal([.. UnitHeader, "原行号"], sheet[0].Take(UnitHeader.Length + 1));
        Assert.Contains("原因：统一社会信用代码", sheet[0]);
        Assert.Contains("原因：整行", sheet[0]);
        Assert.Equal(cases.Count - 2, sheet.Count - 1);
        var reasonOfCode = sheet[0].ToList().IndexOf("原因：统一社会信用代码");
        Assert.Contains("校验位", sheet.Single(r => r[UnitHeader.Length] == "4")[reasonOfCode]);

        var imported = await scenario.ImportAsync(secretary, upload.Token);

        Assert.Equal((1, 1, cases.Count - 2), (imported.Created, imported.Updated, imported.Refused));
        var after = await scenario.WrittenAsync();
        Assert.Equal(before.Units + 1, after.Units);
        Assert.Equal(before.LedgerChanges + 2, after.LedgerChanges);
        var created = await scenario.DbAsync(db => db.Units.AsNoTracking().SingleAsync(u => u.CreditCode == goodCode));
        Assert.Equal((UnitKind.Shop, true, own[0].Id), (created.Kind, created.IsSmallVenue, created.GridId));
        Assert.Equal(9, (await scenario.DbAsync(db => db.Units.AsNoTracking().SingleAsync(u => u.Name == changed.Name))).EmployeeCount);
    }

    [Fact]
    public async Task A_streets_own_unit_list_with_synonyms_any_column_order_and_without_the_optional_columns_imports()
    {
        var admin = await scenario.ActorAsync("admin1");
        var community = await scenario.DbAsync(db => db.Communities.OrderBy(c => c.Id).Select(c => c.Id).FirstAsync());
        var grid = (await scenario.GridsOfAsync(community))[0];
        var (x, y) = await scenario.PointInAsync(grid.Id);
        var name = LedgerImportScenario.NewUnitName("网吧");
        var code = LedgerImportScenario.NewCreditCode();
        var file = TestWorkbooks.Xlsx(
        [
            ["云帆街道五小门店明细表"],
            ["序号", "店名", "法定代表人", "电话", "地址", "类型", "员工人数", "是否五小", "信用代码", "东经", "北纬"],
            ["1", name, "孙六", "13700001234", LedgerImportScenario.NewAddress(), "个体工商户", "6", "√", code.ToLowerInvariant(), x, y],
        ]);

        var (dryRun, imported) = await scenario.ImportFileAsync(admin, LedgerImportKind.Units, file);

        Assert.Equal((1, 1, 0), (dryRun.Rows, dryRun.Created, dryRun.Refused));
        Assert.Equal(1, imported.Created);
        var unit = await scenario.DbAsync(db => db.Units.AsNoTracking().SingleAsync(u => u.Name == name));
        Assert.Equal((code, UnitKind.Shop, true, 6, "孙六", grid.Id), (unit.CreditCode, unit.Kind, unit.IsSmallVenue, unit.EmployeeCount, unit.ContactName, unit.GridId));
        Assert.Null((await scenario.DbAsync(db => db.LedgerImports.AsNoTracking().SingleAsync(i => i.Id == imported.ImportId))).CommunityId);

        // The unit list finds it by its whole code as typed, and lists the code.
        await using var scope = scenario.Services.CreateAsyncScope();
        var found = await scope.ServiceProvider.GetRequiredService<UnitQueries>().ListAsync(new UnitFilter(Text: code.ToLowerInvariant()), admin, new LedgerPageRequest());
        Assert.Equal((unit.Id, code), (Assert.Single(found.Rows).Id, found.Rows[0].CreditCode));
    }

    [Fact]
    public async Task A_units_import_cancelled_while_it_writes_rolls_back_the_units_it_had_already_written()
    {
        var secretary = await scenario.ActorAsync("secretary1");
        var grids = await scenario.GridsOfAsync(secretary.CommunityId!.Value);
        var gridIds = grids.Select(g => g.Id).ToList();
        var (x, y) = await scenario.PointInAsync(grids[0].Id);
        var locked = await scenario.DbAsync(db => db.Units.AsNoTracking()
            .Where(u => gridIds.Contains(u.GridId) && u.RemovedAt == null
                        && !db.Units.Any(o => o.Id != u.Id && o.Name == u.Name && o.Address == u.Address))
            .OrderBy(u => u.Id).Skip(3).FirstAsync());
        var rows = Enumerable.Range(0, 500)
            .Select(_ => new object?[] { null, LedgerImportScenario.NewUnitName(), "企业", LedgerImportScenario.NewAddress(), "吴经理", "13800002222", 12, null, null, null, x, y })
            .Append([null, locked.Name, ImportValues.UnitKindNames[locked.Kind], locked.Address, locked.ContactName, "13900001111", null, null, null, null, null, null])
            .ToArray();
        var upload = await scenario.UploadAsync(secretary, LedgerImportKind.Units, File(UnitHeader, rows));
        var dryRun = await scenario.DryRunAsync(secretary, upload.Token);
        Assert.Equal((500, 1), (dryRun.Created, dryRun.Updated));
        var before = await scenario.WrittenAsync();
        using var cancel = new CancellationTokenSource();

        // Another session holds the changed unit's row: the new units are inserted, then the update waits; the import is cancelled there.
        await using (var connection = new Npgsql.NpgsqlConnection(scenario.ConnectionString))
        {
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using (var command = new Npgsql.NpgsqlCommand($"SELECT id FROM units WHERE id = {locked.Id} FOR UPDATE", connection, transaction))
            {
                await command.ExecuteScalarAsync();
            }
            var import = scenario.ImportAsync(secretary, upload.Token, null, cancel.Token);
            await ResidentRowLock.WaitingAsync(scenario.ConnectionString, "UPDATE units");
            cancel.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => import);
            await transaction.RollbackAsync();
        }

        Assert.Equal(before, await scenario.WrittenAsync());
        Assert.Equal(locked.ContactPhone, (await scenario.DbAsync(db => db.Units.AsNoTracking().SingleAsync(u => u.Id == locked.Id))).ContactPhone);
    }

    private static string WithWrongCheck(string code) => code[..17] + (code[17] == '0' ? '1' : '0');

    private Task<JsonElement> AfterAsync(int unitId, LedgerChangeKind kind, long? importId) => scenario.DbAsync(async db =>
    {
        var after = await db.LedgerChanges.AsNoTracking()
            .Where(c => c.EntityType == nameof(Unit) && c.EntityId == unitId && c.Kind == kind && c.ImportId == importId)
            .OrderByDescending(c => c.Id).Select(c => c.After).FirstAsync();
        return JsonDocument.Parse(after!).RootElement.Clone();
    });
}
