using System.Globalization;
using System.Text.Json;
using GridGov.Application.Ledgers;
using GridGov.Application.Ledgers.Import;
using GridGov.Domain.Audit;
using GridGov.Domain.Ledgers;
using GridGov.TestSupport.GridGov;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Application.Tests.Ledgers.Import;

/// <summary>
/// Households and residents imported from spreadsheets against the demo street: the dry run writes nothing, the import
/// writes each new or changed row with one ledger change recorded as an import by the person who ran it, and the same
/// file imported again changes nothing.
/// </summary>
public sealed class LedgerImportTests(LedgerImportScenario scenario) : IClassFixture<LedgerImportScenario>
{
    internal static readonly string[] HouseholdHeader = ["户地址", "房号", "户别", "网格编码", "经度", "纬度"];
    internal static readonly string[] ResidentHeader = ["姓名", "身份证号", "联系电话", "人口类型", "户地址", "人群标签"];

    internal static byte[] File(string[] header, params object?[][] rows) => TestWorkbooks.Xlsx([header, .. rows]);

    [Fact]
    public async Task Households_import_after_a_dry_run_that_writes_nothing_and_the_same_file_again_changes_nothing()
    {
        var secretary = await scenario.ActorAsync("secretary1");
        var grids = await scenario.GridsOfAsync(secretary.CommunityId!.Value);
        var (longitude, latitude) = await scenario.PointInAsync(grids[1].Id);
        string[] addresses = [LedgerImportScenario.NewAddress(), LedgerImportScenario.NewAddress(), LedgerImportScenario.NewAddress()];
        var file = File(HouseholdHeader,
            [addresses[0], "1单元101", "人户一致", grids[0].Code, null, null],
            [addresses[1], "2单元202", "租房户", null, longitude, latitude],
            [addresses[2], "3单元303", "人户分离", grids[0].Code, null, null]);
        var before = await scenario.WrittenAsync();

        var upload = await scenario.UploadAsync(secretary, LedgerImportKind.Households, file);
        var dryRun = await scenario.DryRunAsync(secretary, upload.Token);

        Assert.False(dryRun.Applied);
        Assert.Equal((3, 3, 0, 0, 0), (dryRun.Rows, dryRun.Created, dryRun.Updated, dryRun.Unchanged, dryRun.Refused));
        Assert.Equal(before, await scenario.WrittenAsync());

        var imported = await scenario.ImportAsync(secretary, upload.Token);

        Assert.True(imported.Applied);
        Assert.Equal((3, 3, 0, 0, 0), (imported.Rows, imported.Created, imported.Updated, imported.Unchanged, imported.Refused));
        var households = await scenario.DbAsync(db => db.Households.AsNoTracking().Where(h => addresses.Contains(h.Address)).OrderBy(h => h.Id).ToListAsync());
        Assert.Equal(addresses, households.Select(h => h.Address));
        Assert.Equal([grids[0].Id, grids[1].Id, grids[0].Id], households.Select(h => h.GridId));
        Assert.Equal([HouseholdKind.RegisteredAndResident, HouseholdKind.Rental, HouseholdKind.Separated], households.Select(h => h.Kind));
        Assert.Equal(["1单元101", "2单元202", "3单元303"], households.Select(h => h.Dwelling));
        var record = await scenario.DbAsync(db => db.LedgerImports.AsNoTracking().SingleAsync(i => i.Id == imported.ImportId));
        Assert.Equal((LedgerImportKind.Households, secretary.StaffMemberId, secretary.Name, secretary.CommunityId, 3, 3), (record.Kind, record.ActorStaffId, record.ActorName, record.CommunityId, record.Rows, record.Created));
        var ids = households.Select(h => (long)h.Id).ToList();
        var changes = await scenario.DbAsync(db => db.LedgerChanges.AsNoTracking().Where(c => c.EntityType == nameof(Household) && ids.Contains(c.EntityId)).ToListAsync());
        Assert.Equal(3, changes.Count);
        Assert.All(changes, change =>
        {
            Assert.Equal(LedgerChangeKind.Created, change.Kind);
            Assert.Equal(imported.ImportId, change.ImportId);
            Assert.Equal(secretary.Name, change.ActorName);
            Assert.Equal(secretary.StaffMemberId, change.ActorStaffId);
            Assert.Equal(scenario.Clock.GetUtcNow(), change.At);
        });
        Assert.Equal(1, await scenario.DbAsync(db => db.AuditEntries.CountAsync(a =>
            a.EntityType == nameof(LedgerImport) && a.EntityId == imported.ImportId.ToString() && a.Action == AuditAction.Create && a.ActorStaffId == secretary.StaffMemberId)));

        var afterFirst = await scenario.WrittenAsync();
        var again = await scenario.UploadAsync(secretary, LedgerImportKind.Households, file);
        var secondDryRun = await scenario.DryRunAsync(secretary, again.Token);
        var second = await scenario.ImportAsync(secretary, again.Token);

        Assert.Equal((3, 0, 0, 3, 0), (secondDryRun.Rows, secondDryRun.Created, secondDryRun.Updated, secondDryRun.Unchanged, secondDryRun.Refused));
        Assert.Equal((3, 0, 0, 3, 0), (second.Rows, second.Created, second.Updated, second.Unchanged, second.Refused));
        Assert.Null(second.ImportId);
        Assert.Equal(afterFirst, await scenario.WrittenAsync());
    }

