using GridGov.Application.Cases;
using GridGov.Application.Evaluation;
using GridGov.Application.Tests.Cases;
using GridGov.Domain.Audit;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Evaluation;
using GridGov.Domain.Patrols;
using GridGov.Infrastructure.Persistence;
using GridGov.TestSupport.GridGov;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NetTopologySuite.Geometries;

namespace GridGov.Application.Tests.Evaluation;

/// <summary>
/// The monthly evaluation on a constructed month with known answers: April 2026 on a copy of the demo street (whose
/// own cases, visits and patrols lie months later), worked through the real workflow, then frozen on the first working
/// day after it (6 May: 1–5 May are holidays) and recomputed after a correction.
/// </summary>
public sealed class MonthlyEvaluationTests(EvaluationScenario scenario) : IClassFixture<EvaluationScenario>
{
    private static readonly DateOnly April = EvaluationScenario.April;
    private static readonly DateOnly May = April.AddMonths(1);

    [Fact]
    public async Task A_constructed_month_gives_every_rate_its_known_numerator_and_denominator()
    {
        var month = await scenario.AprilAsync();
        scenario.Clock.Set(TestClock.China(2026, 5, 4, 10, 0)); // a holiday: April is over but not frozen yet
        var admin = await scenario.ActorAsync("admin1");
        var view = await ViewAsync(April, admin);
        Assert.Equal(EvaluationStatus.Provisional, view.Status);

        var worker = view.Results.Workers.Single(w => w.StaffMemberId == month.Worker.StaffMemberId);
        Assert.Equal(new Ratio(1, 4), worker.TimelyDiscovery);       // A only (B, C after the grace; X without a patrol)
        Assert.Equal(new Ratio(3, 4), worker.AccurateDiscovery);     // A, B, X registered; C rejected
        Assert.Equal(new Ratio(1, 1), worker.TimelyVerification);    // A, 30 minutes into its working hour
        Assert.Equal(new Ratio(1, 4), worker.MissedReports);         // R came from a resident; A, B, X from the patrol
        Assert.Equal(0, worker.DiscoveryCoverage.Numerator);         // a short track never covers the grid
        Assert.Equal(30 * month.Worker.GridCodes.Count, worker.DiscoveryCoverage.Denominator);
        Assert.Equal(4, worker.Reports);
        // Default weights: 0.75×40 + (1−0.25)×20 + 1×20 + 0.25×20 = 70, grade C.
        Assert.Equal(70.0m, worker.Score!.Value);
        Assert.Equal('C', worker.Score.Grade);

        var department = view.Results.Departments.Single(d => d.DepartmentId == month.Handler.DepartmentId);
        Assert.Equal(new Ratio(1, 1), department.OnTimeClosure);     // A was due on 21 April; X is due in May
        Assert.Equal(new Ratio(1, 1), department.Closure);
        Assert.Equal(new Ratio(0, 1), department.Rework);
        Assert.Equal(new Ratio(1, 3), department.Return);            // A, R, X dispatched; R returned
        Assert.Equal(Ratio.Zero, department.WhistleOnTime);
        Assert.Null(department.WhistleOnTime.Value);                 // nothing due: no rate, not 0 %
        // The whistle has no denominator, so the other 85 points count: (40 + 20 + 15 + 10×2/3) ÷ 85 = 96.1 %, grade A.
        Assert.Equal(96.1m, department.Score!.Value);
        Assert.Equal('A', department.Score.Grade);

        var dispatcher = view.Results.Dispatchers.Single(d => d.StaffMemberId == month.Dispatcher.StaffMemberId);
        Assert.Equal(new Ratio(3, 4), dispatcher.OnTimeRegistration); // B registered 10 working minutes late
        Assert.Equal(new Ratio(3, 4), dispatcher.AccurateRegistration); // B voided afterwards
        Assert.Equal(new Ratio(2, 3), dispatcher.OnTimeDispatch);    // R dispatched 70 minutes after registering
        Assert.Equal(new Ratio(2, 3), dispatcher.AccurateDispatch);  // R returned as not the department's

        var grid = view.Results.Areas.Single(a => a.Level == AreaLevel.Grid && a.Key == month.GridCode);
        Assert.Equal(5, grid.Reported);
        Assert.Equal(4, grid.Registered);
        Assert.Equal(2, grid.OpenAtEnd);                             // R (returned) and X (dispatched)
        Assert.Equal(1, grid.OverdueAtEnd);                          // R's re-dispatch deadline passed on 20 April
        Assert.Equal(new Ratio(0, 1), grid.HazardsFixed);            // X found, not fixed yet
        Assert.Equal(4, grid.BySource.Single(s => s.Key == nameof(CaseSource.GridWorkerPatrol)).Count);
        var street = view.Results.Areas.Single(a => a.Level == AreaLevel.Street);
        Assert.Equal(5, street.Reported);
        Assert.Equal(2, street.OpenAtEnd);
    }

