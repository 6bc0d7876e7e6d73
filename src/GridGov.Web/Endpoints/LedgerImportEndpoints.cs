using GridGov.Application.Audit;
using GridGov.Application.Ledgers.Import;
using GridGov.Domain.Common;
using GridGov.Domain.Ledgers;
using GridGov.Web.Components.Pages.Ledgers;
using GridGov.Web.Infrastructure;
using Microsoft.Net.Http.Headers;

namespace GridGov.Web.Endpoints;

/// <summary>
/// The files of the ledger import page (/ledgers/import): a ledger's template (/ledgers/import/template/residents.xlsx)
/// and the refused rows of the person's own dry run or import (/ledgers/import/{token}/refused.xlsx; another person's
/// token, or one that expired, answers 404). Administrators and community secretaries only, as the page.
/// </summary>
public sealed class LedgerImportEndpoints : IEndpointModule
{
    private const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/ledgers/import/template/{kind}.xlsx", async (string kind, HttpContext context, LedgerImportService imports) =>
            {
                if (!Enum.TryParse<LedgerImportKind>(kind, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(kind, out _))
                {
                    return Results.Text("没有这种台账的导入模板（可选：residents 居民、households 户、units 单位、components 部件）", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
                }
                var template = LedgerImportTemplates.For(parsed);
                Attachment(context, $"{parsed.ToString().ToLowerInvariant()}-template.xlsx", template.FileStem + ".xlsx");
                await imports.WriteTemplateAsync(parsed, context.Response.Body, context.RequestAborted);
                return Results.Empty;
            })
            .RequireAuthorization(policy => policy.RequireRole(LedgerImportRoles.All))
            .WithName("LedgerImportTemplate");

        endpoints.MapGet("/ledgers/import/{token:guid}/refused.xlsx", async (Guid token, HttpContext context, LedgerImportService imports, CurrentStaff staff,
                AuditLog audit, ILogger<LedgerImportEndpoints> logger) =>
            {
                var actor = await staff.ActorAsync(context.RequestAborted);
                RefusedRowsFile? file;
                try
                {
                    file = await imports.RefusedRowsAsync(token, actor, context.RequestAborted);
                }
                catch (DomainException exception)
                {
                    return Results.Text(exception.Message, "text/plain; charset=utf-8", statusCode: StatusCodes.Status403Forbidden);
                }
                if (file is null)
                {
                    return Results.Text("没有这份未导入行的文件：它已过期，或不是您上传的", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
                }
                await using (file.Content)
                {
                    Attachment(context, "refused-rows.xlsx", file.FileName);
                    await file.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
                }
                logger.LogInformation("Refused rows of ledger import {Token} downloaded by {Actor}", token, actor.Name);
                // The rows are the person's own upload, yet they carry ID numbers and phones in full: the download is audited as an export.
                await audit.ExportedAsync(AuditExports.LedgerImportRefusedRows, $"{file.FileName}；{context.Request.Path}", file.Rows, CancellationToken.None);
                return Results.Empty;
            })
            .RequireAuthorization(policy => policy.RequireRole(LedgerImportRoles.All))
            .WithName("LedgerImportRefusedRows");
    }

    private static void Attachment(HttpContext context, string asciiName, string name)
    {
        // filename* (RFC 5987) carries the Chinese name; filename is an ASCII fallback.
        context.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileName = asciiName, FileNameStar = name }.ToString();
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentType = XlsxType;
    }
}
