namespace GridGov.Application.Ledgers;

/// <summary>How lists show personal numbers: enough to tell people apart, not enough to copy them.</summary>
public static class Masking
{
    /// <summary>110105********002X: the address code and the last four characters stay.</summary>
    public static string IdNumber(string? value)
    {
        var trimmed = value?.Trim() ?? "";
        return trimmed.Length <= 10 ? new string('*', trimmed.Length) : string.Concat(trimmed.AsSpan(0, 6), new string('*', trimmed.Length - 10), trimmed.AsSpan(trimmed.Length - 4));
    }

    /// <summary>138****5678: the first three and the last four digits stay (landlines alike).</summary>
    public static string? Phone(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var trimmed = value.Trim();
        return trimmed.Length <= 7 ? new string('*', trimmed.Length) : string.Concat(trimmed.AsSpan(0, 3), new string('*', trimmed.Length - 7), trimmed.AsSpan(trimmed.Length - 4));
    }
}
