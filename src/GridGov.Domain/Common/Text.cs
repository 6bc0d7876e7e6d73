namespace GridGov.Domain.Common;

/// <summary>
/// The checks every text a user types goes through: trimmed, required or not, at most so many characters, and free of
/// control characters other than tab and line breaks (PostgreSQL refuses a NUL in text, and an interactive page's input
/// never passes the HTTP guard against them). Each message names the field.
/// </summary>
public static class Text
{
    /// <summary>Trims a required text and checks it; the message names the field.</summary>
    public static string Require(string? value, int maxLength, DomainField field)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            throw DomainException.For(field, "text.required", $"{field}不能为空");
        }
        return Checked(trimmed, maxLength, field);
    }

    /// <summary>Trims an optional text and checks it; blank is null.</summary>
    public static string? Optional(string? value, int maxLength, DomainField field)
    {
        var trimmed = value?.Trim();
        return string.IsNullOrEmpty(trimmed) ? null : Checked(trimmed, maxLength, field);
    }

    private static string Checked(string trimmed, int maxLength, DomainField field)
    {
        if (trimmed.Length > maxLength)
        {
            throw DomainException.For(field, "text.too-long", $"{field}不能超过{maxLength}个字", maxLength);
        }
        return trimmed.Any(c => char.IsControl(c) && c is not ('\t' or '\n' or '\r'))
            ? throw DomainException.For(field, "text.control", $"{field}含有不可见的控制字符，请删除后重试")
            : trimmed;
    }
}
