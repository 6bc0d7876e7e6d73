using System.Net;
using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using GridGov.Infrastructure.Exports;
using GridGov.TestSupport.GridGov;
using GridGov.Web.Tests.Infrastructure;
using static GridGov.Web.Tests.CaseList.CaseListData;

namespace GridGov.Web.Tests.CaseList;

public sealed class CaseExportTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private async Task<HttpClient> SignedInAsync(string userName)
    {
        var client = app.CreateClient();
        await client.SignInAsync(userName, DemoStreetDatabaseFixture.DemoPassword);
        return client;
    }

    [Fact]
    public async Task The_csv_export_has_a_bom_chinese_headers_escaped_fields_and_only_the_filtered_rows()
    {
        var marker = NewMarker();
        var grid = await app.GridAsync();
        var dispatcher = await app.ActorAsync("dispatcher1");
        var tricky = await app.ReportAsync(grid, $"垃圾\"很多\"，{marker}\n第二行", address: "幸福路1号, 东侧");
        var registered = await app.ReportAsync(grid, $"=1+1 {marker}");
        await app.ReportAsync(grid, $"不相关的案件{Guid.NewGuid():N}");
        await app.DoAsync(s => s.RegisterAsync(registered.Id, dispatcher, null, null));
        using var client = await SignedInAsync("dispatcher1");

        var response = await client.GetAsync($"/cases/export.csv?q={Query(marker)}&sort=number-asc");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var text = new UTF8Encoding(false).GetString(bytes, 3, bytes.Length - 3);
        var lines = text.Split("\r\n");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        Assert.StartsWith("案件编号,状态,大类,小类,社区,网格编码,网格,责任部门,紧急程度,来源,处置层级,问题描述,地址,上报人,联系电话,上报时间,办理时限,时限预警,督办,结案时间", lines[0]);
        Assert.StartsWith($"{tricky.Number},待立案,", lines[1]);
        Assert.Contains($"\"垃圾\"\"很多\"\"，{marker}\n第二行\",\"幸福路1号, 东侧\",李明,139****5678,", text); // quotes doubled, comma and line break kept inside quotes; the phone masked
        Assert.Contains($"{registered.Number},已立案,", text);
        Assert.Contains($",'=1+1 {marker},", text); // a formula-looking cell is kept as text
        Assert.Equal(4, lines.Length); // header, two rows, and the empty string after the last CRLF
        Assert.Equal("", lines[^1]);
        var disposition = response.Content.Headers.ContentDisposition;
        Assert.Equal("attachment", disposition?.DispositionType);
        Assert.Matches("^cases-[0-9]{8}\\.csv$", disposition?.FileName);
        Assert.Matches("^案件列表-[0-9]{8}\\.csv$", disposition?.FileNameStar);
        Assert.Contains("filename*=UTF-8''", response.Content.Headers.GetValues("Content-Disposition").Single());
    }

    [Fact]
    public async Task The_xlsx_export_is_a_valid_workbook_holding_the_filtered_rows()
    {
        var marker = NewMarker();
        var grid = await app.GridAsync();
        var first = await app.ReportAsync(grid, $"占道经营{marker}");
        var second = await app.ReportAsync(grid, $"乱堆物料{marker}", address: "幸福路2号");
        using var client = await SignedInAsync("dispatcher1");

        var response = await client.GetAsync($"/cases/export.xlsx?q={Query(marker)}&sort=number-asc");
        await using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        using var document = SpreadsheetDocument.Open(stream, isEditable: false);
        var workbook = document.WorkbookPart!;
        var sheet = workbook.Workbook.Sheets!.Elements<Sheet>().Single();
        var rows = ((WorksheetPart)workbook.GetPartById(sheet.Id!)).Worksheet.GetFirstChild<SheetData>()!.Elements<Row>()
            .Select(row => row.Elements<Cell>().ToDictionary(c => new string(c.CellReference!.Value!.TakeWhile(char.IsAsciiLetter).ToArray()), c => c.InnerText))
            .ToList();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        Assert.Matches("^案件列表-[0-9]{8}\\.xlsx$", response.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Equal("案件列表", sheet.Name?.Value);
        Assert.Equal(3, rows.Count);
        Assert.Equal("案件编号", rows[0]["A"]);
        Assert.Equal("问题描述", rows[0]["L"]);
        Assert.Equal("结案时间", rows[0]["T"]);
        Assert.Equal(first.Number, rows[1]["A"]);
        Assert.Equal("待立案", rows[1]["B"]);
        Assert.Equal("暴露垃圾", rows[1]["D"]);
        Assert.Equal(grid, rows[1]["F"]);
        Assert.Equal($"占道经营{marker}", rows[1]["L"]);
        Assert.Equal(second.Number, rows[2]["A"]);
        Assert.Equal("幸福路2号", rows[2]["M"]);
    }

    [Fact]
    public async Task Exports_apply_the_readers_scope()
    {
        var marker = NewMarker();
        var secretary = await app.ActorAsync("secretary1");
        var own = await app.ReportAsync(await app.GridAsync(communityId: secretary.CommunityId), $"本社区{marker}");
        var other = await app.ReportAsync(await app.GridAsync(otherThan: secretary.CommunityId), $"外社区{marker}");
        using var client = await SignedInAsync("secretary1");

        var csv = await client.GetStringAsync($"/cases/export.csv?q={Query(marker)}");

        Assert.Contains(own.Number, csv);
        Assert.DoesNotContain(other.Number, csv);
    }

    [Fact]
    public async Task A_department_handlers_export_carries_no_reporter_phone_as_her_case_page_shows_none()
    {
        var marker = NewMarker();
        var dispatcher = await app.ActorAsync("dispatcher1");
        var handler = await app.ActorAsync("handler1");
        var dispatched = await app.ReportAsync(await app.GridAsync(), $"派给部门{marker}");
        await app.DoAsync(s => s.RegisterAsync(dispatched.Id, dispatcher, null, null));
        await app.DoAsync(s => s.DispatchAsync(dispatched.Id, dispatcher, handler.DepartmentId!.Value));
        using var handlerClient = await SignedInAsync("handler1");
        using var dispatcherClient = await SignedInAsync("dispatcher1");

        var handlerCsv = await handlerClient.GetStringAsync($"/cases/export.csv?q={Query(marker)}");
        var dispatcherCsv = await dispatcherClient.GetStringAsync($"/cases/export.csv?q={Query(marker)}");
        var handlerPage = await handlerClient.GetStringAsync($"/cases/{dispatched.Number}");

        Assert.Contains(dispatched.Number, handlerCsv);
        Assert.DoesNotContain("5678", handlerCsv); // not even the masked 139****5678
        Assert.Contains(",李明,,", handlerCsv); // the column stays, empty
        Assert.DoesNotContain("reporter-phone", handlerPage); // the page shows none either
        Assert.Contains(",李明,139****5678,", dispatcherCsv);
    }

    [Fact]
    public async Task A_bad_filter_refuses_the_export_with_a_chinese_message()
    {
        using var client = await SignedInAsync("dispatcher1");

        var response = await client.GetAsync("/cases/export.xlsx?state=Bogus&to=2026-02-30");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("无法导出", body);
        Assert.Contains("未知的案件状态“Bogus”", body);
        Assert.Contains("结束日期“2026-02-30”格式无效", body);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("-5", "'-5")]
    [InlineData("@cmd", "'@cmd")]
    [InlineData("", "")]
    public void Csv_fields_are_quoted_and_guarded_as_needed(string value, string expected) =>
        Assert.Equal(expected, CsvTableWriter.Field(value));

    [Theory]
    [InlineData(0, "A")]
    [InlineData(25, "Z")]
    [InlineData(26, "AA")]
    [InlineData(701, "ZZ")]
    [InlineData(702, "AAA")]
    public void Spreadsheet_column_names_follow_excel(int index, string name) =>
        Assert.Equal(name, XlsxTableWriter.ColumnName(index));

    [Theory]
    [InlineData("案件列表", "案件列表")]
    [InlineData("a/b:c", "a_b_c")]
    [InlineData("", "Sheet1")]
    [InlineData("12345678901234567890123456789012345", "1234567890123456789012345678901")]
    public void Sheet_names_are_made_acceptable_to_excel(string name, string expected) =>
        Assert.Equal(expected, XlsxTableWriter.SheetName(name));
}
