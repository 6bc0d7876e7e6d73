using GridGov.Application.Ledgers.Import;
using GridGov.Domain.Common;
using GridGov.Domain.Ledgers;
using GridGov.TestSupport.GridGov;
using Microsoft.EntityFrameworkCore;
using static GridGov.Application.Tests.Ledgers.Import.LedgerImportTests;

namespace GridGov.Application.Tests.Ledgers.Import;

/// <summary>
/// Generated files with one broken rule per row: every rule refuses its row with its own Chinese reason under the
/// column it belongs to, the good rows still import, and the refused rows come back as a spreadsheet with the row as
/// uploaded, its bad cells marked and a reason beside each.
/// </summary>
public sealed class ResidentImportRuleTests(LedgerImportScenario scenario) : IClassFixture<LedgerImportScenario>
{
    [Fact]
    public async Task Every_rule_of_a_resident_row_refuses_it_with_its_Chinese_reason_and_the_refused_rows_file_gives_each_reason_beside_its_cell()
    {
        var secretary = await scenario.ActorAsync("secretary1");
        var community = secretary.CommunityId!.Value;
        var grids = await scenario.GridsOfAsync(community);
        var gridIds = grids.Select(g => g.Id).ToList();
        var home = await scenario.DbAsync(db => db.Households.AsNoTracking().Where(h => gridIds.Contains(h.GridId) && h.RemovedAt == null).OrderBy(h => h.Id).FirstAsync());
        var elsewhere = await scenario.DbAsync(db => db.Households.AsNoTracking().Where(h => !gridIds.Contains(h.GridId) && h.RemovedAt == null).OrderBy(h => h.Id).FirstAsync());
        var residentElsewhere = await scenario.DbAsync(db => db.Residents.AsNoTracking().Where(r => !gridIds.Contains(r.GridId) && r.RemovedAt == null).OrderBy(r => r.Id).FirstAsync());
        var removed = await scenario.DbAsync(async db =>
        {
            var resident = await db.Residents.Where(r => gridIds.Contains(r.GridId) && r.RemovedAt == null).OrderBy(r => r.Id).Skip(5).FirstAsync();
            resident.Remove("迁出本街道", scenario.Clock.GetUtcNow());
            await db.SaveChangesAsync();
            return resident;
        });
        var twice = LedgerImportScenario.NewAddress("9幢");
        await scenario.DbAsync(async db =>
        {
            db.Households.Add(new Household(grids[0].Id, null, twice, "1单元101", HouseholdKind.RegisteredAndResident));
            db.Households.Add(new Household(grids[1].Id, null, twice, "1单元101", HouseholdKind.Rental));
            return await db.SaveChangesAsync();
        });
        var duplicate = LedgerImportScenario.NewIdNumber();
        var good = LedgerImportScenario.NewIdNumber();
        var province00 = "00" + LedgerImportScenario.NewIdNumber()[2..17];
        province00 += IdNumber.ComputeCheckCharacter(province00);
        var badDate = "1101011990023" + "0011";
        badDate += IdNumber.ComputeCheckCharacter(badDate);
        var future = IdNumber.Create("110101", new DateOnly(2027, 3, 1), 7).Value;
        var existing = await scenario.DbAsync(db => db.Residents.AsNoTracking().Where(r => r.HouseholdId == home.Id && r.RemovedAt == null).OrderBy(r => r.Id).FirstAsync());

        // (row in the sheet, cells, the refusals expected: column → code)
        var cases = new List<(object?[] Cells, (string Column, string Code)[] Expected)>
        {
            (["周好", good, "13700000001", "户籍", home.Address, "党员"], []),
            (["吴校", WithWrongCheck(LedgerImportScenario.NewIdNumber()), "", "户籍", home.Address, ""], [("身份证号", "id-number.checksum")]),
            (["郑省", province00, "", "户籍", home.Address, ""], [("身份证号", "id-number.province")]),
            (["王日", badDate, "", "户籍", home.Address, ""], [("身份证号", "id-number.birth-date")]),
            (["冯未", future, "", "户籍", home.Address, ""], [("身份证号", "id-number.birth-future")]),
            (["陈数", 110101193201010011d, "", "户籍", home.Address, ""], [("身份证号", "ledger-import.id-number-as-number")]),
            (["褚短", "11010119320101001", "", "户籍", home.Address, ""], [("身份证号", "id-number.length")]),
            (["卫字", "1101011932010100AX", "", "户籍", home.Address, ""], [("身份证号", "id-number.digits")]),
            ([null, LedgerImportScenario.NewIdNumber(), "", "户籍", home.Address, ""], [("姓名", "text.required")]),
            ([new string('长', 31), LedgerImportScenario.NewIdNumber(), "", "户籍", home.Address, ""], [("姓名", "text.too-long")]),
            (["蒋话", LedgerImportScenario.NewIdNumber(), "12345", "户籍", home.Address, ""], [("联系电话", "phone.invalid")]),
            (["沈类", LedgerImportScenario.NewIdNumber(), "", "常驻", home.Address, ""], [("人口类型", "ledger-import.unknown-value")]),
            (["韩签", LedgerImportScenario.NewIdNumber(), "", "户籍", home.Address, "党员、会员"], [("人群标签", "ledger-import.unknown-value")]),
            (["杨重", duplicate, "", "户籍", home.Address, ""], [("身份证号", "ledger-import.duplicate-in-file")]),
            (["朱重", duplicate, "", "户籍", home.Address, ""], [("身份证号", "ledger-import.duplicate-in-file")]),
            ([residentElsewhere.Name, residentElsewhere.IdNumber, "", "户籍", home.Address, ""], [("身份证号", "resident.id-number-taken-elsewhere")]),
            ([removed.Name, removed.IdNumber, "", "户籍", home.Address, ""], [("身份证号", "ledger-import.resident-removed")]),
            (["秦无", LedgerImportScenario.NewIdNumber(), "", "户籍", LedgerImportScenario.NewAddress(), ""], [("户地址", "ledger-import.household-not-found")]),
            (["尤两", LedgerImportScenario.NewIdNumber(), "", "户籍", twice, ""], [("户地址", "ledger-import.household-ambiguous")]),
            (["许外", LedgerImportScenario.NewIdNumber(), "", "户籍", elsewhere.Address, ""], [("户地址", "ledger-import.household-out-of-scope")]),
            (["何空", LedgerImportScenario.NewIdNumber(), "", "户籍", null, ""], [("户地址", "ledger-import.required-for-new")]),
            (["吕空", LedgerImportScenario.NewIdNumber(), "", null, home.Address, ""], [("人口类型", "ledger-import.required-for-new")]),
            ([existing.Name, existing.IdNumber, "abc", "常驻", home.Address, ""], [("联系电话", "phone.invalid"), ("人口类型", "ledger-import.unknown-value")]),
        };
        var before = await scenario.WrittenAsync();
        var upload = await scenario.UploadAsync(secretary, LedgerImportKind.Residents, File(ResidentHeader, [.. cases.Select(c => c.Cells)]), "居民.xlsx");

        var dryRun = await scenario.DryRunAsync(secretary, upload.Token);

        Assert.Equal(cases.Count, dryRun.Rows);
        Assert.Equal((1, 0, 0, cases.Count - 1), (dryRun.Created, dryRun.Updated, dryRun.Unchanged, dryRun.Refused));
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
        Assert.Contains("第16行", refused[15].Reasons.Single().Reason.Message);
        Assert.Contains("省级行政区划代码", refused[4].Reasons.Single().Reason.Message);

        // The refused rows as a spreadsheet: the header as uploaded, 原行号, a reason column per column with reasons.
        var file = await scenario.AsAsync(secretary, imports => imports.RefusedRowsAsync(upload.Token, secretary));
        Assert.NotNull(file);
        Assert.Equal("居民-未导入的行.xlsx", file.FileName);
        byte[] bytes;
        await using (file.Content)
        {
            using var copy = new MemoryStream();
            await file.Content.CopyToAsync(copy);
            bytes = copy.ToArray();
        }
        var sheet = TestWorkbooks.Read(bytes);
        Assert.Equal([.. ResidentHeader, "原行号", "原因：姓名", "原因：身份证号", "原因：联系电话", "原因：人口类型", "原因：户地址", "原因：人群标签"], sheet[0]);
        Assert.Equal(cases.Count - 1, sheet.Count - 1);
        var byRow = sheet.Skip(1).ToDictionary(r => r[6]);
        Assert.Equal("吴校", byRow["3"][0]);
        Assert.Contains("校验位", byRow["3"][8]);
        Assert.Equal("", byRow["3"][7]);
        var last = byRow[(cases.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)];
        Assert.Contains("手机号", last[9]);
        Assert.Contains("户籍、流动、暂住", last[10]);
        Assert.Equal("", last[8]);
        var marked = TestWorkbooks.FilledCells(bytes);
        Assert.Contains("B2", marked);  // row 3's ID number, now the file's second row
        Assert.DoesNotContain("A2", marked);

        var imported = await scenario.ImportAsync(secretary, upload.Token);

        Assert.Equal((1, cases.Count - 1), (imported.Created, imported.Refused));
        var after = await scenario.WrittenAsync();
        Assert.Equal(before.Residents + 1, after.Residents);
        Assert.True(await scenario.DbAsync(db => db.Residents.AnyAsync(r => r.IdNumber == good && r.HouseholdId == home.Id)));
        Assert.Equal(existing.Phone, (await scenario.DbAsync(db => db.Residents.AsNoTracking().SingleAsync(r => r.Id == existing.Id))).Phone);
    }

