using GridGov.Domain.Geography;
using GridGov.Domain.Common;

namespace GridGov.Domain.Ledgers;

/// <summary>A household (户) living in a dwelling of a grid.</summary>
public class Household : LedgerEntry, IHeldByGrid
{
    public const int AddressMaxLength = 200;
    public const int DwellingMaxLength = 40;

    private Household()
    {
        Address = Dwelling = "";
    }

    public Household(int gridId, int? buildingId, string address, string dwelling, HouseholdKind kind)
    {
        GridId = gridId;
        BuildingId = buildingId;
        Address = Text.Require(address, AddressMaxLength, DomainFields.Address);
        Dwelling = Text.Require(dwelling, DwellingMaxLength, DomainFields.Dwelling);
        Kind = kind;
    }

    public int GridId { get; private set; }

    /// <summary>Moved by a change of the grid map (<see cref="IHeldByGrid"/>); a removed row keeps the grid it had.</summary>
    public void MoveToGrid(int gridId)
    {
        EnsureActive();
        GridId = gridId;
    }

    public int? BuildingId { get; private set; }
    public string Address { get; private set; }
    /// <summary>Unit and room within the building, e.g. 2单元301.</summary>
    public string Dwelling { get; private set; }
    public HouseholdKind Kind { get; private set; }
    public int? HeadResidentId { get; private set; }

    public void SetHead(Resident head)
    {
        if (head.HouseholdId != Id)
        {
            throw new DomainException("household.head-not-member", "户主必须是本户成员") { Field = DomainFields.HouseholdHead.Name };
        }
        HeadResidentId = head.Id;
    }

    /// <summary>The head moved out or was removed: the household has no head until a new one is set.</summary>
    public void ClearHead() => HeadResidentId = null;

    public void ChangeKind(HouseholdKind kind)
    {
        EnsureActive();
        Kind = Enum.IsDefined(kind) ? kind : throw new DomainException("household.kind", "户类别无效");
    }

    /// <summary>Corrects the address and the unit/room (the household stays in its building and grid).</summary>
    public void ChangeAddress(string address, string dwelling)
    {
        EnsureActive();
        Address = Text.Require(address, AddressMaxLength, DomainFields.Address);
        Dwelling = Text.Require(dwelling, DwellingMaxLength, DomainFields.Dwelling);
    }
}

public enum HouseholdKind
{
    /// <summary>人户一致: registered here and living here.</summary>
    RegisteredAndResident,
    /// <summary>人户分离: registered elsewhere or living elsewhere.</summary>
    Separated,
    /// <summary>租房户: renting.</summary>
    Rental,
}
