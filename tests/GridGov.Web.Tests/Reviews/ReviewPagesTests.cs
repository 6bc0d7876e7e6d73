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

    private static string ThisMonth => ChinaMonths.Format(ChinaMonths.MonthOf(DateTimeOffset.UtcNow));

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

    [Fact]
    public async Task The_leader_signs_off_last_month_and_then_a_visit_of_that_month_is_refused()
    {
        var grid = await app.FirstGridOfAsync("leader1");
        var url = $"/reviews/{grid}/{LastMonth}";
        using var leader = await app.SignedInAsync("leader1");
        using var worker = await app.SignedInAsync("worker1");
        var before = await leader.GetStringAsync(url);
        Assert.Contains("data-testid=\"review-workers\"", before);
        Assert.Contains("data-testid=\"review-sign-off\"", before);

        using var signed = await leader.PostFormAsync(url, "review", new Dictionary<string, string>
        {
            ["Input.Comment"] = "走访与巡查基本完成，下月加强独居老人走访",
            ["Input.Action"] = "sign",
        });

        Assert.Equal(HttpStatusCode.Redirect, signed.StatusCode);
        var after = await leader.GetStringAsync(url);
        Assert.Contains("data-testid=\"review-signed-off\"", after);
        Assert.Contains("走访与巡查基本完成，下月加强独居老人走访", after);
        Assert.DoesNotContain("data-testid=\"review-sign-off\"", after);

        var household = (await app.HouseholdsOfGridAsync(grid, 5, 1))[0];
        var visits = await app.DbAsync(db => db.Visits.CountAsync());
        var lastMonthDay = ChinaMonths.StartOf(ChinaMonths.MonthOf(DateTimeOffset.UtcNow).AddMonths(-1)).AddDays(2);
        using var refused = await worker.PostFormAsync($"/visits/new?household={household.Id}", "visit", new Dictionary<string, string>
        {
            ["Input.HouseholdId"] = household.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Input.VisitedAt"] = Domain.Calendar.WorkingCalendar.ToChinaTime(lastMonthDay).ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture),
            ["Input.Findings"] = "补登上个月的走访",
        });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("该月已签署审核，不能再登记或修改走访", await refused.Content.ReadAsStringAsync());
        Assert.Equal(visits, await app.DbAsync(db => db.Visits.CountAsync()));
    }

    [Fact]
    public async Task Signing_off_the_running_month_is_refused_with_the_message()
    {
        var grid = await app.FirstGridOfAsync("leader1");
        var url = $"/reviews/{grid}/{ThisMonth}";
        using var leader = await app.SignedInAsync("leader1");

        using var response = await leader.PostFormAsync(url, "review", new Dictionary<string, string> { ["Input.Action"] = "sign" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("本月尚未结束，不能签署月度审核", await response.Content.ReadAsStringAsync());
        var month = ChinaMonths.MonthOf(DateTimeOffset.UtcNow);
        Assert.False(await app.DbAsync(db => db.MonthlyReviews.AnyAsync(r => r.GridCode == grid && r.Month == month && r.SignedOffAt != null)));
    }

    [Fact]
    public async Task The_secretary_reads_the_grid_review_without_a_sign_off_form_and_cannot_post_one()
    {
        var grid = await app.FirstGridOfAsync("leader1");
        var month = ChinaMonths.MonthOf(DateTimeOffset.UtcNow).AddMonths(-3);
        var url = $"/reviews/{grid}/{ChinaMonths.Format(month)}";
        using var secretary = await app.SignedInAsync("secretary1");

        var page = await secretary.GetStringAsync(url);
        using var posted = await secretary.PostFormAsync(url, "review", new Dictionary<string, string> { ["Input.Action"] = "sign" });

        Assert.Contains("data-testid=\"review-workers\"", page);
        Assert.DoesNotContain("data-testid=\"review-form\"", page);
        Assert.NotEqual(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.False(await app.DbAsync(db => db.MonthlyReviews.AnyAsync(r => r.GridCode == grid && r.Month == month)));
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
