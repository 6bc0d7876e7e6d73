using System.Globalization;
using GridGov.Domain.Common;

namespace GridGov.Domain.Ledgers;

/// <summary>
/// The 18-digit citizen identity number (公民身份号码, GB 11643-1999): 6-digit address code,
/// 8-digit birth date, 3-digit sequence (odd = male), 1 check character (ISO 7064 MOD 11-2).
/// The address code's first two digits name a province-level division of GB/T 2260.
/// </summary>
public sealed record IdNumber
{
    public const int Length = 18;
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    /// <summary>
    /// The province-level codes of GB/T 2260 (provinces, autonomous regions, municipalities, Taiwan, Hong Kong, Macao):
    /// an address code starts with one of them.
    /// </summary>
    public static readonly IReadOnlySet<string> ProvinceCodes = new HashSet<string>(StringComparer.Ordinal)
    {
        "11", "12", "13", "14", "15",
        "21", "22", "23",
        "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46",
        "50", "51", "52", "53", "54",
        "61", "62", "63", "64", "65",
        "71", "81", "82",
    };

    private IdNumber(string value, DateOnly birthDate, Sex sex)
    {
        Value = value;
        BirthDate = birthDate;
        Sex = sex;
    }

    public string Value { get; }
    public DateOnly BirthDate { get; }
    public Sex Sex { get; }

    public override string ToString() => Value;

    /// <summary>The check character for the first 17 digits.</summary>
    public static char ComputeCheckCharacter(ReadOnlySpan<char> first17)
    {
        if (first17.Length != 17)
        {
            throw new ArgumentException("Exactly 17 digits are needed.", nameof(first17));
        }
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            var digit = first17[i] - '0';
            if (digit is < 0 or > 9)
            {
                throw new ArgumentException("Only digits are allowed.", nameof(first17));
            }
            sum += digit * Weights[i];
        }
        return CheckCharacters[sum % 11];
    }

    public static IdNumber Parse(string? input) =>
        Check(input, out var idNumber) is { } refusal ? throw refusal : idNumber;

    /// <summary>Validates an ID number; <paramref name="error"/> says, in Chinese, which rule failed.</summary>
    public static bool TryParse(string? input, out IdNumber idNumber, out string error)
    {
        var refusal = Check(input, out idNumber);
        error = refusal?.Message ?? "";
        return refusal is null;
    }

    /// <summary>Null when <paramref name="input"/> is a valid number; otherwise the refusal naming the rule it breaks.</summary>
    public static DomainException? Check(string? input) => Check(input, out _);

    private static DomainException? Check(string? input, out IdNumber idNumber)
    {
        idNumber = null!;
        var value = input?.Trim().ToUpperInvariant() ?? "";
        if (value.Length != Length)
        {
            return Refuse("id-number.length", $"身份证号码应为18位，当前为{value.Length}位", value.Length);
        }
        for (var i = 0; i < 17; i++)
        {
            if (!char.IsAsciiDigit(value[i]))
            {
                return Refuse("id-number.digits", "身份证号码前17位必须是数字");
            }
        }
        if (!char.IsAsciiDigit(value[17]) && value[17] != 'X')
        {
            return Refuse("id-number.last-character", "身份证号码最后一位必须是数字或X");
        }
        if (!ProvinceCodes.Contains(value[..2]))
        {
            return Refuse("id-number.province", $"身份证号码前两位“{value[..2]}”不是有效的省级行政区划代码", value[..2]);
        }
        if (!DateOnly.TryParseExact(value.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birthDate)
            || birthDate.Year < 1900)
        {
            return Refuse("id-number.birth-date", "身份证号码中的出生日期不存在");
        }
        if (ComputeCheckCharacter(value.AsSpan(0, 17)) != value[17])
        {
            return Refuse("id-number.checksum", "身份证号码校验位错误，请核对后重新输入");
        }
        var sequence = value[16] - '0';
        idNumber = new IdNumber(value, birthDate, sequence % 2 == 1 ? Sex.Male : Sex.Female);
        return null;
    }

    private static DomainException Refuse(string code, string message, params object?[] arguments) =>
        new(code, message) { Field = DomainFields.IdNumber.Name, Arguments = arguments };

    /// <summary>Builds a valid number from its parts (demo data, tests).</summary>
    public static IdNumber Create(string addressCode, DateOnly birthDate, int sequence)
    {
        if (addressCode.Length != 6 || sequence is < 0 or > 999)
        {
            throw new ArgumentException("Address code must have 6 digits and sequence be 0–999.");
        }
        var first17 = string.Concat(addressCode, birthDate.ToString("yyyyMMdd", CultureInfo.InvariantCulture), sequence.ToString("D3", CultureInfo.InvariantCulture));
        return Parse(first17 + ComputeCheckCharacter(first17));
    }

    /// <summary>Age in whole years on <paramref name="today"/>.</summary>
    public int AgeOn(DateOnly today)
    {
        var age = today.Year - BirthDate.Year;
        return BirthDate.AddYears(age) > today ? age - 1 : age;
    }
}

public enum Sex
{
    Male,
    Female,
}
