using System.Globalization;
using GridGov.Domain.Calendar;
using GridGov.Domain.Common;
using GridGov.Web.Resources;
using Microsoft.Extensions.Localization;

namespace GridGov.Web.Components.Pages.Ledgers;

/// <summary>Labels and small formatting shared by the ledger pages.</summary>
public static class LedgerLabels
{
    /// <summary>An enum value's label: the resource key is the enum's type name and the value, e.g. PopulationKind_Floating.</summary>
    public static string Label(this IStringLocalizer<LedgerResource> text, Enum value) => text[$"{value.GetType().Name}_{value}"];

    /// <summary>
    /// A select's text for its value: a closed MudSelect (and a prerendered one) shows its value through this, not
    /// through its items, which render only when it opens.
    /// </summary>
    public static Func<TEnum?, string?> Labels<TEnum>(this IStringLocalizer<LedgerResource> text) where TEnum : struct, Enum =>
        value => value is { } chosen ? text.Label(chosen) : null;

    public static string China(DateTimeOffset moment) =>
        WorkingCalendar.ToChinaTime(moment).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Coordinate(double? value) => value?.ToString("0.0000000", CultureInfo.InvariantCulture) ?? "";

    /// <summary>A trimmed query text, cut to the length the filter accepts; null when empty.</summary>
    public static string? Clip(string? value, int maxLength)
    {
        var trimmed = value?.Trim();
        return string.IsNullOrEmpty(trimmed) ? null : trimmed.Length > maxLength ? trimmed[..maxLength] : trimmed;
    }

    public static int? ParseId(string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0 ? id : null;

    public static T? ParseEnum<T>(string? value) where T : struct, Enum =>
        Enum.TryParse<T>(value, ignoreCase: false, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(value, out _) ? parsed : null;

    /// <summary>
    /// Marks each field whose text holds a control character (the HTTP guard refuses them in form posts; an interactive
    /// page's fields never pass it, and PostgreSQL refuses a NUL in text). Returns whether any was found.
    /// </summary>
    public static bool RefuseControlCharacters(IStringLocalizer<LedgerResource> text, Dictionary<string, string> errors, params (string Field, string? Value)[] fields)
    {
        var found = false;
        foreach (var (field, value) in fields)
        {
            if (Infrastructure.ControlCharacterGuard.IsRefused(value))
            {
                errors[field] = text["ControlCharacters"];
                found = true;
            }
        }
        return found;
    }
}

public static class LedgerHttp
{
    /// <summary>
    /// Answers 404 for a row that does not exist or lies outside the person's scope (the two are not told
    /// apart); the page renders its own "not found" body, so the status page must not replace it.
    /// </summary>
    public static void NotFound(HttpContext? context) => Answer(context, StatusCodes.Status404NotFound);

    private static void Answer(HttpContext? context, int statusCode)
    {
        if (context is null)
        {
            return;
        }
        if (context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } statusPages)
        {
            statusPages.Enabled = false;
        }
        context.Response.StatusCode = statusCode;
    }
}
