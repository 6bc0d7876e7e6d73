using GridGov.Domain.Cases;
using GridGov.Domain.Common;

namespace GridGov.Domain.Categories;

/// <summary>
/// A response template (常用回复模板): a text a dispatcher or handler picks on a case action's form and edits before sending,
/// e.g. a rejection reason or a feedback. It belongs to one action whose form has a text box (<see cref="Actions"/>) and to
/// one minor class, or to all of them (<see cref="CategoryId"/> null). A template is retired (停用), never deleted.
/// </summary>
public class ResponseTemplate : Entity
{
    public const int TitleMaxLength = 30;
    public const int TextMaxLength = 500;

    /// <summary>The actions whose form has a note, reason or feedback text box; only these may carry templates.</summary>
    public static readonly IReadOnlyList<CaseAction> Actions =
    [
        CaseAction.Register, CaseAction.Reject, CaseAction.Dispatch, CaseAction.AssignLocally, CaseAction.Return, CaseAction.SubmitFeedback,
        CaseAction.Verify, CaseAction.Rework, CaseAction.Archive, CaseAction.Void, CaseAction.Escalate, CaseAction.Supervise,
        CaseAction.RespondToWhistle, CaseAction.RequestExtension, CaseAction.ApproveExtension, CaseAction.RefuseExtension, CaseAction.CallBack,
        CaseAction.SubmitCoHandlingOpinion, CaseAction.EndCoHandling,
    ];

    private ResponseTemplate()
    {
        Title = Text = "";
    }

    public ResponseTemplate(string? title, string? text, CaseAction? action, int? categoryId)
    {
        Title = Text = "";
        Set(title, text, action, categoryId);
        IsActive = true;
    }

    public string Title { get; private set; }
    public string Text { get; private set; }
    public CaseAction Action { get; private set; }
    /// <summary>The minor class the template is offered for; null: every class.</summary>
    public int? CategoryId { get; private set; }
    public bool IsActive { get; private set; }

    /// <summary>Optimistic concurrency token (PostgreSQL xmin): an administrator's edit carries the version they saw.</summary>
    public uint Version { get; private set; }

    public void Edit(string? title, string? text, CaseAction? action, int? categoryId) => Set(title, text, action, categoryId);

    /// <summary>停用: no longer offered on the forms; kept, and may be activated again.</summary>
    public void Retire() => IsActive = false;

    public void Activate() => IsActive = true;

    private void Set(string? title, string? text, CaseAction? action, int? categoryId)
    {
        // Before anything else: PostgreSQL refuses a NUL, and a title is one line.
        if (title is not null && title.Any(char.IsControl))
        {
            throw new DomainException("template.title-control", "标题含有不可见的控制字符，请删除后重试") { Field = DomainFields.TemplateTitle.Name };
        }
        if (text is not null && text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            throw new DomainException("template.text-control", "模板内容含有不可见的控制字符，请删除后重试") { Field = DomainFields.TemplateText.Name };
        }
        var trimmedTitle = title?.Trim();
        if (string.IsNullOrEmpty(trimmedTitle))
        {
            throw new DomainException("template.title-required", "请填写模板标题") { Field = DomainFields.TemplateTitle.Name };
        }
        if (trimmedTitle.Length > TitleMaxLength)
        {
            throw new DomainException("template.title-too-long", $"模板标题不能超过{TitleMaxLength}个字") { Field = DomainFields.TemplateTitle.Name, Arguments = [TitleMaxLength] };
        }
        var trimmedText = text?.Trim();
        if (string.IsNullOrEmpty(trimmedText))
        {
            throw new DomainException("template.text-required", "请填写模板内容") { Field = DomainFields.TemplateText.Name };
        }
        if (trimmedText.Length > TextMaxLength)
        {
            throw new DomainException("template.text-too-long", $"模板内容不能超过{TextMaxLength}个字") { Field = DomainFields.TemplateText.Name, Arguments = [TextMaxLength] };
        }
        if (action is not { } chosen || !Actions.Contains(chosen))
        {
            throw new DomainException("template.action", "请选择模板用于哪项办理操作（须是填写意见、理由或结果的操作）") { Field = DomainFields.TemplateAction.Name };
        }
        Title = trimmedTitle;
        Text = trimmedText;
        Action = chosen;
        CategoryId = categoryId;
    }
}
