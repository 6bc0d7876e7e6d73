namespace GridGov.Application.Common;

/// <summary>
/// Search text as every query uses it: control characters removed (PostgreSQL refuses a NUL in text, and no stored text
/// holds any other), then trimmed; null when nothing is left. Interactive pages hand their search boxes' text straight
/// to the queries, so the queries clean it themselves rather than trust the HTTP guard.
/// </summary>
public static class SearchText
{
    public static string? Clean(string? text)
    {
        if (text is null)
        {
            return null;
        }
        var cleaned = (text.Any(char.IsControl) ? string.Concat(text.Where(c => !char.IsControl(c))) : text).Trim();
        return cleaned.Length == 0 ? null : cleaned;
    }
}