    [Fact]
    public async Task A_secretary_cannot_import_into_another_communitys_households_nor_take_over_its_residents()
    {
        var secretary = await scenario.ActorAsync("secretary1");
        var ownGrids = (await scenario.GridsOfAsync(secretary.CommunityId!.Value)).Select(g => g.Id).ToList();
        var otherCommunity = await scenario.DbAsync(db => db.Communities.Where(c => c.Id != secretary.CommunityId).OrderBy(c => c.Id).Select(c => c.Id).FirstAsync());
        var other = await scenario.SecretaryOfAsync(otherCommunity);
        var home = await scenario.DbAsync(db => db.Households.AsNoTracking().Where(h => ownGrids.Contains(h.GridId) && h.RemovedAt == null).OrderBy(h => h.Id).Skip(30).FirstAsync());
        var resident = await scenario.DbAsync(db => db.Residents.AsNoTracking().Where(r => r.HouseholdId == home.Id && r.RemovedAt == null).OrderBy(r => r.Id).FirstAsync());
        var before = await scenario.WrittenAsync();

        var (dryRun, imported) = await scenario.ImportFileAsync(other, LedgerImportKind.Residents, File(ResidentHeader,
            ["越界", LedgerImportScenario.NewIdNumber(), "", "户籍", home.Address, ""],
            [resident.Name, resident.IdNumber, "13700009999", "户籍", "", ""]));
        var households = await scenario.ImportFileAsync(other, LedgerImportKind.Households, File(HouseholdHeader,
            [LedgerImportScenario.NewAddress(), "1单元101", "人户一致", (await scenario.GridsOfAsync(secretary.CommunityId!.Value))[0].Code, null, null]));

        Assert.Equal(["ledger-import.household-out-of-scope", "resident.id-number-taken-elsewhere"], dryRun.RefusedSample.Select(r => r.Reasons.Single().Reason.Code));
        Assert.Equal((0, 0, 2), (imported.Created, imported.Updated, imported.Refused));
        Assert.Equal("ledger-import.household-out-of-scope", households.Import.RefusedSample.Single().Reasons.Single().Reason.Code);
        Assert.Equal(before, await scenario.WrittenAsync());
    }

