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
/// Components (部件) imported from spreadsheets: matched by their 16-digit code, the grid resolved from the point, the
/// owner by its department's name or code; every rule of a row refused with its Chinese reason under its column; a
/// changed component recorded in its change history as an import; the same file again changes nothing.
/// </summary>
public sealed class ComponentImportTests(LedgerImportScenario scenario) : IClassFixture<LedgerImportScenario>
{
    internal static readonly string[] ComponentHeader = ["部件编码", "部件名称", "部件状态", "权属部门", "经度", "纬度"];

    [Fact]
    public async Task Components_import_after_a_dry_run_that_writes_nothing_and_the_same_file_again_changes_nothing()
    {
        var secretary = await scenario.ActorAsync("secretary1");
        var grids = await scenario.GridsOfAsync(secretary.CommunityId!.Value);
        var in0 = await scenario.PointInAsync(grids[0].Id);
        var in1 = await scenario.PointInAsync(grids[1].Id);
        var departments = await scenario.DbAsync(db => db.Departments.AsNoTracking().OrderBy(d => d.Id).Take(2).ToListAsync());
        string[] codes = [LedgerImportScenario.NewComponentCode(), LedgerImportScenario.NewComponentCode(), LedgerImportScenario.NewComponentCode()];
        var file = File(ComponentHeader,
            [codes[0], "上水井盖", null, departments[0].Name, in0.Longitude, in0.Latitude],
            [double.Parse(codes[1], System.Globalization.CultureInfo.InvariantCulture), "路灯", "破损", departments[1].Code, in1.Longitude, in1.Latitude], // the code as a number cell
            [codes[2], "果皮箱", "占道", departments[0].Name, in0.Longitude, in0.Latitude]);
        var before = await scenario.WrittenAsync();

        var upload = await scenario.UploadAsync(secretary, LedgerImportKind.Components, file, "部件.xlsx");
        var dryRun = await scenario.DryRunAsync(secretary, upload.Token);

        Assert.True(dryRun.Refused == 0, string.Join("; ", dryRun.RefusedSample.SelectMany(r => r.Reasons.Select(x => $"{r.Row} {x.Column} {x.Reason.Code} {x.Reason.Message}"))));
        Assert.Equal((3, 3, 0, 0, 0), (dryRun.Rows, dryRun.Created, dryRun.Updated, dryRun.Unchanged, dryRun.Refused));
        Assert.Equal(before, await scenario.WrittenAsync());

        var imported = await scenario.ImportAsync(secretary, upload.Token);

        Assert.Equal((3, 3, 0, 0, 0), (imported.Rows, imported.Created, imported.Updated, imported.Unchanged, imported.Refused));
        var components = await scenario.DbAsync(db => db.Components.AsNoTracking().Where(c => codes.Contains(c.Code)).OrderBy(c => c.Id).ToListAsync());
        Assert.Equal(codes, components.Select(c => c.Code));
        Assert.Equal(["上水井盖", "路灯", "果皮箱"], components.Select(c => c.Name));
        Assert.Equal([ComponentState.Intact, ComponentState.Damaged, ComponentState.Occupied], components.Select(c => c.State));
        Assert.Equal([departments[0].Id, departments[1].Id, departments[0].Id], components.Select(c => c.OwnerDepartmentId));
        Assert.Equal([grids[0].Id, grids[1].Id, grids[0].Id], components.Select(c => c.GridId));
        var parts = Component.ParseCode(codes[1]);
        Assert.Equal((parts.MajorClass, parts.MinorClass), (components[1].MajorClass, components[1].MinorClass));
        Assert.Equal((in1.Longitude, in1.Latitude, 4326), (components[1].Location.X, components[1].Location.Y, components[1].Location.SRID));
        var ids = components.Select(c => (long)c.Id).ToList();
        var changes = await scenario.DbAsync(db => db.LedgerChanges.AsNoTracking().Where(c => c.EntityType == nameof(Component) && ids.Contains(c.EntityId)).ToListAsync());
        Assert.Equal(3, changes.Count);
        Assert.All(changes, change => Assert.Equal((LedgerChangeKind.Created, imported.ImportId, secretary.Name), (change.Kind, change.ImportId, change.ActorName)));
        Assert.Equal(LedgerImportKind.Components, (await scenario.DbAsync(db => db.LedgerImports.AsNoTracking().SingleAsync(i => i.Id == imported.ImportId))).Kind);

        var afterFirst = await scenario.WrittenAsync();
        var (secondDryRun, second) = await scenario.ImportFileAsync(secretary, LedgerImportKind.Components, file);

        Assert.Equal((3, 0, 0, 3, 0), (secondDryRun.Rows, secondDryRun.Created, secondDryRun.Updated, secondDryRun.Unchanged, secondDryRun.Refused));
        Assert.Equal((0, 0, 3), (second.Created, second.Updated, second.Unchanged));
        Assert.Null(second.ImportId);
        Assert.Equal(afterFirst, await scenario.WrittenAsync());
    }

