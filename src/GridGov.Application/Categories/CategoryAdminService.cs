using System.Globalization;
using GridGov.Application.Common;
using GridGov.Domain.Calendar;
using GridGov.Domain.Cases;
using GridGov.Domain.Categories;
using GridGov.Domain.Common;
using GridGov.Domain.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace GridGov.Application.Categories;

/// <summary>
/// The administrator's edits of a minor class (小类): name, filing standard (立案标准), default department (定责), time
/// limits per stage and the active flag. Each edit carries the version the administrator saw; one made on an older version
/// (or racing another save) is refused naming who changed the class last and when, and nothing is written. The save is
/// audited like any other (the database context records it, time limits included). A class is retired, never deleted:
/// its cases keep it. New time limits apply to deadlines set after the save; deadlines already set stay as they were.
/// </summary>
public sealed partial class CategoryAdminService(IGridGovDbContext db, ILogger<CategoryAdminService> logger)
{
    public const string StaleCode = "category.stale";
    public const string StaleUnknownCode = "category.stale-unknown";

    public static bool IsStale(DomainException exception) => exception.Code is StaleCode or StaleUnknownCode;

    public static void RequireAdministrator(CaseActor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.Role != StaffRole.Administrator)
        {
            throw new DomainException("category.admin-only", "只有系统管理员可以查看和修改案件类别");
        }
    }

    /// <param name="version">The <see cref="Category.Version"/> the administrator saw.</param>
    public async Task UpdateAsync(int categoryId, uint version, CategoryEdit input, CaseActor actor, CancellationToken cancellationToken = default)
    {
        RequireAdministrator(actor);
        ArgumentNullException.ThrowIfNull(input);
        var category = await db.Categories.SingleOrDefaultAsync(c => c.Id == categoryId, cancellationToken)
            ?? throw new DomainException("category.edit-not-found", "该案件类别不存在");
        if (category.Version != version)
        {
            LogStaleEdit(categoryId, version, category.Version);
            throw await StaleAsync(categoryId, cancellationToken);
        }

        // Before any query sees them: PostgreSQL refuses a NUL in text.
        if (HasControlCharacters(input.Name))
        {
            throw new DomainException("category.name-control", "小类名称含有不可见的控制字符，请删除后重试");
        }
        if (HasControlCharacters(input.FilingStandard))
        {
            throw new DomainException("category.filing-control", "立案标准含有不可见的控制字符，请删除后重试");
        }
        var name = RequireText(input.Name, Category.NameMaxLength, "category.name-required", "请填写小类名称", "category.name-too-long", "小类名称");
        var filingStandard = RequireText(input.FilingStandard, Category.FilingStandardMaxLength, "category.filing-required", "请填写立案标准",
            "category.filing-too-long", "立案标准");
        if (input.DefaultDepartmentId is not { } departmentId)
        {
            throw new DomainException("category.department-required", "请选择默认处置部门");
        }
        if (!await db.Departments.AnyAsync(d => d.Id == departmentId, cancellationToken))
        {
            throw new DomainException("category.department-not-found", "所选部门不存在，请重新选择");
        }
        var limits = new StageLimits(
            StageLimitBounds.Limit(input.Register.Amount, input.Register.Unit, "category.limit-register", "立案时限"),
            StageLimitBounds.Limit(input.Dispatch.Amount, input.Dispatch.Unit, "category.limit-dispatch", "派遣时限"),
            StageLimitBounds.Limit(input.Handle.Amount, input.Handle.Unit, "category.limit-handle", "处置时限"),
            StageLimitBounds.Limit(input.Verify.Amount, input.Verify.Unit, "category.limit-verify", "核查时限"),
            StageLimitBounds.Limit(input.UrgentHandle.Amount, input.UrgentHandle.Unit, "category.limit-urgent", "紧急处置时限"));
        if (await db.Categories.AnyAsync(c => c.MajorId == category.MajorId && c.Id != categoryId && c.Name == name, cancellationToken))
        {
            var major = await db.CategoryMajors.Where(m => m.Id == category.MajorId).Select(m => m.Name).SingleAsync(cancellationToken);
            throw new DomainException("category.name-taken", $"大类「{major}」下已有名为「{name}」的小类，请换一个名称") { Arguments = [major, name] };
        }

        category.Update(name, filingStandard, departmentId, limits, input.IsActive);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            LogStaleSave(categoryId);
            throw await StaleAsync(categoryId, cancellationToken);
        }
        LogUpdated(category.Code, actor.Name, category.IsActive);
    }

    /// <summary>Trimmed; control characters are the domain's refusal (<see cref="Category.Update(string, string, int, StageLimits, bool)"/>).</summary>
    private static string RequireText(string? value, int maxLength, string requiredCode, string requiredMessage, string tooLongCode, string field)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            throw new DomainException(requiredCode, requiredMessage);
        }
        return trimmed.Length > maxLength ? throw new DomainException(tooLongCode, $"{field}不能超过{maxLength}个字") : trimmed;
    }

    /// <summary>Names who changed the class last and when (China time), from the audit log.</summary>
    private async Task<DomainException> StaleAsync(int categoryId, CancellationToken cancellationToken)
    {
        var key = categoryId.ToString(CultureInfo.InvariantCulture);
        var last = await db.AuditEntries.AsNoTracking()
            .Where(e => e.EntityType == nameof(Category) && e.EntityId == key)
            .OrderByDescending(e => e.Id) // the last one written
            .Select(e => new { e.ActorName, e.ActorUserName, e.At })
            .FirstOrDefaultAsync(cancellationToken);
        if (last is null)
        {
            return new DomainException(StaleUnknownCode, "该案件类别已被他人修改，本次保存未生效；请查看最新内容后重新修改");
        }
        var who = last.ActorUserName is { Length: > 0 } userName && userName != last.ActorName ? $"{last.ActorName}（{userName}）" : last.ActorName;
        var when = WorkingCalendar.ToChinaTime(last.At).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        return new DomainException(StaleCode, $"该案件类别已被{who}于{when}修改，本次保存未生效；请查看最新内容后重新修改") { Arguments = [who, when] };
    }

    private static bool HasControlCharacters(string? text) => text is not null && text.Any(c => char.IsControl(c) && c is not ('\t' or '\n' or '\r'));

    [LoggerMessage(Level = LogLevel.Information, Message = "Category {CategoryCode} updated by {Actor}; active {IsActive}")]
    private partial void LogUpdated(string categoryCode, string actor, bool isActive);

    [LoggerMessage(Level = LogLevel.Information, Message = "Category {CategoryId} edit refused: version {Seen} seen, {Current} current")]
    private partial void LogStaleEdit(int categoryId, uint seen, uint current);

    [LoggerMessage(Level = LogLevel.Information, Message = "Category {CategoryId} save refused: changed by someone else meanwhile")]
    private partial void LogStaleSave(int categoryId);
}