    [Fact]
    public async Task Residents_are_created_and_updated_by_ID_number_and_the_change_history_shows_them_as_an_import_like_a_forms_change()
    {
        var secretary = await scenario.ActorAsync("secretary1");
        var grids = await scenario.GridsOfAsync(secretary.CommunityId!.Value);
        var gridIds = grids.Select(g => g.Id).ToList();
        var home = await scenario.DbAsync(db => db.Households.AsNoTracking()
            .Where(h => gridIds.Contains(h.GridId) && h.RemovedAt == null).OrderBy(h => h.Id).Skip(3).FirstAsync());
        var otherHome = await scenario.DbAsync(db => db.Households.AsNoTracking()
            .Where(h => gridIds.Contains(h.GridId) && h.RemovedAt == null && h.Id != home.Id).OrderBy(h => h.Id).Skip(7).FirstAsync());
        var existing = await scenario.DbAsync(db => db.Residents.AsNoTracking()
            .Where(r => r.HouseholdId == home.Id && r.RemovedAt == null).OrderBy(r => r.Id).FirstAsync());
        var mover = await scenario.DbAsync(db => db.Residents.AsNoTracking()
            .Where(r => gridIds.Contains(r.GridId) && r.HouseholdId != null && r.HouseholdId != home.Id && r.HouseholdId != otherHome.Id && r.RemovedAt == null)
            .OrderBy(r => r.Id).Skip(11).FirstAsync());
        var moverHome = await scenario.DbAsync(db => db.Households.AsNoTracking().SingleAsync(h => h.Id == mover.HouseholdId));
        var tags = string.Join("、", existing.Groups.Select(g => g.ChineseName()));
        var kindName = ImportValues.PopulationKindNames[existing.PopulationKind];
        string[] newIds = [LedgerImportScenario.NewIdNumber(), LedgerImportScenario.NewIdNumber(), LedgerImportScenario.NewIdNumber()];
        var file = File(ResidentHeader,
            ["王一", newIds[0], "13800001111", "户籍", home.Address, "党员、退休职工"],
            ["王二", newIds[1], "", "流动", home.Address, ""],
            ["李三", newIds[2], "0512-66661234", "暂住", otherHome.Address, "低保户"],
            [existing.Name, existing.IdNumber, "13912345670", kindName, home.Address, tags],                  // the phone changes
            [mover.Name, mover.IdNumber, mover.Phone ?? "", ImportValues.PopulationKindNames[mover.PopulationKind], otherHome.Address,
                string.Join("、", mover.Groups.Select(g => g.ChineseName()))]);                                  // moves to another household

        var (dryRun, imported) = await scenario.ImportFileAsync(secretary, LedgerImportKind.Residents, file);

        Assert.Equal((5, 3, 2, 0, 0), (dryRun.Rows, dryRun.Created, dryRun.Updated, dryRun.Unchanged, dryRun.Refused));
        Assert.Equal((5, 3, 2, 0, 0), (imported.Rows, imported.Created, imported.Updated, imported.Unchanged, imported.Refused));
        var created = await scenario.DbAsync(db => db.Residents.AsNoTracking().Where(r => newIds.Contains(r.IdNumber)).OrderBy(r => r.Id).ToListAsync());
        Assert.Equal(["王一", "王二", "李三"], created.Select(r => r.Name));
        Assert.Equal([home.Id, home.Id, otherHome.Id], created.Select(r => r.HouseholdId!.Value));
        Assert.Equal([home.GridId, home.GridId, otherHome.GridId], created.Select(r => r.GridId));
        Assert.Equal(["13800001111", null, "0512-66661234"], created.Select(r => r.Phone));
        Assert.Equal([PopulationKind.Registered, PopulationKind.Floating, PopulationKind.Temporary], created.Select(r => r.PopulationKind));
        Assert.Equal([ResidentGroup.PartyMember, ResidentGroup.Retired], created[0].Groups);
        Assert.Empty(created[1].Groups);
        Assert.Equal(IdNumber.Parse(newIds[0]).BirthDate, created[0].BirthDate);
        Assert.Equal(IdNumber.Parse(newIds[0]).Sex, created[0].Sex);
        var updated = await scenario.DbAsync(db => db.Residents.AsNoTracking().SingleAsync(r => r.Id == existing.Id));
        Assert.Equal("13912345670", updated.Phone);
        Assert.Equal((existing.Name, existing.PopulationKind, existing.HouseholdId), (updated.Name, updated.PopulationKind, updated.HouseholdId));
        var moved = await scenario.DbAsync(db => db.Residents.AsNoTracking().SingleAsync(r => r.Id == mover.Id));
        Assert.Equal((otherHome.Id, otherHome.GridId), (moved.HouseholdId!.Value, moved.GridId));
        if (moverHome.HeadResidentId == mover.Id)
        {
            Assert.Null((await scenario.DbAsync(db => db.Households.AsNoTracking().SingleAsync(h => h.Id == moverHome.Id))).HeadResidentId);
        }

        // The timeline of the changed resident: the phone before → after, by the secretary, marked as an import.
        var scope = await LedgerScopeAsync(secretary);
        var history = await scenario.DbAsync(db => LedgerHistory.LoadAsync(db, nameof(Resident), existing.Id, scope, new Dictionary<int, string>(), CancellationToken.None));
        var entry = history.First();
        Assert.True(entry.Imported);
        Assert.Equal(LedgerChangeKind.Updated, entry.Kind);
        Assert.Equal(secretary.Name, entry.ActorName);
        var phone = Assert.Single(entry.Fields);
        Assert.Equal(nameof(Resident.Phone), phone.Field);
        Assert.Equal(["139****5670"], phone.After);

        // An imported resident's record holds the same facts, under the same names, as a resident registered in the form.
        int formResident;
        await using (var formScope = scenario.Services.CreateAsyncScope())
        {
            formResident = await formScope.ServiceProvider.GetRequiredService<LedgerService>().CreateResidentAsync(
                new NewResident(home.Id, "赵四", LedgerImportScenario.NewIdNumber(), null, PopulationKind.Registered, []), secretary);
        }
        var formAfter = await AfterOfCreationAsync(formResident);
        var importAfter = await AfterOfCreationAsync(created[0].Id);
        Assert.Equal(formAfter.EnumerateObject().Select(p => p.Name).Where(n => n != "Version").Order(), importAfter.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(JsonValueKind.Array, importAfter.GetProperty("Groups").ValueKind);
        Assert.Equal(created[0].BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), importAfter.GetProperty("BirthDate").GetString());
        Assert.Equal("Registered", importAfter.GetProperty("PopulationKind").GetString());

        var afterFirst = await scenario.WrittenAsync();
        var (secondDryRun, second) = await scenario.ImportFileAsync(secretary, LedgerImportKind.Residents, file);

        Assert.Equal((5, 0, 0, 5, 0), (secondDryRun.Rows, secondDryRun.Created, secondDryRun.Updated, secondDryRun.Unchanged, secondDryRun.Refused));
        Assert.Equal((0, 0, 5), (second.Created, second.Updated, second.Unchanged));
        Assert.Equal(afterFirst, await scenario.WrittenAsync());
    }

