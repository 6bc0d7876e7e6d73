using System.Net;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using GridGov.Application.Visits;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Visits;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Web.Tests.Reviews;

/// <summary>The monthly review pages over HTTP: roll-ups by role, the grid page, sign-off and its refusals, the export.</summary>
public sealed class ReviewPagesTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private static string LastMonth => ChinaMonths.Format(ChinaMonths.MonthOf(DateTimeOffset.UtcNow).AddMonths(-1));

    [Fact]
    public async Task The_leader_sees_their_grid_the_secretary_her_communitys_grids_and_the_street_every_community()
    {
        var leaderGrid = await app.FirstGridOfAsync("leader1");
        var secretary = await app.StaffActorAsync("secretary1");
        var communityGrids = await app.DbAsync(db => db.Grids.CountAsync(g => g.CommunityId == secretary.CommunityId && g.ValidTo == null));
        var communities = await app.DbAsync(db => db.Communities.CountAsync());
        using var leader = await app.SignedInAsync("leader1");
        using var secretaryClient = await app.SignedInAsync("secretary1");
        using var street = await app.SignedInAsync("streetleader1");

        var leaderPage = await leader.GetStringAsync("/reviews");
        var secretaryPage = await secretaryClient.GetStringAsync("/reviews");
        var streetPage = await street.GetStringAsync("/reviews");
        var drillDown = await street.GetStringAsync($"/reviews?month={LastMonth}&community={secretary.CommunityId}");

        Assert.Contains($"href=\"/reviews/{leaderGrid}/{LastMonth}\"", leaderPage);
        Assert.Equal(1, Rows(leaderPage));
        Assert.Contains("data-level=\"Community\"", secretaryPage);
        Assert.Equal(communityGrids, Rows(secretaryPage));
        Assert.Contains("data-level=\"Street\"", streetPage);
        Assert.Equal(communities, Rows(streetPage));
        Assert.Contains($"href=\"/reviews?month={LastMonth}&amp;community={secretary.CommunityId}\"", streetPage);
        Assert.Equal(communityGrids, Rows(drillDown));
        Assert.Contains($"href=\"/reviews/{leaderGrid}/{LastMonth}\"", drillDown);
    }

    [Theory]
    [InlineData("worker1")]
    [InlineData("handler1")]
    public async Task People_who_do_not_review_are_refused(string userName)
    {
        using var client = await app.SignedInAsync(userName);
        var grid = await app.FirstGridOfAsync("leader1");

        using var page = await client.GetAsync("/reviews");
        using var gridPage = await client.GetAsync($"/reviews/{grid}/{LastMonth}");
        using var export = await client.GetAsync($"/reviews/{grid}/{LastMonth}/export.xlsx");

        VisitWebData.AssertRefused(page);
        VisitWebData.AssertRefused(gridPage);
        VisitWebData.AssertRefused(export);
    }

    // Saving, signing off and their refusals are interactive now: Components/ReviewComponentTests and ReviewBadInputTests.

    [Fact]
    public async Task The_leader_gets_the_review_form_and_the_secretary_reads_the_review_without_one()
    {
        var grid = await app.FirstGridOfAsync("leader1");
        var url = $"/reviews/{grid}/{ChinaMonths.Format(ChinaMonths.MonthOf(DateTimeOffset.UtcNow).AddMonths(-3))}";
        using var leader = await app.SignedInAsync("leader1");
        using var secretary = await app.SignedInAsync("secretary1");

        var leaderPage = await leader.GetStringAsync(url);
        var secretaryPage = await secretary.GetStringAsync(url);

        Assert.Contains("data-testid=\"review-workers\"", leaderPage);
        Assert.Contains("data-testid=\"review-form\"", leaderPage);
        Assert.Contains("data-testid=\"review-sign-off\"", leaderPage);
        Assert.Contains("data-testid=\"review-workers\"", secretaryPage);
        Assert.Contains("网格长尚未填写审核意见。", secretaryPage);
        Assert.DoesNotContain("data-testid=\"review-form\"", secretaryPage);
        Assert.DoesNotContain("data-testid=\"review-sign-off\"", secretaryPage);
    }

    [Fact]
    public async Task A_month_to_come_or_not_a_month_is_not_found()
    {
        var grid = await app.FirstGridOfAsync("leader1");
        using var leader = await app.SignedInAsync("leader1");

        using var future = await leader.GetAsync($"/reviews/{grid}/{ChinaMonths.Format(ChinaMonths.MonthOf(DateTimeOffset.UtcNow).AddMonths(1))}");
        using var bogus = await leader.GetAsync($"/reviews/{grid}/abc");

        Assert.Equal(HttpStatusCode.NotFound, future.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, bogus.StatusCode);
    }

    [Fact]
    public async Task A_secretary_cannot_open_or_export_a_grid_of_another_community()
    {
        var secretary = await app.StaffActorAsync("secretary1");
        var foreign = await app.DbAsync(db => db.Grids.Where(g => g.CommunityId != secretary.CommunityId).Select(g => g.Code).FirstAsync());
        using var client = await app.SignedInAsync("secretary1");

        using var response = await client.GetAsync($"/reviews/{foreign}/{LastMonth}");
        var page = await response.Content.ReadAsStringAsync();
        using var export = await client.GetAsync($"/reviews/{foreign}/{LastMonth}/export.xlsx");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var foreignName = await app.DbAsync(db => db.Grids.Where(g => g.Code == foreign).Select(g => g.Name).SingleAsync());
        Assert.DoesNotContain(foreignName, page);
        Assert.DoesNotContain("data-testid=\"grid-review-page\"", page);
        Assert.Equal(HttpStatusCode.Forbidden, export.StatusCode);
    }

    [Fact]
    public async Task The_grid_export_is_a_workbook_with_the_pages_numbers()
    {
        var grid = await app.FirstGridOfAsync("leader1");
        var leader = await app.StaffActorAsync("leader1");
        var month = ChinaMonths.MonthOf(DateTimeOffset.UtcNow).AddMonths(-1);
        var review = await app.InAppAsync(p => p.GetRequiredService<Application.Reviews.MonthlyReviewQueries>().GridAsync(grid, month, leader));
        using var client = await app.SignedInAsync("leader1");

        using var response = await client.GetAsync($"/reviews/{grid}/{ChinaMonths.Format(month)}/export.xlsx");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains($"月度审核-{grid}-{ChinaMonths.Format(month)}.xlsx", Uri.UnescapeDataString(response.Content.Headers.ContentDisposition!.FileNameStar ?? ""));
        using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        using var document = SpreadsheetDocument.Open(stream, false);
        var rows = document.WorkbookPart!.WorksheetParts.Single().Worksheet.Descendants<Row>()
            .Select(r => r.Elements<Cell>().Select(c => c.InnerText).ToList()).ToList();
        Assert.Equal("姓名", rows[0][0]);
        foreach (var worker in review.Workers)
        {
            var row = rows.Single(r => r.Count > 2 && r[0] == worker.Name);
            Assert.Equal(worker.HouseholdsVisited.ToString(System.Globalization.CultureInfo.InvariantCulture), row[2]);
            Assert.Equal(worker.Reports.ToString(System.Globalization.CultureInfo.InvariantCulture), row[^1]);
        }
    }

    [Fact]
    public async Task The_street_roll_up_export_has_a_row_per_community_and_a_total()
    {
        using var client = await app.SignedInAsync("streetleader1");
        var communities = await app.DbAsync(db => db.Communities.CountAsync());

        using var response = await client.GetAsync($"/reviews/export.xlsx?month={LastMonth}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        using var document = SpreadsheetDocument.Open(stream, false);
        var rows = document.WorkbookPart!.WorksheetParts.Single().Worksheet.Descendants<Row>().ToList();
        Assert.Equal(1 + communities + 1, rows.Count);
        Assert.Equal("合计", rows[^1].Elements<Cell>().First().InnerText);
    }

    private static int Rows(string page)
    {
        var table = page.IndexOf("data-testid=\"reviews-table\"", StringComparison.Ordinal);
        if (table < 0)
        {
            return 0;
        }
        var body = page[table..page.IndexOf("</tbody>", table, StringComparison.Ordinal)];
        return System.Text.RegularExpressions.Regex.Matches(body, "<tr data-key=").Count;
    }
}
