using GridGov.Domain.Common;
using GridGov.Domain.Ledgers;

namespace GridGov.Domain.Tests.Ledgers;

public class LedgerEditTests
{
    private static Resident NewResident(int? householdId = null) =>
        new(1, householdId, "王芳", IdNumber.Parse("11010519491231002X"), "13812345678", PopulationKind.Registered);

    [Theory]
    [InlineData("12345")]
    [InlineData("2381234567")]
    [InlineData("138-1234-5678x")]
    public void A_malformed_phone_is_refused_and_the_old_one_kept(string phone)
    {
        var resident = NewResident();

        var refusal = Assert.Throws<DomainException>(() => resident.ChangePhone(phone));

        Assert.Equal("phone.invalid", refusal.Code);
        Assert.Contains("11位手机号", refusal.Message);
        Assert.Equal("13812345678", resident.Phone);
    }

    [Fact]
    public void An_empty_phone_clears_it_and_a_landline_is_accepted()
    {
        var resident = NewResident();

        resident.ChangePhone("  ");
        Assert.Null(resident.Phone);
        resident.ChangePhone(" 0512-65432100 ");
        Assert.Equal("0512-65432100", resident.Phone);
    }

    [Fact]
    public void Moving_into_a_household_takes_its_grid()
    {
        var resident = NewResident();
        var household = new Household(7, null, "云帆街道某小区1幢101", "1单元101", HouseholdKind.Rental);

        resident.MoveToHousehold(household);

        Assert.Equal(household.Id, resident.HouseholdId);
        Assert.Equal(7, resident.GridId);
    }

    [Fact]
    public void Moving_into_the_same_household_or_a_removed_one_is_refused()
    {
        var household = new Household(7, null, "云帆街道某小区1幢101", "1单元101", HouseholdKind.Rental);
        var member = NewResident(householdId: household.Id);
        var removed = new Household(8, null, "云帆街道某小区2幢101", "1单元101", HouseholdKind.Separated);
        removed.Remove("全户已迁出", DateTimeOffset.UnixEpoch);

        Assert.Equal("resident.same-household", Assert.Throws<DomainException>(() => member.MoveToHousehold(household)).Code);
        Assert.Equal("resident.target-household-removed", Assert.Throws<DomainException>(() => NewResident().MoveToHousehold(removed)).Code);
    }

    [Fact]
    public void A_removed_resident_cannot_be_changed_and_a_removal_needs_a_reason()
    {
        var resident = NewResident();

        Assert.Equal("text.required", Assert.Throws<DomainException>(() => resident.Remove(" ", DateTimeOffset.UnixEpoch)).Code);
        resident.Remove("已死亡", DateTimeOffset.UnixEpoch);

        Assert.Equal("ledger.removed", Assert.Throws<DomainException>(() => resident.ChangePhone("13900000000")).Code);
        Assert.Equal("ledger.removed", Assert.Throws<DomainException>(() => resident.SetPopulationKind(PopulationKind.Floating)).Code);
        Assert.Equal("13812345678", resident.Phone);
    }

    [Fact]
    public void A_household_kind_and_address_change_with_required_fields()
    {
        var household = new Household(7, null, "云帆街道某小区1幢101", "1单元101", HouseholdKind.RegisteredAndResident);

        household.ChangeKind(HouseholdKind.Separated);
        household.ChangeAddress(" 云帆街道某小区1幢102 ", "1单元102");

        Assert.Equal(HouseholdKind.Separated, household.Kind);
        Assert.Equal("云帆街道某小区1幢102", household.Address);
        Assert.Contains("房号", Assert.Throws<DomainException>(() => household.ChangeAddress("云帆街道某小区1幢102", "")).Message);
        Assert.Equal("household.kind", Assert.Throws<DomainException>(() => household.ChangeKind((HouseholdKind)9)).Code);
    }

    [Fact]
    public void A_unit_cannot_shrink_below_its_party_members()
    {
        var unit = new Unit(1, "某科技公司", UnitKind.Enterprise, "云帆街道某路1号", Locations.Point(120.6, 31.3), 20, "李四", "13800001111");
        unit.SetParty(true, 5);

        var refusal = Assert.Throws<DomainException>(() => unit.Update("某科技公司", UnitKind.Enterprise, "云帆街道某路1号", 4, "李四", "13800001111"));

        Assert.Equal("unit.party-members", refusal.Code);
        Assert.Equal(20, unit.EmployeeCount);
        unit.Update("某科技有限公司", UnitKind.Enterprise, "云帆街道某路2号", 8, "李四", "0512-65000000");
        Assert.Equal(8, unit.EmployeeCount);
        Assert.Equal("0512-65000000", unit.ContactPhone);
    }

    [Fact]
    public void Only_a_shop_is_a_five_small_shop_and_a_shop_that_becomes_another_kind_loses_the_mark()
    {
        var enterprise = new Unit(1, "某科技公司", UnitKind.Enterprise, "云帆街道某路1号", Locations.Point(120.6, 31.3), 20, "李四", "13800001111");
        var refusal = Assert.Throws<DomainException>(() => enterprise.SetSmallVenue(true));
        Assert.Equal(("unit.small-venue-kind", DomainFields.SmallVenue.Name), (refusal.Code, refusal.Field));
        Assert.False(enterprise.IsSmallVenue);

        var shop = new Unit(1, "王记面馆", UnitKind.Shop, "云帆街道某路2号", Locations.Point(120.6, 31.3), 3, "王五", "13800002222");
        shop.SetSmallVenue(true);
        Assert.True(shop.IsSmallVenue);
        shop.Update("王记面馆", UnitKind.Shop, "云帆街道某路2号", 4, "王五", "13800002222");
        Assert.True(shop.IsSmallVenue);
        shop.Update("王记餐饮管理有限公司", UnitKind.Enterprise, "云帆街道某路2号", 4, "王五", "13800002222");
        Assert.False(shop.IsSmallVenue);
    }

    [Fact]
    public void Reclassifying_a_component_rebuilds_its_code_from_the_same_division()
    {
        var component = new Component(1, "320508", ComponentClass.PublicUtilities, 1, 1, "上水井盖", Locations.Point(120.6, 31.3), 3);

        component.Reclassify(ComponentClass.RoadTraffic, 12, 345);

        Assert.Equal("3205080212000345", component.Code);
        Assert.Equal(ComponentClass.RoadTraffic, component.MajorClass);
        Assert.Equal(345, component.Serial);
        Assert.Equal("320508", component.DivisionCode);
        Assert.Equal("component.code", Assert.Throws<DomainException>(() => component.Reclassify(ComponentClass.RoadTraffic, 100, 1)).Code);
    }
}
