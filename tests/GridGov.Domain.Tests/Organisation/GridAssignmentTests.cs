using GridGov.Domain.Common;
using GridGov.Domain.Organisation;

namespace GridGov.Domain.Tests.Organisation;

/// <summary>实名落图 rules: who may take which duty, one leader at a time, dated periods kept as history.</summary>
public sealed class GridAssignmentTests
{
    private const string Grid = "320508019001001";
    private static readonly DateOnly Today = new(2026, 12, 7);

    private static StaffMember Person(StaffRole role) => new("张三", "13812345678", role, communityId: 1);

    private static GridAssignment Existing(int staffId, GridDuty duty, DateOnly since, DateOnly? endedOn = null)
    {
        var assignment = new GridAssignment(Grid, staffId, duty, since);
        if (endedOn is { } day)
        {
            assignment.End(day, Today);
        }
        return assignment;
    }

    [Theory]
    [InlineData(StaffRole.GridWorker, GridDuty.Leader)]
    [InlineData(StaffRole.GridLeader, GridDuty.FullTimeWorker)]
    [InlineData(StaffRole.Dispatcher, GridDuty.AuxiliaryWorker)]
    [InlineData(StaffRole.CommunitySecretary, GridDuty.Leader)]
    public void A_duty_needs_an_account_that_fits_it(StaffRole role, GridDuty duty)
    {
        var refused = Assert.Throws<DomainException>(() => GridAssignment.Assign(Person(role), Grid, duty, Today, Today, []));
        Assert.Equal("assignment.role-mismatch", refused.Code);
        Assert.Equal(DomainFields.AssignmentPerson.Name, refused.Field);
        Assert.Contains("不能担任", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fitting_accounts_are_assigned_from_the_date_and_in_force_from_then_on()
    {
        var leader = GridAssignment.Assign(Person(StaffRole.GridLeader), Grid, GridDuty.Leader, Today.AddDays(3), Today, []);
        var worker = GridAssignment.Assign(Person(StaffRole.GridWorker), Grid, GridDuty.ProfessionalWorker, Today, Today, []);

        Assert.Equal((GridDuty.Leader, Today.AddDays(3), (DateOnly?)null), (leader.Duty, leader.Since, leader.EndedOn));
        Assert.False(leader.IsInForceOn(Today));
        Assert.True(leader.IsInForceOn(Today.AddDays(3)));
        Assert.True(worker.IsInForceOn(Today));
    }

    [Fact]
    public void A_grid_has_one_leader_at_a_time_and_a_new_one_may_start_the_day_the_old_one_ends()
    {
        var person = Person(StaffRole.GridLeader);
        Assert.Equal("assignment.leader-taken", Assert.Throws<DomainException>(() =>
            GridAssignment.Assign(person, Grid, GridDuty.Leader, Today, Today, [Existing(99, GridDuty.Leader, Today.AddDays(-100))])).Code);
        // The old term ends after the new one would start: they would overlap.
        Assert.Equal("assignment.leader-taken", Assert.Throws<DomainException>(() =>
            GridAssignment.Assign(person, Grid, GridDuty.Leader, Today, Today, [Existing(99, GridDuty.Leader, Today.AddDays(-100), Today.AddDays(5))])).Code);
        // A leader dated ahead also holds the grid.
        Assert.Equal("assignment.leader-taken", Assert.Throws<DomainException>(() =>
            GridAssignment.Assign(person, Grid, GridDuty.Leader, Today, Today, [Existing(99, GridDuty.Leader, Today.AddDays(30))])).Code);

        var next = GridAssignment.Assign(person, Grid, GridDuty.Leader, Today, Today, [Existing(99, GridDuty.Leader, Today.AddDays(-100), Today)]);
        Assert.True(next.IsInForceOn(Today));
        // Workers do not count against the leader.
        GridAssignment.Assign(person, Grid, GridDuty.Leader, Today, Today, [Existing(98, GridDuty.FullTimeWorker, Today.AddDays(-100))]);
    }

    [Fact]
    public void A_person_holds_one_duty_per_grid_until_it_ends()
    {
        var person = Person(StaffRole.GridWorker);
        Assert.Equal("assignment.person-taken", Assert.Throws<DomainException>(() =>
            GridAssignment.Assign(person, Grid, GridDuty.AuxiliaryWorker, Today, Today, [Existing(person.Id, GridDuty.FullTimeWorker, Today.AddDays(-10))])).Code);
        var again = GridAssignment.Assign(person, Grid, GridDuty.AuxiliaryWorker, Today, Today, [Existing(person.Id, GridDuty.FullTimeWorker, Today.AddDays(-10), Today)]);
        Assert.Equal(GridDuty.AuxiliaryWorker, again.Duty);
    }

    [Fact]
    public void Dates_must_be_within_a_year_of_today_and_an_end_not_before_the_start()
    {
        var person = Person(StaffRole.GridWorker);
        var far = Assert.Throws<DomainException>(() => GridAssignment.Assign(person, Grid, GridDuty.FullTimeWorker, Today.AddYears(-2), Today, []));
        Assert.Equal(("assignment.since-out-of-range", DomainFields.AssignmentSince.Name), (far.Code, far.Field));
        Assert.Equal("开始日期须在今天前后一年之内", far.Message);

        var assignment = Existing(1, GridDuty.FullTimeWorker, Today.AddDays(-10));
        var before = Assert.Throws<DomainException>(() => assignment.End(Today.AddDays(-11), Today));
        Assert.Equal(("assignment.end-before-start", DomainFields.AssignmentEndedOn.Name), (before.Code, before.Field));
        Assert.Equal("assignment.end-out-of-range", Assert.Throws<DomainException>(() => assignment.End(Today.AddYears(2), Today)).Code);
        Assert.Null(assignment.EndedOn);

        assignment.End(Today, Today);
        Assert.Equal(Today, assignment.EndedOn);
        Assert.False(assignment.IsInForceOn(Today));
        Assert.True(assignment.IsInForceOn(Today.AddDays(-1)));
        Assert.Equal("assignment.already-ended", Assert.Throws<DomainException>(() => assignment.End(Today.AddDays(1), Today)).Code);
    }

    [Fact]
    public void An_inactive_person_is_not_assigned()
    {
        var person = Person(StaffRole.GridWorker);
        typeof(StaffMember).GetProperty(nameof(StaffMember.IsActive))!.SetValue(person, false);
        Assert.Equal("assignment.person-inactive", Assert.Throws<DomainException>(() =>
            GridAssignment.Assign(person, Grid, GridDuty.FullTimeWorker, Today, Today, [])).Code);
    }
}
