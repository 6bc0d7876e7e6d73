using GridGov.Domain.Common;

namespace GridGov.Domain.Categories;

/// <summary>
/// 定责 override: cases of a category in one community (or one grid) go to another department than the
/// category's default, e.g. disputes to the community's own committee first. A grid's route wins over its community's,
/// which wins over the category's default department.
/// </summary>
public class DispatchRoute : Entity
{
    private DispatchRoute()
    {
    }

    public DispatchRoute(int categoryId, int departmentId, int? communityId, string? gridCode)
    {
        if ((communityId is null) == (gridCode is null))
        {
            throw new DomainException("route.scope", "派遣规则必须且只能指定一个社区或一个网格") { Field = DomainFields.RouteScope.Name };
        }
        CategoryId = categoryId;
        DepartmentId = departmentId;
        CommunityId = communityId;
        GridCode = gridCode;
    }

    /// <summary>
    /// A route an administrator adds to <paramref name="category"/>: one to the category's own default department would
    /// change nothing, so it is refused (naming that department) rather than kept as a pointless rule.
    /// </summary>
    public static DispatchRoute For(Category category, int departmentId, string departmentName, int? communityId, string? gridCode)
    {
        ArgumentNullException.ThrowIfNull(category);
        var route = new DispatchRoute(category.Id, departmentId, communityId, gridCode);
        if (departmentId == category.DefaultDepartmentId)
        {
            throw new DomainException("route.default-department", $"该类别默认即派往{departmentName}，无需为此添加派遣规则；请选择其他部门")
            {
                Field = DomainFields.RouteDepartment.Name,
                Arguments = [departmentName],
            };
        }
        return route;
    }

    public int CategoryId { get; private set; }
    public int DepartmentId { get; private set; }
    public int? CommunityId { get; private set; }
    public string? GridCode { get; private set; }
}
