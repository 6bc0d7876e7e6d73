using GridGov.Application.Cases;
using GridGov.Application.Ledgers;
using GridGov.Application.Patrols;
using GridGov.Application.Reviews;
using GridGov.Application.Tests.Cases;
using GridGov.Application.Visits;
using GridGov.Domain.Cases;
using GridGov.Domain.Ledgers;
using GridGov.Domain.Visits;
using GridGov.Infrastructure.Persistence;
using GridGov.TestSupport.GridGov;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Application.Tests.Faults;

/// <summary>
/// Every multi-row change is one transaction: each use case is broken at its 1st, 2nd, … write — by an exception
/// inside the unit of work, or by the server terminating the connection — and after each break every table of the
/// database (row counts and a checksum of the rows) is exactly as before. The last run goes through.
/// </summary>
public sealed class TransactionFaultTests(FaultScenario scenario) : IClassFixture<FaultScenario>
{
    private static CaseWorkflowService Workflow(IServiceProvider provider) => provider.GetRequiredService<CaseWorkflowService>();

    private async Task<Household> HouseholdOfAsync(string userName) =>
        (await scenario.FreshHouseholdsAsync(await scenario.GridOfAsync(userName), 1))[0];

    private async Task<Case> ReportAtAsync(Household household, string categoryCode, CasePriority priority = CasePriority.Normal, int photos = 0)
    {
        var gridCode = await scenario.DbAsync(db => db.Grids.Where(g => g.Id == household.GridId).Select(g => g.Code).SingleAsync());
        var (longitude, latitude) = await scenario.PointInGridAsync(gridCode);
        var categoryId = await scenario.CategoryIdAsync(categoryCode);
        return await scenario.WithAsync(provider => Workflow(provider).ReportAsync(new ReportCase(categoryId, "居民反映家中发生纠纷，需要上门了解",
            longitude, latitude, household.Address, CaseSource.Resident, priority, "李明", "13912345678",
            Enumerable.Range(0, photos).Select(i => CaseScenario.Photo($"现场{i}.png")).ToList()), CaseActor.Public("李明")));
    }

    [Theory]
    [InlineData(FaultKind.Throw)]
    [InlineData(FaultKind.KillConnection)]
    public async Task An_emergency_report_with_notifications_and_five_must_demands_is_all_or_nothing(FaultKind kind)
    {
        var household = await HouseholdOfAsync("worker1");
        var gridCode = await scenario.GridOfAsync("worker1");
        var (longitude, latitude) = await scenario.PointInGridAsync(gridCode);
        var categoryId = await scenario.CategoryIdAsync("0902");
        var submission = Guid.NewGuid();

        var writes = await scenario.AssertAtomicAsync(kind, provider => Workflow(provider).ReportAsync(new ReportCase(categoryId, "楼内燃气泄漏，居民已撤离",
            longitude, latitude, household.Address, CaseSource.Resident, CasePriority.Emergency, "李明", "13912345678",
            [CaseScenario.Photo("燃气.png")], submission), CaseActor.Public("李明")));

        var stored = await scenario.DbAsync(db => db.Cases.AsNoTracking().Include(c => c.History).Include(c => c.Evidence).SingleAsync(c => c.SubmissionId == submission));
        Assert.True(writes >= 3, $"only {writes} writes");
        Assert.NotEmpty(stored.History);
        Assert.True(await scenario.DbAsync(db => db.Notifications.CountAsync(n => n.CaseId == stored.Id)) > 0);
        Assert.NotEmpty(await scenario.DbAsync(db => db.VisitDemands.Where(d => d.CaseId == stored.Id).ToListAsync()));
        AssertEvidenceFilesExist(stored);
    }

