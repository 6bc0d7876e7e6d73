using GridGov.Domain.Geography;
using GridGov.Domain.Common;

namespace GridGov.Domain.Ledgers;

/// <summary>A resident (居民 / 实有人口). Sex and birth date come from the ID number.</summary>
public class Resident : LedgerEntry, IHeldByGrid
{
    public const int NameMaxLength = 30;

    private Resident()
    {
        Name = IdNumber = "";
    }

    public Resident(int gridId, int? householdId, string name, IdNumber idNumber, string? phone, PopulationKind populationKind)
    {
        GridId = gridId;
        HouseholdId = householdId;
        Name = Text.Require(name, NameMaxLength, DomainFields.PersonName);
        IdNumber = idNumber.Value;
        Sex = idNumber.Sex;
        BirthDate = idNumber.BirthDate;
        Phone = phone is null ? null : Common.Phone.Require(phone);
        PopulationKind = populationKind;
    }

    public int GridId { get; private set; }

    /// <summary>Moved by a change of the grid map (<see cref="IHeldByGrid"/>); a removed row keeps the grid it had.</summary>
    public void MoveToGrid(int gridId)
    {
        EnsureActive();
        GridId = gridId;
    }

    public int? HouseholdId { get; private set; }
    public string Name { get; private set; }
    public string IdNumber { get; private set; }
    public Sex Sex { get; private set; }
    public DateOnly BirthDate { get; private set; }
    public string? Phone { get; private set; }
    public PopulationKind PopulationKind { get; private set; }
    public List<ResidentGroup> Groups { get; private set; } = [];

    public void Tag(ResidentGroup group)
    {
        if (!Groups.Contains(group))
        {
            Groups.Add(group);
        }
    }

    public void Untag(ResidentGroup group) => Groups.Remove(group);

    public void Rename(string name)
    {
        EnsureActive();
        Name = Text.Require(name, NameMaxLength, DomainFields.PersonName);
    }

    /// <summary>A mobile or landline number; empty clears it (not everyone gives one).</summary>
    public void ChangePhone(string? phone)
    {
        EnsureActive();
        Phone = string.IsNullOrWhiteSpace(phone) ? null : Common.Phone.Require(phone);
    }

    public void SetPopulationKind(PopulationKind kind)
    {
        EnsureActive();
        PopulationKind = Enum.IsDefined(kind) ? kind : throw new DomainException("resident.population-kind", "人口类别无效");
    }

    /// <summary>
    /// Moves the resident into another household; the resident's grid follows the household's, so that
    /// a grid's ledger always holds the people living in it.
    /// </summary>
    public void MoveToHousehold(Household household)
    {
        EnsureActive();
        if (household.RemovedAt is not null)
        {
            throw new DomainException("resident.target-household-removed", "目标户已注销，不能迁入") { Field = DomainFields.Household.Name };
        }
        if (household.Id == HouseholdId)
        {
            throw new DomainException("resident.same-household", "该居民已在此户，无需迁移") { Field = DomainFields.Household.Name };
        }
        HouseholdId = household.Id;
        GridId = household.GridId;
    }
}

public enum PopulationKind
{
    /// <summary>户籍</summary>
    Registered,
    /// <summary>流动</summary>
    Floating,
    /// <summary>暂住</summary>
    Temporary,
}
