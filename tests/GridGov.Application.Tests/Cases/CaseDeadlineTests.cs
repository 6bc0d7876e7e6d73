using GridGov.Application.Cases;
using GridGov.Domain.Cases;
using GridGov.TestSupport.GridGov;
using Microsoft.Extensions.DependencyInjection;
using static GridGov.TestSupport.GridGov.TestClock;

namespace GridGov.Application.Tests.Cases;

/// <summary>
/// Deadlines on working time (08:30–12:00, 13:30–17:30; 1 working day = 7.5 working hours) for 暴露垃圾,
/// whose handling limit is 1 working day (urgent: 4 working hours).
/// </summary>
public sealed class CaseDeadlineTests(CaseScenario scenario) : IClassFixture<CaseScenario>
{
    [Fact]
    public async Task The_handling_clock_starts_at_dispatch_and_runs_over_the_weekend()
    {
        scenario.Clock.Set(China(2026, 11, 20, 10)); // Friday 10:00

        var (@case, _, _) = await scenario.DispatchedToHandler1Async();

        var stored = await scenario.ReloadAsync(@case.Id);
        Assert.Equal(China(2026, 11, 23, 10), stored.HandleDue); // Monday 10:00
        Assert.Equal(stored.HandleDue, stored.CurrentDue);
    }

    [Fact]
    public async Task National_day_holidays_are_skipped_and_the_adjusted_saturday_counts()
    {
        scenario.Clock.Set(China(2026, 9, 30, 10)); // Wed 10:00: 6 h left that day, Oct 1–7 off
        var (beforeHoliday, _, _) = await scenario.DispatchedToHandler1Async();
        scenario.Clock.Set(China(2026, 10, 9, 10)); // Fri 10:00, and Sat Oct 10 is a working day (调休)
        var (beforeAdjustedSaturday, _, _) = await scenario.DispatchedToHandler1Async();

        Assert.Equal(China(2026, 10, 8, 10), (await scenario.ReloadAsync(beforeHoliday.Id)).HandleDue);
        Assert.Equal(China(2026, 10, 10, 10), (await scenario.ReloadAsync(beforeAdjustedSaturday.Id)).HandleDue);
    }

    [Fact]
    public async Task Urgent_cases_use_the_urgent_handling_limit_and_ten_minutes_to_register()
    {
        scenario.Clock.Set(China(2026, 11, 24, 9)); // Tuesday 09:00
        var category = await scenario.CategoryAsync(CaseTestData.ExposedRubbish);

        var @case = await scenario.ReportAsync(await scenario.GridOfAsync("leader1"), priority: CasePriority.Urgent);

        Assert.Equal(China(2026, 11, 24, 9, 10), (await scenario.ReloadAsync(@case.Id)).CurrentDue);
        Assert.Equal(TimeLimit(category.Limits.UrgentHandle), CaseDeadlines.LimitFor(category, CaseStage.Handle, CasePriority.Urgent).ToString());
    }

    [Fact]
    public async Task The_warning_turns_yellow_at_80_percent_and_red_when_overdue_and_the_queries_find_it()
    {
        scenario.Clock.Set(China(2026, 11, 24, 10)); // Tuesday 10:00, due Wednesday 10:00
        var (@case, _, _) = await scenario.DispatchedToHandler1Async();
        var queries = () => scenario.WithAsync(async p =>
        {
            var q = p.GetRequiredService<CaseQueries>();
            return ((await q.WarningAsync()).Select(r => r.CaseId).ToList(), (await q.OverdueAsync()).Select(r => r.CaseId).ToList());
        });

        scenario.Clock.Set(China(2026, 11, 24, 15)); // 5.5 of 7.5 h used (73%)
        Assert.Equal(DeadlineWarning.None, (await scenario.ReloadAsync(@case.Id)).WarningOn(scenario.Clock.GetUtcNow()));
        Assert.DoesNotContain(@case.Id, (await queries()).Item1);

        scenario.Clock.Set(China(2026, 11, 24, 17, 30)); // 6 h used (80%)
        Assert.Equal(DeadlineWarning.Yellow, (await scenario.ReloadAsync(@case.Id)).WarningOn(scenario.Clock.GetUtcNow()));
        Assert.Contains(@case.Id, (await queries()).Item1);
        Assert.DoesNotContain(@case.Id, (await queries()).Item2);

        scenario.Clock.Set(China(2026, 11, 25, 10, 1)); // past the deadline
        Assert.Equal(DeadlineWarning.Red, (await scenario.ReloadAsync(@case.Id)).WarningOn(scenario.Clock.GetUtcNow()));
        Assert.Contains(@case.Id, (await queries()).Item2);
        Assert.DoesNotContain(@case.Id, (await queries()).Item1);
    }

    [Fact]
    public async Task Feedback_after_the_deadline_closes_as_overdue()
    {
        scenario.Clock.Set(China(2026, 11, 24, 10));
        var (@case, dispatcher, handler) = await scenario.DispatchedToHandler1Async();
        var leader = await scenario.ActorAsync("leader1");
        await scenario.DoAsync(s => s.AcceptAsync(@case.Id, handler));

        scenario.Clock.Set(China(2026, 11, 26, 9));
        await scenario.DoAsync(s => s.SubmitFeedbackAsync(@case.Id, handler, "已清理", [CaseScenario.Photo()], lateExplanation: "清运车辆调配延误"));
        await scenario.DoAsync(s => s.VerifyAsync(@case.Id, leader));
        await scenario.DoAsync(s => s.ArchiveAsync(@case.Id, dispatcher));

        Assert.Equal(ClosureType.Overdue, (await scenario.ReloadAsync(@case.Id)).ClosureType);
    }

    [Fact]
    public async Task The_overdue_query_uses_the_partial_index_on_running_clocks()
    {
        var plan = await scenario.WithAsync(async p =>
        {
            var db = p.GetRequiredService<Infrastructure.Persistence.GridGovDbContext>();
            await using var connection = Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.GetDbConnection(db.Database);
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SET enable_seqscan = off; EXPLAIN SELECT id FROM cases WHERE current_due IS NOT NULL AND current_due <= now()";
            await using var reader = await command.ExecuteReaderAsync();
            var lines = new List<string>();
            while (await reader.ReadAsync())
            {
                lines.Add(reader.GetString(0));
            }
            return string.Join('\n', lines);
        });

        Assert.Contains("ix_cases_running_clock", plan);
    }

    private static string TimeLimit(Domain.Categories.TimeLimit limit) => limit.ToString();
}
