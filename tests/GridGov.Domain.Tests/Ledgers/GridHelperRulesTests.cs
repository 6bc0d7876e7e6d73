using GridGov.Domain.Common;
using GridGov.Domain.Ledgers;

namespace GridGov.Domain.Tests.Ledgers;

public sealed class GridHelperRulesTests
{
    private static readonly DateOnly Since = new(2025, 5, 1);

    [Fact]
    public void A_helper_is_trimmed_and_keeps_what_was_given()
    {
        var helper = new GridHelper(7, GridHelperRole.CompoundHead, " 周楼长 ", " 010-12345678 ", 42, "  ", "  负责3幢  ", Since);

        Assert.Equal(("周楼长", "010-12345678", 42, (string?)null, "负责3幢"), (helper.Name, helper.Phone, helper.ResidentId, helper.Coverage, helper.Note));
        Assert.Equal(Since, helper.Since);
    }

    [Theory]
    [InlineData("", "13900000001", "name", "text.required")]
    [InlineData("这个名字实在太长了这个名字实在太长了这个名字实在太长了这个名字实在太长了", "13900000001", "name", "text.too-long")]
    [InlineData("周", "1390000", "phone", "phone.invalid")]
    [InlineData("周", "  ", "phone", "text.required")]
    public void Bad_names_and_phones_are_refused_under_their_field(string name, string phone, string field, string code)
    {
        var refusal = Assert.Throws<DomainException>(() => new GridHelper(7, GridHelperRole.Volunteer, name, phone, null, null, null, Since));

        Assert.Equal((field, code), (refusal.Field, refusal.Code));
    }

    [Fact]
    public void An_unknown_part_is_refused_and_a_removed_helper_cannot_be_changed()
    {
        Assert.Equal("helper.role", Assert.Throws<DomainException>(() => new GridHelper(7, (GridHelperRole)99, "周", "13900000001", null, null, null, Since)).Code);

        var helper = new GridHelper(7, GridHelperRole.Volunteer, "周", "13900000001", null, null, null, Since);
        helper.Remove("不再担任", DateTimeOffset.UnixEpoch);
        Assert.Equal("ledger.removed",
            Assert.Throws<DomainException>(() => helper.Change(GridHelperRole.Liaison, "13900000002", null, null)).Code);
    }
}
