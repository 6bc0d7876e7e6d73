using GridGov.Application.Cases;
using GridGov.Domain.Cases;
using GridGov.Infrastructure.Persistence;
using GridGov.Infrastructure.Seeding;
using GridGov.TestSupport.GridGov;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Application.Tests.Seeding;

/// <summary>The demo street's month of cases looks like a real month and is exactly what the workflow would have made.</summary>
public sealed class DemoCasesTests(DemoStreetDatabaseFixture fixture) : IClassFixture<DemoStreetDatabaseFixture>
{
    private async Task<T> QueryAsync<T>(Func<GridGovDbContext, Task<T>> query)
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<GridGovDbContext>());
    }

    private Task<Dictionary<CaseState, int>> CountsByStateAsync() =>
        QueryAsync(db => db.Cases.GroupBy(c => c.State).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count));

    [Fact]
    public async Task A_month_of_cases_is_spread_over_the_states_of_a_real_month()
    {
        var counts = await CountsByStateAsync();
        var total = counts.Values.Sum();

        Assert.InRange(total, DemoCasesOptions.PerScale - 10, DemoCasesOptions.PerScale);
        // Every open state is on the dashboard, from waiting for registration to waiting for archive.
        Assert.All(Enum.GetValues<CaseState>().Where(CaseWorkflow.IsOpen), state => Assert.True(counts.GetValueOrDefault(state) > 0, $"no case in state {state}"));
        Assert.True(counts[CaseState.Archived] > total / 2, $"only {counts[CaseState.Archived]} of {total} archived");
        Assert.InRange(counts[CaseState.Rejected], 1, total / 10);
        Assert.InRange(counts[CaseState.Merged], 1, total / 10);
        Assert.InRange(counts[CaseState.Voided], 1, total / 20);
    }

    [Fact]
    public async Task Every_history_starts_with_a_report_and_ends_in_the_state_the_case_is_in()
    {
        var cases = await QueryAsync(db => db.Cases.AsNoTracking().Select(c => new { c.Id, c.State, c.ReportedAt }).ToListAsync());
        var history = (await QueryAsync(db => db.CaseHistory.AsNoTracking()
                .Select(h => new { h.CaseId, h.Id, h.Action, h.FromState, h.ToState, h.At, h.ActorStaffId }).ToListAsync()))
            .GroupBy(h => h.CaseId).ToDictionary(g => g.Key, g => g.OrderBy(h => h.Id).ToList());
        var now = DateTimeOffset.UtcNow;

        Assert.All(cases, c =>
        {
            var steps = history[c.Id];
            Assert.Contains(steps[0].Action, new[] { CaseAction.Report, CaseAction.ReportHandledOnSpot });
            Assert.Null(steps[0].FromState);
            Assert.Equal(c.ReportedAt, steps[0].At);
            Assert.Equal(c.State, steps[^1].ToState);
            // A chain: each step starts where the one before ended, and time never runs backwards.
            for (var i = 1; i < steps.Count; i++)
            {
                Assert.Equal(steps[i - 1].ToState, steps[i].FromState);
                Assert.True(steps[i].At >= steps[i - 1].At, $"case {c.Id}: step {i} goes back in time");
            }
            Assert.True(steps[^1].At <= now);
        });
        Assert.All(cases, c => Assert.InRange(c.ReportedAt, now.AddDays(-DemoCasesOptions.Days - 1), now));
    }

    [Fact]
    public async Task Every_case_lies_in_the_grid_it_is_filed_under()
    {
        var misplaced = await QueryAsync(db => db.Database.SqlQuery<int>($"""
            SELECT count(*)::int AS "Value"
            FROM cases c LEFT JOIN grids g ON g.id = c.grid_id
            WHERE g.id IS NULL OR g.code <> c.grid_code OR g.community_id <> c.community_id OR NOT ST_Covers(g.boundary, c.location)
            """).SingleAsync());
        var grids = await QueryAsync(db => db.Cases.Select(c => c.GridId).Distinct().CountAsync());

        Assert.Equal(0, misplaced);
        Assert.True(grids > 30, $"cases in only {grids} grids");
    }

    [Fact]
    public async Task Overdue_and_yellow_cases_exist_and_the_deadline_queries_find_exactly_them()
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        var queries = scope.ServiceProvider.GetRequiredService<CaseQueries>();
        var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();

        var overdue = await queries.OverdueAsync();
        var warning = await queries.WarningAsync();
        var now = DateTimeOffset.UtcNow;
        var open = await db.Cases.AsNoTracking().Where(c => c.CurrentDue != null).ToListAsync();

        Assert.NotEmpty(overdue);
        Assert.NotEmpty(warning);
        Assert.Equal(open.Where(c => c.WarningOn(now) == DeadlineWarning.Red).Select(c => c.Id).Order(), overdue.Select(r => r.CaseId).Order());
        Assert.All(overdue, r => Assert.True(CaseWorkflow.IsOpen(r.State)));
        // The street leader has pressed some late cases (督办).
        Assert.Contains(overdue, r => r.IsSupervised);
    }

    [Fact]
    public async Task Case_numbers_are_unique_and_follow_the_China_date_of_the_report()
    {
        var cases = await QueryAsync(db => db.Cases.AsNoTracking().Select(c => new { c.Number, c.ReportedAt }).ToListAsync());

        Assert.Equal(cases.Count, cases.Select(c => c.Number).Distinct().Count());
        Assert.All(cases, c => Assert.StartsWith(Domain.Calendar.WorkingCalendar.ChinaDate(c.ReportedAt).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture), c.Number));
        // Within a day the sequence follows the order of reporting.
        Assert.All(cases.GroupBy(c => c.Number[..8]), day =>
            Assert.Equal(day.OrderBy(c => c.ReportedAt).ThenBy(c => c.Number).Select(c => c.Number), day.OrderBy(c => c.Number).Select(c => c.Number)));
    }

    [Fact]
    public async Task Feedback_and_on_the_spot_steps_carry_stored_photos()
    {
        var steps = await QueryAsync(db => db.CaseHistory.AsNoTracking()
            .Where(h => h.Action == CaseAction.SubmitFeedback || h.Action == CaseAction.ReportHandledOnSpot)
            .Select(h => new { h.CaseId, h.Action, h.At }).ToListAsync());
        var evidence = await QueryAsync(db => db.Cases.AsNoTracking().SelectMany(c => c.Evidence)
            .Select(e => new { e.CaseId, e.Step, e.AddedAt, e.Sha256, e.ContentType }).ToListAsync());
        var store = fixture.Services.GetRequiredService<IEvidenceStore>();

        Assert.NotEmpty(steps);
        Assert.All(steps, s => Assert.Contains(evidence, e => e.CaseId == s.CaseId && e.Step == s.Action && e.AddedAt == s.At));
        Assert.All(evidence, e => Assert.Equal("image/png", e.ContentType));
        foreach (var sample in evidence.Take(5))
        {
            await using var file = await store.OpenAsync(sample.Sha256);
            Assert.NotNull(file);
            var head = new byte[8];
            await file.ReadExactlyAsync(head);
            Assert.Equal("image/png", EvidenceFiles.DetectImageType(head));
        }
    }

    [Fact]
    public async Task The_month_has_its_detours_returns_reworks_whistles_escalations_satisfaction_and_late_closures()
    {
        var (returned, reworked, escalated, emergencies) = await QueryAsync(async db => (
            await db.Cases.CountAsync(c => c.ReturnCount > 0),
            await db.Cases.CountAsync(c => c.ReworkCount > 0),
            await db.Cases.CountAsync(c => c.Level == CaseLevel.Community),
            await db.Cases.CountAsync(c => c.Priority == CasePriority.Emergency)));
        var whistles = await QueryAsync(db => db.Whistles.AsNoTracking().ToListAsync());
        var answers = await QueryAsync(db => db.Cases.Where(c => c.Satisfied != null)
            .Select(c => new { Satisfied = c.Satisfied!.Value, c.State, c.ReworkCount }).ToListAsync());
        var closures = await QueryAsync(db => db.Cases.Where(c => c.State == CaseState.Archived).GroupBy(c => c.ClosureType)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key!.Value, x => x.Count));
        var onSpotConfirmed = await QueryAsync(db => db.CaseHistory.CountAsync(h => h.Action == CaseAction.ConfirmOnSpot));

        Assert.True(returned > 0 && reworked > 0 && escalated > 0 && emergencies > 0, $"returned {returned}, reworked {reworked}, escalated {escalated}, emergencies {emergencies}");
        Assert.Contains(whistles, w => w.IsAnswered);
        Assert.True(onSpotConfirmed > 5, $"{onSpotConfirmed} on-the-spot cases confirmed");
        Assert.True(answers.Count(a => a.Satisfied) > answers.Count * 3 / 4, "most reporters are satisfied");
        // An unhappy reporter's answer (within the window) reopened the case for its handler.
        var dissatisfied = await QueryAsync(db => db.SatisfactionAnswers.AsNoTracking().Where(a => !a.Satisfied)
            .Join(db.Cases, a => a.CaseId, c => c.Id, (a, c) => new { a.Reopened, c.ReopenCount }).ToListAsync());
        Assert.NotEmpty(dissatisfied);
        Assert.All(dissatisfied, a => Assert.True(a.Reopened && a.ReopenCount > 0));
        Assert.True(closures.GetValueOrDefault(ClosureType.Overdue) > 0 && closures[ClosureType.Normal] > closures.GetValueOrDefault(ClosureType.Overdue));
    }

    [Fact]
    public async Task The_months_notifications_reached_their_recipients_and_are_not_sent_again()
    {
        var (notifications, pending) = await QueryAsync(async db => (
            await db.Notifications.CountAsync(n => n.CaseId != null),
            await db.Notifications.CountAsync(n => n.CaseId != null && (n.SentAt == null || n.Status != GridGov.Domain.Notifications.DeliveryStatus.Sent))));

        Assert.True(notifications > 300, $"{notifications} notifications");
        Assert.Equal(0, pending);
    }

    [Fact]
    public async Task Seeding_again_changes_nothing()
    {
        var before = await CountsByStateAsync();
        var history = await QueryAsync(db => db.CaseHistory.CountAsync());

        await using var scope = fixture.Services.CreateAsyncScope();
        var summary = await scope.ServiceProvider.GetRequiredService<DemoCasesSeeder>().SeedAsync(new DemoCasesOptions(), CancellationToken.None);

        Assert.True(summary.AlreadySeeded);
        Assert.Equal(before, await CountsByStateAsync());
        Assert.Equal(history, await QueryAsync(db => db.CaseHistory.CountAsync()));
    }
}