    [Fact]
    public async Task A_streets_own_file_with_a_title_row_synonyms_any_column_order_full_width_digits_and_the_example_row_imports()
    {
        var secretary = await scenario.ActorAsync("secretary1");
        var grids = await scenario.GridsOfAsync(secretary.CommunityId!.Value);
        var gridIds = grids.Select(g => g.Id).ToList();
        var home = await scenario.DbAsync(db => db.Households.AsNoTracking().Where(h => gridIds.Contains(h.GridId) && h.RemovedAt == null).OrderBy(h => h.Id).Skip(20).FirstAsync());
        var id = LedgerImportScenario.NewIdNumber();
        var fullWidth = new string(id.Select(c => char.IsAsciiDigit(c) ? (char)(c + 0xFEE0) : c).ToArray());
        var file = TestWorkbooks.Xlsx(
        [
            ["云帆街道居民花名册（2026年）"],
            [],
            ["序号", "住址", "居民姓名", "备注", "手机号", "人员类型（必填）", "公民身份号码*", "标签"],
            ["（示例）1", "xx小区1幢101", "张三", "", "13800000000", "户籍", "320508199001011234", "党员"],
            ["1", " " + home.Address + " ", " 钱  五 ", "新迁入", "１３８００００２２２２", "流动人口", fullWidth, "中共党员，退休"],
        ]);

        var (dryRun, imported) = await scenario.ImportFileAsync(secretary, LedgerImportKind.Residents, file);

        Assert.Equal((1, 1, 0), (dryRun.Rows, dryRun.Created, dryRun.Refused));
        Assert.Equal(1, imported.Created);
        var resident = await scenario.DbAsync(db => db.Residents.AsNoTracking().SingleAsync(r => r.IdNumber == id));
        Assert.Equal(("钱 五", "13800002222", PopulationKind.Floating, home.Id), (resident.Name, resident.Phone, resident.PopulationKind, resident.HouseholdId!.Value));
        Assert.Equal([ResidentGroup.PartyMember, ResidentGroup.Retired], resident.Groups);
    }

