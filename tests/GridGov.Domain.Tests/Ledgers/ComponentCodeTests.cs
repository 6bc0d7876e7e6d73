using GridGov.Domain.Common;
using GridGov.Domain.Ledgers;

namespace GridGov.Domain.Tests.Ledgers;

/// <summary>A component registered by its whole code as typed: the code's parts obey the constructor's rules.</summary>
public class ComponentCodeTests
{
    private static Component FromCode(string? code) => Component.FromCode(1, code, "上水井盖", Locations.Point(120.6, 31.3), 3);

    [Fact]
    public void A_whole_code_is_split_into_division_class_minor_class_and_serial()
    {
        var component = FromCode(" 3205080412000345 ");

        Assert.Equal("3205080412000345", component.Code);
        Assert.Equal("320508", component.DivisionCode);
        Assert.Equal(ComponentClass.Landscaping, component.MajorClass);
        Assert.Equal(12, component.MinorClass);
        Assert.Equal(345, component.Serial);
        Assert.Equal(ComponentState.Intact, component.State);
    }

    [Theory]
    [InlineData("", "text.required")]
    [InlineData(null, "text.required")]
    [InlineData("320508010100001", "component.code-format")]
    [InlineData("32050801010000011", "component.code-format")]
    [InlineData("32050801010000a1", "component.code-format")]
    [InlineData("３２０５０８０１０１０００００１", "component.code-format")]
    [InlineData("3205080701000001", "component.class")]
    [InlineData("3205080001000001", "component.class")]
    [InlineData("3205080100000001", "component.code")]
    [InlineData("3205080101000000", "component.code")]
    public void A_code_that_breaks_a_rule_is_refused_under_the_code(string? code, string expected)
    {
        var refusal = Assert.Throws<DomainException>(() => FromCode(code));

        Assert.Equal(expected, refusal.Code);
        Assert.Equal(DomainFields.ComponentCode.Name, refusal.Field);
        Assert.Contains("部件", refusal.Message);
        // The import checks a code by the same rules before any component exists.
        Assert.Equal(expected, Assert.Throws<DomainException>(() => Component.ParseCode(code)).Code);
    }

    [Fact]
    public void A_code_parsed_alone_gives_the_parts_the_component_would_have()
    {
        var parts = Component.ParseCode(" 3205080412000345 ");
        var component = FromCode("3205080412000345");

        Assert.Equal((component.Code, component.DivisionCode, component.MajorClass, component.MinorClass, component.Serial),
            (parts.Code, parts.DivisionCode, parts.MajorClass, parts.MinorClass, parts.Serial));
    }

    [Fact]
    public void An_undefined_state_is_refused_and_the_state_kept()
    {
        var component = FromCode("3205080101000001");

        var refusal = Assert.Throws<DomainException>(() => component.ChangeState((ComponentState)99));

        Assert.Equal("component.state", refusal.Code);
        Assert.Equal(ComponentState.Intact, component.State);
    }
}
