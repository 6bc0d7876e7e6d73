using System.Diagnostics;
using GridGov.Application.Common;
using GridGov.Domain.Calendar;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Ledgers;
using GridGov.Domain.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GridGov.Application.Ledgers.Import;

/// <summary>What the import page shows before a file is chosen.</summary>
/// <param name="CommunityName">A secretary's community; null when the person imports for the whole street.</param>
public sealed record LedgerImportView(bool CanImport, string? CommunityName, int MaxFileMegabytes, int MaxRows);

/// <summary>How far a dry run or import has got: the rows read so far and how many of them were refused.</summary>
/// <param name="Total">The rows the file holds, when known (the sheet declares it, or the dry run counted it).</param>
public sealed record ImportProgress(ImportPhase Phase, int Rows, int Refused, int? Total);

public enum ImportPhase
{
    /// <summary>Reading the file and checking each row by its own rules.</summary>
    Reading,
    /// <summary>Checking the rows against the ledgers (duplicates, households, scope) and each other.</summary>
    Checking,
    /// <summary>Writing the ledgers and their change history (import only).</summary>
    Writing,
    /// <summary>Writing the refused rows' file.</summary>
    RefusedFile,
    Done,
}

/// <summary>One refused row as the page lists it: the row's number in the sheet and each reason under its column's header (null: the row).</summary>
public sealed record RefusedRowView(int Row, IReadOnlyList<RefusedCellView> Reasons);

public sealed record RefusedCellView(string? Column, DomainException Reason);

/// <summary>The result of a dry run (<see cref="Applied"/> false: nothing written) or of an import.</summary>
public sealed record LedgerImportResult(
    Guid Token, LedgerImportKind Kind, string FileName, bool Applied, int Rows, int Created, int Updated, int Unchanged, int Refused,
    IReadOnlyList<RefusedRowView> RefusedSample, bool HasRefusedFile, long? ImportId, TimeSpan Elapsed);

/// <summary>A refused-rows file to download.</summary>
public sealed record RefusedRowsFile(Stream Content, string FileName, int Rows);

