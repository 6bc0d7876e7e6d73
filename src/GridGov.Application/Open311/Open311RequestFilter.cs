using System.Globalization;
using System.Text.RegularExpressions;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using NetTopologySuite.Geometries;

namespace GridGov.Application.Open311;

/// <summary>The parameters of GET requests as they arrived (GeoReport v2 plus the bbox, page/page_size and updated_after extensions).</summary>
public sealed record Open311RequestQueryInput(
    string? ServiceRequestId = null,
    string? ServiceCode = null,
    string? StartDate = null,
    string? EndDate = null,
    string? Status = null,
    string? Bbox = null,
    string? Page = null,
    string? PageSize = null,
    string? UpdatedAfter = null);

/// <summary>
/// GET requests' parameters, checked. <see cref="Numbers"/> overrides every other filter (as the specification says of
/// service_request_id); without ids, dates or updated_after the list covers the last <see cref="DefaultDays"/> days.
/// </summary>
public sealed partial record Open311RequestFilter(
    IReadOnlyList<string>? Numbers,
    IReadOnlyList<string>? ServiceCodes,
    DateTimeOffset? Start,
    DateTimeOffset? End,
    IReadOnlyList<Open311Status>? Statuses,
    Envelope? Bbox,
    DateTimeOffset? UpdatedAfter,
    int Page,
    int PageSize)
{
    public const int DefaultDays = 90;
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 500;
    public const int MaxIds = 100;
    public const int MaxServiceCodes = 100;
    public const int MaxPage = 100_000;

    public static Open311RequestFilter Parse(Open311RequestQueryInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var numbers = List(input.ServiceRequestId);
        if (numbers is { Count: > MaxIds })
        {
            throw new DomainException("open311.too-many-ids", $"service_request_id一次最多查询{MaxIds}个") { Arguments = [MaxIds] };
        }
        if (numbers?.FirstOrDefault(n => !CaseNumber().IsMatch(n)) is { } bad)
        {
            throw new DomainException("open311.request-id-invalid", "service_request_id应为14位数字的案件编号，多个以英文逗号分隔");
        }
        var codes = List(input.ServiceCode);
        if (codes is { Count: > MaxServiceCodes } || codes?.Any(c => c.Length > Domain.Categories.Category.CodeMaxLength) == true)
        {
            throw new DomainException("open311.service-code-invalid", "service_code无效：应为服务列表中的服务代码，多个以英文逗号分隔");
        }
        var start = Date(input.StartDate, "start_date");
        var end = Date(input.EndDate, "end_date");
        if (start is { } from && end is { } to && from > to)
        {
            throw new DomainException("open311.date-range", "start_date不能晚于end_date");
        }
        var statuses = List(input.Status)?.Select(s => s.ToLowerInvariant() switch
        {
            "open" => Open311Status.Open,
            "closed" => Open311Status.Closed,
            _ => throw new DomainException("open311.status-invalid", "status只能是open或closed，多个以英文逗号分隔"),
        }).Distinct().ToList();
        return new Open311RequestFilter(numbers, codes, start, end, statuses, Box(input.Bbox), Date(input.UpdatedAfter, "updated_after"),
            Number(input.Page, "page", 1, MaxPage) ?? 1, Number(input.PageSize, "page_size", 1, MaxPageSize) ?? DefaultPageSize);
    }

    /// <summary>Comma-separated values, trimmed, empty ones dropped; null when the parameter is absent or blank.</summary>
    private static List<string>? List(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var items = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
        return items.Count == 0 ? null : items;
    }

    /// <summary>A W3C date-time (2026-12-01T08:00:00+08:00, …Z); one without an offset is read as China time, a bare date as its midnight.</summary>
    public static DateTimeOffset? Date(string? value, string parameter)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var text = value.Trim();
        if (text.Length <= 40 && W3cDate().IsMatch(text))
        {
            if (!HasOffset().IsMatch(text))
            {
                text += text.Contains('T', StringComparison.Ordinal) ? "+08:00" : "T00:00:00+08:00";
            }
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            {
                return parsed;
            }
        }
        throw new DomainException("open311.date-invalid", $"{parameter}不是有效的时间：应为ISO 8601格式，例如2026-12-01T08:00:00+08:00") { Arguments = [parameter] };
    }

    /// <summary>bbox = lon1,lat1,lon2,lat2 (any two opposite corners), WGS-84.</summary>
    private static Envelope? Box(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var parts = value.Split(',', StringSplitOptions.TrimEntries);
        var numbers = new double[4];
        if (parts.Length != 4 || parts.Select((p, i) => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i])).Any(ok => !ok)
            || numbers.Any(n => !double.IsFinite(n)) || numbers[0] is < -180 or > 180 || numbers[2] is < -180 or > 180
            || numbers[1] is < -90 or > 90 || numbers[3] is < -90 or > 90)
        {
            throw new DomainException("open311.bbox-invalid", "bbox无效：应为“经度1,纬度1,经度2,纬度2”四个数（WGS-84）");
        }
        return new Envelope(numbers[0], numbers[2], numbers[1], numbers[3]);
    }

    private static int? Number(string? value, string parameter, int min, int max)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        return int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? number
            : throw new DomainException("open311.number-invalid", $"{parameter}应为{min}至{max}之间的整数") { Arguments = [parameter, min, max] };
    }

    [GeneratedRegex("^[0-9]{14}$")]
    private static partial Regex CaseNumber();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:?\d{2})?)?$")]
    private static partial Regex W3cDate();

    [GeneratedRegex(@"(Z|[+-]\d{2}:?\d{2})$")]
    private static partial Regex HasOffset();
}

/// <summary>The HTTP status of each Open311 refusal: unknown things are 404, keys 403, anything else a bad request (400).</summary>
public static class Open311Errors
{
    public const string JurisdictionNotFoundCode = "open311.jurisdiction-not-found";
    public const string ServiceNotFoundCode = "open311.service-not-found";
    public const string RequestNotFoundCode = "open311.request-not-found";
    public const string TokenNotFoundCode = "open311.token-not-found";

    public static int StatusOf(DomainException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.Code switch
        {
            JurisdictionNotFoundCode or ServiceNotFoundCode or RequestNotFoundCode or TokenNotFoundCode => 404,
            Open311Keys.MissingCode or Open311Keys.InvalidCode or Open311Keys.RevokedCode => 403,
            _ => 400,
        };
    }
}
