using GridGov.Application.Cases;
using GridGov.Application.Categories;
using GridGov.Application.Tests.Cases;
using GridGov.Domain.Cases;
using GridGov.Domain.Categories;
using GridGov.Domain.Common;
using GridGov.Infrastructure.Persistence;
using GridGov.TestSupport.GridGov;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Application.Tests.Categories;

/// <summary>What an edited category means for cases: new limits for deadlines set afterwards only; a retired class carries its cases to the end.</summary>
public sealed class CategoryTimeLimitTests(CaseScenario scenario) : IClassFixture<CaseScenario>
{
    private async Task EditAsync(string code, Func<CategoryEdit, CategoryEdit> change)
    {
        var category = await scenario.CategoryAsync(code);
        var admin = await scenario.ActorAsync("admin1");
        var l = category.Limits;
        var current = new CategoryEdit(category.Name, category.FilingStandard, category.DefaultDepartmentId, StageLimitInput.From(l.Register),
            StageLimitInput.From(l.Dispatch), StageLimitInput.From(l.Handle), StageLimitInput.From(l.Verify), StageLimitInput.From(l.UrgentHandle), category.IsActive);
        await scenario.WithAsync(async p =>
        {
            await p.GetRequiredService<CategoryAdminService>().UpdateAsync(category.Id, category.Version, change(current), admin);
            return true;
        });
    }

    [Fact]
    public async Task A_new_handling_limit_applies_to_cases_dispatched_afterwards_and_never_moves_a_deadline_already_set()
    {
        scenario.Clock.Set(TestClock.China(2026, 11, 23, 9)); // Monday
        var (before, _, _) = await scenario.DispatchedToHandler1Async(CaseTestData.ExposedRubbish);
        var dueBefore = (await scenario.ReloadAsync(before.Id)).HandleDue;

        await EditAsync(CaseTestData.ExposedRubbish, e => e with { Handle = new StageLimitInput(5, TimeUnit.WorkingDays) });
        scenario.Clock.Advance(TimeSpan.FromMinutes(30));
        var (after, _, _) = await scenario.DispatchedToHandler1Async(CaseTestData.ExposedRubbish);

        var unchanged = await scenario.ReloadAsync(before.Id);
        Assert.Equal(dueBefore, unchanged.HandleDue);
        Assert.Equal(dueBefore, unchanged.CurrentDue);
        var dispatchedAt = (await scenario.ReloadAsync(after.Id)).DispatchedAt!.Value;
        var expected = await scenario.WithAsync(p => p.GetRequiredService<CaseDeadlines>().ForAsync(TimeLimit.Days(5), dispatchedAt));
        Assert.Equal(expected.Due, (await scenario.ReloadAsync(after.Id)).HandleDue);
        Assert.True(expected.Due > dueBefore!.Value.AddDays(3), $"{expected.Due} vs {dueBefore}");
    }

    [Fact]
    public async Task A_retired_class_is_offered_no_more_and_refused_for_new_reports_but_its_open_cases_go_on()
    {
        scenario.Clock.Set(TestClock.China(2026, 11, 24, 9));
        const string code = "0302"; // 垃圾桶
        var (open, _, handler) = await scenario.DispatchedToHandler1Async(code);

        await EditAsync(code, e => e with { IsActive = false });

        var offered = await scenario.WithAsync(p => p.GetRequiredService<ReportFormQuery>().CategoriesAsync());
        Assert.DoesNotContain(offered.SelectMany(g => g.Minors), c => c.Code == code);
        var grid = await scenario.GridOfAsync("leader1");
        var refused = await Assert.ThrowsAsync<DomainException>(() => scenario.ReportAsync(grid, code));
        Assert.Equal("category.not-found", refused.Code);
        await scenario.DoAsync(s => s.AcceptAsync(open.Id, handler));
        await scenario.DoAsync(s => s.SubmitFeedbackAsync(open.Id, handler, "已更换垃圾桶", [CaseScenario.Photo()]));
        Assert.Equal(CaseState.FeedbackSubmitted, (await scenario.ReloadAsync(open.Id)).State);
        var stored = await scenario.WithAsync(p => p.GetRequiredService<GridGovDbContext>().Categories.AsNoTracking().SingleAsync(c => c.Code == code));
        Assert.False(stored.IsActive);
    }
}