    [Fact]
    public async Task A_deadline_that_runs_over_the_month_end_counts_in_the_month_it_falls_due()
    {
        var month = await scenario.AprilAsync();
        scenario.Clock.Set(TestClock.China(2026, 5, 20, 10, 0));
        var view = await ViewAsync(May, await scenario.ActorAsync("streetleader1"));
        Assert.Equal(EvaluationStatus.Live, view.Status);
        var department = view.Results.Departments.Single(d => d.DepartmentId == month.Handler.DepartmentId);
        Assert.Equal(new Ratio(0, 1), department.Closure);           // X, due 6 May, never fed back
        Assert.Equal(new Ratio(0, 0), department.Return);            // nothing dispatched in May
        var grid = view.Results.Areas.Single(a => a.Level == AreaLevel.Grid && a.Key == month.GridCode);
        Assert.Equal(0, grid.Reported);
        Assert.Equal(2, grid.OpenAtEnd);                             // still R and X, judged now
        Assert.Equal(2, grid.OverdueAtEnd);                          // X overdue since 6 May
    }

    [Fact]
    public async Task A_quarter_sums_its_months_numerators_and_denominators_and_is_scored_again()
    {
        var month = await scenario.AprilAsync();
        scenario.Clock.Set(TestClock.China(2026, 5, 20, 10, 0));
        var leader = await scenario.ActorAsync("streetleader1");
        var april = await ViewAsync(April, leader);
        var quarter = await ServiceAsync(s => s.PeriodAsync(EvaluationPeriod.Containing(EvaluationPeriodKind.Quarter, May), leader));

        Assert.True(quarter.IsRollUp);
        Assert.Equal(April, quarter.Month);                              // Q2 so far: April and May (June is to come)
        Assert.Equal([April, May, May.AddMonths(1)], quarter.Period!.Months);
        var department = quarter.Results.Departments.Single(d => d.DepartmentId == month.Handler.DepartmentId);
        Assert.Equal(new Ratio(1, 2), department.Closure);               // A closed in April, X due in May and open
        Assert.Equal(new Ratio(1, 3), department.Return);                // all of it April's
        Assert.Null(department.WhistleMedianMinutes);
        var dispatcher = quarter.Results.Dispatchers.Single(d => d.StaffMemberId == month.Dispatcher.StaffMemberId);
        Assert.Equal(Dispatcher(april, month).OnTimeRegistration, dispatcher.OnTimeRegistration);
        var grid = quarter.Results.Areas.Single(a => a.Level == AreaLevel.Grid && a.Key == month.GridCode);
        Assert.Equal(5, grid.Reported);
        Assert.Equal(2, grid.OverdueAtEnd);                              // as at the period's end (now), not a sum
        var worker = quarter.Results.Workers.Single(w => w.StaffMemberId == month.Worker.StaffMemberId);
        Assert.Equal(4, worker.Reports);
        Assert.NotNull(worker.Score);

        var year = await ServiceAsync(s => s.PeriodAsync(EvaluationPeriod.Containing(EvaluationPeriodKind.Year, May), leader));
        Assert.Equal(new DateOnly(2026, 1, 1), year.Month);
        Assert.Equal(5, year.Results.Areas.Single(a => a.Level == AreaLevel.Grid && a.Key == month.GridCode).Reported);
        var own = await ServiceAsync(s => s.PeriodAsync(EvaluationPeriod.Containing(EvaluationPeriodKind.Quarter, May), month.Worker));
        Assert.Equal(month.Worker.StaffMemberId, Assert.Single(own.Results.Workers).StaffMemberId);
    }