    [Fact]
    public async Task Each_template_has_Chinese_headers_an_example_row_drop_down_lists_and_an_explanation_sheet_and_uploaded_as_it_is_has_no_rows()
    {
        var secretary = await scenario.ActorAsync("secretary1");
        foreach (var kind in LedgerImportTemplates.Kinds)
        {
            var template = LedgerImportTemplates.For(kind);
            using var output = new MemoryStream();
            await scenario.AsAsync(secretary, async imports =>
            {
                await imports.WriteTemplateAsync(kind, output);
                return 0;
            });
            var bytes = output.ToArray();

            Assert.Equal([template.SheetName, "填写说明"], TestWorkbooks.SheetNames(bytes));
            var rows = TestWorkbooks.Read(bytes);
            Assert.Equal(template.Columns.Select(c => c.Required ? c.Header + "*" : c.Header), rows[0]);
            Assert.StartsWith(LedgerImportTemplates.ExampleMark, rows[1][0]);
            var dropDowns = TestWorkbooks.DropDowns(bytes);
            foreach (var (column, index) in template.Columns.Select((c, i) => (c, i)).Where(x => x.c.Options is not null))
            {
                var letter = TestWorkbooks.Column(index);
                Assert.Equal($"\"{string.Join(",", column.Options!)}\"", dropDowns[$"{letter}2:{letter}1048576"]);
            }
            var expectedList = kind switch
            {
                LedgerImportKind.Residents => "户籍,流动,暂住",
                LedgerImportKind.Households => "人户一致,人户分离,租房户",
                LedgerImportKind.Units => "企业,机关,事业单位,社会组织,门店/商户",
                LedgerImportKind.Components => "完好,破损,丢失,占用",
                _ => throw new InvalidOperationException($"No expected drop-down for {kind}."),
            };
            Assert.Contains(dropDowns.Values, list => list.Contains(expectedList, StringComparison.Ordinal));
            var notes = TestWorkbooks.Read(bytes, "填写说明");
            Assert.Equal(["列名", "是否必填", "可选值", "示例", "说明"], notes[0].Take(5));
            Assert.Contains(notes, row => row.Count > 0 && row[0] == template.Columns[0].Header);

            var upload = await scenario.UploadAsync(secretary, kind, bytes, "模板.xlsx");
            var refusal = await Assert.ThrowsAsync<Domain.Common.DomainException>(() => scenario.DryRunAsync(secretary, upload.Token));
            Assert.Equal("ledger-import.no-rows", refusal.Code);
        }
    }

    private async Task<LedgerScope> LedgerScopeAsync(Domain.Cases.CaseActor actor)
    {
        await using var scope = scenario.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<LedgerScopes>().ForAsync(actor);
    }

    private Task<JsonElement> AfterOfCreationAsync(int residentId) => scenario.DbAsync(async db =>
    {
        var after = await db.LedgerChanges.AsNoTracking()
            .Where(c => c.EntityType == nameof(Resident) && c.EntityId == residentId && c.Kind == LedgerChangeKind.Created)
            .Select(c => c.After).SingleAsync();
        return JsonDocument.Parse(after!).RootElement.Clone();
    });
}
