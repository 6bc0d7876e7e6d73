using GridGov.Domain.Ledgers;

namespace GridGov.Application.Ledgers.Import;

/// <summary>Settings of the ledger import (section <c>LedgerImport</c>).</summary>
public sealed class LedgerImportOptions
{
    public const string Section = "LedgerImport";

    /// <summary>Where uploaded files wait between the dry run and the import (default: a folder under the system's temp path). Several app instances share one.</summary>
    public string? Path { get; set; }

    /// <summary>The largest file a person may upload (the page's upload limit too).</summary>
    public int MaxFileMegabytes { get; set; } = 30;

    /// <summary>The most data rows one file may hold.</summary>
    public int MaxRows { get; set; } = 200_000;

    /// <summary>Uploaded files (and refused-rows files) older than this are deleted at the next upload.</summary>
    public int KeepHours { get; set; } = 24;

    public long MaxFileBytes => MaxFileMegabytes * 1024L * 1024L;
}

/// <summary>An uploaded file waiting for its dry run and import, and who may use it.</summary>
public sealed record ImportUpload(Guid Token, LedgerImportKind Kind, string FileName, long Bytes, int OwnerStaffId, DateTimeOffset UploadedAt,
    int? DryRunRows = null, int RefusedRows = 0);

/// <summary>The folder where uploads wait (Infrastructure: files under <see cref="LedgerImportOptions.Path"/>).</summary>
public interface ILedgerImportFiles
{
    /// <summary>Stores the upload (at most <paramref name="maxBytes"/>, else <see cref="LedgerImportRefusals.TooLarge"/>); removes expired uploads.</summary>
    Task<ImportUpload> SaveAsync(ImportUpload upload, Stream content, long maxBytes, CancellationToken cancellationToken);

    Task<ImportUpload?> FindAsync(Guid token, CancellationToken cancellationToken);

    Task UpdateAsync(ImportUpload upload, CancellationToken cancellationToken);

    Stream OpenUpload(Guid token);

    /// <summary>A new refused-rows file for the upload, replacing an earlier one.</summary>
    Stream CreateRefused(Guid token);

    Stream? OpenRefused(Guid token);

    void Discard(Guid token);
}

/// <summary>One row of a sheet: its 1-based number in the sheet and its cells as the file types them (string, double, bool, DateTime or null).</summary>
public sealed record WorkbookRow(int Number, IReadOnlyList<object?> Cells);

/// <summary>One refused row written back: its number in the uploaded sheet, its cells as uploaded, and the reasons per column index (-1: the row as a whole).</summary>
public sealed record RefusedWorkbookRow(int Number, IReadOnlyList<object?> Cells, IReadOnlyDictionary<int, string> Reasons);

/// <summary>The refused rows under the file's own header; <see cref="ReasonColumns"/> are the column indices (-1: the row) any reason is given for.</summary>
public sealed record RefusedWorkbook(string SheetName, IReadOnlyList<string> Headers, IReadOnlyList<int> ReasonColumns, IEnumerable<RefusedWorkbookRow> Rows);

/// <summary>Spreadsheets (Infrastructure: MiniExcel reads, Open XML writes).</summary>
public interface ILedgerWorkbooks
{
    /// <summary>
    /// The first sheet's rows, streamed, blank rows included (so numbers match the sheet); a file that is not a
    /// readable XLSX is refused with a Chinese message (<see cref="LedgerImportRefusals"/>), also while it is read.
    /// </summary>
    IEnumerable<WorkbookRow> Read(Stream xlsx, CancellationToken cancellationToken);

    /// <summary>The number of rows the sheet declares (its dimension), when it declares one.</summary>
    int? RowCountHint(Stream xlsx);

    /// <summary>The template: a header row, an example row, drop-down lists on coded columns, text format where needed, and an explanation sheet.</summary>
    Task WriteTemplateAsync(Stream output, LedgerImportTemplate template, CancellationToken cancellationToken);

    /// <summary>The refused rows as uploaded, each bad cell marked, with a Chinese reason column beside the columns that have reasons.</summary>
    Task WriteRefusedAsync(Stream output, RefusedWorkbook workbook, CancellationToken cancellationToken);
}

