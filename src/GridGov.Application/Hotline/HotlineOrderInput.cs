using System.Globalization;
using System.Text.Json;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Hotline;

namespace GridGov.Application.Hotline;

/// <summary>
/// A work order as the hotline posts it (JSON, UTF-8):
/// <code>
/// { "order_no": "GD20261207000123", "category_code": "0301", "appeal_type": "投诉", "title": "…", "content": "…",
///   "address": "姑苏区云帆街道…路12号", "lng": 120.61, "lat": 31.31, "caller_name": "张先生", "caller_phone": "13800138000",
///   "deadline": "2026-12-09T18:00:00+08:00", "urgency": "normal" }
/// </code>
/// Required: order_no, category_code, content, and address or lng+lat. Unknown members are ignored.
/// </summary>
public sealed record HotlineOrderInput(
    string OrderNumber,
    string CategoryCode,
    string? AppealType,
    string? Title,
    string Content,
    string? Address,
    double? Longitude,
    double? Latitude,
    string? CallerName,
    string? CallerPhone,
    DateTimeOffset? Deadline,
    CasePriority Priority)
{
    public const int TitleMaxLength = 100;
    public static readonly string[] AppealTypes = ["咨询", "求助", "投诉", "举报", "建议"];

    /// <summary>Reads and checks the body; refusals are <see cref="DomainException"/>s naming the member.</summary>
    public static HotlineOrderInput Parse(ReadOnlySpan<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException)
        {
            throw new DomainException("hotline.body-invalid", "请求体不是有效的JSON（应为UTF-8编码的工单对象）");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new DomainException("hotline.body-invalid", "请求体不是有效的JSON（应为UTF-8编码的工单对象）");
            }
            var orderNumber = Required(root, "order_no", HotlineOrder.OrderNumberMaxLength);
            if (!orderNumber.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                throw Invalid("order_no", "只能由字母、数字、“-”和“_”组成");
            }
            var categoryCode = Required(root, "category_code", HotlineOrder.CodeMaxLength);
            var appealType = Optional(root, "appeal_type", HotlineOrder.CodeMaxLength);
            if (appealType is not null && !AppealTypes.Contains(appealType))
            {
                throw Invalid("appeal_type", "应为咨询、求助、投诉、举报或建议之一");
            }
            var title = Optional(root, "title", TitleMaxLength);
            var content = Required(root, "content", Case.DescriptionMaxLength);
            var address = Optional(root, "address", Case.AddressMaxLength);
            var (longitude, latitude) = Point(root);
            if (address is null && longitude is null)
            {
                throw new DomainException("hotline.location-missing", "工单缺少位置：请提供address（地址）或lng/lat（WGS-84经纬度）");
            }
            var callerName = Optional(root, "caller_name", Case.NameMaxLength);
            var callerPhone = Optional(root, "caller_phone", Phone.MaxLength + 6);
            if (callerPhone is not null)
            {
                callerPhone = Phone.Require(NormalisedPhone(callerPhone), DomainFields.ReporterPhone);
            }
            var deadline = Optional(root, "deadline", 40) is { } text ? ParseDeadline(text) : (DateTimeOffset?)null;
            var priority = (Optional(root, "urgency", 20) ?? "normal") switch
            {
                "normal" or "一般" => CasePriority.Normal,
                "urgent" or "紧急" => CasePriority.Urgent,
                "emergency" or "突发" => CasePriority.Emergency,
                _ => throw Invalid("urgency", "应为normal（一般）、urgent（紧急）或emergency（突发）"),
            };
            return new HotlineOrderInput(orderNumber, categoryCode, appealType, title, content, address, longitude, latitude, callerName, callerPhone, deadline, priority);
        }
    }

    private static string Required(JsonElement root, string name, int maxLength) =>
        Optional(root, name, maxLength) ?? throw new DomainException("hotline.field-missing", $"工单缺少{name}") { Arguments = [name] };

    private static string? Optional(JsonElement root, string name, int maxLength)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            throw Invalid(name, "应为字符串");
        }
        var text = value.GetString()!.Trim();
        if (text.Any(c => char.IsControl(c) && c is not ('\t' or '\n' or '\r')))
        {
            throw new DomainException("hotline.control-characters", $"{name}含有不可见的控制字符（如NUL），工单未接收") { Arguments = [name] };
        }
        if (text.Length > maxLength)
        {
            throw new DomainException("hotline.field-too-long", $"{name}不能超过{maxLength}个字") { Arguments = [name, maxLength] };
        }
        return text.Length == 0 ? null : text;
    }

    private static (double?, double?) Point(JsonElement root)
    {
        var hasLongitude = root.TryGetProperty("lng", out var lng) && lng.ValueKind != JsonValueKind.Null;
        var hasLatitude = root.TryGetProperty("lat", out var lat) && lat.ValueKind != JsonValueKind.Null;
        if (!hasLongitude && !hasLatitude)
        {
            return (null, null);
        }
        if (!hasLongitude || !hasLatitude || lng.ValueKind != JsonValueKind.Number || lat.ValueKind != JsonValueKind.Number
            || !lng.TryGetDouble(out var longitude) || !lat.TryGetDouble(out var latitude)
            || !double.IsFinite(longitude) || !double.IsFinite(latitude) || longitude is < -180 or > 180 || latitude is < -90 or > 90)
        {
            throw new DomainException("hotline.point-invalid", "lng/lat应同时提供，为WGS-84十进制经纬度（经度-180至180，纬度-90至90）");
        }
        return (longitude, latitude);
    }

    private static DateTimeOffset ParseDeadline(string text)
    {
        // ISO 8601 with an offset; a time without one would be ambiguous between China and UTC.
        if (!DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK"],
                CultureInfo.InvariantCulture, DateTimeStyles.None, out var due) || !HasOffset(text))
        {
            throw Invalid("deadline", "应为带时区的ISO 8601时间，如2026-12-09T18:00:00+08:00");
        }
        return due.ToUniversalTime();
    }

    private static bool HasOffset(string text) => text.EndsWith('Z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');

    private static string NormalisedPhone(string phone)
    {
        var digits = phone.Replace(" ", "", StringComparison.Ordinal);
        foreach (var prefix in new[] { "+86", "0086" })
        {
            if (digits.StartsWith(prefix, StringComparison.Ordinal))
            {
                digits = digits[prefix.Length..].TrimStart('-');
            }
        }
        return digits;
    }

    private static DomainException Invalid(string name, string rule) =>
        new("hotline.field-invalid", $"{name}无效：{rule}") { Arguments = [name, rule] };
}