    [Fact]
    public async Task A_changed_component_is_updated_with_its_change_history_as_an_import_like_a_forms_change()
    {
        var secretary = await scenario.ActorAsync("secretary1");
        var grids = await scenario.GridsOfAsync(secretary.CommunityId!.Value);
        var gridIds = grids.Select(g => g.Id).ToList();
        var in2 = await scenario.PointInAsync(grids[2].Id);
        var existing = await scenario.DbAsync(db => db.Components.AsNoTracking()
            .Where(c => gridIds.Contains(c.GridId) && c.GridId != grids[2].Id && c.RemovedAt == null && c.State != ComponentState.Lost)
            .OrderBy(c => c.Id).FirstAsync());
        var owner = await scenario.DbAsync(db => db.Departments.AsNoTracking().Where(d => d.Id != existing.OwnerDepartmentId).OrderBy(d => d.Id).FirstAsync());
        var file = File(ComponentHeader, [existing.Code, existing.Name, "丢失", owner.Name, in2.Longitude, in2.Latitude]);

        var (dryRun, imported) = await scenario.ImportFileAsync(secretary, LedgerImportKind.Components, file);

        Assert.Equal((1, 0, 1, 0, 0), (dryRun.Rows, dryRun.Created, dryRun.Updated, dryRun.Unchanged, dryRun.Refused));
        Assert.Equal(1, imported.Updated);
        var changed = await scenario.DbAsync(db => db.Components.AsNoTracking().SingleAsync(c => c.Id == existing.Id));
        Assert.Equal((ComponentState.Lost, owner.Id, grids[2].Id, existing.Code, existing.Name), (changed.State, changed.OwnerDepartmentId, changed.GridId, changed.Code, changed.Name));
        await using (var scope = scenario.Services.CreateAsyncScope())
        {
            var ledgerScope = await scope.ServiceProvider.GetRequiredService<LedgerScopes>().ForAsync(secretary);
            var history = await scenario.DbAsync(db => LedgerHistory.LoadAsync(db, nameof(Component), existing.Id, ledgerScope, new Dictionary<int, string>(), CancellationToken.None));
            var entry = history.First();
            Assert.True(entry.Imported);
            Assert.Equal((LedgerChangeKind.Updated, secretary.Name), (entry.Kind, entry.ActorName));
            Assert.Equal([nameof(Component.GridId), nameof(Component.Location), nameof(Component.OwnerDepartmentId), nameof(Component.State)], entry.Fields.Select(f => f.Field).Order());
            Assert.Equal([nameof(ComponentState.Lost)], entry.Fields.Single(f => f.Field == nameof(Component.State)).After);
        }

        // The import's record holds the same facts, under the same names, as a component registered in the form.
        var in0 = await scenario.PointInAsync(grids[0].Id);
        int formComponent;
        await using (var formScope = scenario.Services.CreateAsyncScope())
        {
            formComponent = await formScope.ServiceProvider.GetRequiredService<LedgerService>().CreateComponentAsync(
                new NewComponent(LedgerImportScenario.NewComponentCode(), "消防栓", ComponentState.Intact, owner.Id, in0.Longitude, in0.Latitude), secretary);
        }
        var formAfter = await AfterAsync(formComponent, null);
        var importAfter = await AfterAsync(existing.Id, imported.ImportId);
        Assert.Equal(formAfter.EnumerateObject().Select(p => p.Name).Where(n => n != "Version").Order(), importAfter.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(changed.Location.AsText(), importAfter.GetProperty("Location").GetString());
        Assert.Equal(existing.MajorClass.ToString(), importAfter.GetProperty("MajorClass").GetString());

        var afterFirst = await scenario.WrittenAsync();
        var (_, second) = await scenario.ImportFileAsync(secretary, LedgerImportKind.Components, file);
        Assert.Equal((0, 0, 1), (second.Created, second.Updated, second.Unchanged));
        Assert.Equal(afterFirst, await scenario.WrittenAsync());
    }

    [Fact]
    public async Task Every_rule_of_a_component_row_refuses_it_with_its_Chinese_reason_under_its_column_and_the_good_rows_import()
    {
        var secretary = await scenario.ActorAsync("secretary1");
        var own = await scenario.GridsOfAsync(secretary.CommunityId!.Value);
        var otherCommunity = await scenario.DbAsync(db => db.Communities.Where(c => c.Id != secretary.CommunityId).OrderByDescending(c => c.Id).Select(c => c.Id).FirstAsync());
        var other = await scenario.GridsOfAsync(otherCommunity);
        var retired = other[^1];
        var inRetired = await scenario.PointInAsync(retired.Id);
        await scenario.DbAsync(db => db.Database.ExecuteSqlAsync($"UPDATE grids SET valid_to = valid_from + 1 WHERE id = {retired.Id}"));
        var (x, y) = await scenario.PointInAsync(own[0].Id);
        var inOther = await scenario.PointInAsync(other[0].Id);
        var otherIds = other.Select(g => g.Id).ToList();
        var elsewhere = await scenario.DbAsync(db => db.Components.AsNoTracking().Where(c => otherIds.Contains(c.GridId) && c.RemovedAt == null).OrderBy(c => c.Id).FirstAsync());
        var ownIds = own.Select(g => g.Id).ToList();
        var removed = await scenario.DbAsync(async db =>
        {
            var component = await db.Components.Where(c => ownIds.Contains(c.GridId) && c.RemovedAt == null).OrderBy(c => c.Id).Skip(3).FirstAsync();
            component.Remove("已拆除", scenario.Clock.GetUtcNow());
            await db.SaveChangesAsync();
            return component;
        });
        var changed = await scenario.DbAsync(db => db.Components.AsNoTracking().Where(c => ownIds.Contains(c.GridId) && c.RemovedAt == null).OrderBy(c => c.Id).Skip(5).FirstAsync());
        var department = await scenario.DbAsync(db => db.Departments.AsNoTracking().OrderBy(d => d.Id).FirstAsync());
        var owner = department.Name;
        var repeated = LedgerImportScenario.NewComponentCode();
        string New() => LedgerImportScenario.NewComponentCode();

        var cases = new List<(object?[] Cells, (string Column, string Code)[] Expected)>
        {
            ([New(), "上水井盖", "完好", owner, x, y], []),
            ([changed.Code, changed.Name + "甲", null, null, null, null], []),
            ([null, "上水井盖", null, owner, x, y], [("部件编码", "text.required")]),
            (["320508010100001", "上水井盖", null, owner, x, y], [("部件编码", "component.code-format")]),
            (["3205080701000001", "上水井盖", null, owner, x, y], [("部件编码", "component.class")]),
            (["3205080100000001", "上水井盖", null, owner, x, y], [("部件编码", "component.code")]),
            ([New(), null, null, owner, x, y], [("部件名称", "text.required")]),
            ([New(), new string('名', 41), null, owner, x, y], [("部件名称", "text.too-long")]),
            ([New(), "上水井盖", "坏了", owner, x, y], [("部件状态", "ledger-import.unknown-value")]),
            ([New(), "上水井盖", null, "不存在的部门", x, y], [("权属部门", "ledger-import.owner-unknown")]),
            ([New(), "上水井盖", null, owner, "东经120度", y], [("经度", "ledger-import.coordinate")]),
            ([New(), "上水井盖", null, owner, null, y], [("经度", "ledger-import.coordinate-half")]),
            ([New(), "上水井盖", null, owner, 200d, 100d], [("经度", "location.range")]),
            ([New(), "上水井盖", null, owner, 116.397, 39.908], [("经度", "ledger-import.outside-street")]),
            ([New(), "上水井盖", null, owner, inRetired.Longitude, inRetired.Latitude], [("经度", "ledger-import.uncovered")]),
            ([New(), "上水井盖", null, owner, inOther.Longitude, inOther.Latitude], [("经度", "ledger-import.point-out-of-scope")]),
            ([New(), "上水井盖", null, owner, null, null], [("经度", "ledger-import.point-required")]),
            ([New(), "上水井盖", null, null, x, y], [("权属部门", "ledger-import.required-for-new")]),
            ([repeated, "上水井盖", null, owner, x, y], [("部件编码", "ledger-import.duplicate-in-file")]),
            ([repeated, "雨水井盖", null, owner, x, y], [("部件编码", "ledger-import.duplicate-in-file")]),
            ([removed.Code, removed.Name, null, owner, x, y], [("部件编码", "ledger-import.component-removed")]),
            ([elsewhere.Code, elsewhere.Name + "乙", null, null, null, null], [("", "ledger-import.component-out-of-scope")]),
        };
        var before = await scenario.WrittenAsync();
        var upload = await scenario.UploadAsync(secretary, LedgerImportKind.Components, File(ComponentHeader, [.. cases.Select(c => c.Cells)]), "部件.xlsx");

        var dryRun = await scenario.DryRunAsync(secretary, upload.Token);

        Assert.Equal((cases.Count, 1, 1, 0, cases.Count - 2), (dryRun.Rows, dryRun.Created, dryRun.Updated, dryRun.Unchanged, dryRun.Refused));
        Assert.Equal(before, await scenario.WrittenAsync());
        var refused = dryRun.RefusedSample.ToDictionary(r => r.Row);
        for (var i = 0; i < cases.Count; i++)
        {
            var row = i + 2;
            var expected = cases[i].Expected.Select(e => (e.Column, e.Code)).Order().ToList();
            var actual = refused.TryGetValue(row, out var view) ? view.Reasons.Select(r => (r.Column ?? "", r.Reason.Code)).Order().ToList() : [];
            Assert.True(expected.SequenceEqual(actual), $"row {row}: expected {string.Join(", ", expected)}, got {string.Join(", ", actual)}");
            Assert.All(view?.Reasons ?? [], reason => Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", reason.Reason.Message));
        }
        Assert.Contains("不存在的部门", refused[11].Reasons.Single().Reason.Message);

        var imported = await scenario.ImportAsync(secretary, upload.Token);

        Assert.Equal((1, 1, cases.Count - 2), (imported.Created, imported.Updated, imported.Refused));
        var after = await scenario.WrittenAsync();
        Assert.Equal((before.Components + 1, before.LedgerChanges + 2), (after.Components, after.LedgerChanges));
        Assert.Equal(changed.Name + "甲", (await scenario.DbAsync(db => db.Components.AsNoTracking().SingleAsync(c => c.Id == changed.Id))).Name);
    }

    [Fact]
    public async Task The_components_template_offers_the_streets_departments_as_the_owners_drop_down()
    {
        var admin = await scenario.ActorAsync("admin1");
        var departments = await scenario.DbAsync(db => db.Departments.AsNoTracking().OrderBy(d => d.Code).Select(d => d.Name).ToListAsync());
        using var output = new MemoryStream();
        await scenario.AsAsync(admin, async imports =>
        {
            await imports.WriteTemplateAsync(LedgerImportKind.Components, output);
            return 0;
        });

        var rows = TestWorkbooks.Read(output.ToArray());
        Assert.Equal(["部件编码*", "部件名称*", "部件状态", "权属部门", "经度", "纬度"], rows[0]);
        var dropDowns = TestWorkbooks.DropDowns(output.ToArray());
        Assert.Equal($"\"{string.Join(",", departments)}\"", dropDowns["D2:D1048576"]);
        Assert.Equal("\"完好,破损,丢失,占用\"", dropDowns["C2:C1048576"]);
        Assert.Equal(departments[0], rows[1][3]);
    }

    private Task<JsonElement> AfterAsync(int componentId, long? importId) => scenario.DbAsync(async db =>
    {
        var after = await db.LedgerChanges.AsNoTracking()
            .Where(c => c.EntityType == nameof(Component) && c.EntityId == componentId && c.ImportId == importId)
            .OrderByDescending(c => c.Id).Select(c => c.After).FirstAsync();
        return JsonDocument.Parse(after!).RootElement.Clone();
    });
}
