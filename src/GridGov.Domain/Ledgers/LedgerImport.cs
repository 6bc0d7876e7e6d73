namespace GridGov.Domain.Ledgers;

/// <summary>
/// One confirmed import of a ledger from a spreadsheet (台账导入): who ran it, when, which file, and what it did. It is
/// written in the import's own transaction, so a record exists only for an import that landed whole; the ledger changes
/// it made point at it (<see cref="LedgerChange.ImportId"/>). Never edited.
/// </summary>
public class LedgerImport
{
    public const int FileNameMaxLength = 200;
    public const int ActorNameMaxLength = LedgerChange.ActorNameMaxLength;

    private LedgerImport()
    {
        FileName = ActorName = "";
    }

    public LedgerImport(LedgerImportKind kind, string fileName, DateTimeOffset at, int? actorStaffId, string actorName, int? communityId)
    {
        Kind = kind;
        FileName = fileName.Length <= FileNameMaxLength ? fileName : fileName[..FileNameMaxLength];
        At = at;
        ActorStaffId = actorStaffId;
        ActorName = actorName.Length <= ActorNameMaxLength ? actorName : actorName[..ActorNameMaxLength];
        CommunityId = communityId;
    }

    public long Id { get; private set; }
    public LedgerImportKind Kind { get; private set; }
    /// <summary>The uploaded file's name, as the person's computer called it.</summary>
    public string FileName { get; private set; }
    public DateTimeOffset At { get; private set; }
    public int? ActorStaffId { get; private set; }
    public string ActorName { get; private set; }
    /// <summary>The community of a secretary's import; null for an import by the street (administrator).</summary>
    public int? CommunityId { get; private set; }
    /// <summary>Data rows read from the file.</summary>
    public int Rows { get; private set; }
    public int Created { get; private set; }
    public int Updated { get; private set; }
    public int Unchanged { get; private set; }
    public int Refused { get; private set; }

    /// <summary>What the import did, counted once its rows are written.</summary>
    public void Count(int rows, int created, int updated, int unchanged, int refused)
    {
        if (rows != created + updated + unchanged + refused || Math.Min(Math.Min(created, updated), Math.Min(unchanged, refused)) < 0)
        {
            throw new ArgumentException("The counts of an import must add up to its rows.");
        }
        (Rows, Created, Updated, Unchanged, Refused) = (rows, created, updated, unchanged, refused);
    }
}

/// <summary>Which ledger a spreadsheet fills.</summary>
public enum LedgerImportKind
{
    /// <summary>户</summary>
    Households,
    /// <summary>居民</summary>
    Residents,
    /// <summary>单位（机关、企业、门店等）</summary>
    Units,
    /// <summary>部件</summary>
    Components,
}
