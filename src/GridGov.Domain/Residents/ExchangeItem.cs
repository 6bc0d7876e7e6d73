using GridGov.Domain.Common;

namespace GridGov.Domain.Residents;

/// <summary>Something a resident may take for points (积分兑换, e.g. daily goods), kept by the street.</summary>
public class ExchangeItem
{
    public const int NameMaxLength = 40;
    public const int MaxPoints = 100_000;
    public const int MaxStock = 100_000;

    private ExchangeItem()
    {
        Name = "";
    }

    public ExchangeItem(string name, int points, int stock, bool isActive)
    {
        Name = "";
        Update(name, points, stock, isActive);
    }

    public int Id { get; private set; }
    public string Name { get; private set; }
    public int Points { get; private set; }
    public int Stock { get; private set; }
    public bool IsActive { get; private set; }
    /// <summary>Optimistic concurrency token (PostgreSQL xmin).</summary>
    public uint Version { get; private set; }

    public void Update(string name, int points, int stock, bool isActive)
    {
        var text = Text.Require(name, NameMaxLength, DomainFields.ExchangeItemName);
        if (text.Any(c => char.IsControl(c)))
        {
            throw DomainException.For(DomainFields.ExchangeItemName, "exchange.name-control", "物品名称含有不可见的控制字符，请删除后重试");
        }
        if (points is < 1 or > MaxPoints)
        {
            throw DomainException.For(DomainFields.ExchangeItemPoints, "exchange.points-range", $"所需积分应在1到{MaxPoints}之间", MaxPoints);
        }
        if (stock is < 0 or > MaxStock)
        {
            throw DomainException.For(DomainFields.ExchangeItemStock, "exchange.stock-range", $"库存应在0到{MaxStock}之间", MaxStock);
        }
        Name = text;
        Points = points;
        Stock = stock;
        IsActive = isActive;
    }

    /// <summary>One piece handed out: only an active item in stock.</summary>
    public void TakeOne()
    {
        if (!IsActive)
        {
            throw new DomainException("exchange.inactive", $"“{Name}”已停止兑换") { Arguments = [Name] };
        }
        if (Stock < 1)
        {
            throw new DomainException("exchange.out-of-stock", $"“{Name}”库存不足") { Arguments = [Name] };
        }
        Stock--;
    }
}

/// <summary>An exchange recorded by staff: which phone took which item for how many points (a ledger entry goes with it).</summary>
public class Redemption
{
    private Redemption()
    {
        Phone = ItemName = StaffName = "";
    }

    public Redemption(string phone, ExchangeItem item, int? staffMemberId, string staffName, DateTimeOffset at)
    {
        Phone = phone;
        ExchangeItemId = item.Id;
        ItemName = item.Name;
        Points = item.Points;
        StaffMemberId = staffMemberId;
        StaffName = staffName;
        At = at;
    }

    public long Id { get; private set; }
    public string Phone { get; private set; }
    public int ExchangeItemId { get; private set; }
    /// <summary>The item's name and price when it was taken (the item may change later).</summary>
    public string ItemName { get; private set; }
    public int Points { get; private set; }
    public int? StaffMemberId { get; private set; }
    public string StaffName { get; private set; }
    public DateTimeOffset At { get; private set; }
}
