using GridGov.Domain.Cases;
using GridGov.Domain.Categories;
using GridGov.Domain.Common;

namespace GridGov.Domain.Tests.Categories;

/// <summary>A response template's own rules (常用回复模板): title and text required and bounded, no control characters, an action with a text box.</summary>
public class ResponseTemplateTests
{
    public static TheoryData<string, string?, string?, CaseAction?, string, string> BadTemplates => new()
    {
        { "no title", null, "已转交城管中队处理", CaseAction.Dispatch, "template.title-required", "templateTitle" },
        { "a blank title", "   ", "已转交城管中队处理", CaseAction.Dispatch, "template.title-required", "templateTitle" },
        { "an over-long title", new string('长', ResponseTemplate.TitleMaxLength + 1), "已转交", CaseAction.Dispatch, "template.title-too-long", "templateTitle" },
        { "a NUL in the title", "转\0交", "已转交", CaseAction.Dispatch, "template.title-control", "templateTitle" },
        { "a line break in the title", "转交\n城管", "已转交", CaseAction.Dispatch, "template.title-control", "templateTitle" },
        { "no text", "转交城管", "", CaseAction.Dispatch, "template.text-required", "templateText" },
        { "an over-long text", "转交城管", new string('长', ResponseTemplate.TextMaxLength + 1), CaseAction.Dispatch, "template.text-too-long", "templateText" },
        { "an ESC in the text", "转交城管", "已\u001b转交", CaseAction.Dispatch, "template.text-control", "templateText" },
        { "no action", "转交城管", "已转交", null, "template.action", "templateAction" },
        { "an action without a text box", "受理", "已受理", CaseAction.Accept, "template.action", "templateAction" },
        { "an undefined action", "转交城管", "已转交", (CaseAction)999, "template.action", "templateAction" },
    };

    [Theory]
    [MemberData(nameof(BadTemplates))]
    public void A_bad_template_is_refused_under_its_field_in_chinese(string name, string? title, string? text, CaseAction? action, string code, string field)
    {
        var error = Assert.Throws<DomainException>(() => new ResponseTemplate(title, text, action, null));

        Assert.True((code, field) == (error.Code, error.Field), $"{name}: {error.Code} {error.Field}");
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", error.Message);
    }

    [Fact]
    public void A_template_keeps_its_text_trimmed_with_its_lines_and_is_retired_and_activated_again()
    {
        var template = new ResponseTemplate("  不予立案：非本街道  ", "  经核实，该问题不属于本街道管辖。\n请拨打12345反映。  ", CaseAction.Reject, 12);

        Assert.Equal(("不予立案：非本街道", "经核实，该问题不属于本街道管辖。\n请拨打12345反映。", CaseAction.Reject, (int?)12, true),
            (template.Title, template.Text, template.Action, template.CategoryId, template.IsActive));
        template.Retire();
        Assert.False(template.IsActive);
        template.Activate();
        Assert.True(template.IsActive);
    }

    [Fact]
    public void A_bad_edit_leaves_the_template_as_it_was()
    {
        var template = new ResponseTemplate("核查通过", "现场核查，问题已解决。", CaseAction.Verify, null);

        Assert.Throws<DomainException>(() => template.Edit("核查通过", "", CaseAction.Verify, 3));

        Assert.Equal(("核查通过", "现场核查，问题已解决。", (int?)null), (template.Title, template.Text, template.CategoryId));
    }
}
