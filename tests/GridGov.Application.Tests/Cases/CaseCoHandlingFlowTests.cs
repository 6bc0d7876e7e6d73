using GridGov.Application.Cases;
using GridGov.Application.Inbox;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Application.Tests.Cases;

/// <summary>协办 through the real workflow service, inbox and case page query, on PostGIS.</summary>
public sealed class CaseCoHandlingFlowTests(CaseScenario scenario) : IClassFixture<CaseScenario>
{
    /// <summary>handler1 leads; a handler of each of two other departments co-handles.</summary>
    private async Task<(Case Case, CaseActor Dispatcher, CaseActor Lead, CaseActor CoHandlerA, CaseActor CoHandlerB)> DispatchedWithCoHandlersAsync()
    {
        var dispatcher = await scenario.ActorAsync("dispatcher1");
        var lead = await scenario.ActorAsync("handler1");
        var (a, b) = await OtherHandlersAsync(lead.DepartmentId!.Value);
        var @case = await scenario.ReportAsync(await scenario.GridOfAsync("leader1"));
        await scenario.DoAsync(s => s.RegisterAsync(@case.Id, dispatcher, null, null));
        await scenario.DoAsync(s => s.DispatchAsync(@case.Id, dispatcher, lead.DepartmentId!.Value, [a.DepartmentId!.Value, b.DepartmentId!.Value]));
        return (@case, dispatcher, lead, a, b);
    }

    /// <summary>One handler of each of two departments other than <paramref name="notDepartmentId"/>.</summary>
    private async Task<(CaseActor, CaseActor)> OtherHandlersAsync(int notDepartmentId)
    {
        var staffIds = await scenario.WithAsync(p => p.GetRequiredService<GridGovDbContext>().StaffMembers
            .Where(s => s.Role == Domain.Organisation.StaffRole.DepartmentHandler && s.IsActive && s.DepartmentId != null && s.DepartmentId != notDepartmentId)
            .GroupBy(s => s.DepartmentId).OrderBy(g => g.Key).Select(g => g.Min(s => s.Id)).Take(2).ToListAsync());
        var actors = new List<CaseActor>();
        foreach (var id in staffIds)
        {
            actors.Add(await scenario.WithAsync(p => p.GetRequiredService<CaseActors>().ForStaffAsync(id)));
        }
        return (actors[0], actors[1]);
    }

    private Task<IReadOnlyList<string>> InboxAsync(CaseActor actor, InboxSectionKind kind) => scenario.WithAsync(async p =>
        (IReadOnlyList<string>)(await p.GetRequiredService<InboxQuery>().ForAsync(actor)).Sections.Single(s => s.Kind == kind).Rows.Select(r => r.Number).ToList());

    private Task<List<CaseCoHandling>> CoHandlingsAsync(int caseId) => scenario.WithAsync(p =>
        p.GetRequiredService<GridGovDbContext>().Set<CaseCoHandling>().AsNoTracking().Where(c => c.CaseId == caseId).OrderBy(c => c.DepartmentId).ToListAsync());

    [Fact]
    public async Task Co_handlers_find_the_case_in_their_inbox_accept_and_answer_and_only_then_the_lead_feeds_back()
    {
        var (@case, _, lead, a, b) = await DispatchedWithCoHandlersAsync();
        await scenario.DoAsync(s => s.AcceptAsync(@case.Id, lead));
        Assert.Contains(@case.Number, await InboxAsync(a, InboxSectionKind.DepartmentCoHandling));
        Assert.DoesNotContain(@case.Number, await InboxAsync(lead, InboxSectionKind.DepartmentCoHandling));
        var told = await scenario.WithAsync(p => p.GetRequiredService<GridGovDbContext>().Notifications.AsNoTracking()
            .Where(n => n.CaseId == @case.Id && n.RecipientStaffId == a.StaffMemberId).Select(n => n.Body).ToListAsync());
        Assert.Contains(told, body => body.Contains("新协办案件"));

        await scenario.DoAsync(s => s.AcceptCoHandlingAsync(@case.Id, a));
        await scenario.DoAsync(s => s.SubmitCoHandlingOpinionAsync(@case.Id, a, "已核实，配合清运", [CaseScenario.Photo()]));
        Assert.DoesNotContain(@case.Number, await InboxAsync(a, InboxSectionKind.DepartmentCoHandling));
        var refused = await Assert.ThrowsAsync<DomainException>(() =>
            scenario.DoAsync(s => s.SubmitFeedbackAsync(@case.Id, lead, "已清理", [CaseScenario.Photo()])));
        Assert.Equal(CaseState.InProgress, (await scenario.ReloadAsync(@case.Id)).State);
        await scenario.DoAsync(s => s.AcceptCoHandlingAsync(@case.Id, b));
        await scenario.DoAsync(s => s.SubmitCoHandlingOpinionAsync(@case.Id, b, "无异议"));
        await scenario.DoAsync(s => s.SubmitFeedbackAsync(@case.Id, lead, "已清理", [CaseScenario.Photo()]));

        Assert.Equal("case.co-handling-pending", refused.Code);
        var rows = await CoHandlingsAsync(@case.Id);
        Assert.All(rows, r => Assert.Equal(CoHandlingStatus.Answered, r.Status));
        var answeredByA = rows.Single(r => r.DepartmentId == a.DepartmentId);
        Assert.Equal((a.StaffMemberId, a.Name, "已核实，配合清运"), (answeredByA.AnsweredByStaffId, answeredByA.AcceptedByName, answeredByA.Opinion));
        var stored = await scenario.ReloadAsync(@case.Id);
        Assert.Equal(CaseState.FeedbackSubmitted, stored.State);
        Assert.Single(stored.Evidence, e => e.Step == CaseAction.SubmitCoHandlingOpinion);
        var leadTold = await scenario.WithAsync(p => p.GetRequiredService<GridGovDbContext>().Notifications.AsNoTracking()
            .CountAsync(n => n.CaseId == @case.Id && n.RecipientStaffId == lead.StaffMemberId && n.Body.Contains("协办意见")));
        Assert.True(leadTold >= 2, $"lead told {leadTold} times");
    }

