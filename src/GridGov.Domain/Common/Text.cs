namespace GridGov.Domain.Common;

public static class Text
{
    /// <summary>Trims a required text and checks its length; the message names the field.</summary>
    public static string Require(string? value, int maxLength, DomainField field)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            throw DomainException.For(field, "text.required", $"{field}不能为空");
        }
        if (trimmed.Length > maxLength)
        {
            throw DomainException.For(field, "text.too-long", $"{field}不能超过{maxLength}个字", maxLength);
        }
        return trimmed;
    }

    public static string? Optional(string? value, int maxLength, DomainField field)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }
        return trimmed.Length > maxLength
            ? throw DomainException.For(field, "text.too-long", $"{field}不能超过{maxLength}个字", maxLength)
            : trimmed;
    }
}
