using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Organisation;

namespace GridGov.Domain.Tests.Cases;

/// <summary>协办: the co-handling rules of the aggregate, without a database.</summary>
public class CaseCoHandlingTests
{
    private const int Lead = 7;
    private const int CoHandler = 8;
    private const int OtherCoHandler = 9;
    private const int Stranger = 10;
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 1, 0, 0, TimeSpan.Zero); // Monday 09:00 in China

    private static readonly CaseActor Dispatcher = CaseActor.Staff(new StaffMember("王调度", "13800000001", StaffRole.Dispatcher), []);
    private static readonly CaseActor LeadHandler = Handler("陈承办", Lead);
    private static readonly CaseActor CoHandlerA = Handler("周协办", CoHandler);
    private static readonly CaseActor CoHandlerB = Handler("吴协办", OtherCoHandler);
    private static readonly CaseActor StrangerHandler = Handler("郑承办", Stranger);

    private static CaseActor Handler(string name, int department) =>
        CaseActor.Staff(new StaffMember(name, "13800000002", StaffRole.DepartmentHandler, departmentId: department), []);

    private static StageDeadline Deadline(double days) => new(Start.AddDays(days), Start.AddDays(days * 0.8));

    /// <summary>Registered and dispatched to <see cref="Lead"/> with two co-handling departments, accepted by the lead.</summary>
    private static Case InProgress()
    {
        var @case = Case.Report("20261123000001", 1, "小区门口占道经营", Locations.Point(120.6, 31.3), "某路口",
            new CaseLocationInfo(1, "320508001001001", 1), CaseSource.Resident, CasePriority.Normal, CaseActor.Public("李明"), "李明", "13912345678",
            [], Deadline(0.1), Start);
        @case.Register(Dispatcher, 1, CasePriority.Normal, Deadline(0.1), Start);
        @case.Dispatch(Dispatcher, Lead, [CoHandler, OtherCoHandler], Deadline(2), Start);
        @case.Accept(LeadHandler, Start);
        return @case;
    }

    private static CaseEvidence Photo() => new(new string('a', 64), "image/png", 10, "after.png");

    [Fact]
    public void A_dispatch_opens_one_waiting_co_handling_per_co_handling_department_and_each_accepts_and_answers_on_its_own()
    {
        var @case = InProgress();

        Assert.Equal([CoHandler, OtherCoHandler], @case.CoHandlings.Select(c => c.DepartmentId));
        Assert.All(@case.CoHandlings, c => Assert.Equal(CoHandlingStatus.Waiting, c.Status));
        Assert.Equal([CaseAction.AcceptCoHandling], @case.ActionsFor(CoHandlerA, Start));

        @case.AcceptCoHandling(CoHandlerA, Start.AddHours(1));
        Assert.Equal([CaseAction.SubmitCoHandlingOpinion], @case.ActionsFor(CoHandlerA, Start.AddHours(1)));
        @case.SubmitCoHandlingOpinion(CoHandlerA, "已核实摊位证照，配合取缔", [Photo()], Start.AddHours(2));

        var answered = @case.CoHandlings.Single(c => c.DepartmentId == CoHandler);
        Assert.Equal((CoHandlingStatus.Answered, "周协办", "周协办", "已核实摊位证照，配合取缔"),
            (answered.Status, answered.AcceptedByName, answered.AnsweredByName, answered.Opinion));
        Assert.Equal(CoHandlingStatus.Waiting, @case.CoHandlings.Single(c => c.DepartmentId == OtherCoHandler).Status);
        Assert.Equal(CaseState.InProgress, @case.State);
        Assert.Equal([CaseAction.AcceptCoHandling, CaseAction.SubmitCoHandlingOpinion], @case.History.TakeLast(2).Select(h => h.Action));
        Assert.All(@case.History.TakeLast(2), h => Assert.Equal(CoHandler, h.DepartmentId));
        Assert.Equal(CaseAction.SubmitCoHandlingOpinion, Assert.Single(@case.Evidence).Step);
        Assert.Empty(@case.ActionsFor(CoHandlerA, Start.AddHours(2)));
    }

    [Fact]
    public void The_lead_cannot_feed_back_as_done_while_a_co_handler_has_not_answered()
    {
        var @case = InProgress();
        @case.AcceptCoHandling(CoHandlerA, Start);
        @case.SubmitCoHandlingOpinion(CoHandlerA, "同意主办意见", [], Start);

        var exception = Assert.Throws<DomainException>(() => @case.SubmitFeedback(LeadHandler, "已取缔", [Photo()], Deadline(3), Start.AddHours(3)));

        Assert.Equal("case.co-handling-pending", exception.Code);
        Assert.Contains("还有1个协办部门未提交协办意见", exception.Message);
        Assert.Equal(CaseState.InProgress, @case.State);
        Assert.Null(@case.Result);
        var offered = @case.ActionsFor(LeadHandler, Start.AddHours(3));
        Assert.DoesNotContain(CaseAction.SubmitFeedback, offered);
        Assert.Contains(CaseAction.EndCoHandling, offered);
    }

    [Fact]
    public void Once_every_co_handler_answered_the_lead_feeds_back()
    {
        var @case = InProgress();
        foreach (var coHandler in new[] { CoHandlerA, CoHandlerB })
        {
            @case.AcceptCoHandling(coHandler, Start);
            @case.SubmitCoHandlingOpinion(coHandler, "已配合", [], Start);
        }

        Assert.Contains(CaseAction.SubmitFeedback, @case.ActionsFor(LeadHandler, Start.AddHours(3)));
        Assert.DoesNotContain(CaseAction.EndCoHandling, @case.ActionsFor(LeadHandler, Start.AddHours(3)));
        @case.SubmitFeedback(LeadHandler, "已取缔", [Photo()], Deadline(3), Start.AddHours(3));

        Assert.Equal(CaseState.FeedbackSubmitted, @case.State);
    }

    [Fact]
    public void The_lead_may_end_co_handling_with_a_reason_recorded_and_the_silent_co_handler_can_no_longer_answer()
    {
        var @case = InProgress();
        @case.AcceptCoHandling(CoHandlerA, Start);
        @case.SubmitCoHandlingOpinion(CoHandlerA, "已配合", [], Start);
        var historyBefore = @case.History.Count;

        var noReason = Assert.Throws<DomainException>(() => @case.EndCoHandling(LeadHandler, "  ", Start.AddHours(1)));
        Assert.Equal(historyBefore, @case.History.Count);
        @case.EndCoHandling(LeadHandler, "协办部门逾期未反馈，现场已处置完毕", Start.AddHours(1));
        var late = Assert.Throws<DomainException>(() => @case.AcceptCoHandling(CoHandlerB, Start.AddHours(2)));
        @case.SubmitFeedback(LeadHandler, "已取缔", [Photo()], Deadline(3), Start.AddHours(3));

        Assert.Equal("结束协办理由不能为空", noReason.Message);
        Assert.Equal("case.co-handling-ended", late.Code);
        var ended = @case.CoHandlings.Single(c => c.DepartmentId == OtherCoHandler);
        Assert.Equal((CoHandlingStatus.Ended, "协办部门逾期未反馈，现场已处置完毕"), (ended.Status, ended.EndReason));
        Assert.Equal(CoHandlingStatus.Answered, @case.CoHandlings.Single(c => c.DepartmentId == CoHandler).Status);
        var entry = @case.History.Single(h => h.Action == CaseAction.EndCoHandling);
        Assert.Equal((LeadHandler.Name, Lead), (entry.ActorName, entry.DepartmentId));
        Assert.Contains("协办部门逾期未反馈，现场已处置完毕", entry.Note);
        Assert.Equal(CaseState.FeedbackSubmitted, @case.State);
    }

    [Fact]
    public void Ending_co_handling_when_nobody_is_waiting_is_refused()
    {
        var @case = InProgress();
        @case.EndCoHandling(LeadHandler, "不再等待", Start);

        var again = Assert.Throws<DomainException>(() => @case.EndCoHandling(LeadHandler, "再次结束", Start.AddHours(1)));

        Assert.Equal("case.co-handling-none-open", again.Code);
        Assert.Single(@case.History, h => h.Action == CaseAction.EndCoHandling);
    }

    [Fact]
    public void A_co_handler_answers_only_after_accepting_only_once_and_never_empty()
    {
        var @case = InProgress();

        var before = Assert.Throws<DomainException>(() => @case.SubmitCoHandlingOpinion(CoHandlerA, "意见", [], Start));
        @case.AcceptCoHandling(CoHandlerA, Start);
        var twice = Assert.Throws<DomainException>(() => @case.AcceptCoHandling(CoHandlerA, Start));
        var empty = Assert.Throws<DomainException>(() => @case.SubmitCoHandlingOpinion(CoHandlerA, " ", [], Start));
        @case.SubmitCoHandlingOpinion(CoHandlerA, "意见", [], Start);
        var again = Assert.Throws<DomainException>(() => @case.SubmitCoHandlingOpinion(CoHandlerA, "补充意见", [], Start));

        Assert.Equal("case.co-handling-not-accepted", before.Code);
        Assert.Equal("case.co-handling-accepted", twice.Code);
        Assert.Equal("协办意见不能为空", empty.Message);
        Assert.Equal("case.co-handling-answered", again.Code);
        Assert.Equal("意见", @case.CoHandlings.Single(c => c.DepartmentId == CoHandler).Opinion);
    }

    [Fact]
    public void A_co_handler_never_acts_as_the_lead_and_a_stranger_department_is_no_co_handler()
    {
        var @case = Case.Report("20261123000002", 1, "占道经营", Locations.Point(120.6, 31.3), "某路口",
            new CaseLocationInfo(1, "320508001001001", 1), CaseSource.Resident, CasePriority.Normal, CaseActor.Public("李明"), "李明", null,
            [], Deadline(0.1), Start);
        @case.Register(Dispatcher, 1, CasePriority.Normal, Deadline(0.1), Start);
        @case.Dispatch(Dispatcher, Lead, [CoHandler], Deadline(2), Start);

        var accept = Assert.Throws<DomainException>(() => @case.Accept(CoHandlerA, Start));
        var giveBack = Assert.Throws<DomainException>(() => @case.Return(CoHandlerA, "不归我管", Deadline(0.1), Start));
        var stranger = Assert.Throws<DomainException>(() => @case.AcceptCoHandling(StrangerHandler, Start));
        var leadAsCoHandler = Assert.Throws<DomainException>(() => @case.AcceptCoHandling(LeadHandler, Start));
        @case.Accept(LeadHandler, Start);
        var end = Assert.Throws<DomainException>(() => @case.EndCoHandling(CoHandlerA, "我来结束", Start));
        var feedback = Assert.Throws<DomainException>(() => @case.SubmitFeedback(CoHandlerA, "已处置", [Photo()], Deadline(3), Start));

        Assert.All([accept, giveBack, end, feedback], e => Assert.Equal("case.not-handler", e.Code));
        Assert.Equal("本部门不是该案件的协办部门", stranger.Message);
        Assert.Equal("case.not-co-handler", leadAsCoHandler.Code);
        Assert.Empty(@case.ActionsFor(StrangerHandler, Start));
        Assert.Equal([CaseAction.AcceptCoHandling], @case.ActionsFor(CoHandlerA, Start));
    }

    [Fact]
    public void A_redispatch_starts_co_handling_afresh_and_a_local_assignment_clears_it()
    {
        var returned = Returned();
        Assert.Equal(CoHandlingStatus.Answered, returned.CoHandlings.Single(c => c.DepartmentId == CoHandler).Status);
        returned.Dispatch(Dispatcher, Lead, [CoHandler, Stranger], Deadline(2), Start.AddHours(1));

        Assert.Equal([CoHandler, Stranger], returned.CoHandlings.Select(c => c.DepartmentId));
        Assert.All(returned.CoHandlings, c => Assert.Equal(CoHandlingStatus.Waiting, c.Status));
        Assert.Contains(returned.History, h => h.Action == CaseAction.SubmitCoHandlingOpinion && h.Note == "已配合"); // the trace stays

        var local = Returned();
        local.AssignLocally(Dispatcher, new StaffMember("孙网格", "13800000005", StaffRole.GridWorker), new HashSet<string> { "320508001001001" },
            Deadline(2), Start.AddHours(1));
        Assert.Empty(local.CoHandlings);
        Assert.Empty(local.CoHandlingDepartmentIds);
    }

    /// <summary>Dispatched with co-handlers, one of them answered, then returned by the lead (not yet accepted).</summary>
    private static Case Returned()
    {
        var @case = Case.Report("20261123000004", 1, "占道经营", Locations.Point(120.6, 31.3), "某路口",
            new CaseLocationInfo(1, "320508001001001", 1), CaseSource.Resident, CasePriority.Normal, CaseActor.Public("李明"), "李明", null,
            [], Deadline(0.1), Start);
        @case.Register(Dispatcher, 1, CasePriority.Normal, Deadline(0.1), Start);
        @case.Dispatch(Dispatcher, Lead, [CoHandler, OtherCoHandler], Deadline(2), Start);
        @case.AcceptCoHandling(CoHandlerA, Start);
        @case.SubmitCoHandlingOpinion(CoHandlerA, "已配合", [], Start);
        @case.Return(LeadHandler, "不属于本部门职责", Deadline(0.1), Start);
        var whileReturned = Assert.Throws<DomainException>(() => @case.AcceptCoHandling(CoHandlerB, Start));
        Assert.Equal("case.illegal-transition", whileReturned.Code);
        return @case;
    }
}
