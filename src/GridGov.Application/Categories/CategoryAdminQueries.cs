using GridGov.Application.Common;
using GridGov.Domain.Cases;
using GridGov.Domain.Categories;
using GridGov.Domain.Common;
using GridGov.Domain.Organisation;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Application.Categories;

/// <summary>A stage's time limit as the editor shows and sends it (amount in its unit).</summary>
public sealed record StageLimitInput(int? Amount, TimeUnit Unit)
{
    public static StageLimitInput From(TimeLimit limit) => new(limit.Amount, limit.Unit);
}

/// <summary>What an administrator may change on a minor class (小类).</summary>
public sealed record CategoryEdit(
    string? Name,
    string? FilingStandard,
    int? DefaultDepartmentId,
    StageLimitInput Register,
    StageLimitInput Dispatch,
    StageLimitInput Handle,
    StageLimitInput Verify,
    StageLimitInput UrgentHandle,
    bool IsActive);

public sealed record CategoryRow(
    int Id,
    string Code,
    string Name,
    string MajorCode,
    string MajorName,
    string DepartmentName,
    StageLimitInput Handle,
    StageLimitInput UrgentHandle,
    bool IsActive,
    int CaseCount);

public sealed record CategoryPage(IReadOnlyList<CategoryRow> Rows, int Count);

public sealed record CategoryMajorChoice(int Id, string Code, string Name);

public sealed record CategoryDepartmentChoice(int Id, string Name);

/// <summary>The editor's view of one minor class: its values, the version shown, how many cases use it, the choices.</summary>
public sealed record CategoryEditView(
    int Id,
    string Code,
    string MajorCode,
    string MajorName,
    uint Version,
    CategoryEdit Values,
    int CaseCount,
    int OpenCaseCount,
    IReadOnlyList<CategoryDepartmentChoice> Departments,
    DispatchRoutesView Routes);

/// <summary>One dispatch route (派遣规则) of a class: its scope by name (a community, or a grid with its community) and department.</summary>
public sealed record DispatchRouteRow(int Id, int? CommunityId, string? GridCode, string ScopeName, string DepartmentName);

/// <summary>A community or a grid an administrator may route a class's cases from.</summary>
public sealed record RouteScopeChoice(int? CommunityId, string? GridCode, string Name);

/// <summary>The class's routes and what a new one may name: the communities and the grids in use.</summary>
public sealed record DispatchRoutesView(IReadOnlyList<DispatchRouteRow> Rows, IReadOnlyList<RouteScopeChoice> Communities, IReadOnlyList<RouteScopeChoice> Grids);

public enum CategorySort
{
    Code,
    Name,
    Department,
    Cases,
}

/// <summary>The category list's filter, sort and page (the grid's server data).</summary>
public sealed record CategoryListFilter(string? Search = null, int? MajorId = null, bool IncludeRetired = true,
    CategorySort Sort = CategorySort.Code, bool Descending = false, int Skip = 0, int Take = 50);

/// <summary>The administrator's category pages (案件类别): the list of minor classes and one class for editing. Administrators only.</summary>
public sealed class CategoryAdminQueries(IGridGovDbContext db)
{
    public const int MaxPageSize = 100;
    public const int SearchMaxLength = 40;

    public async Task<CategoryPage> PageAsync(CaseActor viewer, CategoryListFilter filter, CancellationToken cancellationToken = default)
    {
        CategoryAdminService.RequireAdministrator(viewer);
        var query = db.Categories.AsNoTracking();
        if (filter.MajorId is { } majorId)
        {
            query = query.Where(c => c.MajorId == majorId);
        }
        if (!filter.IncludeRetired)
        {
            query = query.Where(c => c.IsActive);
        }
        if (Search(filter.Search) is { } search)
        {
            query = query.Where(c => c.Name.Contains(search) || c.Code.StartsWith(search));
        }
        var rows = query
            .Join(db.CategoryMajors, c => c.MajorId, m => m.Id, (c, m) => new { Category = c, Major = m })
            .Join(db.Departments, x => x.Category.DefaultDepartmentId, d => d.Id, (x, d) => new
            {
                x.Category.Id,
                x.Category.Code,
                x.Category.Name,
                MajorCode = x.Major.Code,
                MajorName = x.Major.Name,
                DepartmentName = d.Name,
                HandleAmount = x.Category.Limits.Handle.Amount,
                HandleUnit = x.Category.Limits.Handle.Unit,
                UrgentAmount = x.Category.Limits.UrgentHandle.Amount,
                UrgentUnit = x.Category.Limits.UrgentHandle.Unit,
                x.Category.IsActive,
                CaseCount = db.Cases.Count(k => k.CategoryId == x.Category.Id),
            });
        var count = await rows.CountAsync(cancellationToken);
        rows = (filter.Sort, filter.Descending) switch
        {
            (CategorySort.Name, false) => rows.OrderBy(r => r.Name).ThenBy(r => r.Code),
            (CategorySort.Name, true) => rows.OrderByDescending(r => r.Name).ThenBy(r => r.Code),
            (CategorySort.Department, false) => rows.OrderBy(r => r.DepartmentName).ThenBy(r => r.Code),
            (CategorySort.Department, true) => rows.OrderByDescending(r => r.DepartmentName).ThenBy(r => r.Code),
            (CategorySort.Cases, false) => rows.OrderBy(r => r.CaseCount).ThenBy(r => r.Code),
            (CategorySort.Cases, true) => rows.OrderByDescending(r => r.CaseCount).ThenBy(r => r.Code),
            (_, true) => rows.OrderByDescending(r => r.Code),
            _ => rows.OrderBy(r => r.Code),
        };
        var page = await rows.Skip(Math.Max(0, filter.Skip)).Take(Math.Clamp(filter.Take, 1, MaxPageSize)).ToListAsync(cancellationToken);
        return new CategoryPage(page.Select(r => new CategoryRow(r.Id, r.Code, r.Name, r.MajorCode, r.MajorName, r.DepartmentName,
            new StageLimitInput(r.HandleAmount, r.HandleUnit), new StageLimitInput(r.UrgentAmount, r.UrgentUnit), r.IsActive, r.CaseCount)).ToList(), count);
    }

