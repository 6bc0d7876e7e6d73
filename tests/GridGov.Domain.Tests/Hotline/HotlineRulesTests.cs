using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Hotline;
using GridGov.Domain.Organisation;

namespace GridGov.Domain.Tests.Hotline;

/// <summary>The hotline's rules in the domain: the stricter deadline, what is pushed and how it is called, retries and the dead letter.</summary>
public class HotlineRulesTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 1, 0, 0, TimeSpan.Zero); // Monday 09:00 in China
    private static readonly CaseActor Dispatcher = CaseActor.Staff(new StaffMember("王调度", "13800000001", StaffRole.Dispatcher), []);

    private static Case Reported(DateTimeOffset? hotlineDue, CaseSource source = CaseSource.Hotline) =>
        Case.Report("20261123000001", 1, "果皮箱倾倒", Locations.Point(120.6, 31.3), "某路口", new CaseLocationInfo(1, "320508001001001", 1), source,
            CasePriority.Normal, CaseActor.Public("张先生"), "张先生", null, [], new StageDeadline(Start.AddHours(1), Start.AddMinutes(48)), Start,
            hotline: new HotlineOrderReference("GD0001", hotlineDue));

    [Fact]
    public void The_hotline_deadline_bounds_every_clock_of_the_case_when_it_comes_first_and_the_streets_runs_otherwise()
    {
        var strict = Reported(Start.AddMinutes(30));
        Assert.Equal((Start.AddMinutes(30), Start.AddMinutes(30)), (strict.CurrentDue, strict.WarningAt));
        strict.Register(Dispatcher, 1, CasePriority.Normal, new StageDeadline(Start.AddHours(1), Start.AddMinutes(48)), Start);
        strict.Dispatch(Dispatcher, 7, [], new StageDeadline(Start.AddDays(2), Start.AddDays(1.6)), Start);
        Assert.Equal((Start.AddMinutes(30), Start.AddMinutes(30)), (strict.HandleDue, strict.CurrentDue));

        var loose = Reported(Start.AddDays(5));
        loose.Register(Dispatcher, 1, CasePriority.Normal, new StageDeadline(Start.AddHours(1), Start.AddMinutes(48)), Start);
        loose.Dispatch(Dispatcher, 7, [], new StageDeadline(Start.AddDays(2), Start.AddDays(1.6)), Start);
        Assert.Equal((Start.AddDays(2), Start.AddDays(1.6)), (loose.HandleDue, loose.WarningAt));

        var early = new StageDeadline(Start.AddHours(2), Start.AddHours(1));
        Assert.Equal(new StageDeadline(Start.AddMinutes(30), Start.AddMinutes(30)), strict.Stricter(early));
        Assert.Equal(early, loose.Stricter(early));
    }

    [Fact]
    public void Only_a_case_from_the_hotline_carries_a_work_order()
    {
        var refused = Assert.Throws<DomainException>(() => Reported(null, CaseSource.Resident));
        Assert.Equal("case.hotline-source", refused.Code);
    }

    [Fact]
    public void Changes_of_state_and_extension_requests_are_pushed_under_the_hotlines_names_for_them()
    {
        var @case = Reported(null);
        @case.Register(Dispatcher, 1, CasePriority.Normal, new StageDeadline(Start.AddHours(1), Start.AddMinutes(48)), Start);
        @case.Supervise(CaseActor.Staff(new StaffMember("赵主任", "13800000003", StaffRole.StreetLeader), []), "请尽快", Start);
        @case.Void(Dispatcher, "重复工单", Start);

        Assert.Equal([false, true, false, true], @case.History.Select(HotlinePushStatus_IsPushed));
        Assert.Equal("accepted", HotlineStatusPush.HotlineStatusOf(CaseAction.Register, CaseState.Registered));
        Assert.Equal("sent_back", HotlineStatusPush.HotlineStatusOf(CaseAction.Void, CaseState.Voided));
        Assert.Equal("sent_back", HotlineStatusPush.HotlineStatusOf(CaseAction.Reject, CaseState.Rejected));
        Assert.Equal("extension_requested", HotlineStatusPush.HotlineStatusOf(CaseAction.RequestExtension, CaseState.InProgress));
        Assert.Equal("replied", HotlineStatusPush.HotlineStatusOf(CaseAction.Verify, CaseState.Verified));
        Assert.Equal("closed", HotlineStatusPush.HotlineStatusOf(CaseAction.Archive, CaseState.Archived));
        Assert.Equal("in_progress", HotlineStatusPush.HotlineStatusOf(CaseAction.Escalate, CaseState.Registered));
        Assert.Equal("in_progress", HotlineStatusPush.HotlineStatusOf(CaseAction.Rework, CaseState.InProgress));

        static bool HotlinePushStatus_IsPushed(CaseHistoryEntry entry) => HotlineStatusPush.IsPushed(entry);
    }

    [Fact]
    public void A_failed_push_waits_twice_as_long_each_time_up_to_the_cap_and_is_dead_lettered_after_the_last_attempt_until_resent()
    {
        var policy = new HotlinePushPolicy(MaxAttempts: 5, FirstDelay: TimeSpan.FromSeconds(30), MaxDelay: TimeSpan.FromMinutes(3));
        Assert.Equal([30, 60, 120, 180, 180], Enumerable.Range(1, 5).Select(n => policy.DelayAfter(n).TotalSeconds));
        Assert.Equal(TimeSpan.FromMinutes(3), policy.DelayAfter(int.MaxValue));

        var @case = Reported(null);
        @case.Register(Dispatcher, 1, CasePriority.Normal, new StageDeadline(Start.AddHours(1), Start.AddMinutes(48)), Start);
        var push = HotlineStatusPush.For(@case, @case.History[^1], Start);
        Assert.Throws<DomainException>(() => push.Resend(Start));
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            push.MarkFailed("HTTP 503", policy, Start);
            Assert.Equal((HotlinePushStatus.Pending, Start + policy.DelayAfter(attempt)), (push.Status, push.NextAttemptAt));
        }
        push.MarkFailed(new string('x', 600), policy, Start);
        Assert.Equal((HotlinePushStatus.DeadLettered, 5, HotlineStatusPush.ErrorMaxLength), (push.Status, push.Attempts, push.LastError!.Length));

        push.Resend(Start.AddHours(1));
        Assert.Equal((HotlinePushStatus.Pending, 0, Start.AddHours(1)), (push.Status, push.Attempts, push.NextAttemptAt));
        push.MarkDelivered(Start.AddHours(1));
        Assert.Equal((HotlinePushStatus.Delivered, Start.AddHours(1)), (push.Status, push.DeliveredAt));
    }
}
