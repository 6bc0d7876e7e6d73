using System.Globalization;
using Bunit;
using GridGov.Application.Ledgers;
using GridGov.Domain.Common;
using GridGov.Domain.Ledgers;
using GridGov.Web.Components.Pages.Ledgers;
using GridGov.Web.Infrastructure;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace GridGov.Web.Tests.Components;

/// <summary>
/// The interactive resident registration (登记居民) with bUnit on the real application and database: the household
/// preselected or found, the ID number checked under its field, the resident page it opens, and the submission id.
/// </summary>
public sealed class ResidentNewComponentTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private static IRenderedComponent<ResidentNew> Open(ComponentHarness harness, int? household = null)
    {
        var page = harness.Page<ResidentNew>(household is { } id ? $"/ledgers/residents/new?household={id}" : "/ledgers/residents/new");
        page.WaitForElement("input#new-name");
        return page;
    }

    [Fact]
    public async Task A_wrong_check_character_is_refused_under_the_field_keeps_what_was_typed_and_writes_nothing()
    {
        var grid = await app.GridOfAsync("worker1");
        var household = (await app.ResidentAsync(grid.Id, skip: 0)).HouseholdId!.Value;
        var valid = LedgerTestData.NewIdNumber();
        var wrong = valid[..17] + (valid[17] == '0' ? '1' : '0');
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var page = Open(harness, household);
        Assert.Single(page.FindAll($"[data-household-id='{household}']"));

        page.Find("input#new-name").Change("钱校验");
        page.Find("input#new-id-number").Change(wrong);
        page.Find("[data-testid=new-submit]").Click();

        page.WaitForAssertion(() => Assert.Contains("校验位", page.ErrorUnder("new-id-number")));
        Assert.Equal(wrong, page.Find("input#new-id-number").GetAttribute("value"));
        Assert.Equal("钱校验", page.Find("input#new-name").GetAttribute("value"));
        Assert.False(await app.DbAsync(db => db.Residents.AnyAsync(r => r.IdNumber == wrong || r.Name == "钱校验")));
    }

    [Fact]
    public async Task Registering_a_resident_in_a_household_found_by_its_address_opens_the_page_with_the_birth_date_and_sex_from_the_id_number()
    {
        var grid = await app.GridOfAsync("worker1");
        var household = await app.DbAsync(db => db.Households.AsNoTracking()
            .Where(h => h.GridId == grid.Id && h.RemovedAt == null).OrderByDescending(h => h.Id).FirstAsync());
        var idNumber = LedgerTestData.NewIdNumber();
        var parsed = IdNumber.Parse(idNumber);
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var page = Open(harness);

        page.Find("input#new-find").Change(household.Address);
        page.Find("[data-testid=new-search]").Click();
        page.WaitForElement($"[data-household-id='{household.Id}']");
        var choices = page.FindComponent<MudRadioGroup<int?>>();
        await page.InvokeAsync(() => choices.Instance.ValueChanged.InvokeAsync(household.Id));
        page.Find("input#new-name").Change("孙登记");
        page.Find("input#new-id-number").Change(idNumber);
        page.Find("input#new-phone").Change("13611112222");
        await page.ChooseAsync<ResidentNew, PopulationKind>(PopulationKind.Floating);
        var groups = page.FindComponent<MudChipSet<ResidentGroup>>();
        await page.InvokeAsync(() => groups.Instance.SelectedValuesChanged.InvokeAsync([ResidentGroup.Unemployed]));
        page.Find("[data-testid=new-submit]").Click();

        page.WaitForAssertion(() => Assert.Matches("/ledgers/residents/[0-9]+\\?created=1$", harness.Navigation.Uri));
        var created = await app.DbAsync(db => db.Residents.AsNoTracking().SingleAsync(r => r.IdNumber == idNumber));
        Assert.EndsWith($"/ledgers/residents/{created.Id}?created=1", harness.Navigation.Uri, StringComparison.Ordinal);
        Assert.Equal(household.Id, created.HouseholdId);
        Assert.Equal(grid.Id, created.GridId);
        Assert.Equal(PopulationKind.Floating, created.PopulationKind);
        Assert.Equal("13611112222", created.Phone);
        Assert.Equal([ResidentGroup.Unemployed], created.Groups);
        Assert.Equal(LedgerChangeKind.Created, Assert.Single(await app.ChangesAsync(nameof(Resident), created.Id)).Kind);

        // The page it opens says what the number gave.
        var detail = harness.DetailPage<ResidentDetail>(harness.Navigation.Uri, p => p.Add(c => c.Id, created.Id));
        detail.WaitForElement("[data-testid=resident-created]");
        var birth = parsed.BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var sex = parsed.Sex == Sex.Male ? "男" : "女";
        Assert.Equal(birth, detail.TestId("resident-birth-date"));
        Assert.Equal(sex, detail.TestId("resident-sex"));
        Assert.Contains($"出生日期 {birth}，性别 {sex}", detail.TestId("resident-created"));
        Assert.DoesNotContain(idNumber, detail.Markup);
    }

    [Fact]
    public async Task Registering_a_number_already_in_the_ledger_is_refused_with_a_clear_message()
    {
        var grid = await app.GridOfAsync("worker1");
        var existing = await app.ResidentAsync(grid.Id, skip: 2);
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var page = Open(harness, existing.HouseholdId);

        page.Find("input#new-name").Change("重复人");
        page.Find("input#new-id-number").Change(existing.IdNumber);
        page.Find("[data-testid=new-submit]").Click();

        page.WaitForAssertion(() => Assert.Equal($"该身份证号码已登记（居民{existing.Name}），不能重复登记", page.ErrorUnder("new-id-number")));
        Assert.Equal(1, await app.DbAsync(db => db.Residents.CountAsync(r => r.IdNumber == existing.IdNumber)));
    }

    [Fact]
    public async Task A_worker_cannot_register_into_a_household_of_another_grid()
    {
        var grid = await app.GridOfAsync("worker1");
        var stranger = await app.ResidentAsync(grid.Id, skip: 0, inGrid: false);
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var page = Open(harness, stranger.HouseholdId);

        // The household is not offered: the page says nothing about it.
        Assert.Empty(page.FindAll($"[data-household-id='{stranger.HouseholdId}']"));
        page.Find("input#new-name").Change("越权");
        page.Find("input#new-id-number").Change(LedgerTestData.NewIdNumber());
        page.Find("[data-testid=new-submit]").Click();
        page.WaitForAssertion(() => Assert.Equal("请选择一个户", page.ErrorFor("household")));

        // Asked directly, the service the page calls refuses it as out of scope.
        var data = harness.Context.Services.GetRequiredService<PageData>();
        var refusal = await Assert.ThrowsAsync<DomainException>(() => data.RunAsync<LedgerService, int>((ledgers, actor, token) =>
            ledgers.CreateResidentAsync(new NewResident(stranger.HouseholdId!.Value, "越权", LedgerTestData.NewIdNumber(), null, PopulationKind.Registered, []), actor, token)));
        Assert.Contains("不在您负责的范围内", refusal.Message);
        Assert.False(await app.DbAsync(db => db.Residents.AnyAsync(r => r.Name == "越权")));
    }

    [Fact]
    public async Task A_replayed_registration_answers_with_the_first_resident()
    {
        var grid = await app.GridOfAsync("worker1");
        var household = (await app.ResidentAsync(grid.Id, skip: 5)).HouseholdId!.Value;
        var idNumber = LedgerTestData.NewIdNumber();
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var page = Open(harness, household);
        var submission = page.Instance.SubmissionId!.Value;
        var data = harness.Context.Services.GetRequiredService<PageData>();
        // The first click went through, but its answer never reached the tab.
        var first = await data.RunAsync<LedgerService, int>((ledgers, actor, token) =>
            ledgers.CreateResidentAsync(new NewResident(household, "钱重放", idNumber, null, PopulationKind.Registered, [], submission), actor, token));

        page.Find("input#new-name").Change("钱重放");
        page.Find("input#new-id-number").Change(idNumber);
        page.Find("[data-testid=new-submit]").Click();

        page.WaitForAssertion(() => Assert.EndsWith($"/ledgers/residents/{first}?created=1", harness.Navigation.Uri, StringComparison.Ordinal));
        Assert.Equal(1, await app.DbAsync(db => db.Residents.CountAsync(r => r.IdNumber == idNumber)));
    }
}