    [Fact]
    public async Task Each_viewer_sees_only_their_scope_with_the_streets_ranks()
    {
        var month = await scenario.AprilAsync();
        scenario.Clock.Set(TestClock.China(2026, 5, 4, 10, 0));
        var street = await ViewAsync(April, await scenario.ActorAsync("streetleader1"));

        var own = await ViewAsync(April, month.Worker);
        var mine = Assert.Single(own.Results.Workers);
        Assert.Equal(month.Worker.StaffMemberId, mine.StaffMemberId);
        Assert.Equal(street.Results.Workers.Single(w => w.StaffMemberId == mine.StaffMemberId).Score, mine.Score);
        Assert.Empty(own.Results.Departments);
        Assert.Empty(own.Results.Dispatchers);
        Assert.Empty(own.Results.Areas);
        Assert.Empty(own.Snapshots);

        var department = await ViewAsync(April, month.Handler);
        Assert.Equal(month.Handler.DepartmentId, Assert.Single(department.Results.Departments).DepartmentId);
        Assert.Empty(department.Results.Workers);

        var secretary = await scenario.ActorAsync("secretary1");
        var community = await ViewAsync(April, secretary);
        Assert.All(community.Results.Workers, w => Assert.Equal(secretary.CommunityId, w.CommunityId));
        Assert.All(community.Results.Areas, a => Assert.NotEqual(AreaLevel.Street, a.Level));
        Assert.Contains(community.Results.Areas, a => a.Level == AreaLevel.Community && a.Key == secretary.CommunityId.ToString());
        Assert.DoesNotContain(community.Results.Dispatchers, d => d.StaffMemberId == month.Dispatcher.StaffMemberId);
        Assert.True(street.Results.Areas.Count > community.Results.Areas.Count);
    }

    [Fact]
    public async Task A_month_is_scored_with_the_rules_in_force_in_it_and_a_closed_months_rules_cannot_change()
    {
        var month = await scenario.AprilAsync();
        var admin = await scenario.ActorAsync("admin1");
        scenario.Clock.Set(TestClock.China(2026, 5, 7, 10, 0));
        var onlyAccuracy = new ScoringRules(
            [new(EvaluationFigures.AccurateDiscovery, 100)],
            ScoringRules.Default.Department,
            new GradeBounds(95, 80, 70, 50));

        var past = await Assert.ThrowsAsync<DomainException>(() => ServiceAsync(s => s.SaveRulesAsync(April, onlyAccuracy, admin)));
        Assert.Equal("evaluation.rules-past", past.Code);
        await Assert.ThrowsAsync<DomainException>(() => ServiceAsync(s => s.SaveRulesAsync(May, onlyAccuracy, month.Dispatcher)));
        var badSum = onlyAccuracy with { Worker = [new(EvaluationFigures.AccurateDiscovery, 90)] };
        Assert.Equal("evaluation.weight-sum", (await Assert.ThrowsAsync<DomainException>(() => ServiceAsync(s => s.SaveRulesAsync(May, badSum, admin)))).Code);

        await ServiceAsync(s => s.SaveRulesAsync(May, onlyAccuracy, admin));
        Assert.Equal(onlyAccuracy, await ServiceAsync(s => s.RulesForAsync(May)));
        Assert.Equal(onlyAccuracy, await ServiceAsync(s => s.RulesForAsync(May.AddMonths(3))));
        Assert.Equal(ScoringRules.Default, await ServiceAsync(s => s.RulesForAsync(April)));
        var april = await ViewAsync(April, admin);
        Assert.Equal(ScoringRules.Default, april.Rules);
        Assert.Equal(70.0m, april.Results.Workers.Single(w => w.StaffMemberId == month.Worker.StaffMemberId).Score!.Value);
    }

    private static DispatcherResult Dispatcher(EvaluationView view, ConstructedApril month) =>
        view.Results.Dispatchers.Single(d => d.StaffMemberId == month.Dispatcher.StaffMemberId);

    private Task<EvaluationView> ViewAsync(DateOnly month, CaseActor actor) => ServiceAsync(s => s.MonthAsync(month, actor));

    private Task<T> ServiceAsync<T>(Func<MonthlyEvaluationService, Task<T>> work) =>
        scenario.WithAsync(p => work(p.GetRequiredService<MonthlyEvaluationService>()));

    private Task ServiceAsync(Func<MonthlyEvaluationService, Task> work) =>
        scenario.WithAsync(async p => { await work(p.GetRequiredService<MonthlyEvaluationService>()); return true; });
}

/// <summary>The freeze and the recomputation, on a database of their own (they change April's snapshot).</summary>
public sealed class MonthlyEvaluationFreezeTests(EvaluationScenario scenario) : IClassFixture<EvaluationScenario>
{
    private static readonly DateOnly April = EvaluationScenario.April;

