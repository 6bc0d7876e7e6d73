using GridGov.Domain.Common;

namespace GridGov.Domain.Hotline;

/// <summary>What a case keeps of the 12345 work order it came from: the order number and the hotline's time limit.</summary>
public sealed record HotlineOrderReference(string OrderNumber, DateTimeOffset? Due);

/// <summary>
/// A work order (工单) the city's 12345 hotline posted, kept once per order number with the SHA-256 of the body as posted, so
/// a repeated post is answered with the same case and a different body under the same number is refused. It is written in
/// the transaction that reports its case; the case carries the same order number (<see cref="Cases.Case.HotlineOrderNumber"/>).
/// </summary>
public class HotlineOrder
{
    public const int OrderNumberMaxLength = 40;
    public const int CodeMaxLength = 20;
    public const int BodyHashLength = 64;

    private HotlineOrder()
    {
        OrderNumber = BodyHash = CategoryCode = "";
    }

    public HotlineOrder(string orderNumber, string bodyHash, string categoryCode, string? appealType, bool categoryMapped, HotlinePlacement placement,
        DateTimeOffset? due, DateTimeOffset receivedAt)
    {
        OrderNumber = orderNumber;
        BodyHash = bodyHash;
        CategoryCode = categoryCode;
        AppealType = appealType;
        CategoryMapped = categoryMapped;
        Placement = placement;
        Due = due?.ToUniversalTime();
        ReceivedAt = receivedAt;
    }

    public long Id { get; private set; }
    /// <summary>The hotline's 工单编号, unique.</summary>
    public string OrderNumber { get; private set; }
    /// <summary>SHA-256 (lowercase hex) of the raw body as posted.</summary>
    public string BodyHash { get; private set; }
    /// <summary>The hotline's own category code (诉求分类) as posted.</summary>
    public string CategoryCode { get; private set; }
    /// <summary>诉求类型 as posted (咨询, 求助, 投诉, 举报, 建议); null when the order named none.</summary>
    public string? AppealType { get; private set; }
    /// <summary>False when no mapping knew the code and the order went to the default class for the dispatcher to decide.</summary>
    public bool CategoryMapped { get; private set; }
    public HotlinePlacement Placement { get; private set; }
    public DateTimeOffset? Due { get; private set; }
    public DateTimeOffset ReceivedAt { get; private set; }
}

/// <summary>How an order found its place in the street.</summary>
public enum HotlinePlacement
{
    /// <summary>The order carried a point.</summary>
    Point,
    /// <summary>Its address matched a household's or unit's address in the ledgers.</summary>
    Address,
    /// <summary>Its address named a compound (小区) of the street.</summary>
    Compound,
}

/// <summary>
/// An administrator's mapping of a hotline category code to one of the street's minor classes. A code without a mapping
/// that equals a minor class's own code goes to that class; any other goes to the default class (Hotline:DefaultCategoryCode),
/// marked for the dispatcher to set the class when registering.
/// </summary>
public class HotlineCategoryMapping
{
    public const int NoteMaxLength = 60;

    private HotlineCategoryMapping()
    {
        HotlineCode = "";
    }

    public HotlineCategoryMapping(string hotlineCode, int categoryId, string? note)
    {
        HotlineCode = Text.Require(hotlineCode, HotlineOrder.CodeMaxLength, DomainFields.HotlineCategoryCode);
        CategoryId = categoryId;
        Note = Text.Optional(note, NoteMaxLength, DomainFields.HotlineCategoryName);
    }

    public int Id { get; private set; }
    public string HotlineCode { get; private set; }
    public int CategoryId { get; private set; }
    /// <summary>The hotline's name of the code, for the administrator.</summary>
    public string? Note { get; private set; }

    /// <summary>The administrator points the code at another class (or renames it).</summary>
    public void Change(int categoryId, string? note)
    {
        CategoryId = categoryId;
        Note = Text.Optional(note, NoteMaxLength, DomainFields.HotlineCategoryName);
    }
}
