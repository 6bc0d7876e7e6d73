using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Organisation;

namespace GridGov.Domain.Tests.Cases;

/// <summary>回访 by the dispatcher and 不满意重办: the rules of the aggregate.</summary>
public class CaseSatisfactionTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 1, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromDays(7);
    private static readonly CaseActor Dispatcher = CaseActor.Staff(new StaffMember("王调度", "13800000001", StaffRole.Dispatcher), []);
    private static readonly CaseActor Handler = CaseActor.Staff(new StaffMember("陈承办", "13800000002", StaffRole.DepartmentHandler, departmentId: 7), []);
    private static readonly StageDeadline NewHandling = new(Start.AddDays(12), Start.AddDays(11));

    /// <summary>Fed back by the department, verified at Start + 1 h and archived at Start + 2 h (by the system: staff made here share id 0, so four eyes would refuse).</summary>
    private static Case Archived()
    {
        var @case = CaseExtensionTests.InProgress();
        @case.SubmitFeedback(Handler, "已清理", [new CaseEvidence(new string('b', 64), "image/png", 10, "after.png")],
            new StageDeadline(Start.AddDays(1), Start.AddHours(20)), Start.AddMinutes(30));
        @case.Verify(CaseActor.System, Start.AddHours(1));
        @case.Archive(CaseActor.System, Start.AddHours(2));
        return @case;
    }

    [Fact]
    public void The_dispatcher_records_a_call_back_with_its_channel_and_a_second_answer_for_the_same_round_is_refused()
    {
        var @case = Archived();

        Assert.Contains(CaseAction.CallBack, @case.ActionsFor(Dispatcher, Start.AddDays(1)));
        var answer = @case.RecordCallBack(Dispatcher, satisfied: true, SatisfactionChannel.PhoneCallBack, "很快", Start.AddDays(1));
        var again = Assert.Throws<DomainException>(() => @case.RecordCallBack(Dispatcher, false, SatisfactionChannel.PhoneCallBack, null, Start.AddDays(1)));

        Assert.Equal((true, SatisfactionChannel.PhoneCallBack, "王调度", 7), (answer.Satisfied, answer.Channel, answer.RecordedByName, answer.DepartmentId!.Value));
        Assert.Equal(CaseState.Archived, @case.State);
        Assert.Equal("电话回访：满意，很快", @case.History[^1].Note);
        Assert.Equal("case.satisfaction-recorded", again.Code);
        Assert.DoesNotContain(CaseAction.CallBack, @case.ActionsFor(Dispatcher, Start.AddDays(1)));
    }

    [Fact]
    public void A_dissatisfied_answer_within_the_window_reopens_an_archived_case_to_the_same_department_as_a_reopening()
    {
        var @case = Archived();
        var reworkBefore = @case.ReworkCount;
        var answer = @case.RecordCallBack(Dispatcher, satisfied: false, SatisfactionChannel.PhoneCallBack, "又堆上了", Start.AddDays(7));

        Assert.True(@case.CanReopen(Start.AddDays(7), Window));
        @case.Reopen(Dispatcher, Window, NewHandling, Start.AddDays(7));

        Assert.Equal(CaseState.InProgress, @case.State);
        Assert.Equal(7, @case.AssignedDepartmentId);
        Assert.Equal(1, @case.ReopenCount);
        Assert.Equal(reworkBefore, @case.ReworkCount);
        Assert.True(answer.Reopened);
        Assert.Null(@case.ClosureType);
        Assert.Null(@case.ClosedAt);
        Assert.Null(@case.Satisfied);
        Assert.Equal(NewHandling.Due, @case.HandleDue);
        Assert.Equal(NewHandling.Due, @case.CurrentDue);
        Assert.Contains(CaseAction.SubmitFeedback, @case.ActionsFor(Handler, Start.AddDays(7)));
    }

    [Fact]
    public void After_the_window_a_dissatisfied_answer_is_kept_but_the_case_stays_closed()
    {
        var @case = Archived();
        var late = Start.AddHours(1) + Window + TimeSpan.FromMinutes(1);
        @case.RecordCallBack(Dispatcher, satisfied: false, SatisfactionChannel.ResidentAnswer, null, late);

        var exception = Assert.Throws<DomainException>(() => @case.Reopen(Dispatcher, Window, NewHandling, late));

        Assert.False(@case.CanReopen(late, Window));
        Assert.Equal("case.reopen-window", exception.Code);
        Assert.Equal(CaseState.Archived, @case.State);
        Assert.Equal(0, @case.ReopenCount);
        Assert.False(Assert.Single(@case.SatisfactionAnswers).Reopened);
    }

    [Fact]
    public void A_satisfied_answer_never_reopens_and_only_the_dispatcher_may_call_back()
    {
        var @case = Archived();
        var worker = CaseActor.Staff(new StaffMember("孙网格", "13800000005", StaffRole.GridWorker), ["320508001001001"]);

        var byWorker = Assert.Throws<DomainException>(() => @case.RecordCallBack(worker, true, SatisfactionChannel.PhoneCallBack, null, Start.AddDays(1)));
        var byPublic = Assert.Throws<DomainException>(() => @case.RecordCallBack(CaseActor.Public("李明"), true, SatisfactionChannel.PhoneCallBack, null, Start.AddDays(1)));
        var staffAsReporter = Assert.Throws<DomainException>(() => @case.RecordSatisfaction(Dispatcher, true, null, Start.AddDays(1)));
        var badChannel = Assert.Throws<DomainException>(() => @case.RecordCallBack(Dispatcher, true, (SatisfactionChannel)99, null, Start.AddDays(1)));
        @case.RecordCallBack(Dispatcher, satisfied: true, SatisfactionChannel.PhoneCallBack, null, Start.AddDays(1));
        var reopen = Assert.Throws<DomainException>(() => @case.Reopen(Dispatcher, Window, NewHandling, Start.AddDays(1)));

        Assert.Equal("case.role-forbidden", byWorker.Code);
        Assert.Equal("case.public-forbidden", byPublic.Code);
        Assert.Equal("case.satisfaction-reporter", staffAsReporter.Code);
        Assert.Equal("case.satisfaction-channel", badChannel.Code);
        Assert.Equal("case.reopen-not-dissatisfied", reopen.Code);
        Assert.Equal(CaseState.Archived, @case.State);
        Assert.Single(@case.SatisfactionAnswers);
    }

    [Fact]
    public void The_reopen_row_leads_back_to_handling_and_is_never_offered_as_a_button()
    {
        var @case = Archived();
        @case.RecordCallBack(Dispatcher, satisfied: false, SatisfactionChannel.PhoneCallBack, null, Start.AddDays(1));

        Assert.Equal(CaseState.InProgress, CaseWorkflow.For(CaseAction.Reopen).To);
        Assert.Equal([StaffRole.Dispatcher], CaseWorkflow.For(CaseAction.Reopen).Roles);
        Assert.Equal([StaffRole.Dispatcher], CaseWorkflow.For(CaseAction.CallBack).Roles);
        Assert.DoesNotContain(CaseAction.Reopen, @case.ActionsFor(Dispatcher, Start.AddDays(1)));
    }
}
