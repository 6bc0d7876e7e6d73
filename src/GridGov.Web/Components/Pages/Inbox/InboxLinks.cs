using GridGov.Application.Cases;
using GridGov.Application.Inbox;
using GridGov.Domain.Cases;

namespace GridGov.Web.Components.Pages.Inbox;

/// <summary>Links from the inbox to the case list.</summary>
public static class InboxLinks
{
    /// <summary>
    /// Where the rest of a full section is: the case list filtered as the section is (the list applies the person's scope
    /// again), or for the sections no filter of the list expresses, the whole list.
    /// </summary>
    public static string More(InboxSectionKind kind)
    {
        CaseSearchFilter? filter = kind switch
        {
            InboxSectionKind.DispatchToRegister or InboxSectionKind.CommunityToRegister => new() { States = [CaseState.Reported] },
            InboxSectionKind.DispatchToDispatch => new() { States = [CaseState.Registered] },
            InboxSectionKind.DispatchReturned => new() { States = [CaseState.Returned] },
            InboxSectionKind.DispatchToVerify => new() { States = [CaseState.FeedbackSubmitted] },
            InboxSectionKind.DispatchToArchive => new() { States = [CaseState.Verified] },
            InboxSectionKind.CommunityToConfirm => new() { States = [CaseState.HandledOnSpot] },
            InboxSectionKind.DepartmentAssigned => new() { States = [CaseState.Dispatched, CaseState.InProgress] },
            InboxSectionKind.Overdue => new() { Warning = DeadlineWarning.Red },
            InboxSectionKind.Supervised => new() { Supervised = true, States = [.. CaseWorkflow.OpenStates] },
            _ => null,
        };
        return "/cases" + (filter?.ToQueryString() ?? "");
    }
}
