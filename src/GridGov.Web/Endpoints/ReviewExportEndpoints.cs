using GridGov.Application.Audit;
using GridGov.Application.Reviews;
using GridGov.Application.Visits;
using GridGov.Domain.Common;
using GridGov.Infrastructure.Exports;
using GridGov.Web.Components.Pages.Reviews;
using GridGov.Web.Infrastructure;
using Microsoft.Net.Http.Headers;

namespace GridGov.Web.Endpoints;

/// <summary>
/// Monthly reviews as spreadsheets: one grid's month (/reviews/{grid}/{yyyy-MM}/export.xlsx) and the roll-up the
/// person sees on /reviews (/reviews/export.xlsx?month=…&amp;community=…), with the same scope as the pages.
/// </summary>
public sealed class ReviewExportEndpoints : IEndpointModule
{
    private const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/reviews/{gridCode}/{month}/export.xlsx", async (string gridCode, string month, HttpContext context, MonthlyReviewQueries query, CurrentStaff staff, AuditLog audit, ILogger<ReviewExportEndpoints> logger) =>
            {
                if (ChinaMonths.Parse(month) is not { } parsed)
                {
                    return Results.Text("无法导出：月份格式应为 yyyy-MM", "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
                }
                return await WriteAsync(context, staff, audit, logger, actor => query.GridTableAsync(gridCode, parsed, actor, context.RequestAborted));
            })
            .RequireAuthorization(policy => policy.RequireRole(ReviewRoles.All))
            .WithName("ReviewGridExport");
        endpoints.MapGet("/reviews/export.xlsx", async (string? month, int? community, HttpContext context, MonthlyReviewQueries query, CurrentStaff staff, AuditLog audit, ILogger<ReviewExportEndpoints> logger) =>
            {
                var parsed = ChinaMonths.Parse(month) ?? query.DefaultMonth;
                return await WriteAsync(context, staff, audit, logger, actor => query.RollUpTableAsync(parsed, actor, community, context.RequestAborted));
            })
            .RequireAuthorization(policy => policy.RequireRole(ReviewRoles.All))
            .WithName("ReviewRollUpExport");
    }

    private static async Task<IResult> WriteAsync(HttpContext context, CurrentStaff staff, AuditLog audit, ILogger logger, Func<Domain.Cases.CaseActor, Task<ReviewTable>> build)
    {
        var actor = await staff.ActorAsync(context.RequestAborted);
        ReviewTable table;
        try
        {
            table = await build(actor);
        }
        catch (DomainException exception)
        {
            return Results.Text("无法导出：" + exception.Message, "text/plain; charset=utf-8", statusCode: StatusCodes.Status403Forbidden);
        }
        // filename* (RFC 5987) carries the Chinese name; filename is an ASCII fallback.
        context.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment")
        {
            FileName = "review.xlsx",
            FileNameStar = table.FileStem + ".xlsx",
        }.ToString();
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentType = XlsxType;
        await XlsxTableWriter.WriteAsync(context.Response.Body, table.SheetName, table.Headers, table.Widths, Rows(table.Rows), context.RequestAborted);
        logger.LogInformation("Review export {FileStem} by {Actor}: {Rows} rows", table.FileStem, actor.Name, table.Rows.Count);
        await audit.ExportedAsync(AuditExports.Reviews, $"{table.FileStem}.xlsx；{context.Request.Path}{AuditExports.Filter(context.Request.QueryString)}", table.Rows.Count, CancellationToken.None);
        return Results.Empty;
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
