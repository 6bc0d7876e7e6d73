using GridGov.Domain.Common;
using GridGov.Domain.Ledgers;

namespace GridGov.Domain.Tests.Ledgers;

public class IdNumberTests
{
    // The GB 11643 example number and another with an X check character, both computed by hand:
    // 11010519491231002 → weighted sum mod 11 = 2 → 'X'.
    [Theory]
    [InlineData("11010519491231002X", 1949, 12, 31, Sex.Female)]
    [InlineData("440524198001010013", 1980, 1, 1, Sex.Male)]
    public void A_valid_number_yields_its_birth_date_and_sex(string value, int year, int month, int day, Sex sex)
    {
        var idNumber = IdNumber.Parse(value);

        Assert.Equal(new DateOnly(year, month, day), idNumber.BirthDate);
        Assert.Equal(sex, idNumber.Sex);
    }

    [Fact]
    public void A_lower_case_x_check_character_is_accepted_and_normalised()
    {
        Assert.Equal("11010519491231002X", IdNumber.Parse("11010519491231002x").Value);
    }

    [Fact]
    public void A_wrong_check_digit_is_refused_with_a_message_naming_the_check_digit()
    {
        var ok = IdNumber.TryParse("110105194912310021", out _, out var error);

        Assert.False(ok);
        Assert.Contains("校验位", error);
    }

    [Theory]
    [InlineData("11010519491231002", "18位")]
    [InlineData("11010519491231002XX", "18位")]
    [InlineData("", "18位")]
    [InlineData(null, "18位")]
    [InlineData("1101051949123100AX", "前17位")]
    [InlineData("11010519491231002Y", "最后一位")]
    public void A_malformed_number_is_refused_with_the_rule_that_failed(string? value, string expected)
    {
        var ok = IdNumber.TryParse(value, out _, out var error);

        Assert.False(ok);
        Assert.Contains(expected, error);
    }

    [Theory]
    [InlineData("1101051990023")] // 1990-02-30 does not exist
    [InlineData("1101051990130")] // month 13
    [InlineData("1101051899010")] // before 1900
    public void An_impossible_birth_date_is_refused_even_with_a_correct_check_digit(string prefix13)
    {
        var first17 = prefix13 + "0011";
        var value = first17 + IdNumber.ComputeCheckCharacter(first17);

        var ok = IdNumber.TryParse(value, out _, out var error);

        Assert.False(ok);
        Assert.Contains("出生日期", error);
    }

    [Theory]
    [InlineData("00")] // no such division
    [InlineData("10")]
    [InlineData("24")] // between 辽宁/吉林/黑龙江 (21–23) and 上海 (31)
    [InlineData("47")]
    [InlineData("83")] // not in GB/T 2260 (71 台湾, 81 香港, 82 澳门 are)
    [InlineData("99")]
    public void A_number_whose_first_two_digits_are_no_province_of_GB_T_2260_is_refused_even_with_a_correct_check_digit(string province)
    {
        var first17 = province + "0105" + "19491231" + "002";
        var value = first17 + IdNumber.ComputeCheckCharacter(first17);

        var refusal = IdNumber.Check(value);

        Assert.NotNull(refusal);
        Assert.Equal("id-number.province", refusal.Code);
        Assert.Equal(DomainFields.IdNumber.Name, refusal.Field);
        Assert.Contains("省级行政区划代码", refusal.Message);
        Assert.Contains(province, refusal.Message);
        Assert.Throws<DomainException>(() => IdNumber.Create(province + "0105", new DateOnly(1949, 12, 31), 2));
    }

    [Theory]
    [InlineData("11")] // 北京
    [InlineData("32")] // 江苏
    [InlineData("46")] // 海南
    [InlineData("65")] // 新疆
    [InlineData("71")] // 台湾
    [InlineData("81")] // 香港
    [InlineData("82")] // 澳门
    public void Every_province_level_code_of_GB_T_2260_is_accepted(string province)
    {
        var first17 = province + "0105" + "19491231" + "002";

        Assert.True(IdNumber.TryParse(first17 + IdNumber.ComputeCheckCharacter(first17), out var parsed, out var error), error);
        Assert.Equal(new DateOnly(1949, 12, 31), parsed.BirthDate);
        Assert.Equal(34, IdNumber.ProvinceCodes.Count);
    }

    [Fact]
    public void Parse_throws_a_domain_exception_with_the_message()
    {
        var exception = Assert.Throws<DomainException>(() => IdNumber.Parse("123"));

        Assert.Equal("id-number.length", exception.Code);
        Assert.Equal(DomainFields.IdNumber.Name, exception.Field);
        Assert.Contains("18位", exception.Message);
    }

    [Fact]
    public void Create_builds_a_number_that_parses_back_with_the_sex_of_its_sequence()
    {
        var male = IdNumber.Create("320508", new DateOnly(1985, 6, 15), 123);
        var female = IdNumber.Create("320508", new DateOnly(1985, 6, 15), 124);

        Assert.Equal(Sex.Male, IdNumber.Parse(male.Value).Sex);
        Assert.Equal(Sex.Female, IdNumber.Parse(female.Value).Sex);
        Assert.StartsWith("32050819850615123", male.Value);
    }

    [Fact]
    public void Age_counts_whole_years_and_turns_on_the_birthday()
    {
        var idNumber = IdNumber.Create("320508", new DateOnly(2000, 3, 1), 1);

        Assert.Equal(25, idNumber.AgeOn(new DateOnly(2026, 2, 28)));
        Assert.Equal(26, idNumber.AgeOn(new DateOnly(2026, 3, 1)));
    }
}
