using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using GridGov.Application.Ledgers;
using GridGov.Domain.Audit;
using GridGov.Domain.Ledgers;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Web.Tests.Ledgers;

/// <summary>
/// The ledger exports over real HTTP: each file holds exactly the rows its list shows for the same query string (scope,
/// filter, masking), never a whole personal number, and each export is in the audit log with its row count.
/// </summary>
public sealed partial class LedgerExportTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private static readonly Encoding Utf8 = new UTF8Encoding(false);

    /// <summary>The CSV's lines under its header (the writer ends every line with CRLF and starts with a BOM).</summary>
    private static async Task<(string[] Header, List<string[]> Rows, string Text)> CsvAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var text = Utf8.GetString(bytes, 3, bytes.Length - 3);
        var lines = text.Split("\r\n");
        Assert.Equal("", lines[^1]);
        // The demo ledgers hold no commas, quotes or line breaks in these columns, so a plain split reads them.
        return (lines[0].Split(','), lines[1..^1].Select(line => line.Split(',')).ToList(), text);
    }

    private Task<int> ExportsAuditedAsync(string export, string userName) => app.DbAsync(db =>
        db.AuditEntries.CountAsync(e => e.Action == AuditAction.Export && e.EntityType == export && e.ActorUserName == userName));

    [Fact]
    public async Task A_grid_workers_resident_export_holds_the_rows_of_his_filtered_list_masked_and_is_audited()
    {
        var grid = await app.GridOfAsync("worker1");
        var expected = await app.DbAsync(db => db.Residents.AsNoTracking()
            .Where(r => r.GridId == grid.Id && r.RemovedAt == null && r.PopulationKind == PopulationKind.Floating)
            .OrderBy(r => r.Id).Select(r => new { r.Name, r.IdNumber, r.Phone }).ToListAsync());
        Assert.NotEmpty(expected);
        var auditedBefore = await ExportsAuditedAsync("ResidentExport", "worker1");
        using var client = await app.SignedInAsync("worker1");

        using var response = await client.GetAsync($"/ledgers/residents/export.csv?kind=Floating&grid={grid.Code}");
        var (header, rows, text) = await CsvAsync(response);

        Assert.Equal(["姓名", "身份证号码", "性别", "年龄", "联系电话", "地址", "人口类别", "人群标签", "网格", "状态"], header);
        Assert.Equal(expected.Select(r => (r.Name, Masking.IdNumber(r.IdNumber), Masking.Phone(r.Phone) ?? "")),
            rows.Select(r => (r[0], r[1], r[4])));
        Assert.All(rows, r => Assert.Equal("流动", r[6]));
        Assert.All(rows, r => Assert.Equal("在册", r[9]));
        // No whole ID number or mobile number anywhere in the file.
        Assert.DoesNotMatch(WholeIdNumber(), text);
        Assert.DoesNotMatch(WholeMobile(), text);
        Assert.Matches("^residents-[0-9]{8}\\.csv$", response.Content.Headers.ContentDisposition?.FileName);
        Assert.Matches("^居民台账-[0-9]{8}\\.csv$", response.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Equal(auditedBefore + 1, await ExportsAuditedAsync("ResidentExport", "worker1"));
        var detail = await app.DbAsync(db => db.AuditEntries.Where(e => e.EntityType == "ResidentExport" && e.ActorUserName == "worker1")
            .OrderByDescending(e => e.Id).Select(e => e.Detail).FirstAsync());
        Assert.Contains("kind=Floating", detail);
        Assert.EndsWith($"；{expected.Count}行", detail);
    }

    [Fact]
    public async Task Outside_his_grids_a_grid_worker_exports_nothing_of_another_grid()
    {
        var mine = await app.DbAsync(db => db.Users.Where(u => u.UserName == "worker1")
            .Join(db.GridAssignments, u => u.StaffMemberId, a => a.StaffMemberId, (u, a) => a.GridCode)
            .Join(db.Grids, code => code, g => g.Code, (code, g) => new { g.Id, g.Code, g.Name }).ToListAsync());
        var myIds = mine.Select(g => g.Id).ToList();
        var myCodes = mine.Select(g => g.Code).ToList();
        var other = await app.DbAsync(db => db.Grids.Where(g => g.ValidTo == null && !myCodes.Contains(g.Code))
            .OrderByDescending(g => g.Id).Select(g => new { g.Code, g.Name }).FirstAsync());
        var households = await app.DbAsync(db => db.Households.CountAsync(h => myIds.Contains(h.GridId) && h.RemovedAt == null));
        using var client = await app.SignedInAsync("worker1");

        // A grid outside the scope is no filter: the list (and so the export) stays within his own grids.
        var (header, rows, _) = await CsvAsync(await client.GetAsync($"/ledgers/households/export.csv?grid={other.Code}"));

        Assert.Equal("网格", header[5]);
        Assert.Equal(households, rows.Count);
        Assert.All(rows, r => Assert.Contains(r[5], mine.Select(g => g.Name)));
        Assert.DoesNotContain(rows, r => r[5] == other.Name);
    }

    [Fact]
    public async Task Part_of_a_number_exports_nothing_and_says_why_in_chinese()
    {
        var resident = await app.ResidentAsync((await app.GridOfAsync("worker1")).Id, skip: 3);
        var auditedBefore = await ExportsAuditedAsync("ResidentExport", "worker1");
        using var client = await app.SignedInAsync("worker1");

        using var response = await client.GetAsync($"/ledgers/residents/export.csv?q={resident.IdNumber[..10]}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("无法导出：", message);
        Assert.Contains("完整", message);
        Assert.DoesNotContain(resident.Name, message);
        Assert.Equal(auditedBefore, await ExportsAuditedAsync("ResidentExport", "worker1"));
    }

    [Fact]
    public async Task A_whole_id_number_exports_its_resident_and_is_audited_as_a_look_up()
    {
        var resident = await app.ResidentAsync((await app.GridOfAsync("worker1")).Id, skip: 5);
        var lookupsBefore = await app.DbAsync(db => db.AuditEntries.CountAsync(e => e.Action == AuditAction.Lookup && e.ActorUserName == "worker1"));
        using var client = await app.SignedInAsync("worker1");

        var (_, rows, _) = await CsvAsync(await client.GetAsync($"/ledgers/residents/export.csv?q={resident.IdNumber}"));

        var row = Assert.Single(rows);
        Assert.Equal((resident.Name, Masking.IdNumber(resident.IdNumber)), (row[0], row[1]));
        Assert.Equal(lookupsBefore + 1, await app.DbAsync(db => db.AuditEntries.CountAsync(e => e.Action == AuditAction.Lookup && e.ActorUserName == "worker1")));
    }

    [Fact]
    public async Task The_unit_export_in_xlsx_follows_the_small_venue_filter_and_masks_the_contact_phone()
    {
        var expected = await app.DbAsync(db => db.Units.AsNoTracking().Where(u => u.IsSmallVenue && u.RemovedAt == null)
            .OrderBy(u => u.Id).Select(u => new { u.Name, u.ContactPhone }).ToListAsync());
        Assert.NotEmpty(expected);
        using var client = await app.SignedInAsync("dispatcher1");

        using var response = await client.GetAsync("/ledgers/units/export.xlsx?small=true");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        await using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        using var document = SpreadsheetDocument.Open(stream, isEditable: false);
        var workbook = document.WorkbookPart!;
        var sheet = workbook.Workbook.Sheets!.Elements<Sheet>().Single();
        var rows = ((WorksheetPart)workbook.GetPartById(sheet.Id!)).Worksheet.GetFirstChild<SheetData>()!.Elements<Row>()
            .Select(row => row.Elements<Cell>().ToDictionary(c => new string(c.CellReference!.Value!.TakeWhile(char.IsAsciiLetter).ToArray()), c => c.InnerText))
            .ToList();

        Assert.Equal("单位门店台账", sheet.Name?.Value);
        Assert.Equal(("单位名称", "五小门店", "联系电话", "统一社会信用代码"), (rows[0]["A"], rows[0]["C"], rows[0]["G"], rows[0]["L"]));
        Assert.Equal(expected.Select(u => (u.Name, "是", Masking.Phone(u.ContactPhone) ?? "")), rows.Skip(1).Select(r => (r["A"], r["C"], r.GetValueOrDefault("G", ""))));
    }

    [Fact]
    public async Task A_department_handler_exports_his_departments_components_wherever_they_are()
    {
        var department = await app.DbAsync(db => db.Users.Where(u => u.UserName == "handler1")
            .Join(db.StaffMembers, u => u.StaffMemberId, s => s.Id, (u, s) => s.DepartmentId).SingleAsync());
        var expected = await app.DbAsync(db => db.Components.AsNoTracking().Where(c => c.OwnerDepartmentId == department && c.RemovedAt == null)
            .OrderBy(c => c.Id).Select(c => c.Code).ToListAsync());
        Assert.NotEmpty(expected);
        using var client = await app.SignedInAsync("handler1");

        var (header, rows, _) = await CsvAsync(await client.GetAsync("/ledgers/components/export.csv"));

        Assert.Equal("部件编码", header[0]);
        Assert.Equal(expected, rows.Select(r => r[0]));
    }

    [Fact]
    public async Task A_list_page_offers_the_export_of_what_it_shows()
    {
        using var client = await app.SignedInAsync("worker1");

        var html = await client.GetStringAsync("/ledgers/households?kind=Rental");

        Assert.Contains("href=\"/ledgers/households/export.xlsx?kind=Rental\"", html);
        Assert.Contains("href=\"/ledgers/households/export.csv?kind=Rental\"", html);
        Assert.Matches("data-testid=\"ledger-export-xlsx\"[^>]*download|download[^>]*data-testid=\"ledger-export-xlsx\"", html);
    }

    [GeneratedRegex("(?<![0-9])[1-9][0-9]{16}[0-9X](?![0-9])")]
    private static partial Regex WholeIdNumber();

    [GeneratedRegex("(?<![0-9])1[3-9][0-9]{9}(?![0-9])")]
    private static partial Regex WholeMobile();
}