    [Fact]
    public async Task A_closed_month_freezes_on_the_first_working_day_after_it_and_a_correction_changes_it_only_by_an_audited_recomputation()
    {
        var month = await scenario.AprilAsync();
        var admin = await scenario.ActorAsync("admin1");
        var calendar = await scenario.WithAsync(p => p.GetRequiredService<CaseDeadlines>().CalendarAsync());
        Assert.False(MonthlyEvaluationService.FreezeDue(April, new DateOnly(2026, 5, 5), calendar)); // 1–5 May: holidays
        Assert.True(MonthlyEvaluationService.FreezeDue(April, new DateOnly(2026, 5, 6), calendar));

        scenario.Clock.Set(TestClock.China(2026, 5, 5, 9, 0));
        Assert.Empty(await ServiceAsync(s => s.FreezeDueMonthsAsync()));
        scenario.Clock.Set(TestClock.China(2026, 5, 6, 9, 0));
        Assert.Equal([April], await ServiceAsync(s => s.FreezeDueMonthsAsync()));
        Assert.Empty(await ServiceAsync(s => s.FreezeDueMonthsAsync()));   // once

        // A correction after the freeze: R was never a case.
        scenario.Clock.Set(TestClock.China(2026, 5, 6, 10, 0));
        await scenario.DoAsync(s => s.VoidAsync(month.R, month.Dispatcher, "核实为误报"));
        var frozen = await ViewAsync(April, admin);
        Assert.Equal(EvaluationStatus.Frozen, frozen.Status);
        Assert.Equal(new Ratio(3, 4), Dispatcher(frozen, month).AccurateRegistration);

        await Assert.ThrowsAsync<DomainException>(() => ServiceAsync(s => s.RecomputeAsync(April, "更正", month.Dispatcher)));
        var blank = await Assert.ThrowsAsync<DomainException>(() => ServiceAsync(s => s.RecomputeAsync(April, "  ", admin)));
        Assert.Equal(MonthlyEvaluationService.RecomputeReasonRequiredCode, blank.Code);
        await ServiceAsync(s => s.RecomputeAsync(April, "R核实为误报，作废后重新计算", admin));

        var recomputed = await ViewAsync(April, admin);
        Assert.Equal(new Ratio(2, 4), Dispatcher(recomputed, month).AccurateRegistration);
        Assert.Collection(recomputed.Snapshots,
            current => { Assert.True(current.IsCurrent); Assert.Equal("R核实为误报，作废后重新计算", current.Reason); Assert.Equal(admin.Name, current.ComputedByName); },
            earlier => { Assert.False(earlier.IsCurrent); Assert.Null(earlier.Reason); Assert.Null(earlier.ComputedByName); });
        var audited = await scenario.WithAsync(p => p.GetRequiredService<GridGovDbContext>().AuditEntries.AsNoTracking()
            .Where(e => e.EntityType == nameof(EvaluationSnapshot)).Select(e => e.Action).ToListAsync());
        Assert.Equal(2, audited.Count(a => a == AuditAction.Create));  // the freeze and the recomputation
        Assert.Equal(2, audited.Count(a => a == AuditAction.Update));  // the earlier snapshot superseded, then linked to its successor
        // The earlier snapshot keeps its figures.
        var kept = await scenario.WithAsync(p => p.GetRequiredService<GridGovDbContext>().EvaluationSnapshots.AsNoTracking()
            .SingleAsync(s => s.Month == April && s.SupersededAt != null));
        Assert.Equal(new Ratio(3, 4), MonthlyEvaluationService.Deserialize(kept.ResultsJson).Dispatchers
            .Single(d => d.StaffMemberId == month.Dispatcher.StaffMemberId).AccurateRegistration);
    }

    private static DispatcherResult Dispatcher(EvaluationView view, ConstructedApril month) =>
        view.Results.Dispatchers.Single(d => d.StaffMemberId == month.Dispatcher.StaffMemberId);

    private Task<EvaluationView> ViewAsync(DateOnly month, CaseActor actor) => ServiceAsync(s => s.MonthAsync(month, actor));

    private Task<T> ServiceAsync<T>(Func<MonthlyEvaluationService, Task<T>> work) =>
        scenario.WithAsync(p => work(p.GetRequiredService<MonthlyEvaluationService>()));

    private Task ServiceAsync(Func<MonthlyEvaluationService, Task> work) =>
        scenario.WithAsync(async p => { await work(p.GetRequiredService<MonthlyEvaluationService>()); return true; });
}