    [Fact]
    public async Task Only_administrators_and_community_secretaries_may_import()
    {
        foreach (var user in new[] { "worker1", "leader1", "dispatcher1", "streetleader1", "handler1" })
        {
            var actor = await scenario.ActorAsync(user);
            var refusal = await Assert.ThrowsAsync<DomainException>(() =>
                scenario.UploadAsync(actor, LedgerImportKind.Residents, File(ResidentHeader, ["某", LedgerImportScenario.NewIdNumber(), "", "户籍", "x", ""])));
            Assert.Equal("ledger-import.role", refusal.Code);
        }
    }

    private static string WithWrongCheck(string idNumber) => idNumber[..17] + (idNumber[17] == '0' ? '1' : '0');
}

/// <summary>Every rule of a household row, on a street where one grid was retired (so a point can lie in no grid).</summary>
public sealed class HouseholdImportRuleTests(LedgerImportScenario scenario) : IClassFixture<LedgerImportScenario>
{
    [Fact]
    public async Task Every_rule_of_a_household_row_refuses_it_with_its_Chinese_reason_and_the_good_rows_import()
    {
        var admin = await scenario.ActorAsync("admin1");
        var secretary = await scenario.ActorAsync("secretary1");
        var own = await scenario.GridsOfAsync(secretary.CommunityId!.Value);
        var otherCommunity = await scenario.DbAsync(db => db.Communities.Where(c => c.Id != secretary.CommunityId).OrderByDescending(c => c.Id).Select(c => c.Id).FirstAsync());
        var other = await scenario.GridsOfAsync(otherCommunity);
        var retired = other[^1];
        var inRetired = await scenario.PointInAsync(retired.Id);
        await scenario.DbAsync(db => db.Database.ExecuteSqlAsync($"UPDATE grids SET valid_to = valid_from + 1 WHERE id = {retired.Id}"));
        var inOwn1 = await scenario.PointInAsync(own[1].Id);
        var existing = await scenario.DbAsync(db => db.Households.AsNoTracking().Where(h => h.GridId == own[0].Id && h.RemovedAt == null).OrderBy(h => h.Id).Skip(2).FirstAsync());
        var changed = await scenario.DbAsync(db => db.Households.AsNoTracking().Where(h => h.GridId == own[0].Id && h.RemovedAt == null).OrderBy(h => h.Id).Skip(3).FirstAsync());
        var newKind = changed.Kind == HouseholdKind.Rental ? "人户一致" : "租房户";
        var twice = LedgerImportScenario.NewAddress("8幢");
        await scenario.DbAsync(async db =>
        {
            db.Households.Add(new Household(own[0].Id, null, twice, "1单元101", HouseholdKind.RegisteredAndResident));
            db.Households.Add(new Household(own[0].Id, null, twice, "1单元101", HouseholdKind.RegisteredAndResident));
            return await db.SaveChangesAsync();
        });
        var repeated = LedgerImportScenario.NewAddress();
        var cases = new List<(object?[] Cells, (string Column, string Code)[] Expected)>
        {
            ([LedgerImportScenario.NewAddress(), "1单元101", "人户一致", own[0].Code, null, null], []),
            ([LedgerImportScenario.NewAddress(), "1单元102", "人户一致", null, inOwn1.Longitude, inOwn1.Latitude], []),
            ([changed.Address, changed.Dwelling, newKind, null, null, null], []),
            ([LedgerImportScenario.NewAddress(), "1单元103", "人户一致", "320508999999001", null, null], [("网格编码", "ledger-import.grid-code-unknown")]),
            ([LedgerImportScenario.NewAddress(), "1单元104", "人户一致", "12345", null, null], [("网格编码", "code.format")]),
            ([LedgerImportScenario.NewAddress(), "1单元105", "人户一致", null, 116.397, 39.908], [("经度", "ledger-import.outside-street")]),
            ([LedgerImportScenario.NewAddress(), "1单元106", "人户一致", null, inRetired.Longitude, inRetired.Latitude], [("经度", "ledger-import.uncovered")]),
            ([LedgerImportScenario.NewAddress(), "1单元107", "人户一致", own[0].Code, inOwn1.Longitude, inOwn1.Latitude], [("网格编码", "ledger-import.grid-mismatch")]),
            ([LedgerImportScenario.NewAddress(), "1单元108", "人户一致", null, null, null], [("网格编码", "ledger-import.location-required")]),
            ([repeated, "1单元109", "人户一致", own[0].Code, null, null], [("户地址", "ledger-import.duplicate-in-file")]),
            ([repeated, "1单元109", "人户一致", own[0].Code, null, null], [("户地址", "ledger-import.duplicate-in-file")]),
            ([existing.Address, existing.Dwelling, "人户一致", own[1].Code, null, null], [("网格编码", "ledger-import.grid-differs")]),
            ([twice, "1单元101", "人户一致", null, null, null], [("户地址", "ledger-import.household-ambiguous")]),
            ([LedgerImportScenario.NewAddress(), "1单元110", "别墅户", own[0].Code, null, null], [("户别", "ledger-import.unknown-value")]),
            ([LedgerImportScenario.NewAddress(), null, "人户一致", own[0].Code, null, null], [("房号", "text.required")]),
            ([LedgerImportScenario.NewAddress(), "1单元111", "人户一致", null, "东经120度", inOwn1.Latitude], [("经度", "ledger-import.coordinate")]),
            ([LedgerImportScenario.NewAddress(), "1单元112", "人户一致", null, inOwn1.Longitude, null], [("纬度", "ledger-import.coordinate-half")]),
            ([LedgerImportScenario.NewAddress(), "1单元113", "人户一致", null, 200d, 100d], [("经度", "location.range")]),
            ([new string('址', 201), "1单元114", "人户一致", own[0].Code, null, null], [("户地址", "text.too-long")]),
        };
        var before = await scenario.WrittenAsync();
        var upload = await scenario.UploadAsync(admin, LedgerImportKind.Households, File(HouseholdHeader, [.. cases.Select(c => c.Cells)]));

        var dryRun = await scenario.DryRunAsync(admin, upload.Token);

        Assert.Equal((cases.Count, 2, 1, 0, cases.Count - 3), (dryRun.Rows, dryRun.Created, dryRun.Updated, dryRun.Unchanged, dryRun.Refused));
        var refused = dryRun.RefusedSample.ToDictionary(r => r.Row);
        for (var i = 0; i < cases.Count; i++)
        {
            var row = i + 2;
            var expected = cases[i].Expected.Select(e => (e.Column, e.Code)).Order().ToList();
            var actual = refused.TryGetValue(row, out var view) ? view.Reasons.Select(r => (r.Column ?? "", r.Reason.Code)).Order().ToList() : [];
            Assert.True(expected.SequenceEqual(actual), $"row {row}: expected {string.Join(", ", expected)}, got {string.Join(", ", actual)}");
            Assert.All(view?.Reasons ?? [], reason => Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", reason.Reason.Message));
        }
        Assert.Equal(before, await scenario.WrittenAsync());

        var imported = await scenario.ImportAsync(admin, upload.Token);

        Assert.Equal((2, 1, cases.Count - 3), (imported.Created, imported.Updated, imported.Refused));
        var after = await scenario.WrittenAsync();
        Assert.Equal(before.Households + 2, after.Households);
        Assert.Equal(before.LedgerChanges + 3, after.LedgerChanges);
        var update = await scenario.DbAsync(db => db.LedgerChanges.AsNoTracking().SingleAsync(c => c.EntityType == nameof(Household) && c.EntityId == changed.Id && c.ImportId == imported.ImportId));
        Assert.Equal(LedgerChangeKind.Updated, update.Kind);
        Assert.Contains(changed.Kind.ToString(), update.Before!);
        Assert.Equal(admin.Name, update.ActorName);
        Assert.Null((await scenario.DbAsync(db => db.LedgerImports.AsNoTracking().SingleAsync(i => i.Id == imported.ImportId))).CommunityId);
    }
}
