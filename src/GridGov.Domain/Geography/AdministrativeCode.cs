using System.Globalization;
using GridGov.Domain.Common;

namespace GridGov.Domain.Geography;

/// <summary>
/// Hierarchical codes (domain.md §2): 6-digit county (GB/T 2260) + 3-digit street (001–099)
/// = 9-digit street code; + 3-digit community = 12-digit community code;
/// + 3-digit grid sequence (001–999) = 15-digit grid code.
/// </summary>
public static class AdministrativeCode
{
    public const int CountyCodeLength = 6;
    public const int StreetCodeLength = 9;
    public const int CommunityCodeLength = 12;
    public const int GridCodeLength = 15;

    public static string StreetCode(string countyCode, int streetSequence)
    {
        RequireDigits(countyCode, CountyCodeLength, DomainFields.CountyCode);
        if (streetSequence is < 1 or > 99)
        {
            throw new DomainException("code.street-sequence", "街道顺序码应在001至099之间");
        }
        return countyCode + streetSequence.ToString("D3", CultureInfo.InvariantCulture);
    }

    public static string CommunityCode(string streetCode, int communitySequence)
    {
        RequireDigits(streetCode, StreetCodeLength, DomainFields.StreetCode);
        if (communitySequence is < 1 or > 999)
        {
            throw new DomainException("code.community-sequence", "社区顺序码应在001至999之间");
        }
        return streetCode + communitySequence.ToString("D3", CultureInfo.InvariantCulture);
    }

    public static string GridCode(string communityCode, int gridSequence)
    {
        RequireDigits(communityCode, CommunityCodeLength, DomainFields.CommunityCode);
        if (gridSequence is < 1 or > 999)
        {
            throw new DomainException("code.grid-sequence", "网格顺序码应在001至999之间");
        }
        return communityCode + gridSequence.ToString("D3", CultureInfo.InvariantCulture);
    }

    /// <summary>The community code a grid code starts with.</summary>
    public static string CommunityCodeOf(string gridCode)
    {
        RequireDigits(gridCode, GridCodeLength, DomainFields.GridCode);
        return gridCode[..CommunityCodeLength];
    }

    public static bool IsDigits(string? value, int length) =>
        value is not null && value.Length == length && value.All(char.IsAsciiDigit);

    private static void RequireDigits(string value, int length, DomainField name)
    {
        if (!IsDigits(value, length))
        {
            throw DomainException.For(name, "code.format", $"{name}应为{length}位数字", length);
        }
    }
}
