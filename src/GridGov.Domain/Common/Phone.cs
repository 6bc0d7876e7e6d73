using System.Text.RegularExpressions;

namespace GridGov.Domain.Common;

public static partial class Phone
{
    public const int MaxLength = 20;

    /// <summary>A mainland mobile number (11 digits, 1[3-9]…) or a landline with area code (010-12345678).</summary>
    public static bool IsValid(string? value) =>
        value is not null && PhonePattern().IsMatch(value);

    public static string Require(string value, DomainField? field = null)
    {
        field ??= DomainFields.Phone;
        var trimmed = value.Trim();
        if (!IsValid(trimmed))
        {
            throw DomainException.For(field, "phone.invalid", $"{field}格式不正确：应为11位手机号或带区号的固定电话");
        }
        return trimmed;
    }

    [GeneratedRegex(@"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")]
    private static partial Regex PhonePattern();
}
