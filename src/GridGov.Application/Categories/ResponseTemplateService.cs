using System.Globalization;
using GridGov.Application.Common;
using GridGov.Domain.Calendar;
using GridGov.Domain.Cases;
using GridGov.Domain.Categories;
using GridGov.Domain.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace GridGov.Application.Categories;

/// <summary>A response template as the administrator's dialog sends it; <see cref="SubmissionId"/> makes a replayed create answer with the first.</summary>
public sealed record ResponseTemplateInput(string? Title, string? Text, CaseAction? Action, int? CategoryId, Guid? SubmissionId = null);

/// <summary>
/// The administrator's response templates (常用回复模板): created, edited, retired (停用) and activated again, never deleted.
/// The rules of a template are <see cref="ResponseTemplate"/>'s; a class named must exist. An edit or a retirement carries
/// the version the administrator saw: one made on an older version (or racing another save) is refused and writes
/// nothing. Every save is audited by the database context.
/// </summary>
public sealed partial class ResponseTemplateService(IGridGovDbContext db, TimeProvider clock, ILogger<ResponseTemplateService> logger)
{
    public const string StaleCode = "template.stale";
    public const string StaleUnknownCode = "template.stale-unknown";

    public static bool IsStale(DomainException exception) => exception.Code is StaleCode or StaleUnknownCode;

    /// <summary>Creates a template, active; returns its id (the first one's on a replay of the same form).</summary>
    public async Task<int> CreateAsync(ResponseTemplateInput input, CaseActor actor, CancellationToken cancellationToken = default)
    {
        CategoryAdminService.RequireAdministrator(actor);
        ArgumentNullException.ThrowIfNull(input);
        var author = SubmissionKeys.Staff(actor);
        if (await db.FirstResultAsync(author, SubmissionPurpose.ResponseTemplate, input.SubmissionId, cancellationToken) is { } first)
        {
            return int.Parse(first, CultureInfo.InvariantCulture);
        }
        var template = new ResponseTemplate(input.Title, input.Text, input.Action, input.CategoryId);
        await RequireCategoryAsync(input.CategoryId, cancellationToken);
        return await db.CreateOnceAsync(author, SubmissionPurpose.ResponseTemplate, input.SubmissionId, async () =>
        {
            await using var transaction = await db.BeginTransactionAsync(cancellationToken);
            db.ResponseTemplates.Add(template);
            await db.SaveChangesAsync(cancellationToken);
            db.Remember(author, SubmissionPurpose.ResponseTemplate, input.SubmissionId, template.Id, clock.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            LogCreated(template.Id, template.Action, actor.Name);
            return template.Id;
        }, raced => Task.FromResult(int.Parse(raced, CultureInfo.InvariantCulture)), cancellationToken);
    }

    /// <param name="version">The <see cref="ResponseTemplate.Version"/> the administrator saw.</param>
    public async Task UpdateAsync(int templateId, uint version, ResponseTemplateInput input, CaseActor actor, CancellationToken cancellationToken = default)
    {
        CategoryAdminService.RequireAdministrator(actor);
        ArgumentNullException.ThrowIfNull(input);
        var template = await CurrentAsync(templateId, version, cancellationToken);
        template.Edit(input.Title, input.Text, input.Action, input.CategoryId);
        await RequireCategoryAsync(input.CategoryId, cancellationToken);
        await SaveAsync(templateId, cancellationToken);
        LogUpdated(templateId, actor.Name);
    }

    /// <summary>Retires (停用) or activates a template; a retired one is no longer offered on the case forms.</summary>
    public async Task SetActiveAsync(int templateId, uint version, bool active, CaseActor actor, CancellationToken cancellationToken = default)
    {
        CategoryAdminService.RequireAdministrator(actor);
        var template = await CurrentAsync(templateId, version, cancellationToken);
        if (active)
        {
            template.Activate();
        }
        else
        {
            template.Retire();
        }
        await SaveAsync(templateId, cancellationToken);
        LogActive(templateId, active, actor.Name);
    }

    private async Task<ResponseTemplate> CurrentAsync(int templateId, uint version, CancellationToken cancellationToken)
    {
        var template = await db.ResponseTemplates.SingleOrDefaultAsync(t => t.Id == templateId, cancellationToken)
            ?? throw new DomainException("template.not-found", "该模板不存在，请刷新页面");
        return template.Version == version ? template : throw await StaleAsync(templateId, cancellationToken);
    }

    private async Task SaveAsync(int templateId, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            LogStaleSave(templateId);
            throw await StaleAsync(templateId, cancellationToken);
        }
    }

    private async Task RequireCategoryAsync(int? categoryId, CancellationToken cancellationToken)
    {
        if (categoryId is { } id && !await db.Categories.AnyAsync(c => c.Id == id, cancellationToken))
        {
            throw new DomainException("template.category-not-found", "所选案件类别不存在，请重新选择") { Field = DomainFields.TemplateCategory.Name };
        }
    }

    /// <summary>Names who changed the template last and when (China time), from the audit log.</summary>
    private async Task<DomainException> StaleAsync(int templateId, CancellationToken cancellationToken)
    {
        var key = templateId.ToString(CultureInfo.InvariantCulture);
        var last = await db.AuditEntries.AsNoTracking()
            .Where(e => e.EntityType == nameof(ResponseTemplate) && e.EntityId == key)
            .OrderByDescending(e => e.Id)
            .Select(e => new { e.ActorName, e.ActorUserName, e.At })
            .FirstOrDefaultAsync(cancellationToken);
        if (last is null)
        {
            return new DomainException(StaleUnknownCode, "该模板已被他人修改，本次保存未生效；请查看最新内容后重新修改");
        }
        var who = last.ActorUserName is { Length: > 0 } userName && userName != last.ActorName ? $"{last.ActorName}（{userName}）" : last.ActorName;
        var when = WorkingCalendar.ToChinaTime(last.At).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        return new DomainException(StaleCode, $"该模板已被{who}于{when}修改，本次保存未生效；请查看最新内容后重新修改") { Arguments = [who, when] };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Response template {TemplateId} for {Action} created by {Actor}")]
    private partial void LogCreated(int templateId, CaseAction action, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Response template {TemplateId} updated by {Actor}")]
    private partial void LogUpdated(int templateId, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Response template {TemplateId} active {IsActive} by {Actor}")]
    private partial void LogActive(int templateId, bool isActive, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Response template {TemplateId} save refused: changed by someone else meanwhile")]
    private partial void LogStaleSave(int templateId);
}
