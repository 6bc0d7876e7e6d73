using System.Text.RegularExpressions;

namespace GridGov.Domain.Common;

/// <summary>An e-mail address as a mail server takes it: one @, a domain with a dot, no spaces or control characters.</summary>
public static partial class EmailAddress
{
    public const int MaxLength = 200;

    public static bool IsValid(string? value) => value is { Length: <= MaxLength } && Pattern().IsMatch(value);

    public static string Require(string? value, DomainField field)
    {
        var trimmed = value?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            throw DomainException.For(field, "text.required", $"{field}不能为空");
        }
        return IsValid(trimmed) ? trimmed : throw DomainException.For(field, "email.invalid", $"{field}格式不正确：应为电子邮箱地址，如 name@example.com");
    }

    [GeneratedRegex(@"^[^@\s\p{C}]+@[^@\s\p{C}]+\.[^@\s\p{C}]+$")]
    private static partial Regex Pattern();
}
