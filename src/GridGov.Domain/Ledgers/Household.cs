using GridGov.Domain.Common;

namespace GridGov.Domain.Ledgers;

/// <summary>A household (户) living in a dwelling of a grid.</summary>
public class Household : Entity, ISoftRemovable
{
    public const int RemovalReasonMaxLength = 200;
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

    private void EnsureActive()
    {
        if (RemovedAt is not null)
        {
            throw new DomainException("ledger.removed", "该记录已注销，不能再修改");
        }
    }

    /// <summary>The row version (PostgreSQL xmin): an edit carries the version its author saw, and a stale one is refused.</summary>
    public uint Version { get; private set; }

    public DateTimeOffset? RemovedAt { get; private set; }
    public string? RemovalReason { get; private set; }

    /// <summary>Soft removal (moved out, died, closed…): the row and its history stay.</summary>
    public void Remove(string reason, DateTimeOffset at)
    {
        if (RemovedAt is not null)
        {
            throw new DomainException("ledger.already-removed", "该记录已注销");
        }
        RemovalReason = Text.Require(reason, RemovalReasonMaxLength, DomainFields.RemovalReason);
        RemovedAt = at;
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
