using GridGov.Domain.Common;
using GridGov.Domain.Ledgers;

namespace GridGov.Domain.Tests.Ledgers;

public class ResidentTests
{
    [Fact]
    public void Sex_and_birth_date_are_derived_from_the_id_number()
    {
        var resident = new Resident(1, null, "王芳", IdNumber.Parse("11010519491231002X"), "13812345678", PopulationKind.Registered);

        Assert.Equal(Sex.Female, resident.Sex);
        Assert.Equal(new DateOnly(1949, 12, 31), resident.BirthDate);
    }

    [Theory]
    [InlineData("1381234567")]
    [InlineData("23812345678")]
    [InlineData("电话")]
    public void A_bad_phone_number_is_refused(string phone)
    {
        var exception = Assert.Throws<DomainException>(() =>
            new Resident(1, null, "王芳", IdNumber.Parse("11010519491231002X"), phone, PopulationKind.Registered));

        Assert.Contains("电话格式不正确", exception.Message);
    }

    [Fact]
    public void Tagging_twice_keeps_one_tag_and_sensitive_tags_are_flagged()
    {
        var resident = new Resident(1, null, "李强", IdNumber.Parse("440524198001010013"), null, PopulationKind.Floating);

        resident.Tag(ResidentGroup.PartyMember);
        resident.Tag(ResidentGroup.PartyMember);
        resident.Tag(ResidentGroup.CommunityCorrection);

        Assert.Equal([ResidentGroup.PartyMember, ResidentGroup.CommunityCorrection], resident.Groups);
        Assert.True(ResidentGroup.CommunityCorrection.IsSensitive());
        Assert.False(ResidentGroup.PartyMember.IsSensitive());
    }
}
