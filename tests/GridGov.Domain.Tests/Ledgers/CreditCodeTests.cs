using GridGov.Domain.Common;
using GridGov.Domain.Ledgers;

namespace GridGov.Domain.Tests.Ledgers;

/// <summary>The unified social credit code (GB 32100-2015): its alphabet, its division digits and its check character.</summary>
public class CreditCodeTests
{
    [Theory]
    [InlineData("91350100M000100Y43", "91350100M000100Y43")]   // the standard's example
    [InlineData(" 91350100m000100y43 ", "91350100M000100Y43")] // trimmed, upper case
    public void A_valid_code_is_kept_in_its_canonical_form(string input, string expected)
    {
        Assert.Equal(expected, CreditCode.Require(input));
    }

    [Fact]
    public void The_check_character_is_31_minus_the_weighted_sum_mod_31_over_the_codes_alphabet()
    {
        Assert.Equal('3', CreditCode.ComputeCheckCharacter("91350100M000100Y4"));
        // Every code built with its computed check character passes; any other last character fails.
        foreach (var first in new[] { "91320508MA1XYW123", "52320508MJ0000007", "12100000400000624" })
        {
            var check = CreditCode.ComputeCheckCharacter(first);
            Assert.Equal(first + check, CreditCode.Require(first + check));
            var wrong = check == '0' ? '1' : '0';
            Assert.Equal("credit-code.checksum", Assert.Throws<DomainException>(() => CreditCode.Require(first + wrong)).Code);
        }
    }

    [Theory]
    [InlineData("", "credit-code.length")]
    [InlineData(null, "credit-code.length")]
    [InlineData("91350100M000100Y4", "credit-code.length")]
    [InlineData("91350100M000100Y433", "credit-code.length")]
    [InlineData("91350100I000100Y43", "credit-code.characters")]   // I is not in the alphabet
    [InlineData("91350100M0001-0Y43", "credit-code.characters")]
    [InlineData("913501A0M000100Y43", "credit-code.division")]
    [InlineData("91350100M000100Y44", "credit-code.checksum")]
    public void A_code_that_breaks_a_rule_is_refused_under_the_credit_code_with_a_Chinese_message(string? input, string expected)
    {
        var refusal = Assert.Throws<DomainException>(() => CreditCode.Require(input));

        Assert.Equal(expected, refusal.Code);
        Assert.Equal(DomainFields.CreditCode.Name, refusal.Field);
        Assert.Contains("统一社会信用代码", refusal.Message);
    }

    [Fact]
    public void A_unit_keeps_a_valid_code_clears_an_empty_one_and_refuses_a_wrong_one()
    {
        var unit = new Unit(1, "云帆便利店", UnitKind.Shop, "幸福路1号", Locations.Point(120.6, 31.3), 3, "李四", "13812345678");

        unit.SetCreditCode("91350100m000100y43");
        Assert.Equal("91350100M000100Y43", unit.CreditCode);
        Assert.Equal("credit-code.checksum", Assert.Throws<DomainException>(() => unit.SetCreditCode("91350100M000100Y44")).Code);
        Assert.Equal("91350100M000100Y43", unit.CreditCode);
        unit.SetCreditCode(" ");
        Assert.Null(unit.CreditCode);
    }
}
