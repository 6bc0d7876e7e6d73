using GridGov.Domain.Ledgers;
using GridGov.Domain.Visits;

namespace GridGov.Domain.Tests.Visits;

public sealed class VisitScheduleTests
{
    private static readonly DateOnly Nov22 = new(2026, 11, 22);

    private static (IReadOnlyCollection<ResidentGroup> Groups, PopulationKind Kind) Member(PopulationKind kind = PopulationKind.Registered, params ResidentGroup[] groups) =>
        (groups, kind);

    [Fact]
    public void An_ordinary_household_is_visited_yearly()
    {
        Assert.Equal(VisitFrequency.Yearly, VisitSchedule.FrequencyFor([Member(), Member(PopulationKind.Registered, ResidentGroup.PartyMember, ResidentGroup.Retired)]));
    }

    [Fact]
    public void A_household_without_residents_is_visited_yearly()
    {
        Assert.Equal(VisitFrequency.Yearly, VisitSchedule.FrequencyFor([]));
    }

    [Theory]
    [InlineData(ResidentGroup.Hardship)]
    [InlineData(ResidentGroup.SubsistenceAllowance)]
    [InlineData(ResidentGroup.Disabled)]
    [InlineData(ResidentGroup.Unemployed)]
    [InlineData(ResidentGroup.KeyAssistance)]
    public void A_household_with_one_member_of_a_quarterly_group_is_visited_quarterly(ResidentGroup group)
    {
        Assert.Equal(VisitFrequency.Quarterly, VisitSchedule.FrequencyFor([Member(), Member(PopulationKind.Registered, group)]));
    }

    [Theory]
    [InlineData(ResidentGroup.PartyMember)]
    [InlineData(ResidentGroup.Entitled)]
    [InlineData(ResidentGroup.Retired)]
    [InlineData(ResidentGroup.EmptyNestElderly)]
    [InlineData(ResidentGroup.CommunityCorrection)]
    [InlineData(ResidentGroup.ReleasedPrisonerSupport)]
    [InlineData(ResidentGroup.DrugRehabilitation)]
    [InlineData(ResidentGroup.MentalDisorder)]
    public void Tags_outside_the_three_must_visit_rules_keep_the_household_yearly(ResidentGroup group)
    {
        Assert.Equal(VisitFrequency.Yearly, VisitSchedule.FrequencyFor([Member(PopulationKind.Registered, group)]));
    }

    [Fact]
    public void A_temporary_resident_makes_the_household_quarterly_but_a_floating_one_does_not()
    {
        Assert.Equal(VisitFrequency.Quarterly, VisitSchedule.FrequencyFor([Member(), Member(PopulationKind.Temporary)]));
        Assert.Equal(VisitFrequency.Yearly, VisitSchedule.FrequencyFor([Member(), Member(PopulationKind.Floating)]));
    }

    [Fact]
    public void Elderly_living_alone_is_monthly_whatever_else_the_household_has()
    {
        Assert.Equal(VisitFrequency.Monthly, VisitSchedule.FrequencyFor([Member(PopulationKind.Registered, ResidentGroup.ElderlyLivingAlone)]));
        Assert.Equal(VisitFrequency.Monthly, VisitSchedule.FrequencyFor(
            [Member(PopulationKind.Temporary, ResidentGroup.Hardship), Member(PopulationKind.Registered, ResidentGroup.ElderlyLivingAlone)]));
    }

    [Fact]
    public void Tagging_and_untagging_a_resident_changes_the_schedule()
    {
        var resident = new Resident(1, 1, "王秀英", IdNumber.Create("320508", new DateOnly(1940, 5, 6), 2), null, PopulationKind.Registered);
        VisitFrequency Frequency() => VisitSchedule.FrequencyFor([(resident.Groups, resident.PopulationKind)]);

        Assert.Equal(VisitFrequency.Yearly, Frequency());
        resident.Tag(ResidentGroup.Disabled);
        Assert.Equal(VisitFrequency.Quarterly, Frequency());
        resident.Tag(ResidentGroup.ElderlyLivingAlone);
        Assert.Equal(VisitFrequency.Monthly, Frequency());
        resident.Untag(ResidentGroup.ElderlyLivingAlone);
        Assert.Equal(VisitFrequency.Quarterly, Frequency());
        resident.Untag(ResidentGroup.Disabled);
        Assert.Equal(VisitFrequency.Yearly, Frequency());
    }

    [Theory]
    [InlineData(VisitFrequency.Monthly, "2026-01-31", "2026-01-01", "2026-02-01")]
    [InlineData(VisitFrequency.Monthly, "2026-02-01", "2026-02-01", "2026-03-01")]
    [InlineData(VisitFrequency.Monthly, "2026-12-31", "2026-12-01", "2027-01-01")]
    [InlineData(VisitFrequency.Quarterly, "2026-03-31", "2026-01-01", "2026-04-01")]
    [InlineData(VisitFrequency.Quarterly, "2026-04-01", "2026-04-01", "2026-07-01")]
    [InlineData(VisitFrequency.Quarterly, "2026-09-30", "2026-07-01", "2026-10-01")]
    [InlineData(VisitFrequency.Quarterly, "2026-11-22", "2026-10-01", "2027-01-01")]
    [InlineData(VisitFrequency.Yearly, "2026-12-31", "2026-01-01", "2027-01-01")]
    [InlineData(VisitFrequency.Yearly, "2027-01-01", "2027-01-01", "2028-01-01")]
    public void Periods_are_calendar_months_quarters_and_years(VisitFrequency frequency, string day, string start, string end)
    {
        Assert.Equal(DateOnly.Parse(start), VisitSchedule.PeriodStart(frequency, DateOnly.Parse(day)));
        Assert.Equal(DateOnly.Parse(end), VisitSchedule.PeriodEnd(frequency, DateOnly.Parse(day)));
        Assert.Equal(DateOnly.Parse(end).AddDays(-1), VisitSchedule.PeriodLastDay(frequency, DateOnly.Parse(day)));
    }