    [Fact]
    public async Task The_lead_ends_co_handling_with_a_reason_kept_on_the_case_and_then_feeds_back()
    {
        var (@case, _, lead, a, b) = await DispatchedWithCoHandlersAsync();
        await scenario.DoAsync(s => s.AcceptAsync(@case.Id, lead));
        await scenario.DoAsync(s => s.AcceptCoHandlingAsync(@case.Id, a));

        var byCoHandler = await Assert.ThrowsAsync<DomainException>(() => scenario.DoAsync(s => s.EndCoHandlingAsync(@case.Id, a, "我来结束")));
        await scenario.DoAsync(s => s.EndCoHandlingAsync(@case.Id, lead, "协办部门逾期未反馈，现场已处置完毕"));
        var tooLate = await Assert.ThrowsAsync<DomainException>(() => scenario.DoAsync(s => s.SubmitCoHandlingOpinionAsync(@case.Id, a, "迟到的意见")));
        await scenario.DoAsync(s => s.SubmitFeedbackAsync(@case.Id, lead, "已清理", [CaseScenario.Photo()]));

        Assert.Equal("case.not-handler", byCoHandler.Code);
        Assert.Equal("case.co-handling-ended", tooLate.Code);
        Assert.All(await CoHandlingsAsync(@case.Id), r => Assert.Equal((CoHandlingStatus.Ended, "协办部门逾期未反馈，现场已处置完毕"), (r.Status, r.EndReason)));
        var stored = await scenario.ReloadAsync(@case.Id);
        var ended = Assert.Single(stored.History, h => h.Action == CaseAction.EndCoHandling);
        Assert.Equal(lead.StaffMemberId, ended.ActorStaffId);
        Assert.Contains("协办部门逾期未反馈，现场已处置完毕", ended.Note);
        Assert.Equal(CaseState.FeedbackSubmitted, stored.State);
        Assert.DoesNotContain(@case.Number, await InboxAsync(b, InboxSectionKind.DepartmentCoHandling));
    }

    [Fact]
    public async Task A_return_and_redispatch_starts_co_handling_afresh_even_for_the_same_department()
    {
        var (@case, dispatcher, lead, a, b) = await DispatchedWithCoHandlersAsync();
        await scenario.DoAsync(s => s.AcceptCoHandlingAsync(@case.Id, a));
        await scenario.DoAsync(s => s.SubmitCoHandlingOpinionAsync(@case.Id, a, "第一轮意见"));
        await scenario.DoAsync(s => s.ReturnAsync(@case.Id, lead, "不属于本部门职责"));
        Assert.DoesNotContain(@case.Number, await InboxAsync(b, InboxSectionKind.DepartmentCoHandling)); // nothing to do while returned

        await scenario.DoAsync(s => s.DispatchAsync(@case.Id, dispatcher, b.DepartmentId!.Value, [a.DepartmentId!.Value]));

        var row = Assert.Single(await CoHandlingsAsync(@case.Id));
        Assert.Equal((a.DepartmentId, CoHandlingStatus.Waiting, (string?)null), (row.DepartmentId, row.Status, row.Opinion));
        Assert.Contains(@case.Number, await InboxAsync(a, InboxSectionKind.DepartmentCoHandling));
        Assert.Contains((await scenario.ReloadAsync(@case.Id)).History, h => h.Action == CaseAction.SubmitCoHandlingOpinion && h.Note == "第一轮意见");
    }

    [Fact]
    public async Task A_co_handler_opens_the_case_page_with_only_its_own_actions_and_a_third_department_does_not_see_it()
    {
        var (@case, _, lead, a, _) = await DispatchedWithCoHandlersAsync();
        var third = await scenario.WithAsync(async p =>
        {
            var db = p.GetRequiredService<GridGovDbContext>();
            var departments = new[] { lead.DepartmentId, a.DepartmentId };
            var coHandlers = await db.Set<CaseCoHandling>().Where(c => c.CaseId == @case.Id).Select(c => (int?)c.DepartmentId).ToListAsync();
            var id = await db.StaffMembers.Where(s => s.Role == Domain.Organisation.StaffRole.DepartmentHandler && s.DepartmentId != null
                    && !departments.Contains(s.DepartmentId) && !coHandlers.Contains(s.DepartmentId))
                .OrderBy(s => s.Id).Select(s => s.Id).FirstAsync();
            return await p.GetRequiredService<CaseActors>().ForStaffAsync(id);
        });
        var detail = (CaseActor actor) => scenario.WithAsync(p => p.GetRequiredService<CaseDetailQuery>().GetAsync(@case.Number, actor));

        var asCoHandler = await detail(a);
        var asLead = await detail(lead);

        Assert.NotNull(asCoHandler);
        Assert.Equal([CaseAction.AcceptCoHandling], asCoHandler.Actions);
        Assert.Equal(2, asCoHandler.Case.CoHandlings.Count);
        Assert.Contains(CaseAction.Accept, asLead!.Actions);
        Assert.DoesNotContain(CaseAction.AcceptCoHandling, asLead.Actions);
        Assert.Null(await detail(third));
    }
}
