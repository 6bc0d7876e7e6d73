using System.Globalization;

namespace GridGov.Web.Infrastructure;

/// <summary>
/// Ids and numbers from the query string, read as text first: a page that binds "?household=abc" straight to
/// an int fails the whole request, while a bad number should just count as no number.
/// </summary>
public static class QueryNumbers
{
    public static int? Int(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    public static long? Long(string? text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
