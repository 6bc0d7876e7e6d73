using GridGov.Domain.Geography;
using GridGov.Domain.Common;
using NetTopologySuite.Geometries;

namespace GridGov.Domain.Ledgers;

/// <summary>A unit (单位): an organisation or a shop — never a building entrance (单元).</summary>
public class Unit : LedgerEntry, IHeldByGrid
{
    public const int NameMaxLength = 100;
    public const int AddressMaxLength = 200;
    public const int ContactNameMaxLength = 30;

    private Unit()
    {
        Name = Address = ContactName = ContactPhone = "";
        Location = null!;
    }

    public Unit(int gridId, string name, UnitKind kind, string address, Point location, int employeeCount, string contactName, string contactPhone)
    {
        GridId = gridId;
        Name = Text.Require(name, NameMaxLength, DomainFields.UnitName);
        Kind = kind;
        Address = Text.Require(address, AddressMaxLength, DomainFields.Address);
        Location = Locations.Require(location, DomainFields.UnitLocation);
        RequireEmployeeCount(employeeCount);
        EmployeeCount = employeeCount;
        ContactName = Text.Require(contactName, ContactNameMaxLength, DomainFields.ContactName);
        ContactPhone = Phone.Require(contactPhone, DomainFields.ContactPhone);
    }

    public int GridId { get; private set; }

    /// <summary>Moved by a change of the grid map (<see cref="IHeldByGrid"/>); a removed row keeps the grid it had.</summary>
    public void MoveToGrid(int gridId)
    {
        EnsureActive();
        GridId = gridId;
    }

    public string Name { get; private set; }
    public UnitKind Kind { get; private set; }
    public string Address { get; private set; }
    public Point Location { get; private set; }
    /// <summary>Size as the number of people working there.</summary>
    public int EmployeeCount { get; private set; }
    public string ContactName { get; private set; }
    public string ContactPhone { get; private set; }
    /// <summary>
    /// The unified social credit code (<see cref="Ledgers.CreditCode"/>), when known: an import recognises the unit by it
    /// (else by name and address). Unique among the units on record.
    /// </summary>
    public string? CreditCode { get; private set; }

    public bool HasPartyOrganisation { get; private set; }
    public int PartyMemberCount { get; private set; }

    /// <summary>
    /// A "五小" shop (五小门店: a small eatery, inn, entertainment venue, beauty parlour or internet café): the grid worker's
    /// 五小门店明细表, watched on patrol for fire and safety hazards. Only a shop can be one.
    /// </summary>
    public bool IsSmallVenue { get; private set; }

    public void SetSmallVenue(bool isSmallVenue)
    {
        RequireSmallVenueKind(Kind, isSmallVenue);
        IsSmallVenue = isSmallVenue;
    }

    /// <summary>The rule of <see cref="SetSmallVenue"/> on its own (an import checks a row before any unit exists).</summary>
    public static void RequireSmallVenueKind(UnitKind kind, bool isSmallVenue)
    {
        if (isSmallVenue && kind != UnitKind.Shop)
        {
            throw new DomainException("unit.small-venue-kind", "只有门店/商户可以标记为“五小”门店") { Field = DomainFields.SmallVenue.Name };
        }
    }

    public void SetParty(bool hasPartyOrganisation, int partyMemberCount)
    {
        RequirePartyMembers(partyMemberCount, EmployeeCount);
        HasPartyOrganisation = hasPartyOrganisation;
        PartyMemberCount = partyMemberCount;
    }

    /// <summary>A unit's party members are between none and all of its people.</summary>
    public static void RequirePartyMembers(int partyMemberCount, int employeeCount)
    {
        if (partyMemberCount < 0 || partyMemberCount > employeeCount)
        {
            throw PartyMembersOutOfRange();
        }
    }

    /// <summary>The people working there: none or more.</summary>
    public static void RequireEmployeeCount(int employeeCount)
    {
        if (employeeCount < 0)
        {
            throw new DomainException("unit.size", "从业人数不能为负数") { Field = DomainFields.EmployeeCount.Name };
        }
    }

    /// <summary>Sets or clears the credit code (checked by <see cref="Ledgers.CreditCode.Require"/>).</summary>
    public void SetCreditCode(string? creditCode)
    {
        EnsureActive();
        CreditCode = string.IsNullOrWhiteSpace(creditCode) ? null : Ledgers.CreditCode.Require(creditCode);
    }

    public static DomainException PartyMembersOutOfRange() =>
        new("unit.party-members", "党员人数应在0到从业人数之间") { Field = DomainFields.PartyMembers.Name };

    /// <summary>Corrects the unit's facts; its party members can never outnumber its people.</summary>
    public void Update(string name, UnitKind kind, string address, int employeeCount, string contactName, string contactPhone)
    {
        EnsureActive();
        if (!Enum.IsDefined(kind))
        {
            throw new DomainException("unit.kind", "单位类别无效") { Field = DomainFields.UnitKind.Name };
        }
        RequireEmployeeCount(employeeCount);
        if (employeeCount < PartyMemberCount)
        {
            throw PartyMembersOutOfRange();
        }
        Name = Text.Require(name, NameMaxLength, DomainFields.UnitName);
        Kind = kind;
        // A unit that is no longer a shop is no longer a "五小" shop either.
        IsSmallVenue &= kind == UnitKind.Shop;
        Address = Text.Require(address, AddressMaxLength, DomainFields.Address);
        EmployeeCount = employeeCount;
        ContactName = Text.Require(contactName, ContactNameMaxLength, DomainFields.ContactName);
        ContactPhone = Phone.Require(contactPhone, DomainFields.ContactPhone);
    }

    /// <summary>A new location and the grid it resolved to (the caller resolves it, in the database).</summary>
    public void Relocate(Point location, int gridId)
    {
        EnsureActive();
        Location = Locations.Require(location, DomainFields.UnitLocation);
        GridId = gridId;
    }
}

public enum UnitKind
{
    Enterprise,          // 企业
    GovernmentBody,      // 机关
    Institution,         // 事业单位
    SocialOrganisation,  // 社会组织
    Shop,                // 门店/商户
}
