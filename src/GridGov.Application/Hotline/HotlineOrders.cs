using System.Security.Cryptography;
using System.Text;
using GridGov.Application.Cases;
using GridGov.Application.Common;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Hotline;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GridGov.Application.Hotline;

/// <summary>What the webhook answers: the order, its case, and whether this post made it (false: a repeat of an earlier post).</summary>
public sealed record HotlineReceipt(string OrderNumber, string CaseNumber, bool Created, bool CategoryMapped, HotlinePlacement Placement);

/// <summary>
/// The inbound half of the 12345 link (工单接收): a signed work order becomes a case through the report path of
/// <see cref="CaseWorkflowService"/> — source 12345热线, the caller as reporter, the hotline's time limit kept on the case —
/// with its order row (<see cref="HotlineOrder"/>) written in the same transaction. Idempotent by order number: the same
/// body again answers with the same case; another body under the same number is refused (<c>hotline.order-conflict</c>).
/// An order that cannot be placed (no point, an address the ledgers do not know) is refused, since every case lies in a grid:
/// the hotline sends it again with a point, or back to the city (<c>hotline.address-unmatched</c>).
/// </summary>
public sealed partial class HotlineOrders(
    IGridGovDbContext db,
    HotlineCategories categories,
    HotlineAddresses addresses,
    CaseWorkflowService workflow,
    IOptions<HotlineOptions> options,
    TimeProvider clock,
    ILogger<HotlineOrders> logger)
{
    public const string DefaultCallerName = "12345热线来电人";

    public async Task<HotlineReceipt> ReceiveAsync(ReadOnlyMemory<byte> body, string? timestamp, string? signature, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        HotlineSignature.Verify(settings.SharedSecret, timestamp, signature, body.Span, clock.GetUtcNow(), TimeSpan.FromSeconds(settings.MaxClockSkewSeconds));
        var hash = Convert.ToHexStringLower(SHA256.HashData(body.Span));
        var order = HotlineOrderInput.Parse(body.Span);
        if (await RepeatAsync(order.OrderNumber, hash, cancellationToken) is { } repeated)
        {
            return repeated;
        }

        var category = await categories.ChooseAsync(order.CategoryCode, cancellationToken);
        var place = await PlaceAsync(order, cancellationToken);
        var caller = order.CallerName ?? DefaultCallerName;
        var address = order.Address ?? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{place.Longitude:0.######},{place.Latitude:0.######}");
        var now = clock.GetUtcNow();
        // Saved by the report's own SaveChanges, inside its transaction: the order row and the case commit together.
        var row = new HotlineOrder(order.OrderNumber, hash, order.CategoryCode, order.AppealType, category.Mapped, place.Placement, order.Deadline, now);
        db.HotlineOrders.Add(row);
        try
        {
            var created = await workflow.ReportAsync(new ReportCase(category.CategoryId, Describe(order, category), place.Longitude, place.Latitude, address,
                CaseSource.Hotline, order.Priority, caller, order.CallerPhone, [], SubmissionIdOf(order.OrderNumber), SubmissionPurpose.HotlineOrder,
                new HotlineOrderReference(order.OrderNumber, order.Deadline)), CaseActor.Public(caller), cancellationToken);
            if (row.Id == 0)
            {
                // The workflow found the order's case already made (a post of the same order committed meanwhile): a repeat.
                db.HotlineOrders.Remove(row);
                return await RepeatAsync(order.OrderNumber, hash, cancellationToken) ?? throw new DomainException("hotline.retry", "工单暂时无法保存，请稍后重试");
            }
            LogReceived(order.OrderNumber, created.Number, category.CategoryCode, category.Mapped, place.Placement);
            return new HotlineReceipt(order.OrderNumber, created.Number, true, category.Mapped, place.Placement);
        }
        catch (DbUpdateException)
        {
            // The same order posted twice at the same moment: the unique order number let one through; answer as a repeat.
            return await RepeatAsync(order.OrderNumber, hash, cancellationToken) ?? throw new DomainException("hotline.retry", "工单暂时无法保存，请稍后重试");
        }
    }

    /// <summary>The submission id of an order's case: derived from the order number, so it is the same on every post.</summary>
    public static Guid SubmissionIdOf(string orderNumber) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes("12345:" + orderNumber)).AsSpan(0, 16));

    private async Task<HotlineReceipt?> RepeatAsync(string orderNumber, string hash, CancellationToken cancellationToken)
    {
        var known = await (from o in db.HotlineOrders.AsNoTracking()
                           join c in db.Cases.AsNoTracking() on o.OrderNumber equals c.HotlineOrderNumber
                           where o.OrderNumber == orderNumber
                           select new { o.BodyHash, o.CategoryMapped, o.Placement, c.Number }).FirstOrDefaultAsync(cancellationToken);
        if (known is null)
        {
            return null;
        }
        if (!string.Equals(known.BodyHash, hash, StringComparison.Ordinal))
        {
            LogConflict(orderNumber, known.Number);
            throw new DomainException("hotline.order-conflict", $"工单{orderNumber}已以不同内容接收过（案件{known.Number}），同一工单编号不能再提交不同内容")
            {
                Arguments = [orderNumber, known.Number],
            };
        }
        LogRepeated(orderNumber, known.Number);
        return new HotlineReceipt(orderNumber, known.Number, false, known.CategoryMapped, known.Placement);
    }

    private async Task<HotlinePlace> PlaceAsync(HotlineOrderInput order, CancellationToken cancellationToken)
    {
        if (order.Longitude is { } longitude && order.Latitude is { } latitude)
        {
            return new HotlinePlace(longitude, latitude, HotlinePlacement.Point, "经纬度");
        }
        return await addresses.LocateAsync(order.Address!, cancellationToken)
            ?? throw new DomainException("hotline.address-unmatched",
                $"地址“{order.Address}”未能在本街道的住户、单位或小区中唯一匹配，无法确定所属网格；请补充经纬度后重新推送") { Arguments = [order.Address] };
    }

    /// <summary>The case's description: the order's number, type and subject, its content, and a note when the class is the default.</summary>
    private static string Describe(HotlineOrderInput order, HotlineCategoryChoice category)
    {
        var head = $"【12345工单{order.OrderNumber}{(order.AppealType is null ? "" : "·" + order.AppealType)}】{(order.Title is null ? "" : order.Title + "：")}";
        var tail = category.Mapped ? "" : $"（热线分类“{order.CategoryCode}”未对应本街道类别，暂归“{category.CategoryName}”，请立案时核定类别）";
        var room = Case.DescriptionMaxLength - head.Length - tail.Length;
        var content = order.Content.Length <= room ? order.Content : order.Content[..Math.Max(0, room - 1)] + "…";
        return head + content + tail;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Hotline order {OrderNumber} became case {CaseNumber} (category {CategoryCode}, mapped {Mapped}, placed by {Placement})")]
    private partial void LogReceived(string orderNumber, string caseNumber, string categoryCode, bool mapped, HotlinePlacement placement);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hotline order {OrderNumber} posted again: answered with case {CaseNumber}")]
    private partial void LogRepeated(string orderNumber, string caseNumber);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hotline order {OrderNumber} posted again with a different body: refused (case {CaseNumber})")]
    private partial void LogConflict(string orderNumber, string caseNumber);
}
