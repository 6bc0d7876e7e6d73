using System.Net;
using GridGov.Application.Ledgers;
using GridGov.Domain.Ledgers;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Web.Tests.Ledgers;

/// <summary>The resident pages (居民台账) over real HTTP: lists, detail, registration and edits as form posts.</summary>
public sealed class ResidentPagesTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    /// <summary>The path and query a post-redirect-get answer points to.</summary>
    private string Location(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return new Uri(app.BaseAddress, response.Headers.Location!).PathAndQuery;
    }

    [Fact]
    public async Task Registering_with_a_wrong_check_character_shows_the_message_next_to_the_field_keeps_the_input_and_writes_nothing()
    {
        var grid = await app.GridOfAsync("worker1");
        var household = (await app.ResidentAsync(grid.Id, skip: 0)).HouseholdId!.Value;
        var valid = LedgerTestData.NewIdNumber();
        var wrong = valid[..17] + (valid[17] == '0' ? '1' : '0');
        using var client = await app.SignedInAsync("worker1");

        using var response = await client.PostFormAsync($"/ledgers/residents/new?household={household}", "resident-new", new Dictionary<string, string>
        {
            ["Input.Action"] = "save",
            ["Input.HouseholdId"] = household.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Input.Name"] = "钱校验",
            ["Input.IdNumber"] = wrong,
            ["Input.PopulationKind"] = "Registered",
        });
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("校验位", LedgerTestData.ErrorFor(html, "idNumber"));
        Assert.Contains($"value=\"{wrong}\"", html);
        Assert.Contains("value=\"钱校验\"", html);
        Assert.False(await app.DbAsync(db => db.Residents.AnyAsync(r => r.IdNumber == wrong || r.Name == "钱校验")));
    }

    [Fact]
    public async Task Registering_a_resident_redirects_to_a_page_showing_the_birth_date_and_sex_from_the_id_number()
    {
        var grid = await app.GridOfAsync("worker1");
        var household = (await app.ResidentAsync(grid.Id, skip: 1)).HouseholdId!.Value;
        var idNumber = LedgerTestData.NewIdNumber();
        var parsed = IdNumber.Parse(idNumber);
        using var client = await app.SignedInAsync("worker1");

        using var response = await client.PostFormAsync("/ledgers/residents/new", "resident-new", new Dictionary<string, string>
        {
            ["Input.Action"] = "save",
            ["Input.HouseholdId"] = household.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Input.Name"] = "孙登记",
            ["Input.IdNumber"] = idNumber,
            ["Input.Phone"] = "13611112222",
            ["Input.PopulationKind"] = "Floating",
            ["Input.Groups"] = "Unemployed",
        });
        var location = Location(response);
        var html = await client.GetStringAsync(location);

        Assert.Matches("^/ledgers/residents/[0-9]+\\?created=1$", location);
        var birth = parsed.BirthDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var sex = parsed.Sex == Sex.Male ? "男" : "女";
        Assert.Equal(birth, LedgerTestData.TestId(html, "resident-birth-date"));
        Assert.Equal(sex, LedgerTestData.TestId(html, "resident-sex"));
        Assert.Contains($"出生日期 {birth}，性别 {sex}", LedgerTestData.TestId(html, "resident-created"));
        var created = await app.DbAsync(db => db.Residents.AsNoTracking().SingleAsync(r => r.IdNumber == idNumber));
        Assert.Equal(household, created.HouseholdId);
        Assert.Equal(grid.Id, created.GridId);
        Assert.Equal([ResidentGroup.Unemployed], created.Groups);
        Assert.Equal(LedgerChangeKind.Created, Assert.Single(await app.ChangesAsync(nameof(Resident), created.Id)).Kind);
    }

    [Fact]
    public async Task Registering_a_number_already_in_the_ledger_is_refused_with_a_clear_message()
    {
        var grid = await app.GridOfAsync("worker1");
        var existing = await app.ResidentAsync(grid.Id, skip: 2);
        using var client = await app.SignedInAsync("worker1");

        using var response = await client.PostFormAsync("/ledgers/residents/new", "resident-new", new Dictionary<string, string>
        {
            ["Input.Action"] = "save",
            ["Input.HouseholdId"] = existing.HouseholdId!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Input.Name"] = "重复人",
            ["Input.IdNumber"] = existing.IdNumber,
            ["Input.PopulationKind"] = "Registered",
        });
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"该身份证号码已登记（居民{existing.Name}），不能重复登记", LedgerTestData.ErrorFor(html, "idNumber"));
        Assert.Equal(1, await app.DbAsync(db => db.Residents.CountAsync(r => r.IdNumber == existing.IdNumber)));
    }

    [Fact]
    public async Task A_worker_cannot_open_or_change_a_resident_of_another_grid()
    {
        var grid = await app.GridOfAsync("worker1");
        var stranger = await app.ResidentAsync(grid.Id, skip: 0, inGrid: false);
        using var client = await app.SignedInAsync("worker1");

        using var page = await client.GetAsync($"/ledgers/residents/{stranger.Id}");
        var html = await page.Content.ReadAsStringAsync();
        using var post = await client.PostFormAsync("/ledgers/residents/new", "resident-new", new Dictionary<string, string>
        {
            ["Input.Action"] = "save",
            ["Input.HouseholdId"] = stranger.HouseholdId!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Input.Name"] = "越权",
            ["Input.IdNumber"] = LedgerTestData.NewIdNumber(),
            ["Input.PopulationKind"] = "Registered",
        });
        var postHtml = await post.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.DoesNotContain(stranger.IdNumber, html);
        Assert.DoesNotContain(stranger.Name, html);
        Assert.Contains("不在您负责的范围内", LedgerTestData.ErrorFor(postHtml, "household"));
        Assert.False(await app.DbAsync(db => db.Residents.AnyAsync(r => r.Name == "越权")));
    }

    [Fact]
    public async Task The_list_masks_id_numbers_and_phones_and_never_sends_them_whole()
    {
        var grid = await app.GridOfAsync("worker1");
        var resident = await app.ResidentAsync(grid.Id, skip: 7);
        using var client = await app.SignedInAsync("worker1");

        var html = await client.GetStringAsync($"/ledgers/residents?q={resident.Name}");

        Assert.Contains($"data-resident-id=\"{resident.Id}\"", html);
        Assert.Contains($"{resident.IdNumber[..6]}********{resident.IdNumber[14..]}", html);
        Assert.Contains($"{resident.Phone![..3]}****{resident.Phone[7..]}", html);
        Assert.DoesNotContain(resident.IdNumber, html);
        Assert.DoesNotContain(resident.Phone, html);
        Assert.Matches(LedgerTestData.MaskedIdNumber(), html);
    }

    [Fact]
    public async Task Sensitive_tags_are_offered_to_a_secretary_but_not_to_a_grid_worker()
    {
        using var worker = await app.SignedInAsync("worker1");
        using var secretary = await app.SignedInAsync("secretary1");

        var workerList = await worker.GetStringAsync("/ledgers/residents");
        var secretaryFiltered = await secretary.GetStringAsync("/ledgers/residents?tag=CommunityCorrection");
        var workerFiltered = await worker.GetStringAsync("/ledgers/residents?tag=CommunityCorrection");

        Assert.DoesNotContain("社区矫正", workerList);
        // The select shows the secretary's chosen tag (its options render only when it opens: see the component tests).
        Assert.Matches("<input[^>]*value=\"社区矫正\"", secretaryFiltered);
        Assert.DoesNotContain("社区矫正", workerFiltered);
        Assert.DoesNotContain("CommunityCorrection", workerFiltered.Replace("tag=CommunityCorrection", "", StringComparison.Ordinal));
        Assert.Contains("data-resident-id", workerFiltered); // the filter is dropped, not applied
    }

    [Fact]
    public async Task A_department_handler_sees_no_people_and_a_street_leader_reads_without_forms()
    {
        var grid = await app.GridOfAsync("worker1");
        var resident = await app.ResidentAsync(grid.Id, skip: 8);
        using var handler = await app.SignedInAsync("handler1");
        using var leader = await app.SignedInAsync("streetleader1");

        var handlerList = await handler.GetStringAsync("/ledgers/residents");
        var leaderPage = await leader.GetStringAsync($"/ledgers/residents/{resident.Id}");

        Assert.Contains("data-testid=\"ledger-no-scope\"", handlerList);
        Assert.DoesNotContain("data-resident-id", handlerList);
        Assert.Equal(Masking.IdNumber(resident.IdNumber), LedgerTestData.TestId(leaderPage, "resident-id-number"));
        Assert.DoesNotContain("data-testid=\"reveal-submit\"", leaderPage);
        Assert.DoesNotContain("data-testid=\"resident-edit\"", leaderPage);
        Assert.DoesNotContain("data-testid=\"resident-remove\"", leaderPage);
        Assert.Contains("您的角色可以查看台账，但不能修改。", leaderPage);
    }

    [Fact]
    public async Task Signed_out_visitors_are_sent_to_sign_in()
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/ledgers/residents");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/login", response.Headers.Location!.OriginalString);
    }
}