    [Theory]
    [InlineData(VisitFrequency.Monthly, "2026-11-30")]
    [InlineData(VisitFrequency.Quarterly, "2026-12-31")]
    [InlineData(VisitFrequency.Yearly, "2026-12-31")]
    public void Not_yet_visited_this_period_but_visited_in_the_previous_one_is_due_on_the_periods_last_day_and_not_overdue(VisitFrequency frequency, string due)
    {
        var previousPeriod = VisitSchedule.PeriodStart(frequency, VisitSchedule.PeriodStart(frequency, Nov22).AddDays(-1));

        var (nextDue, overdue) = VisitSchedule.Status(frequency, previousPeriod, Nov22);

        Assert.Equal(DateOnly.Parse(due), nextDue);
        Assert.False(overdue);
    }

    [Theory]
    [InlineData(VisitFrequency.Monthly, "2026-11-01", "2026-12-31")]
    [InlineData(VisitFrequency.Quarterly, "2026-10-01", "2027-03-31")]
    [InlineData(VisitFrequency.Yearly, "2026-01-01", "2027-12-31")]
    public void Visited_this_period_the_next_visit_is_due_by_the_end_of_the_next_period(VisitFrequency frequency, string visited, string due)
    {
        var (nextDue, overdue) = VisitSchedule.Status(frequency, DateOnly.Parse(visited), Nov22);

        Assert.Equal(DateOnly.Parse(due), nextDue);
        Assert.False(overdue);
        Assert.True(VisitSchedule.VisitedThisPeriod(frequency, DateOnly.Parse(visited), Nov22));
    }

    [Theory]
    [InlineData(VisitFrequency.Monthly, "2026-09-30")]   // October passed unvisited
    [InlineData(VisitFrequency.Quarterly, "2026-06-30")] // Q3 passed unvisited
    [InlineData(VisitFrequency.Yearly, "2024-12-31")]    // 2025 passed unvisited
    public void A_previous_period_that_passed_unvisited_makes_the_household_overdue(VisitFrequency frequency, string lastVisit)
    {
        var (nextDue, overdue) = VisitSchedule.Status(frequency, DateOnly.Parse(lastVisit), Nov22);

        Assert.True(overdue);
        Assert.Equal(VisitSchedule.PeriodLastDay(frequency, Nov22), nextDue);
    }

    [Theory]
    [InlineData(VisitFrequency.Monthly)]
    [InlineData(VisitFrequency.Quarterly)]
    [InlineData(VisitFrequency.Yearly)]
    public void A_household_never_visited_is_overdue(VisitFrequency frequency)
    {
        Assert.True(VisitSchedule.Status(frequency, null, Nov22).Overdue);
        Assert.False(VisitSchedule.VisitedThisPeriod(frequency, null, Nov22));
    }

    [Fact]
    public void On_the_first_day_of_a_month_a_monthly_household_visited_on_the_last_day_of_the_previous_month_is_not_overdue()
    {
        var (nextDue, overdue) = VisitSchedule.Status(VisitFrequency.Monthly, new DateOnly(2026, 10, 31), new DateOnly(2026, 11, 1));

        Assert.False(overdue);
        Assert.Equal(new DateOnly(2026, 11, 30), nextDue);
    }

    [Fact]
    public void On_the_first_day_of_a_quarter_a_quarterly_household_last_visited_two_quarters_ago_is_overdue()
    {
        Assert.True(VisitSchedule.Status(VisitFrequency.Quarterly, new DateOnly(2026, 6, 30), new DateOnly(2026, 10, 1)).Overdue);
        Assert.False(VisitSchedule.Status(VisitFrequency.Quarterly, new DateOnly(2026, 7, 1), new DateOnly(2026, 10, 1)).Overdue);
    }

    [Fact]
    public void A_new_tag_can_make_a_household_overdue_at_once_because_its_shorter_period_passed_unvisited()
    {
        var lastVisit = new DateOnly(2026, 3, 10); // visited this year: fine as a yearly household

        Assert.False(VisitSchedule.Status(VisitFrequency.Yearly, lastVisit, Nov22).Overdue);
        Assert.True(VisitSchedule.Status(VisitFrequency.Monthly, lastVisit, Nov22).Overdue);
    }

    [Fact]
    public void A_visit_after_the_day_asked_about_does_not_count_as_visited_this_period()
    {
        Assert.False(VisitSchedule.VisitedThisPeriod(VisitFrequency.Monthly, new DateOnly(2026, 11, 25), Nov22));
    }
}
