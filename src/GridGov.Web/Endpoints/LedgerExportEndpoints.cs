using System.Diagnostics;
using System.Globalization;
using GridGov.Application.Audit;
using GridGov.Application.Ledgers;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Ledgers;
using GridGov.Infrastructure.Exports;
using GridGov.Web.Components.Pages.Ledgers;
using GridGov.Web.Infrastructure;
using GridGov.Web.Resources;
using Microsoft.Extensions.Localization;
using Microsoft.Net.Http.Headers;

namespace GridGov.Web.Endpoints;

/// <summary>
/// The ledger lists as files (台账导出): <c>/ledgers/{residents|households|units|components}/export.{csv|xlsx}</c> take
/// the list page's own query string, and write exactly the rows and columns the page shows — the same filter, scope and
/// masking (the application's <c>ExportAsync</c> beside each list query), the same names in the reader's language —
/// every matching row up to <see cref="LedgerExports.Cap"/>, streamed. Each export is written to the audit log with its
/// filter and row count.
/// </summary>
public sealed class LedgerExportEndpoints : IEndpointModule
{
    private enum Format
    {
        Csv,
        Xlsx,
    }

    /// <summary>One column: its header, a width for spreadsheets (characters), and its text from a list row.</summary>
    private sealed record Column<TRow>(string Header, double Width, Func<TRow, string> Value);

    public void Map(IEndpointRouteBuilder endpoints)
    {
        foreach (var format in Enum.GetValues<Format>())
        {
            var extension = format == Format.Csv ? "csv" : "xlsx";
            endpoints.MapGet($"/ledgers/residents/export.{extension}", (HttpContext context, ResidentQueries query, CurrentStaff staff,
                    AuditLog audit, IStringLocalizer<LedgerResource> text, ILogger<LedgerExportEndpoints> logger) =>
                    ResidentsAsync(context, query, staff, audit, text, logger, format))
                .RequireAuthorization(Policies.Staff);
            endpoints.MapGet($"/ledgers/households/export.{extension}", (HttpContext context, HouseholdQueries query, CurrentStaff staff,
                    AuditLog audit, IStringLocalizer<LedgerResource> text, ILogger<LedgerExportEndpoints> logger) =>
                    HouseholdsAsync(context, query, staff, audit, text, logger, format))
                .RequireAuthorization(Policies.Staff);
            endpoints.MapGet($"/ledgers/units/export.{extension}", (HttpContext context, UnitQueries query, CurrentStaff staff,
                    AuditLog audit, IStringLocalizer<LedgerResource> text, ILogger<LedgerExportEndpoints> logger) =>
                    UnitsAsync(context, query, staff, audit, text, logger, format))
                .RequireAuthorization(Policies.Staff);
            endpoints.MapGet($"/ledgers/components/export.{extension}", (HttpContext context, ComponentQueries query, CurrentStaff staff,
                    AuditLog audit, IStringLocalizer<LedgerResource> text, ILogger<LedgerExportEndpoints> logger) =>
                    ComponentsAsync(context, query, staff, audit, text, logger, format))
                .RequireAuthorization(Policies.Staff);
        }
    }

    // ---- The four ledgers: the page's filter read from the query string as the page reads it, and the page's columns ----

