using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using GridGov.Application.Cases;
using GridGov.Web.Infrastructure;
using GridGov.Web.Resources;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace GridGov.Web.Endpoints.Api;

/// <summary>
/// Reads and checks one request's input before a use case sees it: the JSON body (415, 413, 400 naming the field JSON could
/// not read), and each field's shape (required, length, control characters, enum names, times with an offset, paging). The
/// rules themselves stay in the application and domain; this only turns what arrived into their arguments, and every problem
/// is reported together under the field's JSON name.
/// </summary>
public sealed partial class ApiInput(HttpContext http)
{
    public const int MaxPageSize = 100;
    public const int MaxPhotos = 9;

    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);
    private readonly IStringLocalizer<ApiResource> _text = http.RequestServices.GetRequiredService<IStringLocalizer<ApiResource>>();

    public bool IsValid => _errors.Count == 0;

    public IStringLocalizer<ApiResource> Messages => _text;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }
        messages.Add(message);
    }

    public IResult Problem() => ApiProblems.Validation(http, _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));

    /// <summary>The JSON body as <typeparamref name="T"/>, or the problem to answer instead.</summary>
    public static async Task<(T? Body, IResult? Problem)> BodyAsync<T>(HttpContext http) where T : class
    {
        var request = http.Request;
        var text = http.RequestServices.GetRequiredService<IStringLocalizer<ApiResource>>();
        if (!request.HasJsonContentType())
        {
            return (null, ApiProblems.Problem(http, StatusCodes.Status415UnsupportedMediaType));
        }
        if (request.ContentLength > ApiSetup.MaxBodyBytes)
        {
            return (null, TooLarge(http, text));
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            if (buffer.Length + read > ApiSetup.MaxBodyBytes)
            {
                return (null, TooLarge(http, text));
            }
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length == 0)
        {
            return (null, ApiProblems.Validation(http, "body", text["BodyMissing"]));
        }
        try
        {
            var options = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
            var body = JsonSerializer.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), options);
            return body is null ? (null, ApiProblems.Validation(http, "body", text["BodyNotObject"])) : (body, null);
        }
        catch (JsonException exception)
        {
            var field = FieldOf(exception.Path);
            return (null, ApiProblems.Validation(http, field, field == "body" ? text["BodyNotJson"] : text["FieldInvalid"]));
        }
    }

    private static IResult TooLarge(HttpContext http, IStringLocalizer<ApiResource> text) =>
        ApiProblems.Problem(http, StatusCodes.Status413PayloadTooLarge, text["BodyTooLarge", ApiSetup.MaxBodyBytes / 1024 / 1024]);

    /// <summary>"$.photos[2].contentBase64" → "photos[2].contentBase64"; the whole body when JSON gave no path.</summary>
    private static string FieldOf(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    /// <summary>A text field, trimmed; null when empty. Refused: missing when required, longer than <paramref name="max"/>, control characters.</summary>
    public string? Text(string field, string? value, int max, bool required = false)
    {
        var trimmed = string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        if (trimmed is null)
        {
            if (required)
            {
                Add(field, _text["FieldRequired"]);
            }
            return null;
        }
        if (ControlCharacterGuard.IsRefused(trimmed))
        {
            Add(field, _text["FieldControl"]);
            return null;
        }
        if (trimmed.Length > max)
        {
            Add(field, _text["FieldTooLong", max]);
            return null;
        }
        return trimmed;
    }

    public T? Required<T>(string field, T? value) where T : struct
    {
        if (value is null)
        {
            Add(field, _text["FieldRequired"]);
        }
        return value;
    }

    /// <summary>An enum by its English name (as the document lists them), never by number; null when absent.</summary>
    public TEnum? Enum<TEnum>(string field, string? value, TEnum? fallback = null, IReadOnlyCollection<TEnum>? allowed = null) where TEnum : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }
        var choices = allowed ?? System.Enum.GetValues<TEnum>();
        var match = choices.Cast<TEnum?>().FirstOrDefault(c => string.Equals(c!.Value.ToString(), value.Trim(), StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            Add(field, _text["FieldOneOf", string.Join(", ", choices)]);
        }
        return match;
    }

    /// <summary>An ISO 8601 time with its offset (a phone's local time without one would be read in the server's zone).</summary>
    public DateTimeOffset? Time(string field, string? value, bool required = false)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                Add(field, _text["FieldRequired"]);
            }
            return null;
        }
        if (value.Length <= 40 && WithOffset().IsMatch(value.Trim())
            && DateTimeOffset.TryParse(value.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return time.ToUniversalTime();
        }
        Add(field, _text["FieldTime"]);
        return null;
    }

    public double? Coordinate(string field, double? value, double min, double max, bool required = true)
    {
        if (value is null)
        {
            if (required)
            {
                Add(field, _text["FieldRequired"]);
            }
            return null;
        }
        if (!double.IsFinite(value.Value) || value < min || value > max)
        {
            Add(field, _text["FieldRange", min, max]);
            return null;
        }
        return value;
    }

    /// <summary>A month as yyyy-MM (China months); null when absent.</summary>
    public DateOnly? Month(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        if (value.Length == 7 && DateOnly.TryParseExact(value + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month)
            && month.Year is >= 2000 and <= 2100)
        {
            return month;
        }
        Add(field, _text["FieldMonth"]);
        return null;
    }

    /// <summary>A 1-based page and a page size within <see cref="MaxPageSize"/>; the defaults when absent.</summary>
    public (int Page, int PageSize) Paging(int? page, int? pageSize, int defaultSize, int maxPage = 100_000)
    {
        if (page is < 1 || page > maxPage)
        {
            Add("page", _text["FieldRange", 1, maxPage]);
        }
        if (pageSize is < 1 or > MaxPageSize)
        {
            Add("pageSize", _text["FieldRange", 1, MaxPageSize]);
        }
        return (page ?? 1, pageSize ?? defaultSize);
    }

    /// <summary>A case number from the path: 14 digits.</summary>
    public string? CaseNumber(string field, string? value)
    {
        var number = value?.Trim() ?? "";
        if (number.Length == Domain.Cases.Case.NumberLength && number.All(char.IsAsciiDigit))
        {
            return number;
        }
        Add(field, _text["FieldCaseNumber"]);
        return null;
    }

    /// <summary>Photos as Base64 in the body, as uploads for the evidence store (which checks each image by its bytes).</summary>
    public List<EvidenceUpload> Photos(string field, IReadOnlyList<PhotoInput>? photos, bool required = false)
    {
        var uploads = new List<EvidenceUpload>();
        if (photos is null || photos.Count == 0)
        {
            if (required)
            {
                Add(field, _text["FieldRequired"]);
            }
            return uploads;
        }
        if (photos.Count > MaxPhotos)
        {
            Add(field, _text["TooManyPhotos", MaxPhotos]);
            return uploads;
        }
        for (var i = 0; i < photos.Count; i++)
        {
            var name = Text($"{field}[{i}].fileName", photos[i]?.FileName, Domain.Cases.CaseEvidence.FileNameMaxLength) ?? $"photo-{i + 1}.jpg";
            var content = photos[i]?.ContentBase64;
            if (string.IsNullOrWhiteSpace(content))
            {
                Add($"{field}[{i}].contentBase64", _text["FieldRequired"]);
                continue;
            }
            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(content);
            }
            catch (FormatException)
            {
                Add($"{field}[{i}].contentBase64", _text["PhotoBase64"]);
                continue;
            }
            uploads.Add(new EvidenceUpload(Path.GetFileName(name), new MemoryStream(bytes, writable: false)));
        }
        return uploads;
    }

    [GeneratedRegex(@"(Z|[+-]\d{2}:?\d{2})$", RegexOptions.IgnoreCase)]
    private static partial Regex WithOffset();
}
