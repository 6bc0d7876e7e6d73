using Bunit;
using GridGov.Application.Ledgers;
using GridGov.Domain.Common;
using GridGov.Domain.Ledgers;
using GridGov.Web.Components.Pages.Ledgers;
using GridGov.Web.Infrastructure;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Web.Tests.Components;

/// <summary>
/// The bad inputs the corpus (Security/BadInputCorpusTests) used to post to the resident registration, the unit forms
/// and the component page, now that those pages are interactive (and those of the household and component registrations,
/// interactive from the start): typed into the page (or clicked on its map) and
/// submitted, and, for what a typed form can no longer send (an undefined kind, class, state, owner or tag, a stale
/// version), sent to the application service the page calls. Each gets a Chinese message (with the word the corpus
/// expected where it expected one), never an unexpected exception, and nothing is written.
/// </summary>
public sealed class LedgerFormBadInputTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private const string Script = "<script>alert('gg')</script>";
    private static readonly string[] BadPhones = ["123", "1381234567a", "+86 13812345678 ext", "2381234567", "138123456789"];
    private static readonly string[] BadNumbers = ["-1", "abc", "99999999999999999999", "1e309", "NaN"];
    private static readonly (string Label, string Character)[] Controls = [("NUL", "\0"), ("ESC", "\u001b")];

    /// <summary>The corpus's bad points, as the map would report them (text that is no number arrives as NaN).</summary>
    private static readonly (string Name, double Longitude, double Latitude)[] BadPoints =
    [
        ("116.397,39.908", 116.397, 39.908), ("200,100", 200, 100), ("abc,31.3", double.NaN, 31.3), ("NaN,Infinity", double.NaN, double.PositiveInfinity), ("0,0", 0, 0),
    ];

    private static string Long(int length) => new('长', length);

    private static bool Chinese(string? text) => text is not null && text.Any(c => c >= '\u4e00' && c <= '\u9fff');

    /// <summary>A message the page shows: under a field, or for a part of the form (data-error-for).</summary>
    private static string? Message<T>(IRenderedComponent<T> page) where T : class, IComponent =>
        page.FindAll(".mud-input-helper-text.mud-input-error, [data-error-for]").Select(e => e.TextContent.Trim()).FirstOrDefault(Chinese);

    /// <summary>Rows of every ledger table, and the unit and component the edits aim at.</summary>
    private Task<string> FingerprintAsync(int unitId, int componentId) => app.DbAsync(async db => string.Join("#",
        await db.Residents.CountAsync(), await db.Households.CountAsync(), await db.Units.CountAsync(), await db.Components.CountAsync(),
        await db.LedgerChanges.CountAsync(),
        await db.Units.AsNoTracking().Where(u => u.Id == unitId).Select(u => new { u.Name, u.Kind, u.ContactPhone, u.EmployeeCount, u.RemovedAt, u.Version }).SingleAsync(),
        await db.Components.AsNoTracking().Where(c => c.Id == componentId).Select(c => new { c.Name, c.Code, c.State, c.OwnerDepartmentId, c.RemovedAt, c.Version }).SingleAsync()));

    private async Task<(int UnitId, int ComponentId)> TargetsAsync(int gridId) => await app.DbAsync(async db => (
        await db.Units.Where(u => u.GridId == gridId && u.RemovedAt == null).OrderBy(u => u.Id).Select(u => u.Id).Skip(5).FirstAsync(),
        await db.Components.Where(c => c.GridId == gridId && c.RemovedAt == null).OrderBy(c => c.Id).Select(c => c.Id).Skip(5).FirstAsync()));

    /// <summary>Submits the page and checks its message; a missing or wrong message is a failure, not an exception.</summary>
    private static void Expect<T>(IRenderedComponent<T> page, string name, string? word, List<string> failures) where T : class, IComponent
    {
        var waited = Record.Exception(() => page.WaitForAssertion(() => Assert.True(Chinese(Message(page))), TimeSpan.FromSeconds(10)));
        var message = Message(page);
        if (waited is not null || message is null)
        {
            failures.Add($"{name}: no Chinese message");
        }
        else if (word is not null && !message.Contains(word, StringComparison.Ordinal))
        {
            failures.Add($"{name}: '{message}' does not say '{word}'");
        }
        if (page.FindAll("script").Count > 0)
        {
            failures.Add($"{name}: a script element came back");
        }
    }

    /// <summary>A refusal of the service the page calls: a Chinese domain message, nothing else.</summary>
    private static async Task RefusedAsync(string name, Func<Task> call, List<string> failures)
    {
        var refusal = await Record.ExceptionAsync(call);
        if (refusal is not DomainException { Message: var message } || !Chinese(message))
        {
            failures.Add($"{name}: {refusal?.GetType().Name ?? "accepted"}");
        }
    }

    private static void Report(string test, int tried, List<string> failures) =>
        Console.WriteLine($"[bad-input-corpus] {test}: {tried} inputs tried, {failures.Count} failures");

    [Fact]
    public async Task Bad_resident_registrations_get_a_message_and_write_nothing()
    {
        var grid = await app.GridOfAsync("worker1");
        var household = (await app.ResidentAsync(grid.Id, skip: 10)).HouseholdId!.Value;
        var otherHousehold = (await app.ResidentAsync(grid.Id, skip: 0, inGrid: false)).HouseholdId!.Value;
        var (unitId, componentId) = await TargetsAsync(grid.Id);
        var validId = LedgerTestData.NewIdNumber();
        var badChecksum = validId[..17] + (validId[17] == '0' ? '1' : '0');
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var before = await FingerprintAsync(unitId, componentId);
        var failures = new List<string>();
        var tried = 0;

        // name, household query, name, ID number, phone, the word the message must have
        var typed = new List<(string Name, string Household, string Person, string IdNumber, string Phone, string? Word)>
        {
            ("ID number with a wrong check character", $"{household}", "钱测试", badChecksum, "13611112222", "身份证"),
            ("ID number of 17 digits", $"{household}", "钱测试", validId[..17], "13611112222", "身份证"),
            ("ID number with letters", $"{household}", "钱测试", "11010519310304ABCD", "13611112222", "身份证"),
            ("ID number born in the future", $"{household}", "钱测试", IdNumber.Create("110105", new DateOnly(2090, 1, 1), 1).Value, "13611112222", "身份证"),
            ("ID number missing", $"{household}", "钱测试", "", "13611112222", "身份证"),
            ("ID number over-long", $"{household}", "钱测试", new string('1', 500), "13611112222", "身份证"),
            ("name missing", $"{household}", "", validId, "13611112222", "姓名"),
            ("name over-long", $"{household}", Long(300), validId, "13611112222", "姓名"),
            ("script name with a bad ID number", $"{household}", Script, badChecksum, "13611112222", null),
        };
        typed.AddRange(BadPhones.Select(phone => ($"phone {phone}", $"{household}", "钱测试", validId, phone, (string?)"电话")));
        typed.AddRange(new[] { "abc", "-1", "99999999", $"{otherHousehold}" }.Select(h => ($"household {h}", h, "钱测试", validId, "13611112222", (string?)null)));
        foreach (var (label, control) in Controls)
        {
            typed.Add(($"control character {label}: name", $"{household}", "钱测试" + control + "x", validId, "13611112222", "控制字符"));
            typed.Add(($"control character {label}: ID number", $"{household}", "钱测试", validId + control + "x", "13611112222", "控制字符"));
            typed.Add(($"control character {label}: phone", $"{household}", "钱测试", validId, "13611112222" + control + "x", "控制字符"));
        }
        foreach (var (name, query, person, idNumber, phone, word) in typed)
        {
            tried++;
            var page = harness.Page<ResidentNew>($"/ledgers/residents/new?household={Uri.EscapeDataString(query)}");
            page.WaitForElement("input#new-name");
            page.Find("input#new-name").Change(person);
            page.Find("input#new-id-number").Change(idNumber);
            page.Find("input#new-phone").Change(phone);
            page.Find("[data-testid=new-submit]").Click();
            Expect(page, $"resident-new: {name}", word, failures);
        }
        // A control character in the household search: the search answers (finding nothing), nothing is written.
        foreach (var (label, control) in Controls)
        {
            tried++;
            var page = harness.Page<ResidentNew>("/ledgers/residents/new");
            page.WaitForElement("input#new-find");
            page.Find("input#new-find").Change("路" + control + "x");
            page.Find("[data-testid=new-search]").Click();
            page.WaitForElement("[data-testid=household-choices-empty]");
        }

        // What the typed form cannot send (its select and tag chips hold defined values only), sent to the service.
        var data = harness.Context.Services.GetRequiredService<PageData>();
        var resident = new NewResident(household, "钱测试", validId, "13611112222", PopulationKind.Registered, []);
        foreach (var (name, input) in new[]
                 {
                     ("population kind 999", resident with { PopulationKind = (PopulationKind)999 }),
                     ("population kind -1", resident with { PopulationKind = (PopulationKind)(-1) }),
                     ("population kind 42 (for Bogus)", resident with { PopulationKind = (PopulationKind)42 }),
                     ("population kind int.MaxValue (for an SQL text)", resident with { PopulationKind = (PopulationKind)int.MaxValue }),
                     ("unknown group tag", resident with { Groups = [(ResidentGroup)999] }),
                 })
        {
            tried++;
            await RefusedAsync($"resident-new: {name}", () => data.RunAsync<LedgerService, int>((ledgers, actor, token) => ledgers.CreateResidentAsync(input, actor, token)), failures);
        }

        Report(nameof(Bad_resident_registrations_get_a_message_and_write_nothing), tried, failures);
        Assert.Equal(before, await FingerprintAsync(unitId, componentId));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Bad_unit_registrations_and_edits_get_a_message_and_write_nothing()
    {
        var grid = await app.GridOfAsync("worker1");
        var (longitude, latitude) = await app.PointInGridAsync(grid.Id);
        var (unitId, componentId) = await TargetsAsync(grid.Id);
        var unit = await app.DbAsync(db => db.Units.AsNoTracking().SingleAsync(u => u.Id == unitId));
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var before = await FingerprintAsync(unitId, componentId);
        var failures = new List<string>();
        var tried = 0;

        // The baseline is valid; each input changes one or two fields.
        var baseline = new Dictionary<string, string>
        {
            ["unit-name"] = "测试商店", ["unit-address"] = "测试路2号", ["unit-contact-name"] = "孙联系", ["unit-contact-phone"] = "13611113333",
            ["unit-employees"] = "5", ["unit-party-members"] = "0", ["unit-credit-code"] = "91350100M000100Y43",
        };
        var inputs = new List<(string Name, Dictionary<string, string> Changes, (double, double)? Point, string? Word)>
        {
            ("name empty", new() { ["unit-name"] = "" }, null, "单位名称"),
            ("name over-long", new() { ["unit-name"] = Long(300) }, null, "单位名称"),
            ("script name with a bad phone", new() { ["unit-name"] = Script, ["unit-contact-phone"] = "123" }, null, null),
            ("contact phone 123", new() { ["unit-contact-phone"] = "123" }, null, "电话"),
            ("contact phone letters", new() { ["unit-contact-phone"] = "1381234567a" }, null, "电话"),
            ("party members -3", new() { ["unit-party-members"] = "-3" }, null, "正整数"),
            ("party members abc", new() { ["unit-party-members"] = "abc" }, null, "正整数"),
            ("credit code wrong check character", new() { ["unit-credit-code"] = "91350100M000100Y44" }, null, "校验位"),
            ("credit code 17 characters", new() { ["unit-credit-code"] = "91350100M000100Y4" }, null, "18位"),
            ("credit code over-long", new() { ["unit-credit-code"] = Long(300) }, null, "18位"),
            ("credit code with I and O", new() { ["unit-credit-code"] = "91350100IO00100Y43" }, null, "大写字母"),
            ("credit code script", new() { ["unit-credit-code"] = Script }, null, null),
        };
        inputs.AddRange(BadNumbers.Select(number => ($"employees {number}", new Dictionary<string, string> { ["unit-employees"] = number }, ((double, double)?)null, (string?)"正整数")));
        inputs.AddRange(BadPoints.Select(point => ($"point {point.Name}", new Dictionary<string, string>(), ((double, double)?)(point.Longitude, point.Latitude), (string?)null)));
        foreach (var (label, control) in Controls)
        {
            inputs.AddRange(baseline.Keys.Select(field =>
                ($"control character {label}: {field}", new Dictionary<string, string> { [field] = baseline[field] + control + "x" }, ((double, double)?)null, (string?)"控制字符")));
        }

        async Task TryAsync<TPage>(string form, IRenderedComponent<TPage> page, Dictionary<string, string> changes, (double, double)? point, string name, string? word)
            where TPage : class, IComponent
        {
            tried++;
            page.WaitForElement("input#unit-name");
            if (page.Instance is UnitNew)
            {
                var kind = page.FindComponent<MudBlazor.MudSelect<UnitKind?>>();
                await page.InvokeAsync(() => kind.Instance.ValueChanged.InvokeAsync(UnitKind.Shop));
            }
            foreach (var (field, value) in baseline)
            {
                page.Find($"input#{field}").Change(changes.GetValueOrDefault(field, value));
            }
            var (pickLongitude, pickLatitude) = point ?? (longitude, latitude);
            var map = page.FindComponent<LedgerMap>();
            await page.InvokeAsync(() => map.Instance.PointPicked(pickLongitude, pickLatitude));
            page.Find("[data-testid=unit-submit]").Click();
            Expect(page, $"{form}: {name}", word, failures);
        }

        foreach (var (name, changes, point, word) in inputs)
        {
            await TryAsync("unit-new", harness.Page<UnitNew>("/ledgers/units/new"), changes, point, name, word);
            await TryAsync("unit-edit", harness.DetailPage<UnitEdit>($"/ledgers/units/{unitId}/edit", p => p.Add(c => c.Id, unitId)), changes, point, name, word);
        }

        // What the typed form cannot send (its kind select holds defined kinds only), sent to the service.
        var data = harness.Context.Services.GetRequiredService<PageData>();
        var input = new UnitInput("测试商店", UnitKind.Shop, "测试路2号", longitude, latitude, 5, "孙联系", "13611113333", false, 0);
        foreach (var (name, kind) in new[] { ("kind 999", (UnitKind)999), ("kind -1 (for Bogus)", (UnitKind)(-1)) })
        {
            tried += 2;
            await RefusedAsync($"unit-new: {name}", () => data.RunAsync<LedgerService, int>((ledgers, actor, token) =>
                ledgers.CreateUnitAsync(input with { Kind = kind }, actor, Guid.NewGuid(), token)), failures);
            await RefusedAsync($"unit-edit: {name}", () => data.RunAsync<LedgerService>((ledgers, actor, token) =>
                ledgers.UpdateUnitAsync(unitId, unit.Version, input with { Kind = kind }, actor, token)), failures);
        }

        Report(nameof(Bad_unit_registrations_and_edits_get_a_message_and_write_nothing), tried, failures);
        Assert.Equal(before, await FingerprintAsync(unitId, componentId));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Bad_component_edits_and_removals_get_a_message_and_write_nothing()
    {
        var grid = await app.GridOfAsync("worker1");
        var (unitId, componentId) = await TargetsAsync(grid.Id);
        var component = await app.DbAsync(db => db.Components.AsNoTracking().SingleAsync(c => c.Id == componentId));
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var before = await FingerprintAsync(unitId, componentId);
        var failures = new List<string>();
        var tried = 0;

        IRenderedComponent<ComponentDetail> Open()
        {
            var page = harness.DetailPage<ComponentDetail>($"/ledgers/components/{componentId}", p => p.Add(c => c.Id, componentId));
            page.WaitForElement("input#component-name");
            return page;
        }

        var typed = new List<(string Name, Dictionary<string, string> Changes, (double, double)? Point, string? Word)>
        {
            ("name empty", new() { ["component-name"] = "" }, null, "部件名称"),
            ("name over-long", new() { ["component-name"] = Long(300) }, null, "部件名称"),
            ("minor class abc", new() { ["component-minor"] = "abc" }, null, "小类"),
            ("minor class -1", new() { ["component-minor"] = "-1" }, null, "小类"),
            ("serial over-long", new() { ["component-serial"] = Long(300) }, null, "序号"),
            ("script name with a bad serial", new() { ["component-name"] = Script, ["component-serial"] = "abc" }, null, null),
        };
        typed.AddRange(BadPoints.Select(point => ($"point {point.Name}", new Dictionary<string, string>(), ((double, double)?)(point.Longitude, point.Latitude), (string?)null)));
        foreach (var (label, control) in Controls)
        {
            typed.Add(($"control character {label}: name", new() { ["component-name"] = component.Name + control + "x" }, null, "控制字符"));
            typed.Add(($"control character {label}: minor class", new() { ["component-minor"] = "01" + control }, null, null));
            typed.Add(($"control character {label}: serial", new() { ["component-serial"] = "1" + control }, null, null));
        }
        foreach (var (name, changes, point, word) in typed)
        {
            tried++;
            var page = Open();
            foreach (var (field, value) in changes)
            {
                page.Find($"input#{field}").Change(value);
            }
            if (point is var (longitude, latitude))
            {
                var map = page.FindComponent<LedgerMap>();
                await page.InvokeAsync(() => map.Instance.PointPicked(longitude, latitude));
            }
            page.Find("[data-testid=component-edit-submit]").Click();
            Expect(page, $"component-edit: {name}", word, failures);
        }
        var reasons = new List<(string Name, string Reason)> { ("no reason", ""), ("over-long reason", Long(500)) };
        reasons.AddRange(Controls.Select(c => ($"control character {c.Label} in the reason", "已拆除" + c.Character + "x")));
        foreach (var (name, reason) in reasons)
        {
            tried++;
            var page = Open();
            page.Find("input#component-remove-reason").Change(reason);
            page.Find("[data-testid=component-remove-submit]").Click();
            if (reason.Length > 0 && !reason.Any(char.IsControl))
            {
                harness.Answer("确定");
            }
            Expect(page, $"component-remove: {name}", null, failures);
        }

        // What the typed form cannot send (its selects hold defined values, the version travels with the page), sent to the service.
        var data = harness.Context.Services.GetRequiredService<PageData>();
        var edit = new ComponentEdit(component.Name, component.MajorClass, component.MinorClass, component.Serial, component.State, component.OwnerDepartmentId, null, null);
        foreach (var (name, version, input) in new[]
                 {
                     ("version stale", component.Version + 1, edit),
                     ("major class 999 (for Bogus)", component.Version, edit with { MajorClass = (ComponentClass)999 }),
                     ("state 999 (for Bogus)", component.Version, edit with { State = (ComponentState)999 }),
                     ("owner -1 (for abc)", component.Version, edit with { OwnerDepartmentId = -1 }),
                     ("owner 99999", component.Version, edit with { OwnerDepartmentId = 99999 }),
                 })
        {
            tried++;
            await RefusedAsync($"component-edit: {name}", () => data.RunAsync<LedgerService>((ledgers, actor, token) =>
                ledgers.UpdateComponentAsync(componentId, version, input, actor, token)), failures);
        }

        Report(nameof(Bad_component_edits_and_removals_get_a_message_and_write_nothing), tried, failures);
        Assert.Equal(before, await FingerprintAsync(unitId, componentId));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Bad_household_registrations_get_a_message_and_write_nothing()
    {
        var grid = await app.GridOfAsync("worker1");
        var (longitude, latitude) = await app.PointInGridAsync(grid.Id);
        var otherGrid = await app.DbAsync(db => db.Grids.Where(g => g.Id != grid.Id && g.ValidTo == null).OrderBy(g => g.Id).Select(g => g.Id).FirstAsync());
        var elsewhere = await app.PointInGridAsync(otherGrid);
        var (unitId, componentId) = await TargetsAsync(grid.Id);
        var taken = await app.DbAsync(db => db.Households.Where(h => h.GridId == grid.Id && h.RemovedAt == null).OrderBy(h => h.Id).Select(h => h.Address).FirstAsync());
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var before = await FingerprintAsync(unitId, componentId);
        var failures = new List<string>();
        var tried = 0;

        var baseline = new Dictionary<string, string> { ["household-address"] = "云帆街道坏输入苑8幢2单元202", ["household-dwelling"] = "2单元202" };
        var inputs = new List<(string Name, Dictionary<string, string> Changes, bool ChooseKind, (double, double)? Point, string? Word)>
        {
            ("address empty", new() { ["household-address"] = "" }, true, null, "地址"),
            ("address blank", new() { ["household-address"] = "   " }, true, null, "地址"),
            ("address over-long", new() { ["household-address"] = Long(300) }, true, null, "地址"),
            ("address on record", new() { ["household-address"] = taken }, true, null, "已登记"),
            ("dwelling empty", new() { ["household-dwelling"] = "" }, true, null, "房号"),
            ("dwelling over-long", new() { ["household-dwelling"] = Long(100) }, true, null, "房号"),
            ("script address with no dwelling", new() { ["household-address"] = Script, ["household-dwelling"] = "" }, true, null, null),
            ("kind not chosen", new(), false, null, "请选择"),
            ("point in another grid", new(), true, elsewhere, "不在您负责"),
        };
        inputs.AddRange(BadPoints.Select(point => ($"point {point.Name}", new Dictionary<string, string>(), true, ((double, double)?)(point.Longitude, point.Latitude), (string?)null)));
        foreach (var (label, control) in Controls)
        {
            inputs.AddRange(baseline.Keys.Select(field =>
                ($"control character {label}: {field}", new Dictionary<string, string> { [field] = baseline[field] + control + "x" }, true, ((double, double)?)null, (string?)"控制字符")));
        }
        foreach (var (name, changes, chooseKind, point, word) in inputs)
        {
            tried++;
            var page = harness.Page<HouseholdNew>("/ledgers/households/new");
            page.WaitForElement("input#household-address");
            if (chooseKind)
            {
                var kind = page.FindComponent<MudBlazor.MudSelect<HouseholdKind?>>();
                await page.InvokeAsync(() => kind.Instance.ValueChanged.InvokeAsync(HouseholdKind.Rental));
            }
            foreach (var (field, value) in baseline)
            {
                page.Find($"input#{field}").Change(changes.GetValueOrDefault(field, value));
            }
            var (pickLongitude, pickLatitude) = point ?? (longitude, latitude);
            var map = page.FindComponent<LedgerMap>();
            await page.InvokeAsync(() => map.Instance.PointPicked(pickLongitude, pickLatitude));
            page.Find("[data-testid=household-submit]").Click();
            Expect(page, $"household-new: {name}", word, failures);
        }

        // What the typed form cannot send (its kind select holds defined kinds only), sent to the service.
        var data = harness.Context.Services.GetRequiredService<PageData>();
        var input = new NewHousehold(baseline["household-address"], baseline["household-dwelling"], HouseholdKind.Rental, longitude, latitude);
        foreach (var (name, kind) in new[] { ("kind 999", (HouseholdKind)999), ("kind -1 (for Bogus)", (HouseholdKind)(-1)) })
        {
            tried++;
            await RefusedAsync($"household-new: {name}", () => data.RunAsync<LedgerService, int>((ledgers, actor, token) =>
                ledgers.CreateHouseholdAsync(input with { Kind = kind, SubmissionId = Guid.NewGuid() }, actor, token)), failures);
        }

        Report(nameof(Bad_household_registrations_get_a_message_and_write_nothing), tried, failures);
        Assert.Equal(before, await FingerprintAsync(unitId, componentId));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Bad_component_registrations_get_a_message_and_write_nothing()
    {
        var grid = await app.GridOfAsync("worker1");
        var (longitude, latitude) = await app.PointInGridAsync(grid.Id);
        var (unitId, componentId) = await TargetsAsync(grid.Id);
        var taken = await app.DbAsync(db => db.Components.Where(c => c.GridId == grid.Id).OrderBy(c => c.Id).Select(c => c.Code).FirstAsync());
        var division = taken[..6];
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var before = await FingerprintAsync(unitId, componentId);
        var failures = new List<string>();
        var tried = 0;

        var baseline = new Dictionary<string, string> { ["component-code"] = division + "0699123456", ["component-name"] = "坏输入消防栓" };
        var inputs = new List<(string Name, Dictionary<string, string> Changes, (double, double)? Point, string? Word)>
        {
            ("code empty", new() { ["component-code"] = "" }, null, "部件编码"),
            ("code of 15 digits", new() { ["component-code"] = division + "069912345" }, null, "部件编码"),
            ("code of 17 digits", new() { ["component-code"] = division + "06991234567" }, null, "部件编码"),
            ("code with letters", new() { ["component-code"] = division + "06991234ab" }, null, "部件编码"),
            ("code of full-width digits", new() { ["component-code"] = "３２０５０８０１０１０００００１" }, null, "部件编码"),
            ("code over-long", new() { ["component-code"] = Long(300) }, null, "部件编码"),
            ("code SQL", new() { ["component-code"] = "'; DROP TABLE components;--" }, null, "部件编码"),
            ("code of major class 07", new() { ["component-code"] = division + "0701000001" }, null, "大类"),
            ("code of minor class 00", new() { ["component-code"] = division + "0100000001" }, null, "小类"),
            ("code of serial 000000", new() { ["component-code"] = division + "0101000000" }, null, "序号"),
            ("code in use", new() { ["component-code"] = taken }, null, "已被"),
            ("name empty", new() { ["component-name"] = "" }, null, "部件名称"),
            ("name over-long", new() { ["component-name"] = Long(300) }, null, "部件名称"),
            ("script name with a bad code", new() { ["component-name"] = Script, ["component-code"] = "abc" }, null, null),
        };
        inputs.AddRange(BadPoints.Select(point => ($"point {point.Name}", new Dictionary<string, string>(), ((double, double)?)(point.Longitude, point.Latitude), (string?)null)));
        foreach (var (label, control) in Controls)
        {
            inputs.AddRange(baseline.Keys.Select(field =>
                ($"control character {label}: {field}", new Dictionary<string, string> { [field] = baseline[field] + control + "x" }, ((double, double)?)null, (string?)"控制字符")));
        }
        foreach (var (name, changes, point, word) in inputs)
        {
            tried++;
            var page = harness.Page<ComponentNew>("/ledgers/components/new");
            page.WaitForElement("input#component-code");
            foreach (var (field, value) in baseline)
            {
                page.Find($"input#{field}").Change(changes.GetValueOrDefault(field, value));
            }
            var (pickLongitude, pickLatitude) = point ?? (longitude, latitude);
            var map = page.FindComponent<LedgerMap>();
            await page.InvokeAsync(() => map.Instance.PointPicked(pickLongitude, pickLatitude));
            page.Find("[data-testid=component-submit]").Click();
            Expect(page, $"component-new: {name}", word, failures);
        }

        // What the typed form cannot send (its state radios and owner select hold defined values only), sent to the service.
        var data = harness.Context.Services.GetRequiredService<PageData>();
        var department = await app.DbAsync(db => db.Departments.OrderBy(d => d.Id).Select(d => d.Id).FirstAsync());
        var input = new NewComponent(baseline["component-code"], baseline["component-name"], ComponentState.Intact, department, longitude, latitude);
        foreach (var (name, bad) in new[]
                 {
                     ("state 999 (for Bogus)", input with { State = (ComponentState)999 }),
                     ("owner -1 (for abc)", input with { OwnerDepartmentId = -1 }),
                     ("owner 99999", input with { OwnerDepartmentId = 99999 }),
                 })
        {
            tried++;
            await RefusedAsync($"component-new: {name}", () => data.RunAsync<LedgerService, int>((ledgers, actor, token) =>
                ledgers.CreateComponentAsync(bad with { SubmissionId = Guid.NewGuid() }, actor, token)), failures);
        }

        Report(nameof(Bad_component_registrations_get_a_message_and_write_nothing), tried, failures);
        Assert.Equal(before, await FingerprintAsync(unitId, componentId));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