    private static async Task<IResult> ResidentsAsync(HttpContext context, ResidentQueries query, CurrentStaff staff, AuditLog audit,
        IStringLocalizer<LedgerResource> text, ILogger logger, Format format)
    {
        var q = context.Request.Query;
        if (await ActorAsync(context, staff) is not { } actor)
        {
            return Forbidden(text);
        }
        var filter = new ResidentFilter(
            LedgerLabels.Clip(q["q"], ResidentFilter.TextMaxLength), LedgerLabels.Clip(q["address"], ResidentFilter.AddressMaxLength),
            LedgerLabels.ParseEnum<ResidentGroup>(q["tag"]), LedgerLabels.ParseEnum<PopulationKind>(q["kind"]),
            LedgerLabels.ParseId(q["community"]), LedgerLabels.Clip(q["grid"], 15), q["removed"] == "true");
        var export = await query.ExportAsync(filter, actor, context.RequestAborted);
        if (export.Refusal is { } refusal)
        {
            var reason = refusal == ResidentSearchRefusal.PartialNumber
                ? text["ResidentSearchWholeNumbers"].Value
                : text["ResidentLookupBudgetSpent", ResidentSearch.LookupBudget].Value;
            return Results.Text(text["ExportRefused", reason], "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
        }
        Column<ResidentRow>[] columns =
        [
            new(text["Name"], 10, r => r.Name),
            new(text["IdNumber"], 20, r => r.MaskedIdNumber),
            new(text["Sex"], 6, r => text.Label(r.Sex)),
            new(text["Age"], 6, r => r.Age.ToString(CultureInfo.InvariantCulture)),
            new(text["Phone"], 14, r => r.MaskedPhone ?? ""),
            new(text["Address"], 32, r => r.Address ?? ""),
            new(text["PopulationKind"], 10, r => text.Label(r.PopulationKind)),
            new(text["GroupTags"], 24, r => string.Join("、", r.Groups.Select(g => text.Label(g)))),
            new(text["Grid"], 18, r => r.GridName),
            new(text["LedgerState"], 8, r => r.Removed ? text["Removed"] : text["InUse"]),
        ];
        return await WriteAsync(context, export, columns, text["ResidentsTitle"], "residents", AuditExports.Residents, actor, audit, text, logger, format);
    }

    private static async Task<IResult> HouseholdsAsync(HttpContext context, HouseholdQueries query, CurrentStaff staff, AuditLog audit,
        IStringLocalizer<LedgerResource> text, ILogger logger, Format format)
    {
        var q = context.Request.Query;
        if (await ActorAsync(context, staff) is not { } actor)
        {
            return Forbidden(text);
        }
        var filter = new HouseholdFilter(
            LedgerLabels.Clip(q["address"], HouseholdFilter.TextMaxLength), LedgerLabels.ParseEnum<HouseholdKind>(q["kind"]),
            LedgerLabels.ParseId(q["community"]), LedgerLabels.Clip(q["grid"], 15), q["removed"] == "true");
        Column<HouseholdRow>[] columns =
        [
            new(text["Address"], 32, r => r.Address),
            new(text["Dwelling"], 10, r => r.Dwelling),
            new(text["HouseholdKind"], 10, r => text.Label(r.Kind)),
            new(text["HeadName"], 10, r => r.HeadName ?? ""),
            new(text["Members"], 6, r => r.Members.ToString(CultureInfo.InvariantCulture)),
            new(text["Grid"], 18, r => r.GridName),
            new(text["LedgerState"], 8, r => r.Removed ? text["Removed"] : text["InUse"]),
        ];
        return await WriteAsync(context, await query.ExportAsync(filter, actor, context.RequestAborted), columns,
            text["HouseholdsTitle"], "households", AuditExports.Households, actor, audit, text, logger, format);
    }

    private static async Task<IResult> UnitsAsync(HttpContext context, UnitQueries query, CurrentStaff staff, AuditLog audit,
        IStringLocalizer<LedgerResource> text, ILogger logger, Format format)
    {
        var q = context.Request.Query;
        if (await ActorAsync(context, staff) is not { } actor)
        {
            return Forbidden(text);
        }
        var filter = new UnitFilter(
            LedgerLabels.Clip(q["q"], UnitFilter.TextMaxLength), LedgerLabels.ParseEnum<UnitKind>(q["kind"]),
            LedgerLabels.ParseId(q["community"]), LedgerLabels.Clip(q["grid"], 15), q["removed"] == "true", q["small"] == "true");
        Column<UnitRow>[] columns =
        [
            new(text["UnitName"], 24, r => r.Name),
            new(text["UnitKind"], 10, r => text.Label(r.Kind)),
            new(text["SmallVenue"], 8, r => r.IsSmallVenue ? text["Yes"] : text["No"]),
            new(text["Address"], 32, r => r.Address),
            new(text["EmployeeCount"], 8, r => r.EmployeeCount.ToString(CultureInfo.InvariantCulture)),
            new(text["ContactName"], 10, r => r.ContactName),
            new(text["ContactPhone"], 14, r => r.MaskedContactPhone ?? ""),
            new(text["PartyOrganisation"], 8, r => r.HasPartyOrganisation ? text["Yes"] : text["No"]),
            new(text["PartyMemberCount"], 8, r => r.PartyMemberCount.ToString(CultureInfo.InvariantCulture)),
            new(text["Grid"], 18, r => r.GridName),
            new(text["LedgerState"], 8, r => r.Removed ? text["RemovedUnit"] : text["InUse"]),
            new(text["CreditCode"], 22, r => r.CreditCode ?? ""),
        ];
        return await WriteAsync(context, await query.ExportAsync(filter, actor, context.RequestAborted), columns,
            text["UnitsTitle"], "units", AuditExports.Units, actor, audit, text, logger, format);
    }

    private static async Task<IResult> ComponentsAsync(HttpContext context, ComponentQueries query, CurrentStaff staff, AuditLog audit,
        IStringLocalizer<LedgerResource> text, ILogger logger, Format format)
    {
        var q = context.Request.Query;
        if (await ActorAsync(context, staff) is not { } actor)
        {
            return Forbidden(text);
        }
        var filter = new ComponentFilter(
            LedgerLabels.Clip(q["q"], ComponentFilter.TextMaxLength), LedgerLabels.ParseEnum<ComponentClass>(q["class"]),
            LedgerLabels.ParseEnum<ComponentState>(q["state"]),
            LedgerLabels.ParseId(q["community"]), LedgerLabels.Clip(q["grid"], 15), q["removed"] == "true");
        Column<ComponentRow>[] columns =
        [
            new(text["ComponentCode"], 18, r => r.Code),
            new(text["ComponentName"], 20, r => r.Name),
            new(text["MajorClass"], 12, r => text.Label(r.MajorClass)),
            new(text["MinorClass"], 6, r => r.MinorClass.ToString("00", CultureInfo.InvariantCulture)),
            new(text["ComponentState"], 8, r => text.Label(r.State)),
            new(text["OwnerDepartment"], 16, r => r.OwnerDepartmentName),
            new(text["Grid"], 18, r => r.GridName),
            new(text["LedgerState"], 8, r => r.Removed ? text["RemovedUnit"] : text["InUse"]),
        ];
        return await WriteAsync(context, await query.ExportAsync(filter, actor, context.RequestAborted), columns,
            text["ComponentsTitle"], "components", AuditExports.Components, actor, audit, text, logger, format);
    }

    // ---- Writing ----

    private static async Task<CaseActor?> ActorAsync(HttpContext context, CurrentStaff staff)
    {
        try
        {
            return await staff.ActorAsync(context.RequestAborted);
        }
        catch (DomainException)
        {
            return null;
        }
    }

    private static IResult Forbidden(IStringLocalizer<LedgerResource> text) =>
        Results.Text(text["ExportRefused", text["NoPeopleScope"]], "text/plain; charset=utf-8", statusCode: StatusCodes.Status403Forbidden);

    private static async Task<IResult> WriteAsync<TRow>(HttpContext context, LedgerExport<TRow> export, IReadOnlyList<Column<TRow>> columns,
        string title, string asciiName, string auditName, CaseActor actor, AuditLog audit, IStringLocalizer<LedgerResource> text, ILogger logger, Format format)
    {
        var extension = format == Format.Csv ? ".csv" : ".xlsx";
        var date = Domain.Calendar.WorkingCalendar.ChinaDate(export.Now).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        // filename* (RFC 5987, UTF-8) carries the name in the reader's language; filename is the ASCII fallback.
        context.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment")
        {
            FileName = $"{asciiName}-{date}{extension}",
            FileNameStar = $"{title}-{date}{extension}",
        }.ToString();
        context.Response.Headers.CacheControl = "no-store";

        var started = Stopwatch.GetTimestamp();
        var written = 0;
        async IAsyncEnumerable<IReadOnlyList<string>> Lines()
        {
            await foreach (var row in export.Rows.WithCancellation(context.RequestAborted))
            {
                if (++written > LedgerExports.Cap)
                {
                    written = LedgerExports.Cap;
                    yield return [];
                    yield return [text["ExportCapped", LedgerExports.Cap.ToString("N0", CultureInfo.InvariantCulture)]];
                    yield break;
                }
                var cells = new string[columns.Count];
                for (var i = 0; i < cells.Length; i++)
                {
                    cells[i] = columns[i].Value(row);
                }
                yield return cells;
            }
        }

        var headers = columns.Select(c => c.Header).ToList();
        if (format == Format.Csv)
        {
            context.Response.ContentType = "text/csv; charset=utf-8";
            await CsvTableWriter.WriteAsync(context.Response.Body, headers, Lines(), context.RequestAborted);
        }
        else
        {
            context.Response.ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
            await XlsxTableWriter.WriteAsync(context.Response.Body, title, headers, columns.Select(c => c.Width).ToList(), Lines(), context.RequestAborted);
        }
        logger.LogInformation("Ledger export {Ledger} {Format} by {Actor}: {Rows} rows in {ElapsedMs:0} ms",
            asciiName, format, actor.Name, written, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        // Audited once written (the row count is known then), even if the client has gone meanwhile.
        await audit.ExportedAsync(auditName, $"{title}{extension}；筛选：{AuditExports.Filter(context.Request.QueryString)}", written, CancellationToken.None);
        return Results.Empty;
    }
}
