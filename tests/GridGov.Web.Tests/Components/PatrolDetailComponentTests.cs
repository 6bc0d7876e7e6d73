using System.Globalization;
using Bunit;
using GridGov.Web.Components.Pages.Patrols;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using Microsoft.EntityFrameworkCore;
using static GridGov.Web.Tests.Patrols.PatrolTracks;

namespace GridGov.Web.Tests.Components;

/// <summary>The interactive patrol page with bUnit on the real application and database: its figures, its reports, its map.</summary>
public sealed class PatrolDetailComponentTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    [Fact]
    public async Task A_patrol_shows_its_coverage_its_reports_and_mounts_its_map_once_interactive()
    {
        var grid = await GridOfAsync(app.Services, "worker1");
        var patrol = await app.DbAsync(db => db.Patrols.Where(p => p.PatrollerStaffId == grid.StaffId)
            .OrderByDescending(p => p.StartedAt).Select(p => new { p.Id, p.CoverageShare }).FirstAsync());
        await using var harness = await ComponentHarness.SignedInAsync(app, "worker1");
        var map = harness.Context.JSInterop.SetupModule("./js/patrol-map.js");
        map.SetupVoid("mountPatrolMap", _ => true).SetVoidResult();

        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-CN");
        harness.Navigation.NavigateTo($"/patrols/{patrol.Id}");
        var page = harness.Context.Render<PatrolDetail>(parameters => parameters.Add(p => p.Id, patrol.Id));

        page.WaitForElement("[data-testid=patrol-detail]");
        Assert.Equal(PatrolFormat.Percent(patrol.CoverageShare), page.Find("[data-testid=patrol-coverage]").TextContent.Trim());
        Assert.Equal($"/patrols/{patrol.Id}/map", page.Find("[data-testid=patrol-map]").GetAttribute("data-geojson-url"));
        Assert.Contains(await app.StaffNameAsync("worker1"), page.Find("[data-testid=patrol-patroller]").TextContent, StringComparison.Ordinal);
        page.WaitForAssertion(() => map.VerifyInvoke("mountPatrolMap"));
    }
}
