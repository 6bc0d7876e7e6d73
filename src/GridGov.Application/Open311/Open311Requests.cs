using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using GridGov.Application.Cases;
using GridGov.Application.Common;
using GridGov.Application.Grids;
using GridGov.Domain.Cases;
using GridGov.Domain.Categories;
using GridGov.Domain.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace GridGov.Application.Open311;

/// <summary>A POST of a service request as the client sent it (GeoReport v2's form fields; attribute[code] in <see cref="Attributes"/>).</summary>
public sealed record Open311PostInput(
    string? ApiKey,
    string? JurisdictionId,
    string? ServiceCode,
    string? Latitude,
    string? Longitude,
    string? AddressString,
    string? AddressId,
    string? Email,
    string? FirstName,
    string? LastName,
    string? Phone,
    string? Description,
    string? MediaUrl,
    IReadOnlyDictionary<string, string> Attributes);

/// <summary>The case a post made (or made before, for the same post again), the token that finds it, and its handling limit.</summary>
public sealed record Open311Created(string Number, Guid Token, TimeLimit HandleLimit);

/// <summary>
/// POST requests: a service request becomes a case through the report path of <see cref="CaseWorkflowService"/> (source
/// 居民上报, grid resolved from the point, notifications as for any report), as the member of the public it names. The
/// post's submission id is derived from the key and everything the client sent, so the same post again (a retry after a
/// timeout) answers with the same case and creates nothing; it is also the post's token. Refusals are
/// <see cref="DomainException"/>s that <see cref="Open311Errors"/> gives a status.
/// Not kept, for want of a place in the case: email (personal data the case does not hold), media_url (the case keeps photos
/// it stored itself; a link to elsewhere is not fetched), address_id, device_id, account_id.
/// </summary>
public sealed partial class Open311Requests(
    IGridGovDbContext db,
    Open311Keys keys,
    Open311Queries queries,
    ISpatialQueries spatial,
    CaseWorkflowService workflow,
    ILogger<Open311Requests> logger)
{
    public const int EmailMaxLength = 254;
    public const int MediaUrlMaxLength = 2000;

    public async Task<Open311Created> CreateAsync(Open311PostInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var client = await keys.RequireClientAsync(input.ApiKey, cancellationToken);
        await queries.RequireJurisdictionAsync(input.JurisdictionId, cancellationToken);
        if (string.IsNullOrWhiteSpace(input.ServiceCode))
        {
            throw new DomainException("open311.service-code-missing", "缺少service_code：请从服务列表（services）中选择");
        }
        var service = await queries.OfferedAsync(input.ServiceCode, cancellationToken)
            ?? throw new DomainException("open311.service-code-invalid", "service_code无效：应为服务列表中的服务代码，多个以英文逗号分隔");

        var (longitude, latitude) = Point(input);
        var address = Text.Optional(input.AddressString, Case.AddressMaxLength, DomainFields.Address)
            ?? await PlaceAsync(longitude, latitude, cancellationToken);
        var description = Describe(input, service.Name, service.Kind);
        var reporter = ReporterName(input.FirstName, input.LastName, client.ClientName);
        var phone = string.IsNullOrWhiteSpace(input.Phone) ? null : Domain.Common.Phone.Require(NormalisedPhone(input.Phone), DomainFields.ReporterPhone);
        RequireEmail(input.Email);
        RequireMediaUrl(input.MediaUrl);

        var token = Token(client.KeyId, service.Code, longitude, latitude, address, description, reporter, phone, input.Email, input.MediaUrl);
        var limit = await db.Categories.AsNoTracking().Where(c => c.Id == service.CategoryId).Select(c => c.Limits.Handle).SingleAsync(cancellationToken);
        Case created;
        try
        {
            created = await workflow.ReportAsync(new ReportCase(service.CategoryId, description, longitude, latitude, address, CaseSource.Resident,
                CasePriority.Normal, reporter, phone, [], token, SubmissionPurpose.Open311Request), CaseActor.Public(reporter), cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same post twice at the same moment: the unique submission id let one through; answer with its case.
            var number = await db.Cases.AsNoTracking().Where(c => c.SubmissionPurpose == SubmissionPurpose.Open311Request && c.SubmissionId == token)
                .Select(c => c.Number).FirstOrDefaultAsync(cancellationToken);
            if (number is null)
            {
                throw;
            }
            LogRepeated(token, number);
            return new Open311Created(number, token, limit);
        }
        if (!string.IsNullOrWhiteSpace(input.MediaUrl))
        {
            LogMediaUrlNotKept(created.Number);
        }
        LogCreated(created.Number, client.ClientName, service.Code, created.GridCode);
        return new Open311Created(created.Number, token, limit);
    }

    /// <summary>
    /// The point is required: lat and long, WGS-84. GridGov has no geocoder, so address_string alone (or address_id) cannot
    /// place a case in its grid; it is kept as the case's address next to the point.
    /// </summary>
    private static (double Longitude, double Latitude) Point(Open311PostInput input)
    {
        if (string.IsNullOrWhiteSpace(input.Latitude) && string.IsNullOrWhiteSpace(input.Longitude))
        {
            throw new DomainException("open311.location-required", "缺少位置：请提供lat和long（WGS-84经纬度）；暂不支持仅凭address_string或address_id定位");
        }
        if (!double.TryParse(input.Latitude?.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var latitude)
            || !double.TryParse(input.Longitude?.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var longitude)
            || !double.IsFinite(latitude) || !double.IsFinite(longitude) || latitude is < -90 or > 90 || longitude is < -180 or > 180)
        {
            throw new DomainException("open311.location-invalid", "lat或long无效：应为WGS-84十进制经纬度，纬度在-90至90之间，经度在-180至180之间");
        }
        return (longitude, latitude);
    }

    /// <summary>Where the point falls, as the case's address when the client sent none; outside the grids the workflow refuses it.</summary>
    private async Task<string> PlaceAsync(double longitude, double latitude, CancellationToken cancellationToken)
    {
        var at = string.Create(CultureInfo.InvariantCulture, $"{longitude:0.######},{latitude:0.######}");
        return await spatial.ResolveGridAsync(Locations.Point(longitude, latitude), cancellationToken) is GridLocation.InGrid grid
            ? $"{grid.CommunityName}{grid.GridName}（{at}）"
            : at;
    }

    private static string Describe(Open311PostInput input, string serviceName, CategoryKind kind)
    {
        var description = string.IsNullOrWhiteSpace(input.Description) ? serviceName : input.Description.Trim();
        if (kind == CategoryKind.Component && input.Attributes.TryGetValue(Open311Mapping.ComponentCodeAttribute, out var code) && !string.IsNullOrWhiteSpace(code))
        {
            code = code.Trim();
            if (code.Length != Open311Mapping.ComponentCodeLength || !code.All(char.IsAsciiDigit))
            {
                throw new DomainException("open311.attribute-invalid", "attribute[component_code]应为部件标牌上的16位数字");
            }
            description += $"（部件编码：{code}）";
        }
        return Text.Require(description, Case.DescriptionMaxLength, DomainFields.Description);
    }

    /// <summary>The reporter as the client named them (family name first when Chinese); the client's users otherwise.</summary>
    private static string ReporterName(string? firstName, string? lastName, string clientName)
    {
        var first = firstName?.Trim() ?? "";
        var last = lastName?.Trim() ?? "";
        var name = first.Length > 0 && last.Length > 0 && first.All(char.IsAscii) && last.All(char.IsAscii)
            ? $"{first} {last}"
            : last + first;
        if (name.Length == 0)
        {
            name = clientName + "用户";
            return name.Length <= Case.NameMaxLength ? name : name[..Case.NameMaxLength];
        }
        return Text.Require(name, Case.NameMaxLength, DomainFields.ReporterName);
    }

    /// <summary>Spaces and dashes of a mobile number dropped, and China's +86/0086; a landline keeps its area code's dash.</summary>
    private static string NormalisedPhone(string phone)
    {
        var digits = phone.Trim().Replace(" ", "", StringComparison.Ordinal);
        foreach (var prefix in new[] { "+86", "0086" })
        {
            if (digits.StartsWith(prefix, StringComparison.Ordinal))
            {
                digits = digits[prefix.Length..].TrimStart('-');
            }
        }
        return digits;
    }

    private static void RequireEmail(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return;
        }
        var trimmed = email.Trim();
        var at = trimmed.IndexOf('@', StringComparison.Ordinal);
        if (trimmed.Length > EmailMaxLength || at <= 0 || at != trimmed.LastIndexOf('@') || at == trimmed.Length - 1 || trimmed.Any(char.IsWhiteSpace))
        {
            throw new DomainException("open311.email-invalid", "email格式不正确");
        }
    }

    private static void RequireMediaUrl(string? mediaUrl)
    {
        if (string.IsNullOrWhiteSpace(mediaUrl))
        {
            return;
        }
        if (mediaUrl.Length > MediaUrlMaxLength || !Uri.TryCreate(mediaUrl.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new DomainException("open311.media-url-invalid", "media_url应为http或https开头的完整网址");
        }
    }

    /// <summary>The post's submission id and token: the first 16 bytes of SHA-256 over the key and what the post says.</summary>
    private static Guid Token(int keyId, params object?[] parts)
    {
        var text = string.Join('\u001f', parts.Prepend(keyId).Select(p => Convert.ToString(p, CultureInfo.InvariantCulture)?.Trim() ?? ""));
        return new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 16));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Open311 request {CaseNumber} from {ClientName}, service {ServiceCode}, grid {GridCode}")]
    private partial void LogCreated(string caseNumber, string clientName, string serviceCode, string gridCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Repeated Open311 post {Token} answered with case {CaseNumber}")]
    private partial void LogRepeated(Guid token, string caseNumber);

    [LoggerMessage(Level = LogLevel.Information, Message = "Open311 request {CaseNumber}: media_url not kept (the case stores only its own photos)")]
    private partial void LogMediaUrlNotKept(string caseNumber);
}

/// <summary>Every Open311 input, query or form, is refused whole when it holds a control character (as the app's guard does elsewhere).</summary>
public static class Open311Input
{
    public static void RequireNoControlCharacters(IEnumerable<KeyValuePair<string, string?>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Any(p => Refused(p.Key) || Refused(p.Value)))
        {
            throw new DomainException("open311.control-characters", "输入内容含有不可见的控制字符（如NUL），无法处理，未做任何更改");
        }
    }

    private static bool Refused(string? text) => text is not null && text.Any(c => char.IsControl(c) && c is not ('\t' or '\n' or '\r'));
}
