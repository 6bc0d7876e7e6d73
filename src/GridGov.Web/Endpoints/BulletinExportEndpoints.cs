using System.Globalization;
using GridGov.Application.Audit;
using GridGov.Application.Bulletins;
using GridGov.Application.Evaluation;
using GridGov.Domain.Calendar;
using GridGov.Infrastructure.Exports;
using GridGov.Web.Components.Pages.Bulletins;
using GridGov.Web.Infrastructure;
using GridGov.Web.Resources;
using Microsoft.Extensions.Localization;
using Microsoft.Net.Http.Headers;

namespace GridGov.Web.Endpoints;

/// <summary>
/// A bulletin as a workbook (/bulletins/{id}/export.xlsx): one sheet per section of the document, the same figures as the
/// page, for those who may read the bulletin (404 for anyone else, as the page answers). Audited.
/// </summary>
public sealed class BulletinExportEndpoints : IEndpointModule
{
    private const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/bulletins/{id:long}/export.xlsx", async (long id, HttpContext context, BulletinService service, CurrentStaff staff, AuditLog audit,
                IStringLocalizer<BulletinResource> text, IStringLocalizer<DomainNamesResource> names, ILogger<BulletinExportEndpoints> logger) =>
            {
                var actor = await staff.ActorAsync(context.RequestAborted);
                if (await service.GetAsync(id, actor, context.RequestAborted) is not { } bulletin)
                {
                    return Results.NotFound();
                }
                var sheets = Sheets(bulletin, text, names);
                var stem = $"{text["ListTitle"]}-{bulletin.Month.Year}-{bulletin.Month.Month:00}" + (bulletin.IssueTitle is { } title ? $"-{title}" : "");
                // filename* (RFC 5987) carries the Chinese name; filename is an ASCII fallback.
                context.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment")
                {
                    FileName = "bulletin.xlsx",
                    FileNameStar = stem + ".xlsx",
                }.ToString();
                context.Response.Headers.CacheControl = "no-store";
                context.Response.ContentType = XlsxType;
                await XlsxTableWriter.WriteAsync(context.Response.Body, sheets.Select(s => new XlsxSheet(s.Name, s.Headers, s.Widths, Rows(s.Rows))).ToList(),
                    context.RequestAborted);
                var rows = sheets.Sum(s => s.Rows.Count);
                logger.LogInformation("Bulletin export {BulletinId} by {Actor}: {Sheets} sheets, {Rows} rows", id, actor.Name, sheets.Count, rows);
                await audit.ExportedAsync(AuditExports.Bulletins, $"{stem}.xlsx；{context.Request.Path}", rows, CancellationToken.None);
                return Results.Empty;
            })
            .RequireAuthorization(policy => policy.RequireRole(BulletinRoles.All))
            .WithName("BulletinExport");

    private sealed record Sheet(string Name, IReadOnlyList<string> Headers, IReadOnlyList<double> Widths, IReadOnlyList<IReadOnlyList<string>> Rows);

    /// <summary>The document's sections in order, each a sheet with the document's column names.</summary>
    private static List<Sheet> Sheets(BulletinView bulletin, IStringLocalizer<BulletinResource> t, IStringLocalizer<DomainNamesResource> names)
    {
        var content = bulletin.Content;
        string Rate(Ratio ratio) => BulletinDocument.Rate(ratio);
        string N(int value) => value.ToString(CultureInfo.InvariantCulture);
        string Value(int? count, Ratio? rate) => rate is not null ? Rate(rate) : count is { } c ? N(c) : "";
        string Change(BulletinHeadline h) => h.Change?.ToString(h.IsRate ? "0.0" : "0", CultureInfo.InvariantCulture) ?? "";
        var areas = content.Communities.Select(c => c.Area).OrderBy(a => a.Key, StringComparer.Ordinal).Append(content.Street).ToList();
        string AreaName(AreaResult a) => a.Level == AreaLevel.Street ? t["StreetTotal"] : a.Name;
        Sheet Cases(string sheet, BulletinCaseList list) => new(t[sheet],
            [t["ColNumber"], t["ColCategory"], t["ColCommunity"], t["ColGrid"], t["ColDepartment"], t["ColState"], t["ColDue"], t["ColReasons"]],
            [18, 16, 14, 14, 18, 12, 18, 24],
            list.Cases.Select(c => (IReadOnlyList<string>)[c.Number, c.Category, c.Community, c.Grid, c.Department ?? t["LocalHandling"], names.Of(c.StateAtEnd),
                c.DueAtEnd is { } due ? WorkingCalendar.ToChinaTime(due).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "",
                string.Join("、", c.Reasons.Select(r => t["Reason." + r].Value))]).ToList());

        return
        [
            new(t["Sheet.Headlines"], [t["ColFigure"], t["ColThisMonth"], t["ColLastMonth"], t["ColChange"]], [22, 12, 12, 12],
                content.Headlines.Select(h => (IReadOnlyList<string>)[t["Headline." + h.Key], Value(h.Count, h.Rate),
                    content.PreviousMonth is null ? "" : Value(h.PreviousCount, h.PreviousRate), Change(h)]).ToList()),
            new(t["Sheet.Workers"], [t["ColRank"], t["ColName"], t["ColGrids"], t["ColScore"], t["ColGrade"], t["ColReports"], t["ColVisited"]], [8, 12, 36, 10, 8, 8, 10],
                content.Workers.Select(w => (IReadOnlyList<string>)[w.Score is { } s ? N(s.Rank) : "", w.Name, string.Join(" ", w.GridCodes),
                    w.Score?.Value.ToString("0.0", CultureInfo.InvariantCulture) ?? "", w.Score?.Grade.ToString() ?? "", N(w.Reports), N(w.HouseholdsVisited)]).ToList()),
            new(t["Sheet.Departments"], [t["ColRank"], t["ColDepartment"], t["ColScore"], t["ColGrade"], t["ColOnTime"], t["ColClosure"], t["ColRework"], t["ColReturn"], t["ColSupervised"]],
                [8, 24, 10, 8, 12, 12, 12, 12, 8],
                content.Departments.Select(d => (IReadOnlyList<string>)[d.Score is { } s ? N(s.Rank) : "", d.Name, d.Score?.Value.ToString("0.0", CultureInfo.InvariantCulture) ?? "",
                    d.Score?.Grade.ToString() ?? "", Rate(d.OnTimeClosure), Rate(d.Closure), Rate(d.Rework), Rate(d.Return), N(d.Supervised)]).ToList()),
            new(t["Sheet.Communities"], [t["ColRank"], t["ColCommunity"], t["ColReported"], t["ColRegistered"], t["ColOnTime"], t["ColClosure"], t["ColOpen"], t["ColOverdue"]],
                [8, 16, 8, 8, 12, 12, 10, 10],
                content.Communities.Select(c => (IReadOnlyList<string>)[c.Rank is { } r ? N(r) : "", c.Area.Name, N(c.Area.Reported), N(c.Area.Registered),
                    Rate(c.Area.OnTimeClosure), Rate(c.Area.Closure), N(c.Area.OpenAtEnd), N(c.Area.OverdueAtEnd)]).ToList()),
            new(t["Sheet.Grids"], [t["ColRank"], t["ColGrid"], t["ColReported"], t["ColOnTime"], t["ColClosure"], t["ColOverdue"]], [8, 24, 8, 12, 12, 10],
                content.Grids.Select(g => (IReadOnlyList<string>)[g.Rank is { } r ? N(r) : "", $"{g.Area.Name} {g.Area.Key}", N(g.Area.Reported),
                    Rate(g.Area.OnTimeClosure), Rate(g.Area.Closure), N(g.Area.OverdueAtEnd)]).ToList()),
            Cases("Sheet.Overdue", content.Overdue),
            Cases("Sheet.Supervised", content.Supervised),
            Cases("Sheet.Notable", content.Notable),
            new(t["Sheet.Hazards"], [t["ColCommunity"], t["ColHazardsFound"], t["ColHazardsFixed"], t["ColHazardsRate"]], [16, 10, 10, 10],
                areas.Select(a => (IReadOnlyList<string>)[AreaName(a), N(a.HazardsFixed.Denominator), N(a.HazardsFixed.Numerator), Rate(a.HazardsFixed)]).ToList()),
            new(t["Sheet.Visits"], [t["ColCommunity"], t["ColHouseholds"], t["ColVisits"], t["ColQuotaMet"], t["ColPatrolDays"]], [16, 10, 10, 12, 14],
                areas.Select(a => (IReadOnlyList<string>)[AreaName(a), N(a.HouseholdsVisited), N(a.Visits), Rate(a.QuotaMet), N(a.FullCoverageDays)]).ToList()),
            new(t["Sheet.Notes"], [t["ColFigure"], t["ColText"]], [14, 100],
                [[t["Foreword"], bulletin.Foreword ?? ""], [t["ClosingNotes"], bulletin.ClosingNotes ?? ""], [t["ColIssue"], bulletin.IssueTitle ?? t["DraftMark"]]]),
        ];
    }

    private static async IAsyncEnumerable<IReadOnlyList<string>> Rows(IReadOnlyList<IReadOnlyList<string>> rows)
    {
        foreach (var row in rows)
        {
            yield return row;
        }
        await Task.CompletedTask;
    }
}
