using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Organisation;

namespace GridGov.Domain.Tests.Cases;

public class CaseWorkflowTableTests
{
    private static readonly CaseActor Dispatcher = CaseActor.Staff(new StaffMember("王调度", "13800000001", StaffRole.Dispatcher), []);

    public static TheoryData<CaseState, CaseAction> ForbiddenPairs()
    {
        var data = new TheoryData<CaseState, CaseAction>();
        foreach (var transition in CaseWorkflow.Transitions.Where(t => t.From.Count > 0))
        {
            foreach (var state in Enum.GetValues<CaseState>().Where(s => !transition.From.Contains(s)))
            {
                data.Add(state, transition.Action);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ForbiddenPairs))]
    public void Every_action_outside_its_allowed_states_is_refused_with_the_state_and_action_in_chinese(CaseState state, CaseAction action)
    {
        var exception = Assert.Throws<DomainException>(() => CaseWorkflow.Check(action, state, Dispatcher));

        Assert.Equal("case.illegal-transition", exception.Code);
        Assert.Contains(state.ChineseName(), exception.Message);
        Assert.Contains(action.ChineseName(), exception.Message);
    }

    [Fact]
    public void The_table_is_the_loop_of_the_issue()
    {
        CaseState? To(CaseAction action) => CaseWorkflow.For(action).To;

        Assert.Equal([CaseAction.Register, CaseAction.Reject, CaseAction.Merge, CaseAction.Void],
            CaseWorkflow.ActionsFor(CaseState.Reported, StaffRole.Dispatcher));
        Assert.Equal(CaseState.Registered, To(CaseAction.Register));
        Assert.Equal(CaseState.Dispatched, To(CaseAction.Dispatch));
        Assert.Equal(CaseState.InProgress, To(CaseAction.Accept));
        Assert.Equal(CaseState.Returned, To(CaseAction.Return));
        Assert.Equal(CaseState.FeedbackSubmitted, To(CaseAction.SubmitFeedback));
        Assert.Equal(CaseState.Verified, To(CaseAction.Verify));
        Assert.Equal(CaseState.InProgress, To(CaseAction.Rework));
        Assert.Equal(CaseState.Archived, To(CaseAction.Archive));
        Assert.Equal(CaseState.Voided, To(CaseAction.Void));
        Assert.All(Enum.GetValues<CaseState>().Where(CaseWorkflow.IsFinal),
            final => Assert.DoesNotContain(CaseAction.Void, CaseWorkflow.ActionsFor(final, StaffRole.Dispatcher)));
    }

    [Theory]
    [InlineData(CaseAction.Register, StaffRole.GridWorker)]
    [InlineData(CaseAction.Dispatch, StaffRole.CommunitySecretary)]
    [InlineData(CaseAction.Archive, StaffRole.GridLeader)]
    [InlineData(CaseAction.Supervise, StaffRole.Dispatcher)]
    [InlineData(CaseAction.Void, StaffRole.StreetLeader)]
    [InlineData(CaseAction.Accept, StaffRole.Administrator)]
    public void A_role_the_table_does_not_name_is_refused(CaseAction action, StaffRole role)
    {
        var state = CaseWorkflow.For(action).From.First();
        var actor = CaseActor.Staff(new StaffMember("张三", "13800000002", role, communityId: 1, departmentId: 1), []);

        var exception = Assert.Throws<DomainException>(() => CaseWorkflow.Check(action, state, actor));

        Assert.Equal("case.role-forbidden", exception.Code);
        Assert.StartsWith(role.ChineseName(), exception.Message);
    }

    /// <summary>Who may take the extension actions, role by role (the aggregate then narrows it to the handler and the approver).</summary>
    public static TheoryData<CaseAction, StaffRole, bool> ExtensionMatrix()
    {
        var data = new TheoryData<CaseAction, StaffRole, bool>();
        var askers = new[] { StaffRole.DepartmentHandler, StaffRole.GridLeader, StaffRole.GridWorker };
        var deciders = new[] { StaffRole.Dispatcher, StaffRole.StreetLeader };
        foreach (var role in Enum.GetValues<StaffRole>())
        {
            data.Add(CaseAction.RequestExtension, role, askers.Contains(role));
            data.Add(CaseAction.ApproveExtension, role, deciders.Contains(role));
            data.Add(CaseAction.RefuseExtension, role, deciders.Contains(role));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ExtensionMatrix))]
    public void The_extension_actions_belong_to_handlers_and_to_dispatcher_or_street_leader(CaseAction action, StaffRole role, bool allowed)
    {
        var actor = CaseActor.Staff(new StaffMember("张三", "13800000002", role, communityId: 1, departmentId: 1), []);

        var exception = Record.Exception(() => CaseWorkflow.Check(action, CaseState.InProgress, actor));

        if (allowed)
        {
            Assert.Null(exception);
        }
        else
        {
            Assert.Equal("case.role-forbidden", Assert.IsType<DomainException>(exception).Code);
        }
        Assert.Throws<DomainException>(() => CaseWorkflow.Check(action, CaseState.Dispatched, actor));
        Assert.Null(CaseWorkflow.For(action).To); // recorded on the case, no move in the loop
    }

    /// <summary>Who may take the co-handling actions, role by role (the aggregate narrows it to the co-handling and the lead department).</summary>
    public static TheoryData<CaseAction, StaffRole> CoHandlingMatrix()
    {
        var data = new TheoryData<CaseAction, StaffRole>();
        foreach (var role in Enum.GetValues<StaffRole>())
        {
            data.Add(CaseAction.AcceptCoHandling, role);
            data.Add(CaseAction.SubmitCoHandlingOpinion, role);
            data.Add(CaseAction.EndCoHandling, role);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(CoHandlingMatrix))]
    public void The_co_handling_actions_belong_to_department_handlers_only_and_move_nothing_in_the_loop(CaseAction action, StaffRole role)
    {
        var actor = CaseActor.Staff(new StaffMember("张三", "13800000002", role, communityId: 1, departmentId: 1), []);

        var exception = Record.Exception(() => CaseWorkflow.Check(action, CaseState.InProgress, actor));

        if (role == StaffRole.DepartmentHandler)
        {
            Assert.Null(exception);
        }
        else
        {
            Assert.Equal("case.role-forbidden", Assert.IsType<DomainException>(exception).Code);
        }
        Assert.Throws<DomainException>(() => CaseWorkflow.Check(action, CaseState.Returned, actor));
        Assert.Throws<DomainException>(() => CaseWorkflow.Check(action, CaseState.FeedbackSubmitted, actor));
        Assert.Null(CaseWorkflow.For(action).To);
    }

    [Fact]
    public void The_public_may_report_but_not_register()
    {
        var resident = CaseActor.Public("李明");

        CaseWorkflow.Check(CaseAction.Report, CaseState.Reported, resident);
        var exception = Assert.Throws<DomainException>(() => CaseWorkflow.Check(CaseAction.Register, CaseState.Reported, resident));

        Assert.Equal("公众无权执行“立案”", exception.Message);
    }
}
