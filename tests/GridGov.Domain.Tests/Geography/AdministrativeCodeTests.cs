using GridGov.Domain.Common;
using GridGov.Domain.Geography;

namespace GridGov.Domain.Tests.Geography;

public class AdministrativeCodeTests
{
    [Fact]
    public void Codes_build_down_the_hierarchy_as_in_the_statistical_standard()
    {
        var street = AdministrativeCode.StreetCode("320508", 19);
        var community = AdministrativeCode.CommunityCode(street, 44);
        var grid = AdministrativeCode.GridCode(community, 7);

        Assert.Equal("320508019", street);
        Assert.Equal("320508019044", community);
        Assert.Equal("320508019044007", grid);
        Assert.Equal(community, AdministrativeCode.CommunityCodeOf(grid));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    public void A_street_sequence_outside_001_to_099_is_refused(int sequence)
    {
        var exception = Assert.Throws<DomainException>(() => AdministrativeCode.StreetCode("320508", sequence));
        Assert.Contains("001至099", exception.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1000)]
    public void A_grid_sequence_outside_001_to_999_is_refused(int sequence)
    {
        Assert.Throws<DomainException>(() => AdministrativeCode.GridCode("320508019044", sequence));
    }

    [Theory]
    [InlineData("32050801904")]
    [InlineData("32050801904A")]
    public void A_malformed_community_code_is_refused(string communityCode)
    {
        var exception = Assert.Throws<DomainException>(() => AdministrativeCode.GridCode(communityCode, 1));
        Assert.Contains("12位数字", exception.Message);
    }
}
