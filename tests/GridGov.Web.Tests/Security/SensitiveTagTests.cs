using System.Net;
using System.Text.RegularExpressions;
using GridGov.Domain.Ledgers;
using Bunit;
using GridGov.Web.Components.Pages.Visits;
using Microsoft.EntityFrameworkCore;
using static GridGov.Web.Tests.Security.Who;

namespace GridGov.Web.Tests.Security;

/// <summary>
/// Sensitive group tags (社区矫正, 安置帮教, 吸毒人员, 精神障碍) reach only LedgerScope.SensitiveRoles: for everyone
/// else no tag, no count and no filter answer on any page that shows people.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed partial class SensitiveTagTests(SecurityFixture app)
{
    /// <summary>Words and markup that would give a sensitive tag away (the pages' own note names only 社区矫正 and 安置帮教 as examples).</summary>
    private static void AssertNoSensitiveTag(string html, string where)
    {
        foreach (var tell in new[] { "吸毒人员", "精神障碍", "DrugRehabilitation", "MentalDisorder", "ledger-tag-sensitive" })
        {
            Assert.False(html.Contains(tell, StringComparison.Ordinal), $"{where} shows {tell}");
        }
    }

    private async Task<string> PageAsync(Who who, string path)
    {
        using var response = await app.Client(who).GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task Resident_detail_and_its_change_history_show_the_tag_to_the_secretary_and_nothing_of_it_to_grid_staff()
    {
        var path = $"/ledgers/residents/{app.Tagged.Id}";
        var secretary = await PageAsync(CommunitySecretary, path);

        Assert.Contains("吸毒人员", secretary, StringComparison.Ordinal);
        foreach (var who in new[] { GridWorker, GridLeader })
        {
            var html = await PageAsync(who, path);
            AssertNoSensitiveTag(html, $"{path} for {who}");
            Assert.Contains(WebUtility.HtmlEncode(app.Tagged.Name), html, StringComparison.Ordinal);
            // The two tag-only changes are left out whole, not shown as empty entries.
            Assert.Equal(Updates(secretary) - 2, Updates(html));
        }
    }

    private static int Updates(string html) => UpdatedEntry().Matches(html).Count;

    [Fact]
    public async Task A_filter_by_a_sensitive_tag_from_grid_staff_is_ignored_not_answered()
    {
        var grid = $"&grid={app.Ids.GridCode}";
        var unfiltered = Count(await PageAsync(GridWorker, "/ledgers/residents?q=" + grid));
        var filtered = await PageAsync(GridWorker, "/ledgers/residents?tag=DrugRehabilitation" + grid);
        var secretaryFiltered = await PageAsync(CommunitySecretary, "/ledgers/residents?tag=DrugRehabilitation" + grid);

        // The person's own query may come back in the pager's links; nothing else may name the tag.
        AssertNoSensitiveTag(filtered.Replace("tag=DrugRehabilitation", "", StringComparison.Ordinal), "the resident list for a grid worker");
        Assert.Equal(unfiltered, Count(filtered));
        Assert.NotEqual(Count(secretaryFiltered), unfiltered);
        Assert.Contains(WebUtility.HtmlEncode(app.Tagged.Name), secretaryFiltered, StringComparison.Ordinal);
        Assert.Contains("吸毒人员", secretaryFiltered, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_resident_export_carries_the_tag_to_the_secretary_and_nothing_of_it_to_grid_staff()
    {
        var path = $"/ledgers/residents/export.csv?grid={app.Ids.GridCode}&q={Uri.EscapeDataString(app.Tagged.Name)}";
        using var secretary = await app.Client(CommunitySecretary).GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, secretary.StatusCode);
        Assert.Contains("吸毒人员", await secretary.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        foreach (var who in new[] { GridWorker, GridLeader })
        {
            // Filtering by the tag is no filter for them: the file is the same as without it, and names no tag.
            using var plain = await app.Client(who).GetAsync(path);
            using var filtered = await app.Client(who).GetAsync(path + "&tag=DrugRehabilitation");
            var text = await plain.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
            Assert.Contains(app.Tagged.Name, text, StringComparison.Ordinal);
            AssertNoSensitiveTag(text, $"the resident export for {who}");
            Assert.Equal(text, await filtered.Content.ReadAsStringAsync());
        }
    }

    private static string Count(string html) =>
        Regex.Match(html, "data-testid=\"ledger-count\"[^>]*>(.*?)</", RegexOptions.Singleline).Groups[1].Value.Trim();

    [Fact]
    public async Task The_grids_three_at_a_glance_page_counts_sensitive_groups_only_for_the_secretary()
    {
        var path = $"/ledgers/grids/{app.Ids.GridCode}";

        var secretary = await PageAsync(CommunitySecretary, path);
        Assert.Contains("吸毒人员", secretary, StringComparison.Ordinal);
        foreach (var who in new[] { GridWorker, GridLeader })
        {
            AssertNoSensitiveTag(await PageAsync(who, path), $"{path} for {who}");
        }
    }

    [Fact]
    public async Task Household_and_visit_pages_show_grid_staff_no_sensitive_tag()
    {
        var household = app.Tagged.HouseholdId!.Value;

        AssertNoSensitiveTag(await PageAsync(GridWorker, $"/ledgers/households/{household}"), "household detail");
        AssertNoSensitiveTag(await PageAsync(GridWorker, $"/visits/new?household={household}"), "visit form");
        AssertNoSensitiveTag(await PageAsync(GridWorker, "/visits"), "visits home");
        AssertNoSensitiveTag(await PageAsync(GridLeader, "/visits"), "visits home");
        AssertNoSensitiveTag(await PageAsync(CommunitySecretary, "/visits"), "visits home for the secretary (no tags there at all)");
        Assert.Contains("吸毒人员", await PageAsync(CommunitySecretary, $"/ledgers/households/{household}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_visit_cannot_set_or_clear_a_sensitive_tag()
    {
        var household = app.Tagged.HouseholdId!.Value;
        await using var harness = await Components.ComponentHarness.SignedInAsync(app, "worker1");
        var page = harness.Page<RecordVisitPage>($"/visits/new?household={household}");

        // The tagged person's tags as the visit form offers them: no sensitive one to tick or untick; a visible one ticked.
        var tags = page.WaitForElement($"[data-resident-id='{app.Tagged.Id}'] [data-testid=resident-groups]");
        Assert.Empty(tags.QuerySelectorAll("[data-group=CommunityCorrection], [data-group=DrugRehabilitation], [data-group=MentalDisorder]"));
        AssertNoSensitiveTag(page.Markup, "the visit form");
        page.Find($"[data-resident-id='{app.Tagged.Id}'] [data-group={nameof(ResidentGroup.Unemployed)}]").Click();
        page.Find("#visit-findings").Change("核实就业情况");
        page.Find("#visit-at").Change(Visits.VisitWebData.ChinaNow(TimeSpan.FromMinutes(-5)));
        page.Find("[data-testid=visit-form]").Submit();
        page.WaitForAssertion(() => Assert.Contains("/visits?recorded=", harness.Navigation.Uri, StringComparison.Ordinal));

        var groups = await app.DbAsync(db => db.Residents.AsNoTracking().Where(r => r.Id == app.Tagged.Id).Select(r => r.Groups).SingleAsync());
        Assert.Equal([ResidentGroup.Unemployed, ResidentGroup.DrugRehabilitation, ResidentGroup.MentalDisorder], groups.Order());
    }

    [GeneratedRegex("data-kind=\"Updated\"")]
    private static partial Regex UpdatedEntry();
}
