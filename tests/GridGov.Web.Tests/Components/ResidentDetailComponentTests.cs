using System.Text.Json;
using Bunit;
using GridGov.Application.Ledgers;
using GridGov.Domain.Audit;
using GridGov.Domain.Ledgers;
using GridGov.Web.Components.Pages.Ledgers;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using Microsoft.EntityFrameworkCore;
using GridGov.Web.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace GridGov.Web.Tests.Components;

/// <summary>
/// The interactive resident page with bUnit on the real application and database: the edit (its version, its field
/// messages, the masked phone kept), the move, the removal asked again in a dialog, and the audited reveal.
/// </summary>
public sealed class ResidentDetailComponentTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private Task<List<AuditEntry>> RevealsAsync(int id) => app.DbAsync(db => db.AuditEntries.AsNoTracking()
        .Where(e => e.Action == AuditAction.Reveal && e.EntityType == nameof(Resident) && e.EntityId == id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToListAsync());

    private static IRenderedComponent<ResidentDetail> Open(ComponentHarness harness, int id)
    {
        var page = harness.DetailPage<ResidentDetail>($"/ledgers/residents/{id}", p => p.Add(c => c.Id, id));
        page.WaitForElement("[data-testid=resident-name]");
        return page;
    }

    [Fact]
    public async Task A_malformed_phone_is_refused_under_the_field_keeps_what_was_typed_and_changes_nothing()
    {
        var grid = await app.GridOfAsync("worker1");
        var resident = await app.ResidentAsync(grid.Id, skip: 3);
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var page = Open(harness, resident.Id);

        page.Find("input#edit-phone").Change("12345");
        page.Find("[data-testid=edit-submit]").Click();

        page.WaitForAssertion(() => Assert.Contains("11位手机号", page.ErrorUnder("edit-phone")));
        Assert.Equal("12345", page.Find("input#edit-phone").GetAttribute("value"));
        Assert.Equal(resident.Phone, (await app.ReloadResidentAsync(resident.Id)).Phone);
        Assert.Empty(await app.ChangesAsync(nameof(Resident), resident.Id));
    }

    [Fact]
    public async Task Changing_the_phone_records_old_and_new_and_the_signed_in_staff_and_the_page_shows_them_masked()
    {
        var grid = await app.GridOfAsync("worker1");
        var resident = await app.ResidentAsync(grid.Id, skip: 4);
        var staffName = await app.StaffNameAsync("worker1");
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var page = Open(harness, resident.Id);

        page.Find("input#edit-phone").Change("13987654321");
        page.Find("[data-testid=edit-submit]").Click();

        page.WaitForAssertion(() => Assert.Equal("139****4321", page.TestId("resident-phone")));
        var change = Assert.Single(await app.ChangesAsync(nameof(Resident), resident.Id));
        using var before = JsonDocument.Parse(change.Before!);
        using var after = JsonDocument.Parse(change.After!);
        Assert.Equal(resident.Phone, before.RootElement.GetProperty("Phone").GetString());
        Assert.Equal("13987654321", after.RootElement.GetProperty("Phone").GetString());
        Assert.Equal(staffName, change.ActorName);
        Assert.NotNull(change.ActorStaffId);
        Assert.Equal(staffName, page.TestId("history-actor"));
        Assert.Equal(Masking.Phone(resident.Phone), page.TestId("history-before"));
        Assert.Equal("139****4321", page.TestId("history-after"));
        Assert.DoesNotContain("13987654321", page.Markup);
        Assert.Contains(harness.Snackbar.ShownSnackbars, s => s.Message == "已保存，变更已记入台账变更记录。");
    }

    [Fact]
    public async Task Saving_with_the_masked_phone_unchanged_keeps_the_number_on_record()
    {
        var grid = await app.GridOfAsync("worker1");
        var resident = await app.ResidentAsync(grid.Id, skip: 35);
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var page = Open(harness, resident.Id);
        Assert.Equal(Masking.Phone(resident.Phone), page.Find("input#edit-phone").GetAttribute("value"));

        page.Find("input#edit-name").Change(resident.Name + "改");
        page.Find("[data-testid=edit-submit]").Click();

        page.WaitForAssertion(() => Assert.Equal(resident.Name + "改", page.TestId("resident-name")));
        var saved = await app.ReloadResidentAsync(resident.Id);
        Assert.Equal(resident.Name + "改", saved.Name);
        Assert.Equal(resident.Phone, saved.Phone);
    }

    [Fact]
    public async Task Saving_a_resident_someone_changed_since_it_was_shown_is_refused_naming_them_and_keeps_what_was_typed()
    {
        var grid = await app.GridOfAsync("worker1");
        var resident = await app.ResidentAsync(grid.Id, skip: 9);
        var dispatcherName = await app.StaffNameAsync("dispatcher1");
        await using var worker = await ComponentHarness.SignedInAsync(app, "worker1");
        await using var dispatcher = await ComponentHarness.SignedInAsync(app, "dispatcher1");
        var workerPage = Open(worker, resident.Id);
        var dispatcherPage = Open(dispatcher, resident.Id);

        // Both have the form; the dispatcher saves first.
        dispatcherPage.Find("input#edit-name").Change("孙先存");
        dispatcherPage.Find("[data-testid=edit-submit]").Click();
        dispatcherPage.WaitForAssertion(() => Assert.Equal("孙先存", dispatcherPage.TestId("resident-name")));
        workerPage.Find("input#edit-name").Change("孙后存");
        workerPage.Find("input#edit-phone").Change("13655557777");
        workerPage.Find("[data-testid=edit-submit]").Click();

        workerPage.WaitForAssertion(() => Assert.Contains($"已被{dispatcherName}于", workerPage.ErrorFor("general")));
        Assert.Equal("孙后存", workerPage.Find("input#edit-name").GetAttribute("value"));
        Assert.Equal("13655557777", workerPage.Find("input#edit-phone").GetAttribute("value"));
        var saved = await app.ReloadResidentAsync(resident.Id);
        Assert.Equal("孙先存", saved.Name);
        Assert.Equal(resident.Phone, saved.Phone);
        Assert.Single(await app.ChangesAsync(nameof(Resident), resident.Id));
        // Shown the current facts, the worker may save again: the form now carries the version they saw.
        workerPage.Find("[data-testid=edit-submit]").Click();
        workerPage.WaitForAssertion(() => Assert.Equal("孙后存", workerPage.TestId("resident-name")));
        Assert.Equal(2, (await app.ChangesAsync(nameof(Resident), resident.Id)).Count);
    }

    [Fact]
    public async Task Removal_needs_a_reason_is_asked_again_and_then_keeps_the_row_readable()
    {
        var grid = await app.GridOfAsync("worker1");
        var resident = await app.ResidentAsync(grid.Id, skip: 5);
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var page = Open(harness, resident.Id);

        page.Find("input#resident-remove-reason").Change(" ");
        page.Find("[data-testid=resident-remove-submit]").Click();
        page.WaitForAssertion(() => Assert.Equal("请填写注销原因", page.ErrorUnder("resident-remove-reason")));
        Assert.Null((await app.ReloadResidentAsync(resident.Id)).RemovedAt);

        page.Find("input#resident-remove-reason").Change("已迁出本街道");
        page.Find("[data-testid=resident-remove-submit]").Click();
        harness.Answer("取消");
        Assert.Null((await app.ReloadResidentAsync(resident.Id)).RemovedAt);

        page.Find("[data-testid=resident-remove-submit]").Click();
        harness.Answer("确定");

        page.WaitForAssertion(() => Assert.Contains("已迁出本街道", page.TestId("removed-note")));
        Assert.Empty(page.FindAll("[data-testid=resident-edit]"));
        var row = await app.ReloadResidentAsync(resident.Id);
        Assert.NotNull(row.RemovedAt);
        Assert.Equal("已迁出本街道", row.RemovalReason);
        Assert.Equal(LedgerChangeKind.Removed, Assert.Single(await app.ChangesAsync(nameof(Resident), resident.Id)).Kind);
    }

    [Fact]
    public async Task Removing_a_resident_someone_changed_since_it_was_shown_is_refused_naming_them()
    {
        var grid = await app.GridOfAsync("worker1");
        var resident = await app.ResidentAsync(grid.Id, skip: 12);
        var dispatcherName = await app.StaffNameAsync("dispatcher1");
        await using var worker = await ComponentHarness.SignedInAsync(app, "worker1");
        await using var dispatcher = await ComponentHarness.SignedInAsync(app, "dispatcher1");
        var workerPage = Open(worker, resident.Id);
        var dispatcherPage = Open(dispatcher, resident.Id);
        dispatcherPage.Find("input#edit-name").Change("孙先改");
        dispatcherPage.Find("[data-testid=edit-submit]").Click();
        dispatcherPage.WaitForAssertion(() => Assert.Equal("孙先改", dispatcherPage.TestId("resident-name")));

        workerPage.Find("input#resident-remove-reason").Change("已迁出本街道");
        workerPage.Find("[data-testid=resident-remove-submit]").Click();
        worker.Answer("确定");

        workerPage.WaitForAssertion(() => Assert.Contains($"已被{dispatcherName}于", workerPage.ErrorUnder("resident-remove-reason")));
        Assert.Equal("孙先改", workerPage.TestId("resident-name")); // shown what changed, the worker decides again
        Assert.Null((await app.ReloadResidentAsync(resident.Id)).RemovedAt);
    }

    [Fact]
    public async Task A_resident_moves_to_another_household_found_by_its_address()
    {
        var grid = await app.GridOfAsync("worker1");
        var resident = await app.ResidentAsync(grid.Id, skip: 6);
        var target = await app.DbAsync(db => db.Households.AsNoTracking()
            .Where(h => h.GridId == grid.Id && h.Id != resident.HouseholdId && h.RemovedAt == null).OrderByDescending(h => h.Id).FirstAsync());
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var page = Open(harness, resident.Id);

        page.Find("input#move-find").Change(target.Address);
        page.Find("[data-testid=move-search]").Click();
        page.WaitForElement($"[data-household-id='{target.Id}']");
        var choices = page.FindComponent<MudRadioGroup<int?>>();
        await page.InvokeAsync(() => choices.Instance.ValueChanged.InvokeAsync(target.Id));
        page.Find("[data-testid=move-submit]").Click();

        page.WaitForAssertion(() => Assert.Contains(target.Address, page.TestId("resident-household")));
        Assert.Equal(target.Id, (await app.ReloadResidentAsync(resident.Id)).HouseholdId);
        var change = Assert.Single(await app.ChangesAsync(nameof(Resident), resident.Id));
        Assert.Contains($"\"HouseholdId\": {target.Id}", change.After);
    }

    [Fact]
    public async Task A_grid_worker_reveals_the_numbers_once_audited_and_the_form_keeps_them_masked()
    {
        var grid = await app.GridOfAsync("worker1");
        var resident = await app.ResidentAsync(grid.Id, skip: 30);
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var page = Open(harness, resident.Id);
        Assert.DoesNotContain(resident.IdNumber, page.Markup);
        Assert.DoesNotContain(resident.Phone!, page.Markup);
        Assert.Empty(await RevealsAsync(resident.Id));

        page.Find("[data-testid=reveal-submit]").Click();

        page.WaitForElement("[data-testid=revealed-note]");
        Assert.Equal(resident.IdNumber, page.TestId("resident-id-number"));
        Assert.Equal(resident.Phone, page.TestId("resident-phone"));
        Assert.Empty(page.FindAll("[data-testid=reveal-submit]"));
        Assert.Equal(Masking.Phone(resident.Phone), page.Find("input#edit-phone").GetAttribute("value"));
        var entry = Assert.Single(await RevealsAsync(resident.Id));
        Assert.Equal("worker1", entry.ActorUserName);
        Assert.Equal(await app.StaffNameAsync("worker1"), entry.ActorName);
        Assert.Equal("127.0.0.1", entry.ClientAddress);
        Assert.Contains("身份证号", entry.Detail);
        Assert.Contains("联系电话", entry.Detail);

        // Opened again, the page shows the numbers masked: a reveal is for that one look.
        var again = Open(harness, resident.Id);
        Assert.DoesNotContain(resident.IdNumber, again.Markup);
        Assert.Single(await RevealsAsync(resident.Id));
    }

    [Theory]
    [InlineData("streetleader1", 32)]
    [InlineData("dispatcher1", 31)]
    public async Task A_role_without_the_permission_is_offered_no_reveal_and_the_service_refuses_it_unaudited(string userName, int skip)
    {
        var grid = await app.GridOfAsync("worker1");
        var resident = await app.ResidentAsync(grid.Id, skip: skip);
        await using var harness = await ComponentHarness.SignedInAsync(app, userName);
        var page = Open(harness, resident.Id);

        Assert.Empty(page.FindAll("[data-testid=reveal-submit]"));
        Assert.DoesNotContain(resident.IdNumber, page.Markup);
        var data = harness.Context.Services.GetRequiredService<PageData>();
        var refusal = await Assert.ThrowsAsync<GridGov.Domain.Common.DomainException>(() =>
            data.RunAsync<PersonalNumbers, RevealedNumbers?>((numbers, actor, token) => numbers.RevealResidentAsync(resident.Id, actor, token)));
        Assert.Equal(PersonalNumbers.NotAllowedCode, refusal.Code);
        Assert.Empty(await RevealsAsync(resident.Id));
    }

    [Fact]
    public async Task A_grid_worker_opening_a_resident_of_another_grid_finds_nothing_to_reveal_or_change()
    {
        var grid = await app.GridOfAsync("worker1");
        var stranger = await app.ResidentAsync(grid.Id, skip: 3, inGrid: false);
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");

        var page = harness.DetailPage<ResidentDetail>($"/ledgers/residents/{stranger.Id}", p => p.Add(c => c.Id, stranger.Id));
        page.WaitForElement("[data-testid=ledger-not-found]");

        Assert.DoesNotContain(stranger.Name, page.Markup);
        Assert.Empty(page.FindAll("[data-testid=reveal-submit]"));
        Assert.Empty(page.FindAll("[data-testid=resident-edit]"));
        var data = harness.Context.Services.GetRequiredService<PageData>();
        Assert.Null(await data.RunAsync<PersonalNumbers, RevealedNumbers?>((numbers, actor, token) => numbers.RevealResidentAsync(stranger.Id, actor, token)));
        Assert.Empty(await RevealsAsync(stranger.Id));
    }
}
