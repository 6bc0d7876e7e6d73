namespace GridGov.Domain.Common;

public static class Text
{
    /// <summary>Trims a required text and checks its length; the message names the field.</summary>
    public static string Require(string? value, int maxLength, string field)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            throw new DomainException("text.required", $"{field}不能为空");
        }
        if (trimmed.Length > maxLength)
        {
            throw new DomainException("text.too-long", $"{field}不能超过{maxLength}个字");
        }
        return trimmed;
    }

    public static string? Optional(string? value, int maxLength, string field)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }
        return trimmed.Length > maxLength
            ? throw new DomainException("text.too-long", $"{field}不能超过{maxLength}个字")
            : trimmed;
    }
}