    public async Task<IReadOnlyList<CategoryMajorChoice>> MajorsAsync(CaseActor viewer, CancellationToken cancellationToken = default)
    {
        CategoryAdminService.RequireAdministrator(viewer);
        return await db.CategoryMajors.AsNoTracking().OrderBy(m => m.Code).Select(m => new CategoryMajorChoice(m.Id, m.Code, m.Name)).ToListAsync(cancellationToken);
    }

    /// <summary>One minor class for editing; null when there is none.</summary>
    public async Task<CategoryEditView?> EditAsync(CaseActor viewer, int id, CancellationToken cancellationToken = default)
    {
        CategoryAdminService.RequireAdministrator(viewer);
        var category = await db.Categories.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (category is null)
        {
            return null;
        }
        var major = await db.CategoryMajors.AsNoTracking().SingleAsync(m => m.Id == category.MajorId, cancellationToken);
        var cases = await db.Cases.Where(c => c.CategoryId == id).CountAsync(cancellationToken);
        var open = await db.Cases.Where(c => c.CategoryId == id && c.State != CaseState.Rejected && c.State != CaseState.Merged
                && c.State != CaseState.Archived && c.State != CaseState.Voided)
            .CountAsync(cancellationToken);
        var departments = await db.Departments.AsNoTracking().OrderBy(d => d.Code).Select(d => new CategoryDepartmentChoice(d.Id, d.Name)).ToListAsync(cancellationToken);
        var routes = await RoutesAsync(viewer, id, cancellationToken);
        var l = category.Limits;
        return new CategoryEditView(category.Id, category.Code, major.Code, major.Name, category.Version,
            new CategoryEdit(category.Name, category.FilingStandard, category.DefaultDepartmentId, StageLimitInput.From(l.Register), StageLimitInput.From(l.Dispatch),
                StageLimitInput.From(l.Handle), StageLimitInput.From(l.Verify), StageLimitInput.From(l.UrgentHandle), category.IsActive),
            cases, open, departments, routes);
    }

    /// <summary>The class's dispatch routes (communities first, then grids, by code) and the scopes a new route may name.</summary>
    public async Task<DispatchRoutesView> RoutesAsync(CaseActor viewer, int categoryId, CancellationToken cancellationToken = default)
    {
        CategoryAdminService.RequireAdministrator(viewer);
        var communities = await db.Communities.AsNoTracking().OrderBy(c => c.Code)
            .Select(c => new RouteScopeChoice(c.Id, null, c.Name)).ToListAsync(cancellationToken);
        var grids = await db.Grids.AsNoTracking().Where(g => g.ValidTo == null).OrderBy(g => g.Code)
            .Select(g => new RouteScopeChoice(null, g.Code, g.Community!.Name + " · " + g.Name)).ToListAsync(cancellationToken);
        var rows = await db.DispatchRoutes.AsNoTracking().Where(r => r.CategoryId == categoryId)
            .Join(db.Departments, r => r.DepartmentId, d => d.Id, (r, d) => new
            {
                r.Id,
                r.CommunityId,
                r.GridCode,
                Department = d.Name,
                Community = db.Communities.Where(c => c.Id == r.CommunityId).Select(c => c.Name).FirstOrDefault(),
                Grid = db.Grids.Where(g => g.Code == r.GridCode).Select(g => g.Community!.Name + " · " + g.Name).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        var routes = rows
            .OrderBy(r => r.GridCode is null ? 0 : 1)
            .ThenBy(r => r.Community ?? r.GridCode, StringComparer.Ordinal)
            .Select(r => new DispatchRouteRow(r.Id, r.CommunityId, r.GridCode, r.Community ?? r.Grid ?? r.GridCode ?? "", r.Department))
            .ToList();
        return new DispatchRoutesView(routes, communities, grids);
    }

    private static string? Search(string? text) =>
        SearchText.Clean(text) is { } cleaned ? cleaned.Length > SearchMaxLength ? cleaned[..SearchMaxLength] : cleaned : null;
}
