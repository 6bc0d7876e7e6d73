using GridGov.Application.Common;
using GridGov.Domain.Common;
using GridGov.Domain.Hotline;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace GridGov.Application.Hotline;

/// <summary>The minor class an order goes to, and whether a mapping knew its code (false: the default class, for the dispatcher to decide).</summary>
public sealed record HotlineCategoryChoice(int CategoryId, string CategoryCode, string CategoryName, bool Mapped);

/// <summary>One row of the mapping as the administrator sees it.</summary>
public sealed record HotlineMappingRow(string HotlineCode, string? Note, string CategoryCode, string CategoryName, bool CategoryActive);

/// <summary>The whole mapping: the administrator's rows, the rule for other codes, and the default class.</summary>
public sealed record HotlineMappingView(IReadOnlyList<HotlineMappingRow> Rows, string? DefaultCategoryCode, string? DefaultCategoryName);

/// <summary>
/// Hotline category code → the street's minor class. In order: the administrator's mapping (hotline_category_mappings); else
/// a minor class whose own code is the hotline's code (cities that adopted the digital urban management codes); else the
/// default class (<see cref="HotlineOptions.DefaultCategoryCode"/>, 意见建议 by default), where the order reaches the dispatcher
/// marked as unmapped, to set the class at registration (立案 may change it). Only with no default class is an order refused.
/// </summary>
public sealed class HotlineCategories(IGridGovDbContext db, IOptions<HotlineOptions> options)
{
    public async Task<HotlineCategoryChoice> ChooseAsync(string hotlineCode, CancellationToken cancellationToken = default)
    {
        var code = hotlineCode.Trim();
        var mapped = await (from m in db.HotlineCategoryMappings.AsNoTracking()
                            join c in db.Categories.AsNoTracking() on m.CategoryId equals c.Id
                            where m.HotlineCode == code && c.IsActive
                            select new HotlineCategoryChoice(c.Id, c.Code, c.Name, true)).FirstOrDefaultAsync(cancellationToken);
        if (mapped is not null)
        {
            return mapped;
        }
        var own = await db.Categories.AsNoTracking().Where(c => c.Code == code && c.IsActive)
            .Select(c => new HotlineCategoryChoice(c.Id, c.Code, c.Name, true)).FirstOrDefaultAsync(cancellationToken);
        if (own is not null)
        {
            return own;
        }
        var fallback = options.Value.DefaultCategoryCode?.Trim();
        var byDefault = string.IsNullOrEmpty(fallback) ? null : await db.Categories.AsNoTracking().Where(c => c.Code == fallback && c.IsActive)
            .Select(c => new HotlineCategoryChoice(c.Id, c.Code, c.Name, false)).FirstOrDefaultAsync(cancellationToken);
        return byDefault ?? throw new DomainException("hotline.category-unmapped",
            $"热线分类代码“{code}”没有对应的本街道案件类别，且未配置默认类别，工单未接收") { Arguments = [code] };
    }

    public async Task<HotlineMappingView> ViewAsync(CancellationToken cancellationToken = default)
    {
        var rows = await (from m in db.HotlineCategoryMappings.AsNoTracking()
                          join c in db.Categories.AsNoTracking() on m.CategoryId equals c.Id
                          orderby m.HotlineCode
                          select new HotlineMappingRow(m.HotlineCode, m.Note, c.Code, c.Name, c.IsActive)).ToListAsync(cancellationToken);
        var fallback = options.Value.DefaultCategoryCode?.Trim();
        var name = string.IsNullOrEmpty(fallback) ? null
            : await db.Categories.AsNoTracking().Where(c => c.Code == fallback && c.IsActive).Select(c => c.Name).FirstOrDefaultAsync(cancellationToken);
        return new HotlineMappingView(rows, name is null ? null : fallback, name);
    }
}
