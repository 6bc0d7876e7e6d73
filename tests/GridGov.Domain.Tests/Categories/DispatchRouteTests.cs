using GridGov.Domain.Categories;
using GridGov.Domain.Common;

namespace GridGov.Domain.Tests.Categories;

/// <summary>A dispatch route's own rules (派遣规则): exactly one scope, and never to the class's default department.</summary>
public class DispatchRouteTests
{
    private const int DefaultDepartment = 7;

    private static readonly Category Disputes = new(new CategoryMajor("10", "社会治理", CategoryKind.Governance), "1001", "邻里纠纷", "邻里之间发生纠纷",
        DefaultDepartment, new StageLimits(TimeLimit.Minutes(30), TimeLimit.Minutes(30), TimeLimit.Days(3), TimeLimit.Days(1), TimeLimit.Days(1)));

    [Theory]
    [InlineData(null, null)]
    [InlineData(3, "320508001001001")]
    public void A_route_names_exactly_one_community_or_one_grid(int? communityId, string? gridCode)
    {
        var error = Assert.Throws<DomainException>(() => DispatchRoute.For(Disputes, 9, "综治办", communityId, gridCode));

        Assert.Equal("route.scope", error.Code);
        Assert.Equal(DomainFields.RouteScope.Name, error.Field);
        Assert.Equal("派遣规则必须且只能指定一个社区或一个网格", error.Message);
    }

    [Fact]
    public void A_route_to_the_default_department_is_refused_as_pointless_naming_that_department()
    {
        var error = Assert.Throws<DomainException>(() => DispatchRoute.For(Disputes, DefaultDepartment, "城管执法中队", 3, null));

        Assert.Equal("route.default-department", error.Code);
        Assert.Equal(DomainFields.RouteDepartment.Name, error.Field);
        Assert.Equal("该类别默认即派往城管执法中队，无需为此添加派遣规则；请选择其他部门", error.Message);
    }

    [Fact]
    public void A_route_to_another_department_for_one_grid_keeps_its_scope()
    {
        var route = DispatchRoute.For(Disputes, 9, "综治办", null, "320508001001001");

        Assert.Equal((9, (int?)null, "320508001001001"), (route.DepartmentId, route.CommunityId, route.GridCode));
    }
}
