using GridGov.Domain.Geography;
using GridGov.Domain.Common;

namespace GridGov.Domain.Ledgers;

/// <summary>
/// A local helper of a grid (网格骨干和依靠对象, the third "一口清"): a resident the grid staff lean on, by the part he plays.
/// Kept in the ledger like any row: versioned, removed with a reason, every change in the change history.
/// </summary>
public class GridHelper : LedgerEntry, IHeldByGrid
{
    public const int NameMaxLength = 30;
    public const int CoverageMaxLength = 60;
    public const int NoteMaxLength = 200;

    private GridHelper()
    {
        Name = Phone = "";
    }

    /// <param name="coverage">What the helper looks after within the grid, e.g. "3幢" or "幸福小区东区" (optional).</param>
    public GridHelper(int gridId, GridHelperRole role, string name, string phone, int? residentId, string? coverage, string? note, DateOnly since)
    {
        GridId = gridId;
        Role = RequireRole(role);
        Name = Text.Require(name, NameMaxLength, DomainFields.HelperName);
        Phone = Common.Phone.Require(Text.Require(phone, Common.Phone.MaxLength, DomainFields.HelperPhone), DomainFields.HelperPhone);
        ResidentId = residentId;
        Coverage = Text.Optional(coverage, CoverageMaxLength, DomainFields.HelperCoverage);
        Note = Text.Optional(note, NoteMaxLength, DomainFields.HelperNote);
        Since = since;
    }

    public int GridId { get; private set; }

    /// <summary>Moved by a change of the grid map (<see cref="IHeldByGrid"/>); a removed row keeps the grid it had.</summary>
    public void MoveToGrid(int gridId)
    {
        EnsureActive();
        GridId = gridId;
    }

    public GridHelperRole Role { get; private set; }
    public string Name { get; private set; }
    public string Phone { get; private set; }
    /// <summary>The helper's own row in the resident ledger, when he lives in the street and is registered.</summary>
    public int? ResidentId { get; private set; }
    public string? Coverage { get; private set; }
    public string? Note { get; private set; }
    /// <summary>The day the helper took the part on (China calendar).</summary>
    public DateOnly Since { get; private set; }

    public void Change(GridHelperRole role, string phone, string? coverage, string? note)
    {
        EnsureActive();
        Role = RequireRole(role);
        Phone = Common.Phone.Require(Text.Require(phone, Common.Phone.MaxLength, DomainFields.HelperPhone), DomainFields.HelperPhone);
        Coverage = Text.Optional(coverage, CoverageMaxLength, DomainFields.HelperCoverage);
        Note = Text.Optional(note, NoteMaxLength, DomainFields.HelperNote);
    }

    private static GridHelperRole RequireRole(GridHelperRole role) =>
        Enum.IsDefined(role) ? role : throw new DomainException("helper.role", "请选择骨干类别") { Field = DomainFields.HelperRole.Name };
}

/// <summary>The part a grid helper plays (网格骨干类别).</summary>
public enum GridHelperRole
{
    /// <summary>网格联络员: the resident who passes word between the grid staff and the neighbours.</summary>
    Liaison,
    /// <summary>楼院长: the head of a compound or building.</summary>
    CompoundHead,
    /// <summary>志愿者.</summary>
    Volunteer,
    /// <summary>党员骨干: a party member who has reported to the community to serve (在职党员报到, 党员中心户).</summary>
    PartyMember,
}
