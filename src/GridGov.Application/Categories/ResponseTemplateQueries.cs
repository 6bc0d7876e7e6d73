using GridGov.Application.Common;
using GridGov.Domain.Cases;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Application.Categories;

public sealed record ResponseTemplateRow(int Id, string Title, string Text, CaseAction Action, int? CategoryId, string? CategoryName, bool IsActive, uint Version);

public sealed record ResponseTemplateCategoryChoice(int Id, string Name);

/// <summary>The list's filter: one action, one class (its own templates, not those for every class), retired ones or not.</summary>
public sealed record ResponseTemplateFilter(CaseAction? Action = null, int? CategoryId = null, bool IncludeRetired = true);

/// <summary>The templates matching the filter (at most <see cref="ResponseTemplateQueries.MaxRows"/>), how many match, and the classes to choose from.</summary>
public sealed record ResponseTemplatesView(IReadOnlyList<ResponseTemplateRow> Rows, int Count, IReadOnlyList<ResponseTemplateCategoryChoice> Categories);

/// <summary>The administrator's list of response templates (常用回复模板). Administrators only.</summary>
public sealed class ResponseTemplateQueries(IGridGovDbContext db)
{
    public const int MaxRows = 200;

    public async Task<ResponseTemplatesView> ListAsync(CaseActor viewer, ResponseTemplateFilter filter, CancellationToken cancellationToken = default)
    {
        CategoryAdminService.RequireAdministrator(viewer);
        ArgumentNullException.ThrowIfNull(filter);
        var query = db.ResponseTemplates.AsNoTracking();
        if (filter.Action is { } action)
        {
            query = query.Where(t => t.Action == action);
        }
        if (filter.CategoryId is { } categoryId)
        {
            query = query.Where(t => t.CategoryId == categoryId);
        }
        if (!filter.IncludeRetired)
        {
            query = query.Where(t => t.IsActive);
        }
        var count = await query.CountAsync(cancellationToken);
        var rows = await query
            .OrderByDescending(t => t.IsActive).ThenBy(t => t.Action).ThenBy(t => t.Title).ThenBy(t => t.Id)
            .Take(MaxRows)
            .Select(t => new ResponseTemplateRow(t.Id, t.Title, t.Text, t.Action, t.CategoryId,
                db.Categories.Where(c => c.Id == t.CategoryId).Select(c => c.Code + " " + c.Name).FirstOrDefault(), t.IsActive, t.Version))
            .ToListAsync(cancellationToken);
        var categories = await db.Categories.AsNoTracking().OrderBy(c => c.Code)
            .Select(c => new ResponseTemplateCategoryChoice(c.Id, c.Code + " " + c.Name)).ToListAsync(cancellationToken);
        return new ResponseTemplatesView(rows, count, categories);
    }
}
