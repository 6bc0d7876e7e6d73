using System.Globalization;
using System.Net;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using GridGov.Application.Bulletins;
using GridGov.Domain.Audit;
using GridGov.Web.Endpoints;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Visits;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Web.Tests.Bulletins;

/// <summary>The bulletin as a workbook: one sheet per section in the document's order, the document's figures, audited.</summary>
public sealed class BulletinExportTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    [Fact]
    public async Task The_export_has_a_sheet_per_section_with_the_bulletins_figures_and_is_audited()
    {
        var id = await app.IssuedBulletinAsync();
        var bulletin = await app.ViewAsync(id);
        var exportsBefore = await app.DbAsync(db => db.AuditEntries.CountAsync(e => e.Action == AuditAction.Export && e.EntityType == AuditExports.Bulletins));
        using var client = await app.SignedInAsync("handler1");

        using var response = await client.GetAsync($"/bulletins/{id}/export.xlsx");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType!.MediaType);
        Assert.EndsWith($"{bulletin.IssueTitle}.xlsx", Uri.UnescapeDataString(response.Content.Headers.ContentDisposition!.FileNameStar ?? ""), StringComparison.Ordinal);
        using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        using var document = SpreadsheetDocument.Open(stream, false);
        var workbook = document.WorkbookPart!;
        var sheets = workbook.Workbook.Sheets!.Elements<Sheet>().ToList();
        Assert.Equal(["本月概况", "网格员排名", "部门排名", "社区排名", "网格排名", "超期案件", "督办案件", "重点案件", "隐患整改", "走访巡查", "按语与结束语"],
            sheets.Select(s => s.Name!.Value));

        List<List<string>> Rows(string name)
        {
            var part = (WorksheetPart)workbook.GetPartById(sheets.Single(s => s.Name == name).Id!);
            return part.Worksheet.Descendants<Row>().Select(r => r.Elements<Cell>().Select(c => c.InnerText).ToList()).ToList();
        }
        var overview = Rows("本月概况");
        Assert.Equal(["指标", "本月", "上月", "变化"], overview[0]);
        var reported = bulletin.Content.Headlines.Single(h => h.Key == BulletinComposer.Headlines.Reported).Count!.Value;
        Assert.Equal(reported.ToString(CultureInfo.InvariantCulture), overview.Single(r => r[0] == "上报问题")[1]);
        var overdue = Rows("超期案件");
        Assert.Equal(bulletin.Content.Overdue.Cases.Count + 1, overdue.Count);
        Assert.Equal(bulletin.Content.Overdue.Cases.Select(c => c.Number), overdue.Skip(1).Select(r => r[0]));
        var hazards = Rows("隐患整改");
        Assert.Equal(bulletin.Content.Communities.Count + 2, hazards.Count);          // header, communities, the street
        Assert.Equal("全街道", hazards[^1][0]);
        Assert.Equal(bulletin.Content.Street.HazardsFixed.Denominator.ToString(CultureInfo.InvariantCulture), hazards[^1][1]);

        Assert.Equal(exportsBefore + 1, await app.DbAsync(db => db.AuditEntries.CountAsync(e => e.Action == AuditAction.Export && e.EntityType == AuditExports.Bulletins)));
    }

    [Fact]
    public async Task A_grid_worker_gets_no_export_and_a_department_no_draft()
    {
        var id = await app.BulletinAsync();
        using var worker = await app.SignedInAsync("worker1");
        using var refused = await worker.GetAsync($"/bulletins/{id}/export.xlsx");
        Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);

        var state = (await app.ViewAsync(id)).State;
        using var handler = await app.SignedInAsync("handler1");
        using var response = await handler.GetAsync($"/bulletins/{id}/export.xlsx");
        Assert.Equal(state == Domain.Bulletins.BulletinState.Issued ? HttpStatusCode.OK : HttpStatusCode.NotFound, response.StatusCode);
    }
}