/// <summary>
/// The import of ledgers from spreadsheets (台账导入, issue 14): an administrator (for the street) or a community
/// secretary (for the community's grids) downloads a template, uploads a file, runs a dry run that checks every row
/// and writes nothing, downloads the refused rows with their reasons, and confirms the import.
/// <para>
/// A confirmed import is ALL-OR-NOTHING: it runs in one database transaction (<see cref="ImportRequest"/>), so a
/// cancellation, a failure or a lost connection leaves the ledgers exactly as they were; rows refused by the checks are
/// left out and reported, the others land together. Importing the same file again changes nothing: a resident is matched
/// by ID number and a household by address, and an unchanged row is counted, never written.
/// </para>
/// </summary>
public sealed partial class LedgerImportService(
    IGridGovDbContext db,
    LedgerScopes scopes,
    ILedgerImportFiles files,
    ILedgerWorkbooks workbooks,
    ILedgerImportSql sql,
    IOptions<LedgerImportOptions> options,
    TimeProvider clock,
    ILogger<LedgerImportService> logger)
{
    /// <summary>Roles that may import: administrators for the street, community secretaries for their community.</summary>
    public static readonly IReadOnlySet<StaffRole> Roles = new HashSet<StaffRole> { StaffRole.Administrator, StaffRole.CommunitySecretary };

    /// <summary>How many refused rows a result lists; all of them are in the refused-rows file.</summary>
    public const int RefusedSampleSize = 50;

    /// <summary>Rows of the sheet searched for the header (a title row or two above it is common).</summary>
    private const int HeaderSearchRows = 10;

    private const int ProgressEveryRows = 500;

    private LedgerImportOptions Settings => options.Value;

    public static bool CanImport(CaseActor actor) =>
        actor.Role == StaffRole.Administrator || (actor.Role == StaffRole.CommunitySecretary && actor.CommunityId is not null);

    public async Task<LedgerImportView> ViewAsync(CaseActor actor, CancellationToken cancellationToken = default)
    {
        string? community = null;
        if (actor.Role == StaffRole.CommunitySecretary && actor.CommunityId is { } communityId)
        {
            community = await db.Communities.AsNoTracking().Where(c => c.Id == communityId).Select(c => c.Name).SingleOrDefaultAsync(cancellationToken);
        }
        return new LedgerImportView(CanImport(actor), community, Settings.MaxFileMegabytes, Settings.MaxRows);
    }

    /// <summary>The template of a ledger (XLSX) into <paramref name="output"/>.</summary>
    public async Task WriteTemplateAsync(LedgerImportKind kind, Stream output, CancellationToken cancellationToken = default)
    {
        var template = LedgerImportTemplates.For(kind);
        if (kind == LedgerImportKind.Components)
        {
            // The owner column offers the street's departments, as the component form does.
            var departments = await db.Departments.AsNoTracking().OrderBy(d => d.Code).Select(d => d.Name).ToListAsync(cancellationToken);
            template = LedgerImportTemplates.ComponentsWith(departments);
        }
        await workbooks.WriteTemplateAsync(output, template, cancellationToken);
    }

    /// <summary>
    /// Keeps an uploaded file for its dry run and import; refuses one larger than the limit, an empty one, and one that is
    /// not an XLSX workbook (recognised by its bytes, not its name).
    /// </summary>
    public async Task<ImportUpload> UploadAsync(LedgerImportKind kind, string fileName, Stream content, CaseActor actor, CancellationToken cancellationToken = default)
    {
        RequireImporter(actor);
        if (!Enum.IsDefined(kind))
        {
            throw DomainException.For(DomainFields.FileName, "form.invalid", $"{DomainFields.FileName}的取值无效");
        }
        var name = ImportValues.Clean(Path.GetFileName(fileName));
        var upload = await files.SaveAsync(
            new ImportUpload(Guid.NewGuid(), kind, name.Length > 0 ? name : "import.xlsx", 0, actor.StaffMemberId!.Value, clock.GetUtcNow()),
            content, Settings.MaxFileBytes, cancellationToken);
        var head = new byte[8];
        int read;
        await using (var stream = files.OpenUpload(upload.Token))
        {
            read = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        }
        var refusal = read == 0 ? LedgerImportRefusals.EmptyFile()
            : read >= 4 && head[0] == 0xD0 && head[1] == 0xCF && head[2] == 0x11 && head[3] == 0xE0 ? LedgerImportRefusals.OldExcel()
            : read < 4 || head[0] != (byte)'P' || head[1] != (byte)'K' || head[2] != 3 || head[3] != 4 ? LedgerImportRefusals.NotSpreadsheet()
            : null;
        if (refusal is not null)
        {
            files.Discard(upload.Token);
            LogUploadRefused(name, refusal.Code, actor.StaffMemberId);
            throw refusal;
        }
        LogUploaded(upload.Token, kind, name, upload.Bytes, actor.StaffMemberId);
        return upload;
    }

    /// <summary>Checks every row and counts what the import would do; writes nothing (its transaction is rolled back).</summary>
    public Task<LedgerImportResult> DryRunAsync(Guid token, CaseActor actor, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default) =>
        RunAsync(token, actor, apply: false, progress, cancellationToken);

    /// <summary>
    /// Imports the file whose dry run the person has seen: every row is checked again (the ledgers may have changed since),
    /// the refused ones are left out, and the others are written in one transaction with one ledger change each.
    /// </summary>
    public async Task<LedgerImportResult> ImportAsync(Guid token, CaseActor actor, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var upload = await OwnedAsync(token, actor, cancellationToken);
        if (upload.DryRunRows is null)
        {
            throw LedgerImportRefusals.DryRunFirst();
        }
        return await RunAsync(token, actor, apply: true, progress, cancellationToken);
    }

    /// <summary>The refused rows of the person's last dry run or import of the file, or null.</summary>
    public async Task<RefusedRowsFile?> RefusedRowsAsync(Guid token, CaseActor actor, CancellationToken cancellationToken = default)
    {
        RequireImporter(actor);
        var upload = await files.FindAsync(token, cancellationToken);
        if (upload is null || upload.OwnerStaffId != actor.StaffMemberId || upload.RefusedRows == 0 || files.OpenRefused(token) is not { } content)
        {
            return null;
        }
        return new RefusedRowsFile(content, $"{Path.GetFileNameWithoutExtension(upload.FileName)}-未导入的行.xlsx", upload.RefusedRows);
    }

    /// <summary>Forgets an upload (the page was left, or another file chosen).</summary>
    public async Task DiscardAsync(Guid token, CaseActor actor, CancellationToken cancellationToken = default)
    {
        if (await files.FindAsync(token, cancellationToken) is { } upload && upload.OwnerStaffId == actor.StaffMemberId)
        {
            files.Discard(token);
        }
    }

    private async Task<LedgerImportResult> RunAsync(Guid token, CaseActor actor, bool apply, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        var upload = await OwnedAsync(token, actor, cancellationToken);
        var scope = await scopes.ForAsync(actor, cancellationToken);
        var template = LedgerImportTemplates.For(upload.Kind);
        var watch = Stopwatch.StartNew();
        var run = new RunState(upload.DryRunRows ?? RowCountHint(token));
        var refusals = new List<ImportRefusal>();
        progress?.Report(new ImportProgress(ImportPhase.Reading, 0, 0, run.Total));

        ImportOutcome outcome;
        SheetHeader header;
        await using (var stream = files.OpenUpload(token))
        {
            using var rows = workbooks.Read(stream, cancellationToken).GetEnumerator();
            header = FindHeader(rows, template);
            var first = NextDataRow(rows, cancellationToken) ?? throw LedgerImportRefusals.NoDataRows();
            var request = new ImportRequest(scope, actor.Role == StaffRole.CommunitySecretary ? actor.CommunityId : null, header.Columns.Keys.ToHashSet(), apply,
                tally => Record(upload, actor, run, tally),
                phase => progress?.Report(new ImportProgress(phase, run.Rows, run.Refused, run.Total)));
            var today = WorkingCalendar.ChinaDate(clock.GetUtcNow());
            outcome = upload.Kind switch
            {
                LedgerImportKind.Households => await sql.HouseholdsAsync(
                    Parsed(first, rows, header, new HouseholdRowParser(), run, refusals, progress, cancellationToken), request, cancellationToken),
                LedgerImportKind.Residents => await sql.ResidentsAsync(
                    Parsed(first, rows, header, new ResidentRowParser(today), run, refusals, progress, cancellationToken), request, cancellationToken),
                LedgerImportKind.Units => await sql.UnitsAsync(
                    Parsed(first, rows, header, new UnitRowParser(), run, refusals, progress, cancellationToken), request, cancellationToken),
                LedgerImportKind.Components => await sql.ComponentsAsync(
                    Parsed(first, rows, header, new ComponentRowParser(await DepartmentsAsync(cancellationToken)), run, refusals, progress, cancellationToken),
                    request, cancellationToken),
                _ => throw new InvalidOperationException($"No import for {upload.Kind}."),
            };
        }
        refusals.AddRange(outcome.Refusals);
        var refusedRows = refusals.GroupBy(r => r.Row).OrderBy(g => g.Key).ToList();
        var tally = outcome.Tally;
        if (refusedRows.Count > 0)
        {
            progress?.Report(new ImportProgress(ImportPhase.RefusedFile, run.Rows, refusedRows.Count, run.Total));
            await WriteRefusedAsync(token, template, header, refusedRows, cancellationToken);
        }
        upload = upload with { DryRunRows = run.Rows, RefusedRows = refusedRows.Count };
        await files.UpdateAsync(upload, CancellationToken.None);
        progress?.Report(new ImportProgress(ImportPhase.Done, run.Rows, refusedRows.Count, run.Rows));

        var sample = refusedRows.Take(RefusedSampleSize)
            .Select(g => new RefusedRowView(g.Key, g.Select(r => new RefusedCellView(r.ColumnKey is null ? null : template.Column(r.ColumnKey).Header, r.Reason)).ToList()))
            .ToList();
        var result = new LedgerImportResult(token, upload.Kind, upload.FileName, apply, run.Rows, tally.Created, tally.Updated, tally.Unchanged, refusedRows.Count,
            sample, refusedRows.Count > 0, outcome.ImportId, watch.Elapsed);
        if (apply)
        {
            LogImported(outcome.ImportId, upload.Kind, upload.FileName, run.Rows, tally.Created, tally.Updated, tally.Unchanged, refusedRows.Count,
                (long)watch.Elapsed.TotalMilliseconds, actor.StaffMemberId);
        }
        else
        {
            LogDryRun(upload.Kind, upload.FileName, run.Rows, tally.Created, tally.Updated, tally.Unchanged, refusedRows.Count,
                (long)watch.Elapsed.TotalMilliseconds, actor.StaffMemberId);
        }
        return result;
    }

    /// <summary>
    /// The data rows after the header, each checked by the parser: good rows go on to the database, refused ones are
    /// noted. Blank rows and the template's example row are skipped; past <see cref="LedgerImportOptions.MaxRows"/> the
    /// whole run is refused. Pulled by the database's COPY, so the file streams from disk to the database.
    /// </summary>
    private IEnumerable<TRow> Parsed<TRow>(WorkbookRow first, IEnumerator<WorkbookRow> rest, SheetHeader header, IImportRowParser<TRow> parser,
        RunState run, List<ImportRefusal> refusals, IProgress<ImportProgress>? progress, CancellationToken cancellationToken) where TRow : class
    {
        for (var row = first; row is not null; row = NextDataRow(rest, cancellationToken))
        {
            if (++run.Rows > Settings.MaxRows)
            {
                throw LedgerImportRefusals.TooManyRows(Settings.MaxRows);
            }
            var before = refusals.Count;
            var parsed = parser.Parse(new ImportRowCells(row.Number, row.Cells, header.Columns), refusals);
            if (refusals.Count > before)
            {
                run.Refused++;
            }
            if (run.Rows % ProgressEveryRows == 0)
            {
                progress?.Report(new ImportProgress(ImportPhase.Reading, run.Rows, run.Refused, run.Total));
            }
            if (parsed is not null)
            {
                yield return parsed;
            }
        }
        progress?.Report(new ImportProgress(ImportPhase.Reading, run.Rows, run.Refused, run.Total));
    }

    private LedgerImport Record(ImportUpload upload, CaseActor actor, RunState run, ImportTally tally)
    {
        var record = new LedgerImport(upload.Kind, upload.FileName, clock.GetUtcNow(), actor.StaffMemberId, actor.Name,
            actor.Role == StaffRole.CommunitySecretary ? actor.CommunityId : null);
        record.Count(run.Rows, tally.Created, tally.Updated, tally.Unchanged, run.Refused + tally.Refused);
        return record;
    }

    /// <summary>The departments a component's owner cell may name, by their name and by their code (compared as coded values are).</summary>
    private async Task<IReadOnlyDictionary<string, int>> DepartmentsAsync(CancellationToken cancellationToken)
    {
        var departments = await db.Departments.AsNoTracking().OrderBy(d => d.Id).Select(d => new { d.Id, d.Code, d.Name }).ToListAsync(cancellationToken);
        var lookup = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var department in departments)
        {
            lookup.TryAdd(ImportValues.Key(department.Code), department.Id);
        }
        foreach (var department in departments)
        {
            lookup[ImportValues.Key(department.Name)] = department.Id; // a name wins over another department's code
        }
        return lookup;
    }

    /// <summary>The header: the first of the sheet's first rows that names every required column.</summary>
    private static SheetHeader FindHeader(IEnumerator<WorkbookRow> rows, LedgerImportTemplate template)
    {
        var required = template.Columns.Where(c => c.Required).ToList();
        List<ImportColumn>? best = null;
        var searched = 0;
        while (searched < HeaderSearchRows && rows.MoveNext())
        {
            var row = rows.Current;
            if (IsBlank(row))
            {
                continue;
            }
            searched++;
            var texts = row.Cells.Select(ImportValues.Text).ToList();
            var columns = new Dictionary<string, int>(StringComparer.Ordinal);
            var matched = new List<ImportColumn>();
            for (var index = 0; index < texts.Count; index++)
            {
                if (ImportHeaders.Match(template, texts[index]) is not { } column)
                {
                    continue;
                }
                if (columns.TryGetValue(column.Key, out var earlier))
                {
                    throw LedgerImportRefusals.DuplicateColumn(column.Header, LedgerImportTemplates.ColumnLetters(earlier), LedgerImportTemplates.ColumnLetters(index));
                }
                columns[column.Key] = index;
                matched.Add(column);
            }
            if (required.All(matched.Contains))
            {
                return new SheetHeader(texts, columns);
            }
            if (best is null || matched.Count > best.Count)
            {
                best = matched;
            }
        }
        throw best is null
            ? LedgerImportRefusals.EmptySheet()
            : LedgerImportRefusals.MissingColumns(required.Where(c => !best.Contains(c)).Select(c => c.Header).ToList());
    }

    private static WorkbookRow? NextDataRow(IEnumerator<WorkbookRow> rows, CancellationToken cancellationToken)
    {
        while (rows.MoveNext())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var row = rows.Current;
            if (!IsBlank(row) && !IsExample(row))
            {
                return row;
            }
        }
        return null;
    }

    private static bool IsBlank(WorkbookRow row) => row.Cells.All(cell => ImportValues.Text(cell).Length == 0);

    /// <summary>The template's example row (its first filled cell starts with 示例), left in by many.</summary>
    private static bool IsExample(WorkbookRow row) =>
        row.Cells.Select(ImportValues.Text).FirstOrDefault(text => text.Length > 0) is { } first
        && (first.StartsWith(LedgerImportTemplates.ExampleMark, StringComparison.Ordinal) || first.StartsWith("(示例)", StringComparison.Ordinal));

    /// <summary>The refused rows as the file had them, read again from the upload, with the reasons beside them.</summary>
    private async Task WriteRefusedAsync(Guid token, LedgerImportTemplate template, SheetHeader header, List<IGrouping<int, ImportRefusal>> refusedRows,
        CancellationToken cancellationToken)
    {
        var reasons = refusedRows.ToDictionary(g => g.Key, g => g
            .GroupBy(r => r.ColumnKey is { } key && header.Columns.TryGetValue(key, out var column) ? column : -1)
            .ToDictionary(c => c.Key, c => string.Join("；", c.Select(r => r.Reason.Message).Distinct())));
        await using var upload = files.OpenUpload(token);
        await using var output = files.CreateRefused(token);
        var rows = workbooks.Read(upload, cancellationToken)
            .Where(row => reasons.ContainsKey(row.Number))
            .Select(row => new RefusedWorkbookRow(row.Number, row.Cells, reasons[row.Number]));
        var reasonColumns = reasons.Values.SelectMany(r => r.Keys).Distinct().OrderBy(c => c < 0 ? int.MaxValue : c).ToList();
        await workbooks.WriteRefusedAsync(output, new RefusedWorkbook(template.SheetName, header.Texts, reasonColumns, rows), cancellationToken);
    }

    private int? RowCountHint(Guid token)
    {
        try
        {
            using var stream = files.OpenUpload(token);
            return workbooks.RowCountHint(stream) is { } rows ? Math.Max(0, rows - 1) : null;
        }
        catch (DomainException)
        {
            return null; // the run itself says what is wrong with the file
        }
    }

    private async Task<ImportUpload> OwnedAsync(Guid token, CaseActor actor, CancellationToken cancellationToken)
    {
        RequireImporter(actor);
        var upload = await files.FindAsync(token, cancellationToken);
        return upload is not null && upload.OwnerStaffId == actor.StaffMemberId ? upload : throw LedgerImportRefusals.Expired();
    }

    private static void RequireImporter(CaseActor actor)
    {
        if (!CanImport(actor) || actor.StaffMemberId is null)
        {
            throw LedgerImportRefusals.NotImporter();
        }
    }

    /// <summary>The header row's cells and the column index of each template column the file has.</summary>
    private sealed record SheetHeader(IReadOnlyList<string> Texts, IReadOnlyDictionary<string, int> Columns);

    /// <summary>Counters of one run, shared by the reader and the callbacks.</summary>
    private sealed class RunState(int? total)
    {
        public int? Total { get; } = total;
        public int Rows { get; set; }
        public int Refused { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ledger import upload {Token} ({Kind}, {FileName}, {Bytes} bytes) by staff {StaffMemberId}")]
    private partial void LogUploaded(Guid token, LedgerImportKind kind, string fileName, long bytes, int? staffMemberId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ledger import upload {FileName} refused ({Code}) for staff {StaffMemberId}")]
    private partial void LogUploadRefused(string fileName, string code, int? staffMemberId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ledger import dry run of {Kind} {FileName}: {Rows} rows, {Created} new, {Updated} changed, {Unchanged} unchanged, {Refused} refused in {ElapsedMs} ms by staff {StaffMemberId}")]
    private partial void LogDryRun(LedgerImportKind kind, string fileName, int rows, int created, int updated, int unchanged, int refused, long elapsedMs, int? staffMemberId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ledger import {ImportId} of {Kind} {FileName}: {Rows} rows, {Created} new, {Updated} changed, {Unchanged} unchanged, {Refused} refused in {ElapsedMs} ms by staff {StaffMemberId}")]
    private partial void LogImported(long? importId, LedgerImportKind kind, string fileName, int rows, int created, int updated, int unchanged, int refused, long elapsedMs, int? staffMemberId);
}
