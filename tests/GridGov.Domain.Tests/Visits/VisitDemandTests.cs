using GridGov.Domain.Common;
using GridGov.Domain.Visits;

namespace GridGov.Domain.Tests.Visits;

public sealed class VisitDemandTests
{
    private static readonly DateTimeOffset Created = new(2026, 11, 22, 9, 0, 0, TimeSpan.FromHours(8));

    private static VisitDemand Demand(int householdId = 7) =>
        new(householdId, FiveMustReason.FamilyCrisis, Created, Created.AddDays(VisitDemand.DefaultDueDays), caseId: null, "家中突发变故");

    private static Visit VisitOn(int householdId, DateTimeOffset at) => new(householdId, 1, 1, at, "已上门了解情况", null, null);

    [Fact]
    public void A_demand_due_before_it_was_made_is_refused()
    {
        var exception = Assert.Throws<DomainException>(() => new VisitDemand(1, FiveMustReason.PublicSecurity, Created, Created, null, null));
        Assert.Equal("visit-demand.due", exception.Code);
    }

    [Fact]
    public void A_visit_in_time_fulfils_the_demand_in_time()
    {
        var demand = Demand();

        demand.Fulfil(VisitOn(7, Created.AddDays(1)));

        Assert.False(demand.IsOpen);
        Assert.True(demand.WasFulfilledInTime());
        Assert.False(demand.IsOverdue(Created.AddDays(5)));
    }

    [Fact]
    public void A_late_visit_fulfils_the_demand_but_not_in_time()
    {
        var demand = Demand();
        Assert.True(demand.IsOverdue(Created.AddDays(3)));

        demand.Fulfil(VisitOn(7, Created.AddDays(3)));

        Assert.False(demand.IsOpen);
        Assert.False(demand.WasFulfilledInTime());
    }

    [Fact]
    public void A_visit_to_another_household_or_a_second_visit_cannot_fulfil_it()
    {
        var demand = Demand();

        Assert.Equal("visit-demand.household", Assert.Throws<DomainException>(() => demand.Fulfil(VisitOn(8, Created.AddHours(2)))).Code);
        demand.Fulfil(VisitOn(7, Created.AddHours(2)));
        Assert.Equal("visit-demand.fulfilled", Assert.Throws<DomainException>(() => demand.Fulfil(VisitOn(7, Created.AddHours(3)))).Code);
    }

    [Fact]
    public void Each_five_must_reason_has_a_chinese_name()
    {
        Assert.All(Enum.GetValues<FiveMustReason>(), reason => Assert.False(string.IsNullOrEmpty(reason.ChineseName())));
    }
}
