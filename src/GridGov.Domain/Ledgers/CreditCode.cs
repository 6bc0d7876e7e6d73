using GridGov.Domain.Common;

namespace GridGov.Domain.Ledgers;

/// <summary>
/// The unified social credit code (统一社会信用代码, GB 32100-2015) of an organisation or shop: 18 characters of the
/// code's own alphabet (digits and the capital letters other than I, O, Z, S and V), namely the registering
/// authority (1), the kind of body (1), the 6-digit administrative division, the 9-character organisation code, and a
/// check character computed over the first 17 (weights 3^i mod 31).
/// </summary>
public static class CreditCode
{
    public const int Length = 18;

    /// <summary>The code's alphabet; a character's value is its index.</summary>
    private const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    /// <summary>The code in its canonical form (trimmed, upper case), or the refusal naming the rule it breaks.</summary>
    public static string Require(string? input)
    {
        var value = input?.Trim().ToUpperInvariant() ?? "";
        if (value.Length != Length)
        {
            throw DomainException.For(DomainFields.CreditCode, "credit-code.length", $"{DomainFields.CreditCode}应为18位，当前为{value.Length}位", value.Length);
        }
        if (value.Any(c => !Alphabet.Contains(c, StringComparison.Ordinal)))
        {
            throw DomainException.For(DomainFields.CreditCode, "credit-code.characters",
                $"{DomainFields.CreditCode}只能包含数字和大写字母（不含I、O、Z、S、V）");
        }
        if (value.AsSpan(2, 6).ContainsAnyExceptInRange('0', '9'))
        {
            throw DomainException.For(DomainFields.CreditCode, "credit-code.division", $"{DomainFields.CreditCode}第3至8位应为行政区划代码（6位数字）");
        }
        if (ComputeCheckCharacter(value.AsSpan(0, Length - 1)) != value[^1])
        {
            throw DomainException.For(DomainFields.CreditCode, "credit-code.checksum", $"{DomainFields.CreditCode}校验位错误，请核对后重新输入");
        }
        return value;
    }

    /// <summary>The check character of the first 17 characters (each of the code's alphabet).</summary>
    public static char ComputeCheckCharacter(ReadOnlySpan<char> first17)
    {
        if (first17.Length != Length - 1)
        {
            throw new ArgumentException("Exactly 17 characters are needed.", nameof(first17));
        }
        var sum = 0;
        for (var i = 0; i < first17.Length; i++)
        {
            var value = Alphabet.IndexOf(first17[i], StringComparison.Ordinal);
            if (value < 0)
            {
                throw new ArgumentException("Only characters of the code's alphabet are allowed.", nameof(first17));
            }
            sum += value * Weights[i];
        }
        return Alphabet[(31 - sum % 31) % 31];
    }
}