    [Theory]
    [InlineData(FaultKind.Throw)]
    [InlineData(FaultKind.KillConnection)]
    public async Task A_report_with_photos_is_all_or_nothing_and_its_evidence_rows_point_at_stored_files(FaultKind kind)
    {
        var household = await HouseholdOfAsync("worker1");
        var gridCode = await scenario.GridOfAsync("worker1");
        var (longitude, latitude) = await scenario.PointInGridAsync(gridCode);
        var categoryId = await scenario.CategoryIdAsync("0501");
        var submission = Guid.NewGuid();

        await scenario.AssertAtomicAsync(kind, provider => Workflow(provider).ReportAsync(new ReportCase(categoryId, "垃圾桶满溢",
            longitude, latitude, household.Address, CaseSource.Resident, CasePriority.Normal, "李明", "13912345678",
            [CaseScenario.Photo("一.png"), CaseScenario.Photo("二.png")], submission), CaseActor.Public("李明")));

        var stored = await scenario.DbAsync(db => db.Cases.AsNoTracking().Include(c => c.Evidence).SingleAsync(c => c.SubmissionId == submission));
        Assert.Equal(2, stored.Evidence.Count);
        AssertEvidenceFilesExist(stored);
    }

    [Theory]
    [InlineData(FaultKind.Throw)]
    [InlineData(FaultKind.KillConnection)]
    public async Task A_hotline_order_with_its_case_and_a_change_with_its_status_push_are_all_or_nothing(FaultKind kind)
    {
        var (longitude, latitude) = await scenario.PointInGridAsync(await scenario.GridOfAsync("worker1"));
        var orderNumber = "GD" + Guid.NewGuid().ToString("N")[..16];
        var body = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new
        {
            order_no = orderNumber, category_code = "0501", content = "路边垃圾无人清运", address = "云帆街道某路口", lng = longitude, lat = latitude,
            deadline = "2026-11-24T17:00:00+08:00",
        });
        var options = Microsoft.Extensions.Options.Options.Create(new GridGov.Application.Hotline.HotlineOptions { SharedSecret = "fault-secret" });
        var timestamp = GridGov.Application.Hotline.HotlineSignature.Timestamp(scenario.Clock.GetUtcNow());
        var signature = GridGov.Application.Hotline.HotlineSignature.Sign("fault-secret", timestamp, body);

        await scenario.AssertAtomicAsync(kind, provider => ActivatorUtilities.CreateInstance<GridGov.Application.Hotline.HotlineOrders>(provider, options)
            .ReceiveAsync(body, timestamp, signature));
        var @case = await scenario.DbAsync(db => db.Cases.AsNoTracking().SingleAsync(c => c.HotlineOrderNumber == orderNumber));
        var dispatcher = await scenario.ActorAsync("dispatcher1");
        await scenario.AssertAtomicAsync(kind, provider => Workflow(provider).RegisterAsync(@case.Id, dispatcher, null, null));

