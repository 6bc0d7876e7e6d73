using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using GridGov.Application.Ledgers;
using GridGov.Application.Visits;
using GridGov.Domain.Audit;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using Microsoft.EntityFrameworkCore;
using static GridGov.Web.Tests.CaseList.CaseListData;

namespace GridGov.Web.Tests.Audit;

/// <summary>
/// Lists and exports carry residents' and reporters' numbers only masked, every export is audited, and the
/// administrator's audit page is closed to everyone else (what it finds: <see cref="AuditLogBrowserTests"/>).
/// </summary>
public sealed class AuditPagesTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private const string ReporterPhone = "13912345678"; // what CaseListData reports with

    private Task<int> ExportsAsync(string export) =>
        app.DbAsync(db => db.AuditEntries.CountAsync(e => e.Action == AuditAction.Export && e.EntityType == export));

    /// <summary>All the text inside an XLSX (a zip of XML parts).</summary>
    private static string XlsxText(byte[] bytes)
    {
        using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        var text = new StringBuilder();
        foreach (var entry in zip.Entries)
        {
            using var reader = new StreamReader(entry.Open());
            text.Append(reader.ReadToEnd());
        }
        return text.ToString();
    }

    [Fact]
    public async Task Resident_lists_household_members_and_the_visit_form_show_numbers_only_masked()
    {
        var grid = await app.GridOfAsync("worker1");
        var resident = await app.ResidentAsync(grid.Id, skip: 40);
        using var client = await app.SignedInAsync("worker1");

        var pages = new[]
        {
            // Found by name (a search by number would echo the number typed into the page's own links).
            await client.GetStringAsync($"/ledgers/residents?q={Uri.EscapeDataString(resident.Name)}&grid={grid.Code}"),
            await client.GetStringAsync($"/ledgers/residents?grid={grid.Code}"),
            await client.GetStringAsync($"/ledgers/households/{resident.HouseholdId}"),
            await client.GetStringAsync($"/visits/new?household={resident.HouseholdId}"),
        };

        Assert.Contains(Masking.IdNumber(resident.IdNumber), pages[0]);
        Assert.Contains(Masking.Phone(resident.Phone)!, pages[2]);
        Assert.Contains($"value=\"{Masking.Phone(resident.Phone)}\"", pages[3]);
        foreach (var page in pages)
        {
            Assert.DoesNotContain(resident.IdNumber, page);
            Assert.DoesNotContain(resident.Phone!, page);
        }
    }

    [Fact]
    public async Task The_case_detail_and_the_csv_and_xlsx_exports_mask_the_reporters_phone_and_each_export_is_audited()
    {
        var marker = NewMarker();
        var @case = await app.ReportAsync(await app.GridAsync(), $"审计导出{marker}");
        using var client = await app.SignedInAsync("dispatcher1");
        var csvBefore = await ExportsAsync("CaseExport");

        var detail = await client.GetStringAsync($"/cases/{@case.Number}");
        using var csv = await client.GetAsync($"/cases/export.csv?q={Query(marker)}");
        var csvText = Encoding.UTF8.GetString(await csv.Content.ReadAsByteArrayAsync());
        using var xlsx = await client.GetAsync($"/cases/export.xlsx?q={Query(marker)}");
        var xlsxText = XlsxText(await xlsx.Content.ReadAsByteArrayAsync());

        Assert.Equal("139****5678", LedgerTestData.TestId(detail, "reporter-phone"));
        Assert.DoesNotContain(ReporterPhone, detail);
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Contains(@case.Number.ToString(CultureInfo.InvariantCulture), csvText);
        Assert.Contains("139****5678", csvText);
        Assert.DoesNotContain(ReporterPhone, csvText);
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        Assert.Contains("139****5678", xlsxText);
        Assert.DoesNotContain(ReporterPhone, xlsxText);

        Assert.Equal(csvBefore + 2, await ExportsAsync("CaseExport"));
        var entries = await app.DbAsync(db => db.AuditEntries.AsNoTracking()
            .Where(e => e.Action == AuditAction.Export && e.EntityType == "CaseExport" && e.Detail!.Contains(marker)).OrderBy(e => e.Id).ToListAsync());
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.Equal("dispatcher1", e.ActorUserName));
        Assert.Contains(".csv", entries[0].Detail);
        Assert.Contains(".xlsx", entries[1].Detail);
        Assert.All(entries, e => Assert.EndsWith("；1行", e.Detail));
    }

    [Fact]
    public async Task A_review_export_is_audited_with_its_row_count()
    {
        var gridCode = (await app.GridOfAsync("leader1")).Code;
        var month = ChinaMonths.Format(ChinaMonths.MonthOf(DateTimeOffset.UtcNow).AddMonths(-1));
        using var client = await app.SignedInAsync("leader1");
        var before = await ExportsAsync("ReviewExport");

        using var response = await client.GetAsync($"/reviews/{gridCode}/{month}/export.xlsx");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before + 1, await ExportsAsync("ReviewExport"));
        var entry = await app.DbAsync(db => db.AuditEntries.AsNoTracking().Where(e => e.EntityType == "ReviewExport").OrderByDescending(e => e.Id).FirstAsync());
        Assert.Equal("leader1", entry.ActorUserName);
        Assert.Contains(gridCode, entry.Detail);
        Assert.Matches("；[0-9]+行$", entry.Detail);
    }

    [Fact]
    public async Task Sign_ins_failed_sign_ins_and_sign_outs_are_audited_without_the_password()
    {
        const string wrongPassword = "Wrong#Audit2026";
        var before = await app.DbAsync(db => db.AuditEntries.Select(e => (long?)e.Id).MaxAsync()) ?? 0;
        using var client = app.CreateClient();
        using var failed = await client.PostFormAsync("/account/login", "login", new Dictionary<string, string>
        {
            ["Input.UserName"] = "secretary1",
            ["Input.Password"] = wrongPassword,
        });
        await client.SignInAsync("secretary1", TestSupport.GridGov.DemoStreetDatabaseFixture.DemoPassword);
        var home = await client.GetStringAsync("/");
        var token = WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(home, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value);
        using var signOut = await client.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));

        var entries = await app.DbAsync(db => db.AuditEntries.AsNoTracking()
            .Where(e => e.Id > before && (e.Action == AuditAction.SignIn || e.Action == AuditAction.SignInFailed || e.Action == AuditAction.SignOut) && e.ActorUserName == "secretary1")
            .OrderBy(e => e.Id).ToListAsync());
        Assert.NotEqual(HttpStatusCode.Redirect, failed.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal([AuditAction.SignInFailed, AuditAction.SignIn, AuditAction.SignOut], entries.Select(e => e.Action));
        Assert.Equal("127.0.0.1", entries[0].ClientAddress);
        Assert.Null(entries[0].ActorStaffId);
        Assert.NotNull(entries[1].ActorStaffId);
        Assert.Equal(await app.StaffNameAsync("secretary1"), entries[1].ActorName);
        Assert.Equal(0, await app.DbAsync(db => db.AuditEntries.CountAsync(e => e.Id > before && e.Detail != null && e.Detail.Contains(wrongPassword))));
    }

    [Fact]
    public async Task Bad_filters_get_a_clear_message_and_no_500()
    {
        using var admin = await app.SignedInAsync("admin1");

        using var response = await admin.GetAsync("/admin/audit?action=Drop&from=2026-13-45");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("操作类型无效", html);
        Assert.Contains("日期格式应为 yyyy-MM-dd", html);
        Assert.DoesNotContain("data-testid=\"audit-table\"", html);
    }

    [Theory]
    [InlineData("dispatcher1")]
    [InlineData("streetleader1")]
    [InlineData("secretary1")]
    [InlineData("worker1")]
    [InlineData("handler1")]
    public async Task The_audit_page_is_closed_to_everyone_but_administrators(string userName)
    {
        using var client = await app.SignedInAsync(userName);

        using var response = await client.GetAsync("/admin/audit");

        Visits.VisitWebData.AssertRefused(response);
    }

    [Fact]
    public async Task Signed_out_visitors_are_sent_to_sign_in()
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/admin/audit");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/login", response.Headers.Location!.OriginalString);
    }
}
