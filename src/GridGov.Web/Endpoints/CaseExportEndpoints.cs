using System.Diagnostics;
using GridGov.Application.Audit;
using GridGov.Application.Cases;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Infrastructure.Exports;
using GridGov.Web.Infrastructure;
using Microsoft.Net.Http.Headers;

namespace GridGov.Web.Endpoints;

/// <summary>
/// The case list as a file: /cases/export.csv and /cases/export.xlsx take the list's own query string, apply
/// the same filters and scope, and stream every matching case in the list's order (up to the export cap).
/// </summary>
public sealed class CaseExportEndpoints : IEndpointModule
{
    public void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/cases/export.csv", (HttpContext context, CaseSearchQuery query, CurrentStaff staff, AuditLog audit, ILogger<CaseExportEndpoints> logger) =>
                ExportAsync(context, query, staff, audit, logger, ExportFormat.Csv))
            .RequireAuthorization(Policies.Staff)
            .WithName("CaseExportCsv");
        endpoints.MapGet("/cases/export.xlsx", (HttpContext context, CaseSearchQuery query, CurrentStaff staff, AuditLog audit, ILogger<CaseExportEndpoints> logger) =>
                ExportAsync(context, query, staff, audit, logger, ExportFormat.Xlsx))
            .RequireAuthorization(Policies.Staff)
            .WithName("CaseExportXlsx");
    }

    private enum ExportFormat
    {
        Csv,
        Xlsx,
    }

    private static async Task<IResult> ExportAsync(HttpContext context, CaseSearchQuery query, CurrentStaff staff, AuditLog audit, ILogger logger, ExportFormat format)
    {
        var parsed = CaseSearchFilter.Parse(context.Request.Query.SelectMany(pair => pair.Value.Select(value => new KeyValuePair<string, string?>(pair.Key, value))));
        if (!parsed.IsValid)
        {
            return Results.Text("无法导出：" + string.Join("；", parsed.Errors), "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
        }
        CaseActor actor;
        try
        {
            actor = await staff.ActorAsync(context.RequestAborted);
        }
        catch (DomainException exception)
        {
            return Results.Text("无法导出：" + exception.Message, "text/plain; charset=utf-8", statusCode: StatusCodes.Status403Forbidden);
        }
        var export = await query.ExportAsync(parsed.Filter, actor, context.RequestAborted);
        var extension = format == ExportFormat.Csv ? ".csv" : ".xlsx";
        // filename* (RFC 5987, UTF-8) carries the Chinese name browsers use; filename is the ASCII fallback.
        var disposition = new ContentDispositionHeaderValue("attachment")
        {
            FileName = export.AsciiFileStem + extension,
            FileNameStar = export.FileStem + extension,
        };
        context.Response.Headers.ContentDisposition = disposition.ToString();
        context.Response.Headers.CacheControl = "no-store";

        var started = Stopwatch.GetTimestamp();
        var rows = new CountingRows(export.Rows);
        if (format == ExportFormat.Csv)
        {
            context.Response.ContentType = "text/csv; charset=utf-8";
            await CsvTableWriter.WriteAsync(context.Response.Body, export.Headers, rows, context.RequestAborted);
        }
        else
        {
            context.Response.ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
            await XlsxTableWriter.WriteAsync(context.Response.Body, "案件列表", export.Headers, export.Widths, rows, context.RequestAborted);
        }
        logger.LogInformation("Case export {Format} by {Actor}: {Lines} lines under the header in {ElapsedMs:0} ms",
            format, actor.Name, rows.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        // Audited once written (the row count is known then), even if the client has gone meanwhile.
        await audit.ExportedAsync(AuditExports.Cases, $"案件列表{extension}；筛选：{AuditExports.Filter(context.Request.QueryString)}", rows.Count, CancellationToken.None);
        return Results.Empty;
    }

    /// <summary>Counts what passes through, for the log line.</summary>
    private sealed class CountingRows(IAsyncEnumerable<IReadOnlyList<string>> rows) : IAsyncEnumerable<IReadOnlyList<string>>
    {
        public int Count { get; private set; }

        public async IAsyncEnumerator<IReadOnlyList<string>> GetAsyncEnumerator(CancellationToken cancellationToken = default)
        {
            await foreach (var row in rows.WithCancellation(cancellationToken))
            {
                Count++;
                yield return row;
            }
        }
    }
}
