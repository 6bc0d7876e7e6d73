using GridGov.Application.Cases;
using GridGov.Application.Hotline;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Hotline;
using GridGov.Infrastructure.Persistence;
using GridGov.TestSupport.GridGov;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GridGov.Application.Tests.Hotline;

/// <summary>12345 work orders in through the case workflow: signature, idempotency, category mapping, placement, deadlines.</summary>
public sealed class HotlineOrderTests(HotlineScenario scenario) : IClassFixture<HotlineScenario>
{
    private async Task<object> OrderAsync(string orderNumber, string category = "0301", DateTimeOffset? deadline = null, string content = "小区门口果皮箱倾倒，垃圾散落一地")
    {
        var (longitude, latitude) = await scenario.PointInGridAsync(await scenario.AnyGridCodeAsync());
        return new
        {
            order_no = orderNumber,
            category_code = category,
            appeal_type = "投诉",
            title = "果皮箱倾倒",
            content,
            address = "云帆街道某小区门口",
            lng = longitude,
            lat = latitude,
            caller_name = "张先生",
            caller_phone = "13800138000",
            deadline = deadline?.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    private Task<int> CountAsync<T>(Func<GridGovDbContext, IQueryable<T>> rows) =>
        scenario.WithAsync(p => rows(p.GetRequiredService<GridGovDbContext>()).CountAsync());

    [Fact]
    public async Task An_order_with_a_point_becomes_a_hotline_case_of_the_caller_with_the_hotline_deadline_and_its_order_row()
    {
        scenario.Clock.Set(TestClock.China(2026, 11, 23, 9));
        var orderNumber = HotlineScenario.NewOrderNumber();
        var due = TestClock.China(2026, 11, 24, 17);

        var receipt = await scenario.ReceiveAsync(HotlineScenario.Body(await OrderAsync(orderNumber, deadline: due)));

        Assert.True(receipt.Created);
        Assert.Equal((HotlinePlacement.Point, true), (receipt.Placement, receipt.CategoryMapped));
        var @case = await scenario.CaseAsync(receipt.CaseNumber);
        Assert.Equal((CaseSource.Hotline, CaseState.Reported, orderNumber, due), (@case.Source, @case.State, @case.HotlineOrderNumber, @case.HotlineDue));
        Assert.Equal(("张先生", "13800138000", null), (@case.ReporterName, @case.ReporterPhone, @case.ReporterStaffId));
        Assert.StartsWith($"【12345工单{orderNumber}·投诉】果皮箱倾倒：小区门口果皮箱倾倒", @case.Description, StringComparison.Ordinal);
        Assert.Equal("0301", await scenario.WithAsync(p => p.GetRequiredService<GridGovDbContext>().Categories.Where(c => c.Id == @case.CategoryId).Select(c => c.Code).SingleAsync()));
        Assert.Equal(1, await CountAsync(db => db.HotlineOrders.Where(o => o.OrderNumber == orderNumber)));
    }

    [Fact]
    public async Task The_same_order_again_answers_with_the_same_case_and_another_body_under_its_number_is_refused_writing_nothing()
    {
        var orderNumber = HotlineScenario.NewOrderNumber();
        var body = HotlineScenario.Body(await OrderAsync(orderNumber));
        var first = await scenario.ReceiveAsync(body);
        var casesBefore = await CountAsync(db => db.Cases);

        var again = await scenario.ReceiveAsync(body);
        var changed = await Assert.ThrowsAsync<DomainException>(() => scenario.ReceiveAsync(HotlineScenario.Body(
            OrderWith(body, "content", "内容被改动过的同一工单"))));

        Assert.Equal((first.CaseNumber, false), (again.CaseNumber, again.Created));
        Assert.Equal("hotline.order-conflict", changed.Code);
        Assert.Contains(first.CaseNumber, changed.Message, StringComparison.Ordinal);
        Assert.Equal(casesBefore, await CountAsync(db => db.Cases));
        Assert.Equal(1, await CountAsync(db => db.HotlineOrders.Where(o => o.OrderNumber == orderNumber)));
    }

    [Fact]
    public async Task The_same_order_posted_twice_at_once_makes_one_case_and_both_posts_answer_with_it()
    {
        var orderNumber = HotlineScenario.NewOrderNumber();
        var body = HotlineScenario.Body(await OrderAsync(orderNumber));

        var answers = await Task.WhenAll(scenario.ReceiveAsync(body), scenario.ReceiveAsync(body));

        Assert.Equal(answers[0].CaseNumber, answers[1].CaseNumber);
        Assert.Single(answers, a => a.Created);
        Assert.Equal(1, await CountAsync(db => db.Cases.Where(c => c.HotlineOrderNumber == orderNumber)));
        Assert.Equal(1, await CountAsync(db => db.HotlineOrders.Where(o => o.OrderNumber == orderNumber)));
    }

    [Fact]
    public async Task A_wrong_or_stale_signature_is_refused_before_anything_is_read_or_written()
    {
        var body = HotlineScenario.Body(await OrderAsync(HotlineScenario.NewOrderNumber()));
        var casesBefore = await CountAsync(db => db.Cases);

        var wrong = await Assert.ThrowsAsync<DomainException>(() => scenario.ReceiveAsync(body, secret: "someone-elses-secret"));
        var stale = await Assert.ThrowsAsync<DomainException>(() => scenario.ReceiveAsync(body, signedAt: scenario.Clock.GetUtcNow().AddMinutes(-6)));
        var future = await Assert.ThrowsAsync<DomainException>(() => scenario.ReceiveAsync(body, signedAt: scenario.Clock.GetUtcNow().AddMinutes(6)));

        Assert.Equal(("hotline.signature-invalid", "hotline.timestamp-stale", "hotline.timestamp-stale"), (wrong.Code, stale.Code, future.Code));
        Assert.Equal(casesBefore, await CountAsync(db => db.Cases));
        // Within the allowed skew the same body is taken.
        Assert.True((await scenario.ReceiveAsync(body, signedAt: scenario.Clock.GetUtcNow().AddMinutes(-4))).Created);
    }

    [Fact]
    public async Task Codes_map_by_the_administrators_mapping_then_by_a_class_of_the_same_code_then_to_the_default_class_marked_for_the_dispatcher()
    {
        await scenario.WithAsync(async p =>
        {
            var db = p.GetRequiredService<GridGovDbContext>();
            var lamp = await db.Categories.Where(c => c.Code == "0101").Select(c => c.Id).SingleAsync();
            db.HotlineCategoryMappings.Add(new HotlineCategoryMapping("SZ-0107", lamp, "井盖"));
            return await db.SaveChangesAsync();
        });

        var mapped = await scenario.WithAsync(p => p.GetRequiredService<HotlineCategories>().ChooseAsync("SZ-0107"));
        var sameCode = await scenario.WithAsync(p => p.GetRequiredService<HotlineCategories>().ChooseAsync("0301"));
        var unknown = await scenario.WithAsync(p => p.GetRequiredService<HotlineCategories>().ChooseAsync("ZZ-999"));
        var noDefault = await Assert.ThrowsAsync<DomainException>(() => scenario.WithAsync(p =>
            new HotlineCategories(p.GetRequiredService<GridGovDbContext>(), Options.Create(new HotlineOptions { DefaultCategoryCode = "" })).ChooseAsync("ZZ-999")));

        Assert.Equal(("0101", true), (mapped.CategoryCode, mapped.Mapped));
        Assert.Equal(("0301", true), (sameCode.CategoryCode, sameCode.Mapped));
        Assert.Equal(("1406", false), (unknown.CategoryCode, unknown.Mapped));
        Assert.Equal("hotline.category-unmapped", noDefault.Code);

        // An order of an unknown code reaches the dispatcher in the default class, its description saying so.
        var receipt = await scenario.ReceiveAsync(HotlineScenario.Body(await OrderAsync(HotlineScenario.NewOrderNumber(), category: "ZZ-999")));
        var @case = await scenario.CaseAsync(receipt.CaseNumber);
        Assert.False(receipt.CategoryMapped);
        Assert.Equal(unknown.CategoryId, @case.CategoryId);
        Assert.Contains("热线分类“ZZ-999”未对应本街道类别", @case.Description, StringComparison.Ordinal);
        var view = await scenario.WithAsync(p => p.GetRequiredService<HotlineCategories>().ViewAsync());
        Assert.Contains(view.Rows, r => r.HotlineCode == "SZ-0107" && r.CategoryCode == "0101");
        Assert.Equal("1406", view.DefaultCategoryCode);
    }

    [Fact]
    public async Task An_order_without_a_point_is_placed_by_a_household_address_or_a_compound_name_and_an_unknown_address_is_refused_writing_nothing()
    {
        var (address, householdGrid) = await scenario.WithAsync(async p =>
        {
            var db = p.GetRequiredService<GridGovDbContext>();
            // An address only one grid's households have.
            var row = await db.Database.SqlQuery<AddressRow>($"""
                SELECT h.address AS "Address", min(g.code) AS "GridCode" FROM households h JOIN buildings b ON b.id = h.building_id JOIN grids g ON g.id = b.grid_id
                WHERE h.removed_at IS NULL GROUP BY h.address HAVING count(DISTINCT b.grid_id) = 1 ORDER BY h.address LIMIT 1
                """).SingleAsync();
            return (row.Address, row.GridCode);
        });
        var (compound, compoundGrid) = await scenario.WithAsync(async p =>
        {
            var db = p.GetRequiredService<GridGovDbContext>();
            var row = await db.Database.SqlQuery<AddressRow>($"""
                SELECT c.name AS "Address", min(g.code) AS "GridCode" FROM compounds c JOIN grids g ON g.id = c.grid_id
                GROUP BY c.name HAVING count(*) = 1 ORDER BY length(c.name) DESC, c.name LIMIT 1
                """).SingleAsync();
            return (row.Address, row.GridCode);
        });

        var byAddress = await scenario.ReceiveAsync(HotlineScenario.Body(new
        {
            order_no = HotlineScenario.NewOrderNumber(), category_code = "0301", content = "楼下垃圾无人清运",
            address = "江苏省苏州市姑苏区 " + address.Replace("号", "号 ", StringComparison.Ordinal),
        }));
        var byCompound = await scenario.ReceiveAsync(HotlineScenario.Body(new
        {
            order_no = HotlineScenario.NewOrderNumber(), category_code = "0301", content = "小区东门果皮箱破损", address = "云帆街道" + compound + "东门",
        }));
        var casesBefore = await CountAsync(db => db.Cases);
        var ordersBefore = await CountAsync(db => db.HotlineOrders);
        var unknown = await Assert.ThrowsAsync<DomainException>(() => scenario.ReceiveAsync(HotlineScenario.Body(new
        {
            order_no = HotlineScenario.NewOrderNumber(), category_code = "0301", content = "路灯不亮", address = "火星基地一号门",
        })));

        Assert.Equal((HotlinePlacement.Address, householdGrid), (byAddress.Placement, (await scenario.CaseAsync(byAddress.CaseNumber)).GridCode));
        Assert.Equal((HotlinePlacement.Compound, compoundGrid), (byCompound.Placement, (await scenario.CaseAsync(byCompound.CaseNumber)).GridCode));
        Assert.Equal("hotline.address-unmatched", unknown.Code);
        Assert.Equal((casesBefore, ordersBefore), (await CountAsync(db => db.Cases), await CountAsync(db => db.HotlineOrders)));
    }

    [Fact]
    public async Task The_stricter_of_the_hotline_deadline_and_the_street_deadline_runs_and_an_extension_cannot_pass_the_hotline_deadline()
    {
        scenario.Clock.Set(TestClock.China(2026, 11, 23, 9));
        var dispatcher = await scenario.ActorAsync("dispatcher1");
        var handler = await scenario.ActorAsync("handler1");
        var strictDue = TestClock.China(2026, 11, 23, 11); // two hours: stricter than the class's working day
        var looseDue = TestClock.China(2026, 11, 30, 17);  // a week: the street's own deadline comes first

        var strict = await DispatchedAsync(await scenario.ReceiveAsync(HotlineScenario.Body(await OrderAsync(HotlineScenario.NewOrderNumber(), deadline: strictDue))));
        var loose = await DispatchedAsync(await scenario.ReceiveAsync(HotlineScenario.Body(await OrderAsync(HotlineScenario.NewOrderNumber(), deadline: looseDue))));
        var streetDue = await scenario.WithAsync(async p =>
        {
            var category = await p.GetRequiredService<GridGovDbContext>().Categories.AsNoTracking().SingleAsync(c => c.Code == "0301");
            return (await p.GetRequiredService<CaseDeadlines>().ForAsync(category, CaseStage.Handle, CasePriority.Normal, scenario.Clock.GetUtcNow())).Due;
        });

        Assert.True(streetDue > strictDue && streetDue < looseDue, $"street deadline {streetDue}");
        Assert.Equal((strictDue, strictDue), (strict.HandleDue, strict.CurrentDue));
        // The warning comes at 80% of the working time to the hotline's deadline, not at its own class's 80% (after it).
        Assert.True(strict.WarningAt > scenario.Clock.GetUtcNow() && strict.WarningAt < strictDue, $"warning {strict.WarningAt}");
        Assert.Equal((streetDue, streetDue), (loose.HandleDue, loose.CurrentDue));

        await scenario.DoAsync(s => s.AcceptAsync(loose.Id, handler));
        var refused = await Assert.ThrowsAsync<DomainException>(() =>
            scenario.DoAsync(s => s.RequestExtensionAsync(loose.Id, handler, "需协调环卫车辆", looseDue.AddDays(1))));
        Assert.Equal("case.extension-past-hotline", refused.Code);
        var allowed = await scenario.DoAsync(s => s.RequestExtensionAsync(loose.Id, handler, "需协调环卫车辆", looseDue));
        Assert.NotNull(allowed.PendingExtension);

        async Task<Case> DispatchedAsync(HotlineReceipt receipt)
        {
            var id = (await scenario.CaseAsync(receipt.CaseNumber)).Id;
            await scenario.DoAsync(s => s.RegisterAsync(id, dispatcher, null, null));
            return await scenario.DoAsync(s => s.DispatchAsync(id, dispatcher, handler.DepartmentId!.Value));
        }
    }

    private static object OrderWith(byte[] body, string member, string value)
    {
        var order = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, object?>>(body)!;
        order[member] = value;
        return order;
    }

    private sealed record AddressRow(string Address, string GridCode);
}
