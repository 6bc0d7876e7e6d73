using Bunit;
using GridGov.Domain.Organisation;
using GridGov.Web.Components.Pages.Grids;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace GridGov.Web.Tests.Components;

/// <summary>
/// The interactive grid directory (实名落图) and notice (公示牌) with bUnit on the real application and database: the
/// search goes into the address and lists what it found, the shared map (js/map.js) shows the same grids and a
/// grid chosen on it, typed control characters are refused under the box, and the notice prints through the browser.
/// </summary>
public sealed class GridDirectoryComponentTests(WebAppFixture app, ITestOutputHelper output) : IClassFixture<WebAppFixture>
{
    private sealed record Leader(string GridCode, string Name, string CommunityCode);

    private Task<Leader> Leader1Async() => app.DbAsync(db => db.Users.Where(u => u.UserName == "leader1")
        .Join(db.GridAssignments, u => u.StaffMemberId, a => a.StaffMemberId, (u, a) => a)
        .Where(a => a.Duty == GridDuty.Leader)
        .Join(db.Grids.Where(g => g.ValidTo == null), a => a.GridCode, g => g.Code, (a, g) => new Leader(g.Code, a.StaffMember!.Name, g.Community!.Code))
        .SingleAsync());

    private static List<string> Listed(IRenderedComponent<GridDirectoryPage> page) =>
        page.FindAll("[data-testid=grid-row]").Select(row => row.GetAttribute("data-grid-code")!).ToList();

    [Fact]
    public async Task Searching_a_leaders_name_puts_it_in_the_address_lists_their_grid_and_maps_the_grids_found()
    {
        var leader = await Leader1Async();
        var all = await app.DbAsync(db => db.Grids.CountAsync(g => g.ValidTo == null));
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var module = harness.Context.JSInterop.SetupModule("./js/map.js");
        module.SetupVoid("mount", _ => true).SetVoidResult();
        module.SetupVoid("dispose", _ => true).SetVoidResult();
        var page = harness.Page<GridDirectoryPage>("/grids");
        page.WaitForAssertion(() => Assert.Equal(all, Listed(page).Count));
        page.WaitForAssertion(() => module.VerifyInvoke("mount"));

        page.Find("input#grid-q").Input(leader.Name);
        page.Find("[data-testid=grid-search-submit]").Click();

        page.WaitForAssertion(() => Assert.Contains("q=", harness.Navigation.Uri, StringComparison.Ordinal));
        page.WaitForAssertion(() =>
        {
            Assert.Contains(leader.GridCode, Listed(page));
            Assert.True(Listed(page).Count < all);
        });
        Assert.StartsWith("/api/grids/directory.geojson?q=", page.Find("[data-testid=grid-directory-map]").GetAttribute("data-geojson-url"), StringComparison.Ordinal);
        page.WaitForAssertion(() => Assert.Equal(2, module.Invocations.Count(i => i.Identifier == "mount"))); // the map reloads the grids found
    }

    [Fact]
    public async Task A_community_in_the_address_lists_only_its_grids_and_a_grid_chosen_on_the_map_shows_its_people()
    {
        var leader = await Leader1Async();
        await using var harness = await ComponentHarness.SignedInAsync(app, "dispatcher1");
        var module = harness.Context.JSInterop.SetupModule("./js/map.js");
        module.SetupVoid("mount", _ => true).SetVoidResult();
        module.SetupVoid("setFocus", _ => true).SetVoidResult();
        var page = harness.Page<GridDirectoryPage>($"/grids?community={leader.CommunityCode}");
        page.WaitForAssertion(() => Assert.NotEmpty(Listed(page)));

        Assert.All(Listed(page), code => Assert.StartsWith(leader.CommunityCode, code, StringComparison.Ordinal));
        await page.InvokeAsync(() => page.Instance.GridSelected(leader.GridCode));

        page.WaitForAssertion(() => Assert.Equal(leader.GridCode, page.Find("[data-testid=grid-selected]").GetAttribute("data-grid-code")));
        Assert.Contains(leader.Name, page.Find("[data-testid=grid-selected]").TextContent, StringComparison.Ordinal);
        module.VerifyInvoke("setFocus");
    }

    [Fact]
    public async Task Control_characters_typed_into_the_search_are_refused_under_the_box_and_nothing_is_searched()
    {
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var page = harness.Page<GridDirectoryPage>("/grids");
        page.WaitForElement("[data-testid=grid-row]");
        var tried = 0;
        var failures = new List<string>();

        foreach (var typed in new[] { "a\0b", "网格\u001b", "\u0007" })
        {
            tried++;
            page.Find("input#grid-q").Input(typed);
            page.Find("[data-testid=grid-search-submit]").Click();
            page.WaitForAssertion(() => Assert.NotNull(page.ErrorUnder("grid-q")));
            var message = page.ErrorUnder("grid-q");
            if (message?.Contains("控制字符", StringComparison.Ordinal) != true || harness.Navigation.Uri.Contains("q=", StringComparison.Ordinal))
            {
                failures.Add($"{typed}: {message} at {harness.Navigation.Uri}");
            }
        }
        Console.WriteLine($"[bad-input-corpus] {nameof(Control_characters_typed_into_the_search_are_refused_under_the_box_and_nothing_is_searched)}: {tried} inputs tried, {failures.Count} failures");
        output.WriteLine(string.Join("\n", failures));

        Assert.Empty(failures);
    }

    [Fact]
    public async Task The_notice_shows_its_grid_and_people_and_the_print_button_asks_the_browser_to_print()
    {
        var leader = await Leader1Async();
        await using var harness = await ComponentHarness.SignedInAsync(app, "dispatcher1");
        harness.Context.JSInterop.SetupVoid("print").SetVoidResult();
        var page = harness.DetailPage<GridNoticePage>($"/grids/{leader.GridCode}/notice", p => p.Add(x => x.Code, leader.GridCode));

        page.WaitForElement("[data-testid=grid-notice]");
        Assert.Equal(leader.GridCode, page.Find("[data-testid=notice-grid-code]").TextContent.Trim());
        Assert.Contains(leader.Name, page.Find("[data-testid=notice-team]").TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.Find($"svg polygon.gg-notice-subject[data-grid-code='{leader.GridCode}']"));
        page.Find("button[data-testid=print-notice]").Click();

        page.WaitForAssertion(() => harness.Context.JSInterop.VerifyInvoke("print"));
    }
}