/// <summary>
/// Where the import runs against the database (Infrastructure: binary COPY into a temporary table, set-based checks and
/// writes). The rows are pulled one by one as the spreadsheet is read: a file is never held in memory whole.
/// </summary>
public interface ILedgerImportSql
{
    Task<ImportOutcome> HouseholdsAsync(IEnumerable<HouseholdImportRow> rows, ImportRequest request, CancellationToken cancellationToken);

    Task<ImportOutcome> ResidentsAsync(IEnumerable<ResidentImportRow> rows, ImportRequest request, CancellationToken cancellationToken);

    Task<ImportOutcome> UnitsAsync(IEnumerable<UnitImportRow> rows, ImportRequest request, CancellationToken cancellationToken);

    Task<ImportOutcome> ComponentsAsync(IEnumerable<ComponentImportRow> rows, ImportRequest request, CancellationToken cancellationToken);
}

/// <summary>
/// One run against the database. All of it happens in ONE transaction: a dry run (<see cref="Apply"/> false) rolls it
/// back at the end, an import commits it only when every statement succeeded; a cancellation or a failure rolls it back,
/// so the ledgers get all of the import's rows or none (the decision of issue 14). Before it writes anything, an import
/// takes a transaction-scoped advisory lock per community it touches (a secretary's at its start, the street's once its
/// rows are checked), so one import at a time runs per community on every app node; another one is refused
/// (<see cref="LedgerImportRefusals.Busy"/>). A dry run takes no lock: it writes nothing. Should the ledgers change under
/// an import between its checks and its writes (someone registers one of its residents meanwhile), it is refused whole
/// (<see cref="LedgerImportRefusals.Conflict"/>).
/// </summary>
/// <param name="CommunityId">A secretary's community: locked before the first row is read.</param>
/// <param name="Columns">The template columns the file has: a column it lacks leaves that fact of an existing row unchanged.</param>
/// <param name="Record">The import record for the tally (import only), saved before the rows so each change can point at it.</param>
/// <param name="Phase">Told when the run moves on from reading to checking and from checking to writing.</param>
public sealed record ImportRequest(
    LedgerScope Scope,
    int? CommunityId,
    IReadOnlySet<string> Columns,
    bool Apply,
    Func<ImportTally, LedgerImport> Record,
    Action<ImportPhase> Phase);

/// <summary>What the rows that reached the database are: new, changed, unchanged, or refused by the database's checks.</summary>
public sealed record ImportTally(int Created, int Updated, int Unchanged, int Refused);

public sealed record ImportOutcome(ImportTally Tally, IReadOnlyList<ImportRefusal> Refusals, long? ImportId);

/// <summary>A resident's row that passed the rules of the row itself. Null: the file has no such column (the fact stays as it is).</summary>
public sealed record ResidentImportRow(int Row, string Name, string IdNumber, Sex Sex, DateOnly BirthDate, string? Phone, PopulationKind? PopulationKind,
    string? HouseholdAddress, IReadOnlyList<ResidentGroup>? Groups);

/// <summary>A household's row that passed the rules of the row itself.</summary>
public sealed record HouseholdImportRow(int Row, string Address, string Dwelling, HouseholdKind Kind, string? GridCode, double? Longitude, double? Latitude);

/// <summary>A unit's row that passed the rules of the row itself. Null: the cell is empty or the file has no such column (the fact stays as it is).</summary>
public sealed record UnitImportRow(int Row, string? CreditCode, string Name, UnitKind Kind, string Address, string ContactName, string ContactPhone,
    int? EmployeeCount, bool? HasPartyOrganisation, int? PartyMemberCount, bool? IsSmallVenue, double? Longitude, double? Latitude);

/// <summary>
/// A component's row that passed the rules of the row itself: its whole code and the classes it gives, its name, and
/// (null when empty) its state, its owner department (found by its name or code) and its point.
/// </summary>
public sealed record ComponentImportRow(int Row, string Code, ComponentClass MajorClass, int MinorClass, string Name, ComponentState? State, int? OwnerDepartmentId,
    double? Longitude, double? Latitude);
