using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Organisation;

namespace GridGov.Domain.Tests.Cases;

/// <summary>延期申请 and 未能按期说明: the rules of the aggregate, without a database.</summary>
public class CaseExtensionTests
{
    private const int Department = 7;
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 1, 0, 0, TimeSpan.Zero); // Monday 09:00 in China
    private static readonly TimeSpan OneDay = TimeSpan.FromHours(7.5);

    private static readonly CaseActor Dispatcher = CaseActor.Staff(new StaffMember("王调度", "13800000001", StaffRole.Dispatcher), []);
    private static readonly CaseActor StreetLeader = CaseActor.Staff(new StaffMember("赵主任", "13800000003", StaffRole.StreetLeader), []);
    private static readonly CaseActor Handler = CaseActor.Staff(new StaffMember("陈承办", "13800000002", StaffRole.DepartmentHandler, departmentId: Department), []);
    private static readonly CaseActor OtherHandler = CaseActor.Staff(new StaffMember("周承办", "13800000004", StaffRole.DepartmentHandler, departmentId: Department + 1), []);

    /// <summary>Reported, registered, dispatched to <see cref="Department"/> with two days to handle it, and accepted.</summary>
    internal static Case InProgress()
    {
        var @case = Case.Report("20261123000001", 1, "路边有一堆生活垃圾", Locations.Point(120.6, 31.3), "某路口",
            new CaseLocationInfo(1, "320508001001001", 1), CaseSource.Resident, CasePriority.Normal, CaseActor.Public("李明"), "李明", "13912345678",
            [], new StageDeadline(Start.AddHours(1), Start.AddMinutes(48)), Start);
        @case.Register(Dispatcher, 1, CasePriority.Normal, new StageDeadline(Start.AddHours(1), Start.AddMinutes(48)), Start);
        @case.Dispatch(Dispatcher, Department, [], new StageDeadline(Start.AddDays(2), Start.AddDays(1.6)), Start);
        @case.Accept(Handler, Start);
        return @case;
    }

    private static CaseEvidence Photo() => new(new string('a', 64), "image/png", 10, "after.png");

    [Fact]
    public void A_first_extension_within_the_categorys_handling_time_is_the_dispatchers_to_decide_and_above_it_the_street_leaders()
    {
        Assert.Equal(StaffRole.Dispatcher, CaseExtension.ApproverFor(OneDay, OneDay, approvedBefore: 0));
        Assert.Equal(StaffRole.StreetLeader, CaseExtension.ApproverFor(OneDay + TimeSpan.FromMinutes(1), OneDay, approvedBefore: 0));
        Assert.Equal(StaffRole.StreetLeader, CaseExtension.ApproverFor(TimeSpan.FromHours(1), OneDay, approvedBefore: 1));
    }

    [Fact]
    public void An_approved_extension_moves_the_handling_deadline_is_counted_and_recorded()
    {
        var @case = InProgress();
        var requested = Start.AddDays(3);

        var request = @case.RequestExtension(Handler, "需协调产权单位", requested, OneDay, OneDay, Start.AddHours(2));
        @case.ApproveExtension(Dispatcher, "同意", requested.AddHours(-5), Start.AddHours(3));

        Assert.Equal(ExtensionStatus.Approved, request.Status);
        Assert.Equal(StaffRole.Dispatcher, request.Approver);
        Assert.Equal(requested, @case.HandleDue);
        Assert.Equal(requested, @case.CurrentDue);
        Assert.Equal(1, @case.ExtensionCount);
        Assert.Equal(CaseState.InProgress, @case.State);
        Assert.Equal([CaseAction.RequestExtension, CaseAction.ApproveExtension], @case.History.TakeLast(2).Select(h => h.Action));
        Assert.All(@case.History.TakeLast(2), h => Assert.Equal(Department, h.DepartmentId));
    }

    [Fact]
    public void A_second_extension_goes_to_the_street_leader_and_the_dispatcher_may_not_decide_it()
    {
        var @case = InProgress();
        @case.RequestExtension(Handler, "第一次", Start.AddDays(3), OneDay, OneDay, Start.AddHours(2));
        @case.ApproveExtension(Dispatcher, null, Start.AddDays(2.5), Start.AddHours(3));

        var second = @case.RequestExtension(Handler, "第二次", Start.AddDays(4), OneDay, OneDay, Start.AddHours(4));
        var refused = Assert.Throws<DomainException>(() => @case.ApproveExtension(Dispatcher, null, Start.AddDays(3.5), Start.AddHours(5)));
        Assert.DoesNotContain(CaseAction.ApproveExtension, @case.ActionsFor(Dispatcher, Start.AddHours(5)));
        Assert.Contains(CaseAction.ApproveExtension, @case.ActionsFor(StreetLeader, Start.AddHours(5)));
        @case.ApproveExtension(StreetLeader, null, Start.AddDays(3.5), Start.AddHours(5));

        Assert.Equal(StaffRole.StreetLeader, second.Approver);
        Assert.Equal("case.extension-street-leader", refused.Code);
        Assert.Contains("街道领导", refused.Message);
        Assert.Equal(2, @case.ExtensionCount);
        Assert.Equal(Start.AddDays(4), @case.HandleDue);
    }

    [Fact]
    public void A_refused_extension_keeps_the_deadline_and_needs_a_reason()
    {
        var @case = InProgress();
        var due = @case.HandleDue;
        @case.RequestExtension(Handler, "材料未到", Start.AddDays(3), OneDay, OneDay, Start.AddHours(2));

        var noReason = Assert.Throws<DomainException>(() => @case.RefuseExtension(Dispatcher, " ", Start.AddHours(3)));
        @case.RefuseExtension(Dispatcher, "两天足够处置", Start.AddHours(3));

        Assert.Equal("驳回理由不能为空", noReason.Message);
        Assert.Equal(due, @case.HandleDue);
        Assert.Equal(0, @case.ExtensionCount);
        Assert.Equal(ExtensionStatus.Refused, Assert.Single(@case.Extensions).Status);
    }

    [Fact]
    public void Only_one_request_waits_at_a_time()
    {
        var @case = InProgress();
        @case.RequestExtension(Handler, "第一次", Start.AddDays(3), OneDay, OneDay, Start.AddHours(2));

        var exception = Assert.Throws<DomainException>(() => @case.RequestExtension(Handler, "再申请", Start.AddDays(4), OneDay, OneDay, Start.AddHours(3)));

        Assert.Equal("case.extension-pending", exception.Code);
        Assert.Single(@case.Extensions);
        Assert.DoesNotContain(CaseAction.RequestExtension, @case.ActionsFor(Handler, Start.AddHours(3)));
    }

    [Fact]
    public void No_request_after_the_deadline_none_for_an_earlier_moment_and_none_by_another_department()
    {
        var @case = InProgress();
        var historyBefore = @case.History.Count;

        var late = Assert.Throws<DomainException>(() => @case.RequestExtension(Handler, "太晚了", Start.AddDays(5), OneDay, OneDay, Start.AddDays(2).AddMinutes(1)));
        var earlier = Assert.Throws<DomainException>(() => @case.RequestExtension(Handler, "更早", Start.AddDays(1), OneDay, OneDay, Start.AddHours(2)));
        var stranger = Assert.Throws<DomainException>(() => @case.RequestExtension(OtherHandler, "不是我的", Start.AddDays(3), OneDay, OneDay, Start.AddHours(2)));

        Assert.Equal("case.extension-too-late", late.Code);
        Assert.Equal("case.extension-not-later", earlier.Code);
        Assert.Equal("case.not-handler", stranger.Code);
        Assert.Empty(@case.Extensions);
        Assert.Equal(historyBefore, @case.History.Count);
        Assert.DoesNotContain(CaseAction.RequestExtension, @case.ActionsFor(Handler, Start.AddDays(2).AddMinutes(1)));
    }

    [Fact]
    public void A_pending_request_lapses_when_the_handler_feeds_back()
    {
        var @case = InProgress();
        var request = @case.RequestExtension(Handler, "材料未到", Start.AddDays(3), OneDay, OneDay, Start.AddHours(2));

        @case.SubmitFeedback(Handler, "已清理", [Photo()], new StageDeadline(Start.AddDays(1), Start.AddHours(20)), Start.AddHours(3));

        Assert.Equal(ExtensionStatus.Lapsed, request.Status);
        Assert.Null(@case.PendingExtension);
        var noLonger = Assert.Throws<DomainException>(() => @case.ApproveExtension(Dispatcher, null, Start.AddDays(2.5), Start.AddHours(4)));
        Assert.Equal("case.illegal-transition", noLonger.Code);
    }

    [Fact]
    public void Late_feedback_needs_a_written_explanation_which_is_kept()
    {
        var @case = InProgress();
        var late = Start.AddDays(2).AddHours(1);
        var verify = new StageDeadline(late.AddHours(2), late.AddHours(1));

        var refused = Assert.Throws<DomainException>(() => @case.SubmitFeedback(Handler, "已清理", [Photo()], verify, late));
        Assert.Equal(CaseState.InProgress, @case.State);
        @case.SubmitFeedback(Handler, "已清理", [Photo()], verify, late, "等待产权单位到场");

        Assert.Equal("case.late-explanation-required", refused.Code);
        Assert.Contains("未能按期说明", refused.Message);
        Assert.Equal("等待产权单位到场", @case.LateExplanation);
        Assert.Equal(CaseState.FeedbackSubmitted, @case.State);
    }

    [Fact]
    public void Feedback_in_time_needs_no_explanation_and_keeps_none()
    {
        var @case = InProgress();

        @case.SubmitFeedback(Handler, "已清理", [Photo()], new StageDeadline(Start.AddDays(1), Start.AddHours(20)), Start.AddHours(3), "用不上");

        Assert.Null(@case.LateExplanation);
        Assert.Equal(CaseState.FeedbackSubmitted, @case.State);
    }
}