        Assert.Equal(1, await scenario.DbAsync(db => db.HotlineOrders.CountAsync(o => o.OrderNumber == orderNumber)));
        Assert.Equal([CaseAction.Register], await scenario.DbAsync(db => db.HotlineStatusPushes.Where(p => p.CaseId == @case.Id).Select(p => p.Action).ToListAsync()));
    }

    [Theory]
    [InlineData(FaultKind.Throw)]
    [InlineData(FaultKind.KillConnection)]
    public async Task Registering_and_dispatching_a_case_are_all_or_nothing(FaultKind kind)
    {
        var household = await HouseholdOfAsync("worker1");
        var reported = await ReportAtAsync(household, "1002");
        var dispatcher = await scenario.ActorAsync("dispatcher1");
        var department = await scenario.DbAsync(db => db.Users.Where(u => u.UserName == "handler1")
            .Join(db.StaffMembers, u => u.StaffMemberId, s => s.Id, (u, s) => s.DepartmentId).SingleAsync());

        await scenario.AssertAtomicAsync(kind, provider => Workflow(provider).RegisterAsync(reported.Id, dispatcher, null, null, "核实属实"));
        await scenario.AssertAtomicAsync(kind, provider => Workflow(provider).DispatchAsync(reported.Id, dispatcher, department!.Value, note: "请尽快处置"));

        var stored = await scenario.DbAsync(db => db.Cases.AsNoTracking().Include(c => c.History).SingleAsync(c => c.Id == reported.Id));
        Assert.Equal(CaseState.Dispatched, stored.State);
        Assert.Equal(3, stored.History.Count); // reported, registered, dispatched: once each
        Assert.NotEmpty(await scenario.DbAsync(db => db.VisitDemands.Where(d => d.CaseId == reported.Id).ToListAsync()));
    }

    [Theory]
    [InlineData(FaultKind.Throw)]
    [InlineData(FaultKind.KillConnection)]
    public async Task A_visit_with_ledger_updates_a_fulfilled_demand_and_a_raised_case_is_all_or_nothing(FaultKind kind)
    {
        var worker = await scenario.ActorAsync("worker1");
        var household = await HouseholdOfAsync("worker1");
        var resident = (await scenario.ResidentsOfAsync(household.Id))[0];
        var demand = await scenario.WithAsync(provider => provider.GetRequiredService<FiveMustDemands>()
            .CreateAsync(household.Id, FiveMustReason.NeighbourDispute, "邻里纠纷", worker));
        var categoryId = await scenario.CategoryIdAsync("0501");
        var submission = Guid.NewGuid();

        var writes = await scenario.AssertAtomicAsync(kind, provider => provider.GetRequiredService<VisitService>().RecordVisitAsync(
            new RecordVisit(household.Id, TestClock.China(2026, 11, 23, 8, 30), "上门了解纠纷情况，更新联系电话", VisitDemandId: demand.Id,
                LedgerUpdates: [new ResidentLedgerUpdate(resident.Id, "13800138123", [ResidentGroup.ElderlyLivingAlone])],
                RaiseCase: new RaiseCaseFromVisit(categoryId, "楼道堆放杂物", submission)), worker));

        Assert.True(writes >= 3, $"only {writes} writes");
        var raised = await scenario.DbAsync(db => db.Cases.AsNoTracking().SingleAsync(c => c.SubmissionId == submission));
        var visit = await scenario.DbAsync(db => db.Visits.AsNoTracking().SingleAsync(v => v.RaisedCaseId == raised.Id));
        Assert.Equal(household.Id, visit.HouseholdId);
        Assert.Equal("13800138123", (await scenario.DbAsync(db => db.Residents.AsNoTracking().SingleAsync(r => r.Id == resident.Id))).Phone);
        Assert.False((await scenario.DbAsync(db => db.VisitDemands.AsNoTracking().SingleAsync(d => d.Id == demand.Id))).IsOpen);
    }

    [Theory]
    [InlineData(FaultKind.Throw)]
    [InlineData(FaultKind.KillConnection)]
    public async Task A_patrol_with_problems_reported_is_all_or_nothing(FaultKind kind)
    {
        var worker = await scenario.ActorAsync("worker1");
        var gridCode = await scenario.GridOfAsync("worker1");
        var track = await scenario.TrackInGridAsync(gridCode);
        var (longitude, latitude) = await scenario.PointInGridAsync(gridCode);
        var categoryId = await scenario.CategoryIdAsync("0501");
        // Each run its own hour of the day, so the two theory cases are different patrols.
        var start = TestClock.China(2026, 11, 22, kind == FaultKind.Throw ? 8 : 14);

        var writes = await scenario.AssertAtomicAsync(kind, provider => provider.GetRequiredService<PatrolService>().RecordAsync(
            worker, gridCode, start, start.AddHours(1), track, "例行巡查",
            [new PatrolProblem(categoryId, "井盖缺失", longitude, latitude), new PatrolProblem(categoryId, "垃圾堆放", longitude, latitude)]));

        Assert.True(writes >= 3, $"only {writes} writes");
        var patrolId = await scenario.DbAsync(db => db.Patrols.Where(p => p.StartedAt == start.ToUniversalTime()).Select(p => p.Id).SingleAsync());
        var submissions = PatrolReports.SubmissionIds(patrolId);
        Assert.Equal(2, await scenario.DbAsync(db => db.Cases.CountAsync(c => submissions.Contains(c.SubmissionId))));
    }

    [Theory]
    [InlineData(FaultKind.Throw)]
    [InlineData(FaultKind.KillConnection)]
    public async Task Ledger_changes_with_their_change_records_are_all_or_nothing(FaultKind kind)
    {
        var worker = await scenario.ActorAsync("worker1");
        var households = await scenario.FreshHouseholdsAsync(await scenario.GridOfAsync("worker1"), 2);
        var (from, to) = (households[0], households[1]);
        var head = from.HeadResidentId!.Value;
        var other = (await scenario.ResidentsOfAsync(from.Id)).First(r => r.Id != head);
        LedgerService Ledgers(IServiceProvider provider) => provider.GetRequiredService<LedgerService>();

        // A new resident: the insert, then its "created" record in a second save.
        var idNumber = kind == FaultKind.Throw ? "11010519491231002X" : "110105194912310038";
        var created = await scenario.AssertAtomicAsync(kind, provider => Ledgers(provider).CreateResidentAsync(
            new NewResident(to.Id, "王小二", idNumber, "13800138000", PopulationKind.Registered, []), worker));
        Assert.True(created >= 2, $"only {created} writes");

        // Moving the head of a household: the resident, the household losing its head, two change records.
        var changesBefore = await ChangesOfAsync(from.Id, head);
        var headVersion = await scenario.DbAsync(db => db.Residents.Where(r => r.Id == head).Select(r => r.Version).SingleAsync());
        await scenario.AssertAtomicAsync(kind, provider => Ledgers(provider).MoveResidentAsync(head, headVersion, to.Id, worker));
        // Soft removal with its change record.
        var otherVersion = await scenario.DbAsync(db => db.Residents.Where(r => r.Id == other.Id).Select(r => r.Version).SingleAsync());
        await scenario.AssertAtomicAsync(kind, provider => Ledgers(provider).RemoveResidentAsync(other.Id, otherVersion, "迁出本街道", worker));

        var moved = await scenario.DbAsync(db => db.Residents.AsNoTracking().SingleAsync(r => r.Id == head));
        Assert.Equal(to.Id, moved.HouseholdId);
        Assert.Null((await scenario.DbAsync(db => db.Households.AsNoTracking().SingleAsync(h => h.Id == from.Id))).HeadResidentId);
        Assert.NotNull((await scenario.DbAsync(db => db.Residents.AsNoTracking().SingleAsync(r => r.Id == other.Id))).RemovedAt);
        Assert.Equal(changesBefore + 2, await ChangesOfAsync(from.Id, head));
    }

    private Task<int> ChangesOfAsync(int householdId, int residentId) => scenario.DbAsync(db => db.LedgerChanges.CountAsync(c =>
        (c.EntityType == nameof(Household) && c.EntityId == householdId) || (c.EntityType == nameof(Resident) && c.EntityId == residentId)));

    [Theory]
    [InlineData(FaultKind.Throw)]
    [InlineData(FaultKind.KillConnection)]
    public async Task A_monthly_sign_off_is_all_or_nothing(FaultKind kind)
    {
        var leader = await scenario.ActorAsync("leader1");
        var gridCode = await scenario.GridOfAsync("leader1");
        var month = kind == FaultKind.Throw ? new DateOnly(2026, 9, 1) : new DateOnly(2026, 10, 1);

        await scenario.AssertAtomicAsync(kind, provider => provider.GetRequiredService<MonthlyReviewService>()
            .SignOffAsync(gridCode, month, 0, "本月走访巡查完成", leader));

        Assert.NotNull((await scenario.DbAsync(db => db.MonthlyReviews.AsNoTracking().SingleAsync(r => r.GridCode == gridCode && r.Month == month))).SignedOffAt);
    }

    private void AssertEvidenceFilesExist(Case stored)
    {
        foreach (var evidence in stored.Evidence)
        {
            var path = Path.Combine(scenario.EvidencePath, evidence.Sha256[..2], evidence.Sha256[2..]);
            Assert.True(File.Exists(path), $"evidence {evidence.Sha256} of case {stored.Number} has no file");
        }
    }
}
