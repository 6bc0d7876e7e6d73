using System.Globalization;

namespace GridGov.Web.Components.Shared;

/// <summary>The value of a date input (<c>InputType.Date</c>: yyyy-MM-dd whatever the browser shows), read and written.</summary>
public static class DateInputs
{
    private const string Format = "yyyy-MM-dd";

    /// <summary>The day typed; null when the text is empty or not a date.</summary>
    public static DateOnly? Parse(string? text) =>
        DateOnly.TryParseExact(text?.Trim(), Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    public static string Iso(DateOnly date) => date.ToString(Format, CultureInfo.InvariantCulture);
}
