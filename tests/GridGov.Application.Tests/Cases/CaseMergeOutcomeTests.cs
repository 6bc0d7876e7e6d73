using GridGov.Application.Cases;
using GridGov.Domain.Cases;
using GridGov.Domain.Notifications;
using GridGov.Infrastructure.Persistence;
using GridGov.TestSupport.GridGov;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Application.Tests.Cases;

/// <summary>Merge keeps its trace: every reporter of a merged report hears the surviving case's outcome, once, under their own number.</summary>
public sealed class CaseMergeOutcomeTests(CaseScenario scenario) : IClassFixture<CaseScenario>
{
    private async Task<Case> ReportAsync(string gridCode, string name, string? phone)
    {
        var (longitude, latitude) = await scenario.PointInGridAsync(gridCode);
        var categoryId = (await scenario.CategoryAsync(CaseTestData.ExposedRubbish)).Id;
        return await scenario.DoAsync(s => s.ReportAsync(new ReportCase(categoryId, "路口垃圾堆积无人清理", longitude, latitude,
            "云帆街道某路口", CaseSource.Resident, CasePriority.Normal, name, phone, []), CaseActor.Public(name)));
    }

    private async Task CloseTheLoopAsync(Case @case)
    {
        var dispatcher = await scenario.ActorAsync("dispatcher1");
        var handler = await scenario.ActorAsync("handler1");
        var leader = await scenario.ActorAsync("leader1");
        await scenario.DoAsync(s => s.RegisterAsync(@case.Id, dispatcher, null, null));
        await scenario.DoAsync(s => s.DispatchAsync(@case.Id, dispatcher, handler.DepartmentId!.Value));
        await scenario.DoAsync(s => s.AcceptAsync(@case.Id, handler));
        await scenario.DoAsync(s => s.SubmitFeedbackAsync(@case.Id, handler, "已清运垃圾并冲洗路面", [CaseScenario.Photo()]));
        await scenario.DoAsync(s => s.VerifyAsync(@case.Id, leader));
    }

    private Task<List<Notification>> OutcomeNoticesAsync(int caseId) => scenario.WithAsync(p =>
        p.GetRequiredService<GridGovDbContext>().Notifications.AsNoTracking()
            .Where(n => n.CaseId == caseId && n.Kind == NotificationKind.CaseClosed).OrderBy(n => n.Id).ToListAsync());

    [Fact]
    public async Task Each_reporter_of_a_merged_case_gets_exactly_one_outcome_notice_under_their_own_number_and_one_without_a_phone_gets_none()
    {
        scenario.Clock.Set(TestClock.China(2026, 11, 23, 9));
        var grid = await scenario.GridOfAsync("leader1");
        var dispatcher = await scenario.ActorAsync("dispatcher1");
        var original = await ReportAsync(grid, "李明", "13900001111");
        var other = await ReportAsync(grid, "王芳", "13900002222");
        var again = await ReportAsync(grid, "李明", "13900001111"); // the same person reports twice
        var anonymous = await ReportAsync(grid, "路过群众", null);
        foreach (var duplicate in new[] { other, again, anonymous })
        {
            await scenario.DoAsync(s => s.MergeAsync(duplicate.Id, original.Id, dispatcher));
        }

        await CloseTheLoopAsync(original);

        var notices = await OutcomeNoticesAsync(original.Id);
        Assert.Equal(2, notices.Count);
        var first = Assert.Single(notices, n => n.RecipientPhone == "13900001111");
        var second = Assert.Single(notices, n => n.RecipientPhone == "13900002222");
        Assert.Equal("李明", first.RecipientName);
        Assert.Contains($"案件{original.Number}", first.Body);
        Assert.Equal("王芳", second.RecipientName);
        Assert.Contains(other.Number, second.Body);
        Assert.Contains($"已并入案件{original.Number}", second.Body);
        Assert.Contains("已清运垃圾并冲洗路面", second.Body);
        Assert.DoesNotContain(notices, n => n.RecipientName == "路过群众");
        Assert.Equal(CaseState.Verified, (await scenario.ReloadAsync(original.Id)).State);
    }

    [Fact]
    public async Task A_report_merged_into_a_report_that_was_merged_later_is_still_told_and_its_reporter_can_answer_under_their_own_number()
    {
        scenario.Clock.Set(TestClock.China(2026, 11, 24, 9));
        var grid = await scenario.GridOfAsync("leader1");
        var dispatcher = await scenario.ActorAsync("dispatcher1");
        var survivor = await ReportAsync(grid, "赵强", "13900003333");
        var middle = await ReportAsync(grid, "钱红", "13900004444");
        var earliest = await ReportAsync(grid, "孙伟", "13900005555");
        await scenario.DoAsync(s => s.MergeAsync(earliest.Id, middle.Id, dispatcher));
        await scenario.DoAsync(s => s.MergeAsync(middle.Id, survivor.Id, dispatcher));

        await CloseTheLoopAsync(survivor);
        await scenario.DoAsync(s => s.RecordSatisfactionAsync(earliest.Number, "13900005555", true, "很满意"));

        var notices = await OutcomeNoticesAsync(survivor.Id);
        Assert.Equal(["13900003333", "13900004444", "13900005555"], notices.Select(n => n.RecipientPhone).Order());
        Assert.Contains(earliest.Number, Assert.Single(notices, n => n.RecipientPhone == "13900005555").Body);
        var answer = Assert.Single((await scenario.ReloadAsync(survivor.Id)).SatisfactionAnswers);
        Assert.Equal((true, "很满意"), (answer.Satisfied, answer.Comment));
    }
}
