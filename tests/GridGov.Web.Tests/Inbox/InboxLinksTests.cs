using GridGov.Application.Cases;
using GridGov.Application.Inbox;
using GridGov.Domain.Cases;
using GridGov.Web.Components.Pages.Inbox;
using Microsoft.AspNetCore.WebUtilities;

namespace GridGov.Web.Tests.Inbox;

/// <summary>
/// A full inbox section (more than <see cref="InboxQuery.SectionLimit"/> cases) links to the case list filtered as the
/// section is: the link, read back as the case list reads its address, holds the section's states and flags.
/// </summary>
public sealed class InboxLinksTests
{
    private static CaseSearchFilter Read(string href)
    {
        Assert.StartsWith("/cases", href, StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(href["/cases".Length..])
            .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v)));
        var parsed = CaseSearchFilter.Parse(query);
        Assert.True(parsed.IsValid, string.Join("; ", parsed.Errors));
        return parsed.Filter;
    }

    [Theory]
    [InlineData(InboxSectionKind.DispatchToRegister, new[] { CaseState.Reported })]
    [InlineData(InboxSectionKind.CommunityToRegister, new[] { CaseState.Reported })]
    [InlineData(InboxSectionKind.DispatchToDispatch, new[] { CaseState.Registered })]
    [InlineData(InboxSectionKind.DispatchReturned, new[] { CaseState.Returned })]
    [InlineData(InboxSectionKind.DispatchToVerify, new[] { CaseState.FeedbackSubmitted })]
    [InlineData(InboxSectionKind.DispatchToArchive, new[] { CaseState.Verified })]
    [InlineData(InboxSectionKind.CommunityToConfirm, new[] { CaseState.HandledOnSpot })]
    [InlineData(InboxSectionKind.DepartmentAssigned, new[] { CaseState.Dispatched, CaseState.InProgress })]
    public void A_section_of_one_or_two_states_links_to_the_list_of_those_states(InboxSectionKind kind, CaseState[] states)
    {
        var filter = Read(InboxLinks.More(kind));

        Assert.Equal(states.Order(), filter.States.Order());
        Assert.Null(filter.Supervised);
        Assert.Null(filter.Warning);
    }

    [Fact]
    public void Overdue_and_supervised_link_to_their_flags_and_a_section_no_filter_expresses_to_the_whole_list()
    {
        Assert.Equal(DeadlineWarning.Red, Read(InboxLinks.More(InboxSectionKind.Overdue)).Warning);
        var supervised = Read(InboxLinks.More(InboxSectionKind.Supervised));
        Assert.True(supervised.Supervised);
        Assert.Equal(CaseWorkflow.OpenStates.Order(), supervised.States.Order());
        Assert.Equal("/cases", InboxLinks.More(InboxSectionKind.MyReports));
        Assert.Equal("/cases", InboxLinks.More(InboxSectionKind.DispatchExtensions));
    }
}
