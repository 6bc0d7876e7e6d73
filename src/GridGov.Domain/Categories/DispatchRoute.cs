using GridGov.Domain.Common;

namespace GridGov.Domain.Categories;

/// <summary>
/// 定责 override: cases of a category in one community (or one grid) go to another department than the
/// category's default, e.g. disputes to the community's own committee first.
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
            throw new DomainException("route.scope", "派遣规则必须且只能指定一个社区或一个网格");
        }
        CategoryId = categoryId;
        DepartmentId = departmentId;
        CommunityId = communityId;
        GridCode = gridCode;
    }

    public int CategoryId { get; private set; }
    public int DepartmentId { get; private set; }
    public int? CommunityId { get; private set; }
    public string? GridCode { get; private set; }
}
