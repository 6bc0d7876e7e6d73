using System.Net;
using Bunit;
using GridGov.Application.Ledgers;
using GridGov.Domain.Audit;
using GridGov.Domain.Ledgers;
using GridGov.Web.Components.Pages.Ledgers;
using GridGov.Web.Infrastructure;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Web.Tests.Components;

/// <summary>
/// The interactive unit pages (单位/门店) with bUnit on the real application and database: registration with a point
/// clicked on the map and its submission id, the edit carrying the version shown (and the masked phone kept), the
/// removal asked again and versioned, and the audited reveal of the contact phone.
/// </summary>
public sealed class UnitPagesComponentTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private Task<Unit> UnitAsync(int gridId, int skip) => app.DbAsync(db =>
        db.Units.AsNoTracking().Where(u => u.GridId == gridId && u.RemovedAt == null).OrderBy(u => u.Id).Skip(skip).FirstAsync());

    private Task<Unit> ReloadUnitAsync(int id) => app.DbAsync(db => db.Units.AsNoTracking().SingleAsync(u => u.Id == id));

    private static IRenderedComponent<UnitNew> OpenNew(ComponentHarness harness)
    {
        var page = harness.Page<UnitNew>("/ledgers/units/new");
        page.WaitForElement("input#unit-name");
        return page;
    }

    private static IRenderedComponent<UnitEdit> OpenEdit(ComponentHarness harness, int id)
    {
        var page = harness.DetailPage<UnitEdit>($"/ledgers/units/{id}/edit", p => p.Add(c => c.Id, id));
        page.WaitForElement("input#unit-name");
        return page;
    }

    private static IRenderedComponent<UnitDetail> OpenDetail(ComponentHarness harness, int id)
    {
        var page = harness.DetailPage<UnitDetail>($"/ledgers/units/{id}", p => p.Add(c => c.Id, id));
        page.WaitForElement("[data-testid=unit-title]");
        return page;
    }

    /// <summary>A click on the page's map, as map.js reports it.</summary>
    private static Task PickAsync<TPage>(IRenderedComponent<TPage> page, double longitude, double latitude) where TPage : class, Microsoft.AspNetCore.Components.IComponent
    {
        var map = page.FindComponent<LedgerMap>();
        return page.InvokeAsync(() => map.Instance.PointPicked(longitude, latitude));
    }

    private static async Task FillAsync(IRenderedComponent<UnitNew> page, string name, string phone)
    {
        page.Find("input#unit-name").Change(name);
        await page.ChooseAsync<UnitNew, UnitKind?>(UnitKind.Shop);
        page.Find("input#unit-address").Change("云帆街道测试路8号");
        page.Find("input#unit-contact-name").Change("周师傅");
        page.Find("input#unit-contact-phone").Change(phone);
        page.Find("input#unit-employees").Change("2");
    }

    [Fact]
    public async Task A_shop_outside_the_street_is_refused_next_to_the_map_and_one_inside_the_grid_is_registered()
    {
        var grid = await app.GridOfAsync("worker1");
        var (longitude, latitude) = await app.PointInGridAsync(grid.Id);
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var page = OpenNew(harness);
        await FillAsync(page, "街角修鞋铺", "13522223333");

        await PickAsync(page, 116.397, 39.909);
        page.WaitForAssertion(() => Assert.Equal("outside", page.Find("[data-testid=ledger-where]").GetAttribute("data-where")));
        page.Find("[data-testid=unit-submit]").Click();

        page.WaitForAssertion(() => Assert.Contains("本街道范围之外", page.ErrorFor("location")));
        Assert.Equal("街角修鞋铺", page.Find("input#unit-name").GetAttribute("value"));
        Assert.False(await app.DbAsync(db => db.Units.AnyAsync(u => u.Name == "街角修鞋铺")));

        await PickAsync(page, longitude, latitude);
        page.WaitForAssertion(() => Assert.Equal(grid.Code, page.Find("[data-testid=ledger-where]").GetAttribute("data-grid-code")));
        page.Find("[data-testid=unit-submit]").Click();

        page.WaitForAssertion(() => Assert.Matches("/ledgers/units/[0-9]+$", harness.Navigation.Uri));
        var unit = await app.DbAsync(db => db.Units.AsNoTracking().SingleAsync(u => u.Name == "街角修鞋铺"));
        Assert.EndsWith($"/ledgers/units/{unit.Id}", harness.Navigation.Uri, StringComparison.Ordinal);
        Assert.Equal(grid.Id, unit.GridId);
        Assert.Equal(UnitKind.Shop, unit.Kind);
        Assert.Equal(LedgerChangeKind.Created, Assert.Single(await app.ChangesAsync(nameof(Unit), unit.Id)).Kind);
        Assert.Contains(harness.Snackbar.ShownSnackbars, s => s.Message == "已登记。");
    }

    [Fact]
    public async Task A_replayed_registration_answers_with_the_first_unit_and_the_create_forms_carry_a_submission_id()
    {
        var grid = await app.GridOfAsync("worker1");
        var (longitude, latitude) = await app.PointInGridAsync(grid.Id);
        using var client = await app.SignedInAsync("worker1");
        Assert.Matches("data-submission=\"[0-9a-f-]{36}\"", await client.GetStringAsync("/ledgers/units/new"));
        Assert.Matches("data-submission=\"[0-9a-f-]{36}\"", await client.GetStringAsync("/ledgers/residents/new"));
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var page = OpenNew(harness);
        var submission = page.Instance.SubmissionId!.Value;
        // The first click went through, but its answer never reached the tab (a dropped connection, say).
        var data = harness.Context.Services.GetRequiredService<PageData>();
        var input = new UnitInput("重放测试理发店", UnitKind.Shop, "云帆街道测试路9号", longitude, latitude, 2, "吴师傅", "13522224444", false, 0);
        var first = await data.RunAsync<LedgerService, int>((ledgers, actor, token) => ledgers.CreateUnitAsync(input, actor, submission, token));

        await FillAsync(page, "重放测试理发店", "13522224444");
        await PickAsync(page, longitude, latitude);
        page.Find("[data-testid=unit-submit]").Click();

        page.WaitForAssertion(() => Assert.EndsWith($"/ledgers/units/{first}", harness.Navigation.Uri, StringComparison.Ordinal));
        Assert.Equal(1, await app.DbAsync(db => db.Units.CountAsync(u => u.Name == "重放测试理发店")));
    }

    [Fact]
    public async Task A_credit_code_is_checked_under_its_field_kept_on_the_unit_shown_on_its_page_and_refused_for_a_second_unit()
    {
        var grid = await app.GridOfAsync("worker1");
        var (longitude, latitude) = await app.PointInGridAsync(grid.Id);
        var first17 = $"92320508MA{Environment.ProcessId % 10_000_000:D7}";
        var code = first17 + CreditCode.ComputeCheckCharacter(first17);
        var wrong = first17 + (code[^1] == '0' ? '1' : '0');
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var page = OpenNew(harness);
        await FillAsync(page, "信用代码测试商店", "13522225555");
        await PickAsync(page, longitude, latitude);

        page.Find("input#unit-credit-code").Change(wrong);
        page.Find("[data-testid=unit-submit]").Click();

        page.WaitForAssertion(() => Assert.Equal("统一社会信用代码校验位错误，请核对后重新输入", page.ErrorUnder("unit-credit-code")));
        Assert.False(await app.DbAsync(db => db.Units.AnyAsync(u => u.Name == "信用代码测试商店")));

        page.Find("input#unit-credit-code").Change(" " + code.ToLowerInvariant() + " ");
        page.Find("[data-testid=unit-submit]").Click();

        page.WaitForAssertion(() => Assert.Matches("/ledgers/units/[0-9]+$", harness.Navigation.Uri));
        var unit = await app.DbAsync(db => db.Units.AsNoTracking().SingleAsync(u => u.Name == "信用代码测试商店"));
        Assert.Equal(code, unit.CreditCode);
        var detail = OpenDetail(harness, unit.Id);
        Assert.Equal(code, detail.Find("[data-testid=unit-credit-code-text]").TextContent);

        // Another unit given the same code on its edit form: refused under the field, nothing changed.
        var other = await UnitAsync(grid.Id, skip: 6);
        var changes = (await app.ChangesAsync(nameof(Unit), other.Id)).Count;
        var edit = OpenEdit(harness, other.Id);
        edit.Find("input#unit-credit-code").Change(code);
        edit.Find("[data-testid=unit-submit]").Click();

        edit.WaitForAssertion(() => Assert.Equal("该统一社会信用代码已登记为另一个单位，不能重复登记；请核对", edit.ErrorUnder("unit-credit-code")));
        Assert.Null((await ReloadUnitAsync(other.Id)).CreditCode);
        Assert.Equal(changes, (await app.ChangesAsync(nameof(Unit), other.Id)).Count);
    }

    [Fact]
    public async Task Party_members_above_the_unit_size_are_refused_under_the_field_and_change_nothing()
    {
        var grid = await app.GridOfAsync("worker1");
        var unit = await UnitAsync(grid.Id, skip: 0);
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var page = OpenEdit(harness, unit.Id);

        page.Find("input#unit-employees").Change("2");
        page.Find("input#unit-party-members").Change("5");
        page.Find("[data-testid=unit-submit]").Click();

        page.WaitForAssertion(() => Assert.Equal("党员人数不能超过从业人数", page.ErrorUnder("unit-party-members")));
        Assert.Equal("5", page.Find("input#unit-party-members").GetAttribute("value"));
        Assert.Empty(await app.ChangesAsync(nameof(Unit), unit.Id));
    }

    [Fact]
    public async Task The_edit_form_holds_the_phone_masked_and_saving_it_unchanged_keeps_the_number()
    {
        var grid = await app.GridOfAsync("worker1");
        var unit = await UnitAsync(grid.Id, skip: 1);
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var page = OpenEdit(harness, unit.Id);
        Assert.Equal(Masking.Phone(unit.ContactPhone), page.Find("input#unit-contact-phone").GetAttribute("value"));
        Assert.DoesNotContain(unit.ContactPhone, page.Markup);

        page.Find("input#unit-name").Change(unit.Name + "改");
        page.Find("[data-testid=unit-submit]").Click();

        page.WaitForAssertion(() => Assert.EndsWith($"/ledgers/units/{unit.Id}", harness.Navigation.Uri, StringComparison.Ordinal));
        var saved = await ReloadUnitAsync(unit.Id);
        Assert.Equal(unit.Name + "改", saved.Name);
        Assert.Equal(unit.ContactPhone, saved.ContactPhone);
        Assert.Contains(harness.Snackbar.ShownSnackbars, s => s.Message == "已保存，变更已记入台账变更记录。");
    }

    [Fact]
    public async Task A_shop_marked_as_five_small_on_its_edit_form_is_listed_with_the_five_small_filter_and_shows_it_on_its_page()
    {
        var grid = await app.GridOfAsync("worker1");
        var shop = await app.DbAsync(db => db.Units.AsNoTracking()
            .Where(u => u.GridId == grid.Id && u.RemovedAt == null && u.Kind == UnitKind.Shop && !u.IsSmallVenue).OrderBy(u => u.Id).FirstAsync());
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var page = OpenEdit(harness, shop.Id);

        page.Find("input[data-testid=unit-small-venue], [data-testid=unit-small-venue] input").Change(true);
        page.Find("[data-testid=unit-submit]").Click();
        page.WaitForAssertion(() => Assert.EndsWith($"/ledgers/units/{shop.Id}", harness.Navigation.Uri, StringComparison.Ordinal));
        Assert.True((await ReloadUnitAsync(shop.Id)).IsSmallVenue);
        Assert.Contains("五小门店", OpenDetail(harness, shop.Id).Find("[data-testid=unit-small-venue-fact]").ParentElement!.TextContent, StringComparison.Ordinal);

        // 五小门店明细表: the filter lists flagged shops only, each with its mark.
        var list = harness.Page<UnitList>($"/ledgers/units?grid={grid.Code}&small=true");
        list.WaitForAssertion(() => Assert.NotEmpty(list.FindAll("[data-unit-id]")));
        var expected = await app.DbAsync(db => db.Units.AsNoTracking()
            .Where(u => u.GridId == grid.Id && u.RemovedAt == null && u.IsSmallVenue).Select(u => u.Id).OrderBy(id => id).ToListAsync());
        list.WaitForAssertion(() => Assert.Equal(expected, list.FindAll("[data-unit-id]")
            .Select(e => int.Parse(e.GetAttribute("data-unit-id")!, System.Globalization.CultureInfo.InvariantCulture)).Order().ToList()));
        Assert.Contains(shop.Id, expected);
        Assert.All(list.FindAll("[data-unit-id]"), row => Assert.NotNull(row.QuerySelector("[data-testid=unit-small-venue-badge]")));
    }

    [Fact]
    public async Task A_unit_that_is_not_a_shop_is_not_offered_the_five_small_mark()
    {
        var grid = await app.GridOfAsync("worker1");
        var enterprise = await app.DbAsync(db => db.Units.AsNoTracking()
            .Where(u => u.GridId == grid.Id && u.RemovedAt == null && u.Kind != UnitKind.Shop).OrderBy(u => u.Id).FirstAsync());
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var page = OpenEdit(harness, enterprise.Id);

        Assert.True(page.Find("input[data-testid=unit-small-venue], [data-testid=unit-small-venue] input").HasAttribute("disabled"));
        var actor = await Inbox.InboxCases.ActorAsync(app, "worker1");
        var refusal = await Assert.ThrowsAsync<GridGov.Domain.Common.DomainException>(() => Inbox.InboxCases.WithAsync(app, async provider =>
        {
            var current = await ReloadUnitAsync(enterprise.Id);
            await provider.GetRequiredService<LedgerService>().UpdateUnitAsync(current.Id, current.Version,
                new UnitInput(current.Name, current.Kind, current.Address, current.Location.X, current.Location.Y, current.EmployeeCount, current.ContactName,
                    current.ContactPhone, current.HasPartyOrganisation, current.PartyMemberCount, IsSmallVenue: true), actor);
            return true;
        }));
        Assert.Equal("unit.small-venue-kind", refusal.Code);
        Assert.False((await ReloadUnitAsync(enterprise.Id)).IsSmallVenue);
    }

    [Fact]
    public async Task Saving_a_unit_someone_changed_since_it_was_shown_is_refused_naming_them_and_keeps_what_was_typed()
    {
        var grid = await app.GridOfAsync("worker1");
        var unit = await UnitAsync(grid.Id, skip: 2);
        var dispatcherName = await app.StaffNameAsync("dispatcher1");
        await using var worker = await ComponentHarness.SignedInAsync(app, "worker1");
        await using var dispatcher = await ComponentHarness.SignedInAsync(app, "dispatcher1");
        var workerPage = OpenEdit(worker, unit.Id);
        var dispatcherPage = OpenEdit(dispatcher, unit.Id);

        dispatcherPage.Find("input#unit-name").Change("先存商店");
        dispatcherPage.Find("[data-testid=unit-submit]").Click();
        dispatcherPage.WaitForAssertion(() => Assert.EndsWith($"/ledgers/units/{unit.Id}", dispatcher.Navigation.Uri, StringComparison.Ordinal));
        workerPage.Find("input#unit-name").Change("后存商店");
        workerPage.Find("input#unit-contact-phone").Change("13655557777");
        workerPage.Find("[data-testid=unit-submit]").Click();

        workerPage.WaitForAssertion(() => Assert.Contains($"已被{dispatcherName}于", workerPage.ErrorFor("general")));
        Assert.Equal("后存商店", workerPage.Find("input#unit-name").GetAttribute("value"));
        Assert.Equal("13655557777", workerPage.Find("input#unit-contact-phone").GetAttribute("value"));
        var stored = await ReloadUnitAsync(unit.Id);
        Assert.Equal("先存商店", stored.Name);
        Assert.Equal(unit.ContactPhone, stored.ContactPhone);
        Assert.Single(await app.ChangesAsync(nameof(Unit), unit.Id));

        // Told who changed it, the worker may save again: the form now carries the version shown.
        workerPage.Find("[data-testid=unit-submit]").Click();
        workerPage.WaitForAssertion(() => Assert.EndsWith($"/ledgers/units/{unit.Id}", worker.Navigation.Uri, StringComparison.Ordinal));
        await ComponentHarness.EventuallyAsync(async () => Assert.Equal("后存商店", (await ReloadUnitAsync(unit.Id)).Name));
        Assert.Equal(2, (await app.ChangesAsync(nameof(Unit), unit.Id)).Count);
    }

    [Fact]
    public async Task A_removal_is_asked_again_and_one_of_a_unit_changed_since_it_was_shown_is_refused_naming_who()
    {
        var grid = await app.GridOfAsync("worker1");
        var unit = await UnitAsync(grid.Id, skip: 3);
        var dispatcherName = await app.StaffNameAsync("dispatcher1");
        await using var worker = await ComponentHarness.SignedInAsync(app, "worker1");
        await using var dispatcher = await ComponentHarness.SignedInAsync(app, "dispatcher1");
        var page = OpenDetail(worker, unit.Id);
        var edit = new UnitInput("先改商店", unit.Kind, unit.Address, unit.Location.X, unit.Location.Y, unit.EmployeeCount, unit.ContactName, unit.ContactPhone,
            unit.HasPartyOrganisation, unit.PartyMemberCount);
        await dispatcher.Context.Services.GetRequiredService<PageData>()
            .RunAsync<LedgerService>((ledgers, actor, token) => ledgers.UpdateUnitAsync(unit.Id, unit.Version, edit, actor, token));

        page.Find("input#unit-remove-reason").Change("已关停");
        page.Find("[data-testid=unit-remove-submit]").Click();
        worker.Answer("取消");
        Assert.Null((await ReloadUnitAsync(unit.Id)).RemovedAt);
        page.Find("[data-testid=unit-remove-submit]").Click();
        worker.Answer("确定");

        page.WaitForAssertion(() => Assert.Contains($"已被{dispatcherName}于", page.ErrorUnder("unit-remove-reason")));
        Assert.Equal("先改商店", page.TestId("unit-title")); // shown what changed, the worker decides again
        Assert.Null((await ReloadUnitAsync(unit.Id)).RemovedAt);

        page.Find("[data-testid=unit-remove-submit]").Click();
        worker.Answer("确定");

        page.WaitForAssertion(() => Assert.Contains("已关停", page.TestId("removed-note")));
        Assert.Empty(page.FindAll("[data-testid=unit-remove]"));
        Assert.Empty(page.FindAll("[data-testid=unit-edit-link]"));
        var removed = await ReloadUnitAsync(unit.Id);
        Assert.Equal("已关停", removed.RemovalReason);
        Assert.Equal(LedgerChangeKind.Removed, (await app.ChangesAsync(nameof(Unit), unit.Id)).Last().Kind);
    }

    [Fact]
    public async Task The_secretary_reveals_a_units_contact_phone_audited_and_the_street_leader_is_offered_no_reveal()
    {
        var secretaryCommunity = await app.DbAsync(db => db.Users.Where(u => u.UserName == "secretary1")
            .Join(db.StaffMembers, u => u.StaffMemberId, s => s.Id, (u, s) => s.CommunityId).SingleAsync());
        var unit = await app.DbAsync(db => db.Units.AsNoTracking()
            .Where(u => u.RemovedAt == null && db.Grids.Any(g => g.Id == u.GridId && g.CommunityId == secretaryCommunity))
            .OrderBy(u => u.Id).Skip(1).FirstAsync());
        Task<List<AuditEntry>> RevealsAsync() => app.DbAsync(db => db.AuditEntries.AsNoTracking()
            .Where(e => e.Action == AuditAction.Reveal && e.EntityType == nameof(Unit) && e.EntityId == unit.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToListAsync());
        await using var secretary = await ComponentHarness.SignedInAsync(app, "secretary1");
        await using var leader = await ComponentHarness.SignedInAsync(app, "streetleader1");

        var leaderPage = OpenDetail(leader, unit.Id);
        Assert.Empty(leaderPage.FindAll("[data-testid=reveal-submit]"));
        Assert.Equal(Masking.Phone(unit.ContactPhone), leaderPage.TestId("unit-contact-phone"));
        var refusal = await Assert.ThrowsAsync<GridGov.Domain.Common.DomainException>(() => leader.Context.Services.GetRequiredService<PageData>()
            .RunAsync<PersonalNumbers, RevealedNumbers?>((numbers, actor, token) => numbers.RevealUnitAsync(unit.Id, actor, token)));
        Assert.Equal(PersonalNumbers.NotAllowedCode, refusal.Code);
        Assert.Empty(await RevealsAsync());

        var page = OpenDetail(secretary, unit.Id);
        Assert.DoesNotContain(unit.ContactPhone, page.Markup);
        page.Find("[data-testid=reveal-submit]").Click();

        page.WaitForElement("[data-testid=revealed-note]");
        Assert.Equal(unit.ContactPhone, page.TestId("unit-contact-phone"));
        Assert.Equal("secretary1", Assert.Single(await RevealsAsync()).ActorUserName);
        // Opened again, the page shows the number masked: a reveal is for that one look.
        Assert.DoesNotContain(unit.ContactPhone, OpenDetail(secretary, unit.Id).Markup);
    }

    [Fact]
    public async Task The_edit_page_of_a_unit_is_not_found_for_a_street_leader_and_for_a_worker_of_another_grid()
    {
        var grid = await app.GridOfAsync("worker1");
        var unit = await UnitAsync(grid.Id, skip: 4);
        var stranger = await app.DbAsync(db => db.Units.AsNoTracking().Where(u => u.GridId != grid.Id && u.RemovedAt == null).OrderBy(u => u.Id).FirstAsync());
        using var leader = await app.SignedInAsync("streetleader1");
        using var worker = await app.SignedInAsync("worker1");

        using var leaderEdit = await leader.GetAsync($"/ledgers/units/{unit.Id}/edit");
        using var strangerEdit = await worker.GetAsync($"/ledgers/units/{stranger.Id}/edit");
        using var ownEdit = await worker.GetAsync($"/ledgers/units/{unit.Id}/edit");

        Assert.Equal(HttpStatusCode.NotFound, leaderEdit.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, strangerEdit.StatusCode);
        Assert.DoesNotContain(stranger.Name, await strangerEdit.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, ownEdit.StatusCode);
        var html = await ownEdit.Content.ReadAsStringAsync();
        Assert.Contains(Masking.Phone(unit.ContactPhone)!, html, StringComparison.Ordinal);
        Assert.DoesNotContain(unit.ContactPhone, html, StringComparison.Ordinal);
    }
}
