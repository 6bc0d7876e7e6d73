using System.Globalization;
using GridGov.Domain.Common;

namespace GridGov.Domain.Ledgers;

/// <summary>
/// The 18-digit citizen identity number (公民身份号码, GB 11643-1999): 6-digit address code,
/// 8-digit birth date, 3-digit sequence (odd = male), 1 check character (ISO 7064 MOD 11-2).
/// </summary>
public sealed record IdNumber
{
    public const int Length = 18;
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

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
        TryParse(input, out var idNumber, out var error) ? idNumber : throw new DomainException("id-number.invalid", error);

    /// <summary>Validates an ID number; <paramref name="error"/> says, in Chinese, which rule failed.</summary>
    public static bool TryParse(string? input, out IdNumber idNumber, out string error)
    {
        idNumber = null!;
        var value = input?.Trim().ToUpperInvariant() ?? "";
        if (value.Length != Length)
        {
            error = $"身份证号码应为18位，当前为{value.Length}位";
            return false;
        }
        for (var i = 0; i < 17; i++)
        {
            if (!char.IsAsciiDigit(value[i]))
            {
                error = "身份证号码前17位必须是数字";
                return false;
            }
        }
        if (!char.IsAsciiDigit(value[17]) && value[17] != 'X')
        {
            error = "身份证号码最后一位必须是数字或X";
            return false;
        }
        if (!DateOnly.TryParseExact(value.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birthDate)
            || birthDate.Year < 1900)
        {
            error = "身份证号码中的出生日期不存在";
            return false;
        }
        if (ComputeCheckCharacter(value.AsSpan(0, 17)) != value[17])
        {
            error = "身份证号码校验位错误，请核对后重新输入";
            return false;
        }
        var sequence = value[16] - '0';
        idNumber = new IdNumber(value, birthDate, sequence % 2 == 1 ? Sex.Male : Sex.Female);
        error = "";
        return true;
    }

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
