using System.Data.Common;
using System.Globalization;
using GridGov.Application.Common;
using GridGov.Domain.Cases;
using GridGov.Domain.Categories;
using GridGov.Domain.Common;
using GridGov.Domain.Geography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace GridGov.Application.Categories;

/// <summary>
/// A dispatch route (派遣规则) as the category editor sends it: one scope (a community or a grid), the department, and the
/// form's submission id (a replay answers with the first route).
/// </summary>
public sealed record DispatchRouteInput(int? CommunityId, string? GridCode, int? DepartmentId, Guid? SubmissionId = null);

/// <summary>
/// The administrator's dispatch routes (派遣规则 / 定责例外) of a minor class: cases of the class in one community or one grid
/// are suggested to another department than the class's default (<see cref="CaseWorkflowService"/>'s suggestion reads
/// them: grid route, then community route, then the default). Exactly one scope that exists, a department that exists and
/// is not the class's default, one route per class and scope (checked first; the unique index decides between two saves
/// racing, with the same message). Adding and removing are audited by the database context like the class's edits.
/// </summary>
public sealed partial class DispatchRouteService(IGridGovDbContext db, TimeProvider clock, ILogger<DispatchRouteService> logger)
{
    private const string UniqueViolation = "23505";

    /// <summary>Adds a route to the class; returns its id (the first route's on a replay of the same form).</summary>
    public async Task<int> AddAsync(int categoryId, DispatchRouteInput input, CaseActor actor, CancellationToken cancellationToken = default)
    {
        CategoryAdminService.RequireAdministrator(actor);
        ArgumentNullException.ThrowIfNull(input);
        var author = SubmissionKeys.Staff(actor);
        if (await db.FirstResultAsync(author, SubmissionPurpose.DispatchRoute, input.SubmissionId, cancellationToken) is { } first)
        {
            return int.Parse(first, CultureInfo.InvariantCulture);
        }
        var category = await db.Categories.AsNoTracking().SingleOrDefaultAsync(c => c.Id == categoryId, cancellationToken)
            ?? throw new DomainException("category.edit-not-found", "该案件类别不存在");

        if ((input.CommunityId is null) == (input.GridCode is null))
        {
            throw new DomainException("route.scope", "派遣规则必须且只能指定一个社区或一个网格") { Field = DomainFields.RouteScope.Name };
        }
        var scope = input.CommunityId is { } communityId
            ? await db.Communities.AsNoTracking().Where(c => c.Id == communityId).Select(c => c.Name).SingleOrDefaultAsync(cancellationToken)
              ?? throw new DomainException("route.community-not-found", "所选社区不存在，请重新选择") { Field = DomainFields.RouteScope.Name }
            : await GridNameAsync(input.GridCode!, cancellationToken);
        var gridCode = input.GridCode?.Trim();

        if (input.DepartmentId is not { } departmentId)
        {
            throw new DomainException("route.department-required", "请选择派遣部门") { Field = DomainFields.RouteDepartment.Name };
        }
        var department = await db.Departments.AsNoTracking().Where(d => d.Id == departmentId).Select(d => d.Name).SingleOrDefaultAsync(cancellationToken)
            ?? throw new DomainException("route.department-not-found", "所选部门不存在，请重新选择") { Field = DomainFields.RouteDepartment.Name };

        var route = DispatchRoute.For(category, departmentId, department, input.CommunityId, gridCode);
        if (await db.DispatchRoutes.AnyAsync(r => r.CategoryId == categoryId
                && (input.CommunityId != null ? r.CommunityId == input.CommunityId : r.GridCode == gridCode), cancellationToken))
        {
            throw Duplicate(scope);
        }

        try
        {
            await using (var transaction = await db.BeginTransactionAsync(cancellationToken))
            {
                db.DispatchRoutes.Add(route);
                await db.SaveChangesAsync(cancellationToken);
                db.Remember(author, SubmissionPurpose.DispatchRoute, input.SubmissionId, route.Id, clock.GetUtcNow());
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
        }
        catch (DbUpdateException exception) when (exception.InnerException is DbException { SqlState: UniqueViolation })
        {
            // The transaction is rolled back by now. The same form posted twice at once: answer with the first route, as a
            // replay would; otherwise someone else saved a route for this scope since the check above.
            if (await db.FirstResultAsync(author, SubmissionPurpose.DispatchRoute, input.SubmissionId, cancellationToken) is { } raced)
            {
                return int.Parse(raced, CultureInfo.InvariantCulture);
            }
            LogRaced(category.Code, scope);
            throw Duplicate(scope);
        }
        LogAdded(category.Code, scope, department, actor.Name);
        return route.Id;
    }

    /// <summary>Removes one of the class's routes: its cases are suggested to the next rule (the community's, or the default) from now on.</summary>
    public async Task RemoveAsync(int categoryId, int routeId, CaseActor actor, CancellationToken cancellationToken = default)
    {
        CategoryAdminService.RequireAdministrator(actor);
        var route = await db.DispatchRoutes.SingleOrDefaultAsync(r => r.Id == routeId && r.CategoryId == categoryId, cancellationToken)
            ?? throw new DomainException("route.not-found", "该派遣规则不存在或已被删除，请刷新页面");
        db.DispatchRoutes.Remove(route);
        await db.SaveChangesAsync(cancellationToken);
        LogRemoved(routeId, categoryId, actor.Name);
    }

    /// <summary>The grid's name; a code that cannot be one (wrong length, not digits) is not looked up.</summary>
    private async Task<string> GridNameAsync(string code, CancellationToken cancellationToken)
    {
        var trimmed = code.Trim();
        var name = trimmed.Length == AdministrativeCode.GridCodeLength && trimmed.All(char.IsAsciiDigit)
            ? await db.Grids.AsNoTracking().Where(g => g.Code == trimmed && g.ValidTo == null).Select(g => g.Name).SingleOrDefaultAsync(cancellationToken)
            : null;
        return name ?? throw new DomainException("route.grid-not-found", "所选网格不存在或已撤销，请重新选择") { Field = DomainFields.RouteScope.Name };
    }

    private static DomainException Duplicate(string scope) =>
        new("route.duplicate", $"该类别在「{scope}」已有派遣规则，不能重复添加；如需改派其他部门，请先删除原规则")
        {
            Field = DomainFields.RouteScope.Name,
            Arguments = [scope],
        };

    [LoggerMessage(Level = LogLevel.Information, Message = "Dispatch route of category {CategoryCode} for {Scope} to {Department} added by {Actor}")]
    private partial void LogAdded(string categoryCode, string scope, string department, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dispatch route of category {CategoryCode} for {Scope} refused: saved by someone else meanwhile")]
    private partial void LogRaced(string categoryCode, string scope);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dispatch route {RouteId} of category {CategoryId} removed by {Actor}")]
    private partial void LogRemoved(int routeId, int categoryId, string actor);
}
