using GridGov.Domain.Common;

namespace GridGov.Domain.Tests.Common;

/// <summary>The checks every typed text goes through (<see cref="Text"/>): trimmed, length, and no control characters.</summary>
public sealed class TextTests
{
    [Theory]
    [InlineData("井盖\0缺失")]
    [InlineData("井盖\u001b缺失")]
    [InlineData("\u0007响铃")]
    [InlineData("删除\u007f")]
    [InlineData("分隔\u0085符")]
    public void A_control_character_is_refused_in_required_and_optional_text_naming_the_field(string typed)
    {
        var required = Assert.Throws<DomainException>(() => Text.Require(typed, 40, DomainFields.Remarks));
        var optional = Assert.Throws<DomainException>(() => Text.Optional(typed, 40, DomainFields.Remarks));

        Assert.All([required, optional], e => Assert.Equal(("text.control", DomainFields.Remarks.Name), (e.Code, e.Field)));
        Assert.Contains("备注", required.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tabs_and_line_breaks_inside_a_text_are_kept_and_the_ends_are_trimmed()
    {
        Assert.Equal("第一行\r\n第二行\t完", Text.Require("  第一行\r\n第二行\t完 \n", 40, DomainFields.Remarks));
        Assert.Null(Text.Optional(" \t\r\n ", 40, DomainFields.Remarks));
    }

    [Fact]
    public void Blank_required_text_and_over_long_text_are_refused_with_their_own_codes()
    {
        Assert.Equal("text.required", Assert.Throws<DomainException>(() => Text.Require("  ", 40, DomainFields.Remarks)).Code);
        Assert.Equal("text.too-long", Assert.Throws<DomainException>(() => Text.Require(new string('长', 41), 40, DomainFields.Remarks)).Code);
        Assert.Equal("text.too-long", Assert.Throws<DomainException>(() => Text.Optional(new string('长', 41), 40, DomainFields.Remarks)).Code);
    }
}
