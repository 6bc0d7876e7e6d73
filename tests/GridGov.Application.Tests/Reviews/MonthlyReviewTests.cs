using GridGov.Domain.Calendar;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using GridGov.Application.Cases;
using GridGov.Application.Reviews;
using GridGov.Application.Tests.Visits;
using GridGov.Application.Visits;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Ledgers;
using GridGov.Domain.Organisation;
using GridGov.Domain.Patrols;
using GridGov.Domain.Visits;
using GridGov.Infrastructure.Exports;
using GridGov.TestSupport.GridGov;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NetTopologySuite.Geometries;

namespace GridGov.Application.Tests.Reviews;

/// <summary>
/// The grid leader's monthly review on a month long before the demo street's visits, patrols and cases (May 2023), filled here with known
/// visits, demands, patrols and reports; then sign-off, the freeze, the roll-ups and the export.
/// </summary>
public sealed class MonthlyReviewTests(VisitScenario scenario) : IClassFixture<VisitScenario>
{
    private static readonly DateOnly May = new(2023, 5, 1);

    private Task<T> ReviewsAsync<T>(Func<MonthlyReviewQueries, Task<T>> query) =>
        scenario.WithAsync(provider => query(provider.GetRequiredService<MonthlyReviewQueries>()));

    private Task<T> ReviewServiceAsync<T>(Func<MonthlyReviewService, Task<T>> action) =>
        scenario.WithAsync(provider => action(provider.GetRequiredService<MonthlyReviewService>()));

    /// <summary>The other grid worker (not worker1, not the leader) of worker1's grid.</summary>
    private Task<CaseActor> SecondWorkerAsync(string gridCode) => scenario.WithAsync(async provider =>
    {
        var db = provider.GetRequiredService<Infrastructure.Persistence.GridGovDbContext>();
        var worker1 = (await scenario.ActorAsync("worker1")).StaffMemberId;
        var id = await db.GridAssignments.Where(a => a.GridCode == gridCode && a.Duty != GridDuty.Leader && a.StaffMemberId != worker1)
            .OrderBy(a => a.StaffMemberId).Select(a => a.StaffMemberId).FirstAsync();
        return await provider.GetRequiredService<CaseActors>().ForStaffAsync(id);
    });

    private Task<Visit> VisitAsync(CaseActor who, int householdId, DateTimeOffset at, long? demandId = null) =>
        scenario.VisitsAsync(s => s.RecordVisitAsync(new RecordVisit(householdId, at, "例行走访", VisitDemandId: demandId), who));

    private Task<int> PatrolAsync(int gridId, int staffId, DateTimeOffset start, double coverage) => scenario.DbAsync(async db =>
    {
        var patrol = new Patrol(gridId, staffId, start.ToUniversalTime(), start.AddHours(2).ToUniversalTime(),
            new LineString([new Coordinate(120.6, 31.3), new Coordinate(120.601, 31.301)]) { SRID = 4326 }, null);
        patrol.SetCoverage(coverage);
        db.Patrols.Add(patrol);
        await db.SaveChangesAsync();
        var day = WorkingCalendar.ChinaDate(start);
        return await db.Database.ExecuteSqlAsync($"SELECT refresh_patrol_days({new[] { gridId }}, {day}, {day.AddDays(1)}, {Patrol.DefaultBufferMeters})");
    });

    /// <summary>Fills May once for worker1's grid; the facts each test checks.</summary>
    private async Task<(string GridCode, CaseActor Worker1, CaseActor Worker2)> MayAsync()
    {
        var gridCode = await scenario.GridOfAsync("worker1");
        var worker1 = await scenario.ActorAsync("worker1");
        var worker2 = await SecondWorkerAsync(gridCode);
        if (await scenario.DbAsync(db => db.Visits.AnyAsync(v => v.VisitorStaffId == worker1.StaffMemberId && v.Findings == "五月已填")))
        {
            return (gridCode, worker1, worker2);
        }
        var households = await scenario.FreshHouseholdsAsync(gridCode, 6);
        var gridId = households[0].GridId;

        // A monthly household worker1 last saw in March: April and May pass unvisited → overdue, worker1's.
        scenario.Clock.Set(TestClock.China(2023, 3, 20, 10));
        var lonely = households[5];
        await scenario.DbAsync(async db =>
        {
            (await db.Residents.FirstAsync(r => r.HouseholdId == lonely.Id && r.RemovedAt == null)).Tag(ResidentGroup.ElderlyLivingAlone);
            return await db.SaveChangesAsync();
        });
        await VisitAsync(worker1, lonely.Id, TestClock.China(2023, 3, 20, 9));

        // May: worker1 sees three households (one twice), worker2 one.
        scenario.Clock.Set(TestClock.China(2023, 5, 10, 9));
        var inTime = await scenario.VisitsAsync(s => s.CreateDemandAsync(households[0].Id, FiveMustReason.FamilyCrisis, null, worker1));
        scenario.Clock.Set(TestClock.China(2023, 5, 20, 9));
        var late = await scenario.VisitsAsync(s => s.CreateDemandAsync(households[3].Id, FiveMustReason.NeighbourDispute, null, worker1));
        await scenario.VisitsAsync(s => s.CreateDemandAsync(households[4].Id, FiveMustReason.SuddenHardship, null, worker1)); // never visited
        scenario.Clock.Set(TestClock.China(2023, 5, 31, 20));
        await VisitAsync(worker1, households[0].Id, TestClock.China(2023, 5, 11, 10), inTime.Id);
        await VisitAsync(worker1, households[1].Id, TestClock.China(2023, 5, 12, 10));
        await VisitAsync(worker1, households[1].Id, TestClock.China(2023, 5, 26, 10));
        await VisitAsync(worker2, households[3].Id, TestClock.China(2023, 5, 25, 10), late.Id);

        // Patrols: worker1 two full days and one partial; worker2 one full day.
        await PatrolAsync(gridId, worker1.StaffMemberId!.Value, TestClock.China(2023, 5, 4, 8), 0.95);
        await PatrolAsync(gridId, worker1.StaffMemberId!.Value, TestClock.China(2023, 5, 5, 8), 0.91);
        await PatrolAsync(gridId, worker1.StaffMemberId!.Value, TestClock.China(2023, 5, 6, 8), 0.40);
        await PatrolAsync(gridId, worker2.StaffMemberId!.Value, TestClock.China(2023, 5, 6, 8), 0.99);

        // Reports: two by worker1 in May in the grid (one raised from a visit), one by worker2 in June (not May).
        var categoryId = await scenario.CategoryIdAsync("1103");
        scenario.Clock.Set(TestClock.China(2023, 5, 31, 21));
        await scenario.VisitsAsync(s => s.RecordVisitAsync(new RecordVisit(households[2].Id, TestClock.China(2023, 5, 31, 20, 30), "楼道充电",
            RaiseCase: new RaiseCaseFromVisit(categoryId, "楼道内电动车充电")), worker1));
        var (longitude, latitude) = await scenario.PointInGridAsync(gridCode);
        await scenario.CasesAsync(s => s.ReportAsync(new ReportCase(categoryId, "楼道堆物", longitude, latitude, "云帆街道某楼道",
            CaseSource.GridWorkerPatrol, CasePriority.Normal, worker1.Name, null, []), worker1));
        scenario.Clock.Set(TestClock.China(2023, 6, 1, 0, 30));
        await scenario.CasesAsync(s => s.ReportAsync(new ReportCase(categoryId, "六月的上报", longitude, latitude, "云帆街道某楼道",
            CaseSource.GridWorkerPatrol, CasePriority.Normal, worker2.Name, null, []), worker2));
        // Last, so that a half-filled May is filled again: the marker visit.
        scenario.Clock.Set(TestClock.China(2023, 6, 1, 9));
        await scenario.VisitsAsync(s => s.RecordVisitAsync(new RecordVisit(households[2].Id, TestClock.China(2023, 5, 31, 19), "五月已填"), worker1));
        return (gridCode, worker1, worker2);
    }

    [Fact]
    public async Task The_grid_review_counts_distinct_households_overdue_five_must_patrol_days_and_reports_per_person()
    {
        var (gridCode, worker1, worker2) = await MayAsync();
        scenario.Clock.Set(TestClock.China(2023, 6, 3, 9));
        var leader = await scenario.ActorAsync("leader1");

        var review = await ReviewsAsync(q => q.GridAsync(gridCode, May, leader));

        var one = review.Workers.Single(w => w.StaffMemberId == worker1.StaffMemberId);
        var two = review.Workers.Single(w => w.StaffMemberId == worker2.StaffMemberId);
        Assert.Equal((3, 5), (one.HouseholdsVisited, one.Visits));
        Assert.Equal((1, 1), (two.HouseholdsVisited, two.Visits));
        Assert.Equal(1, one.OverdueHouseholds);
        Assert.Equal((1, 1), (one.FiveMustInTime, one.FiveMustDone));
        Assert.Equal((0, 1), (two.FiveMustInTime, two.FiveMustDone));
        Assert.Equal(2, one.PatrolFullCoverageDays);
        Assert.Equal(1, two.PatrolFullCoverageDays);
        Assert.Equal(2, one.Reports);
        Assert.Equal(0, two.Reports);
        Assert.True(review.MonthOver);
        Assert.Equal(new DateOnly(2023, 5, 31), review.OverdueAsOf);
        Assert.Equal((4, 6, 3, 1), (review.Totals.HouseholdsVisited, review.Totals.Visits, review.Totals.FiveMustDue, review.Totals.FiveMustInTime));
        Assert.Equal(0, review.Totals.WorkersMetQuota);
        Assert.Equal(GridDuty.Leader, review.Workers[^1].Duty); // the leader last, without a quota
        Assert.False(review.Workers[^1].HasQuota);
        Assert.True(review.IsLeader);
    }

    [Fact]
    public async Task Sign_off_is_refused_before_the_month_ends_and_writes_nothing()
    {
        var gridCode = await scenario.GridOfAsync("leader1");
        var leader = await scenario.ActorAsync("leader1");
        scenario.Clock.Set(TestClock.China(2023, 7, 31, 23, 50));

        var refused = await Assert.ThrowsAsync<DomainException>(() => ReviewServiceAsync(s => s.SignOffAsync(gridCode, new DateOnly(2023, 7, 1), 0, "七月", leader)));

        Assert.Equal("review.month-not-over", refused.Code);
        Assert.False(await scenario.DbAsync(db => db.MonthlyReviews.AnyAsync(r => r.GridCode == gridCode && r.Month == new DateOnly(2023, 7, 1))));
    }

    [Fact]
    public async Task Only_the_grids_own_leader_signs_off()
    {
        var gridCode = await scenario.GridOfAsync("leader1");
        scenario.Clock.Set(TestClock.China(2023, 9, 2, 9));
        var otherLeader = await scenario.DbAsync(db => db.Users
            .Join(db.GridAssignments, u => u.StaffMemberId, a => a.StaffMemberId, (u, a) => new { u.UserName, a.GridCode, a.Duty })
            .Where(x => x.Duty == GridDuty.Leader && x.GridCode != gridCode).Select(x => x.UserName!).FirstAsync());

        foreach (var userName in new[] { "worker1", "secretary1", "dispatcher1", otherLeader })
        {
            var actor = await scenario.ActorAsync(userName);
            var refused = await Assert.ThrowsAsync<DomainException>(() => ReviewServiceAsync(s => s.SignOffAsync(gridCode, new DateOnly(2023, 8, 1), 0, null, actor)));
            Assert.Equal("review.not-leader", refused.Code);
        }
        Assert.False(await scenario.DbAsync(db => db.MonthlyReviews.AnyAsync(r => r.GridCode == gridCode && r.Month == new DateOnly(2023, 8, 1))));
    }

    [Fact]
    public async Task A_signed_off_month_refuses_new_and_amended_visits_and_further_review_changes()
    {
        var (gridCode, worker1, _) = await MayAsync();
        var leader = await scenario.ActorAsync("leader1");
        var mayVisit = await scenario.DbAsync(db => db.Visits.AsNoTracking().FirstAsync(v => v.VisitorStaffId == worker1.StaffMemberId && v.Findings == "五月已填"));
        var household = (await scenario.FreshHouseholdsAsync(gridCode, 1))[0];
        scenario.Clock.Set(TestClock.China(2023, 6, 2, 9));

        Assert.True((await ReviewsAsync(q => q.GridAsync(gridCode, May, leader))).CanSignOff);
        var draft = await ReviewServiceAsync(s => s.SaveCommentAsync(gridCode, May, 0, "初稿", leader));
        var signed = await ReviewServiceAsync(s => s.SignOffAsync(gridCode, May, draft.Version, "五月走访基本完成，张某需加强", leader));

        Assert.Equal(scenario.Clock.GetUtcNow(), signed.SignedOffAt);
        Assert.Equal("五月走访基本完成，张某需加强", signed.Comment);
        Assert.Equal(leader.StaffMemberId, signed.SignedOffByStaffId);
        var visits = await scenario.DbAsync(db => db.Visits.CountAsync());
        var added = await Assert.ThrowsAsync<DomainException>(() => scenario.VisitsAsync(s =>
            s.RecordVisitAsync(new RecordVisit(household.Id, TestClock.China(2023, 5, 31, 23, 30), "补登"), worker1)));
        var mayVersion = await scenario.VisitVersionAsync(mayVisit.Id);
        var amended = await Assert.ThrowsAsync<DomainException>(() => scenario.VisitsAsync(s => s.AmendVisitAsync(mayVisit.Id, mayVersion, worker1, "改写", null)));
        var recommented = await Assert.ThrowsAsync<DomainException>(() => ReviewServiceAsync(s => s.SaveCommentAsync(gridCode, May, signed.Version, "再改", leader)));
        Assert.Equal(VisitService.FrozenMessage, added.Message);
        Assert.Equal(VisitService.FrozenMessage, amended.Message);
        Assert.Equal("review.signed-off", recommented.Code);
        Assert.Equal(visits, await scenario.DbAsync(db => db.Visits.CountAsync()));
        // June of the same grid stays open.
        await scenario.VisitsAsync(s => s.RecordVisitAsync(new RecordVisit(household.Id, TestClock.China(2023, 6, 1, 8), "六月走访"), worker1));
        var review = await ReviewsAsync(q => q.GridAsync(gridCode, May, leader));
        Assert.True(review.IsSignedOff);
        Assert.False(review.CanSignOff);
        Assert.Equal(leader.Name, review.SignedOffByName);
    }

    [Fact]
    public async Task A_save_on_a_review_changed_since_it_was_shown_is_refused_naming_who_and_when_and_writes_nothing()
    {
        var gridCode = await scenario.GridOfAsync("leader1");
        var leader = await scenario.ActorAsync("leader1");
        var march = new DateOnly(2023, 3, 1);
        scenario.Clock.Set(TestClock.China(2023, 4, 3, 9, 15));

        // Two tabs show the month at the same version; the first saves a comment.
        var shown = await ReviewsAsync(q => q.GridAsync(gridCode, march, leader));
        await ReviewServiceAsync(s => s.SaveCommentAsync(gridCode, march, shown.Version, "第一个标签页", leader));
        scenario.Clock.Set(TestClock.China(2023, 4, 3, 9, 40));
        var saved = await ReviewsAsync(q => q.GridAsync(gridCode, march, leader));
        var comment = await Assert.ThrowsAsync<DomainException>(() => ReviewServiceAsync(s => s.SaveCommentAsync(gridCode, march, shown.Version, "第二个标签页", leader)));
        var signOff = await Assert.ThrowsAsync<DomainException>(() => ReviewServiceAsync(s => s.SignOffAsync(gridCode, march, shown.Version, "第二个标签页签署", leader)));

        foreach (var refusal in new[] { comment, signOff })
        {
            Assert.Equal(MonthlyReviewService.StaleCode, refusal.Code);
            Assert.Equal($"该月度审核已被{leader.Name}于2023-04-03 09:15修改，本次保存未生效；请查看最新内容后重新填写", refusal.Message);
        }
        var stored = await scenario.DbAsync(db => db.MonthlyReviews.AsNoTracking().SingleAsync(r => r.GridCode == gridCode && r.Month == march));
        Assert.Equal("第一个标签页", stored.Comment);
        Assert.Null(stored.SignedOffAt);
        Assert.Equal(saved.Version, stored.Version);
        Assert.NotEqual(0u, saved.Version);

        // The version now shown goes through.
        var signed = await ReviewServiceAsync(s => s.SignOffAsync(gridCode, march, saved.Version, "签署", leader));
        Assert.NotNull(signed.SignedOffAt);
    }

    [Fact]
    public async Task A_change_committed_between_load_and_save_is_caught_by_the_row_version_and_changes_nothing()
    {
        var gridCode = await scenario.GridOfAsync("leader1");
        var leader = await scenario.ActorAsync("leader1");
        var april = new DateOnly(2023, 4, 1);
        scenario.Clock.Set(TestClock.China(2023, 5, 3, 9));
        var first = await ReviewServiceAsync(s => s.SaveCommentAsync(gridCode, april, 0, "初稿", leader));

        // Someone else has changed the review but not yet committed: the service loads the old version, then waits on the lock.
        await using var other = new Npgsql.NpgsqlConnection(scenario.ConnectionString);
        await other.OpenAsync();
        await using var transaction = await other.BeginTransactionAsync();
        await using (var update = new Npgsql.NpgsqlCommand("UPDATE monthly_reviews SET comment = '抢先保存' WHERE id = @id", other, transaction))
        {
            update.Parameters.AddWithValue("id", first.Id);
            await update.ExecuteNonQueryAsync();
        }
        var save = ReviewServiceAsync(s => s.SaveCommentAsync(gridCode, april, first.Version, "后保存", leader));
        for (var attempt = 0; attempt < 200 && !save.IsCompleted; attempt++)
        {
            var waiting = await scenario.DbAsync(db => db.Database.SqlQuery<int>(
                $"SELECT count(*)::int AS \"Value\" FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE 'UPDATE%monthly_reviews%'").SingleAsync());
            if (waiting > 0)
            {
                break;
            }
            await Task.Delay(50);
        }
        await transaction.CommitAsync();

        var refusal = await Assert.ThrowsAsync<DomainException>(() => save);
        Assert.Equal(MonthlyReviewService.StaleCode, refusal.Code);
        Assert.Equal("抢先保存", await scenario.DbAsync(db => db.MonthlyReviews.Where(r => r.Id == first.Id).Select(r => r.Comment).SingleAsync()));
    }

    [Fact]
    public async Task A_first_save_on_a_month_someone_has_saved_since_it_was_shown_empty_is_refused()
    {
        var gridCode = await scenario.GridOfAsync("leader1");
        var leader = await scenario.ActorAsync("leader1");
        var february = new DateOnly(2023, 2, 1);
        scenario.Clock.Set(TestClock.China(2023, 3, 6, 14, 5));
        var shown = await ReviewsAsync(q => q.GridAsync(gridCode, february, leader));
        Assert.Equal(0u, shown.Version);

        await ReviewServiceAsync(s => s.SaveCommentAsync(gridCode, february, 0, "另一页先存", leader));
        var refusal = await Assert.ThrowsAsync<DomainException>(() => ReviewServiceAsync(s => s.SignOffAsync(gridCode, february, shown.Version, null, leader)));

        Assert.Equal(MonthlyReviewService.StaleCode, refusal.Code);
        Assert.Contains("2023-03-06 14:05", refusal.Message, StringComparison.Ordinal);
        Assert.Null(await scenario.DbAsync(db => db.MonthlyReviews.Where(r => r.GridCode == gridCode && r.Month == february).Select(r => r.SignedOffAt).SingleAsync()));
    }

    [Fact]
    public async Task The_secretary_sees_the_grids_of_her_community_and_the_street_sees_every_community()
    {
        await MayAsync();
        scenario.Clock.Set(TestClock.China(2023, 6, 3, 9));
        var secretary = await scenario.ActorAsync("secretary1");
        var street = await scenario.ActorAsync("streetleader1");
        var leader = await scenario.ActorAsync("leader1");
        var communityGrids = await scenario.DbAsync(db => db.Grids.Where(g => g.CommunityId == secretary.CommunityId && g.ValidTo == null).Select(g => g.Code).OrderBy(c => c).ToListAsync());

        var community = await ReviewsAsync(q => q.RollUpAsync(May, secretary, communityId: 999_999)); // a secretary cannot pick another community
        var streetView = await ReviewsAsync(q => q.RollUpAsync(May, street, null));
        var drill = await ReviewsAsync(q => q.RollUpAsync(May, street, secretary.CommunityId));
        var own = await ReviewsAsync(q => q.RollUpAsync(May, leader, null));

        Assert.Equal(ReviewLevel.Community, community.Level);
        Assert.Equal(communityGrids, community.Rows.Select(r => r.Key));
        Assert.Equal(ReviewLevel.Street, streetView.Level);
        Assert.Equal(await scenario.DbAsync(db => db.Communities.CountAsync()), streetView.Rows.Count);
        Assert.Equal(await scenario.DbAsync(db => db.Grids.CountAsync(g => g.ValidTo == null)), streetView.Totals.Grids);
        Assert.Null(streetView.Totals.PatrolFullCoverageDays); // left to the community pages
        var mine = streetView.Rows.Single(r => r.Key == secretary.CommunityId.ToString());
        Assert.Equal(community.Totals with { PatrolFullCoverageDays = null }, mine.Figures);
        Assert.Equal(community.Totals, drill.Totals);
        Assert.Equal(4, community.Totals.HouseholdsVisited);
        Assert.Equal(3, community.Totals.PatrolFullCoverageDays);
        Assert.Equal(ReviewLevel.Grids, own.Level);
        Assert.Equal([await scenario.GridOfAsync("leader1")], own.Rows.Select(r => r.Key));
    }

    [Fact]
    public async Task A_grid_outside_ones_scope_is_refused_and_a_grid_worker_sees_no_review()
    {
        var secretary = await scenario.ActorAsync("secretary1");
        var foreignGrid = await scenario.DbAsync(db => db.Grids.Where(g => g.CommunityId != secretary.CommunityId).Select(g => g.Code).FirstAsync());
        var worker = await scenario.ActorAsync("worker1");

        var secretaryRefused = await Assert.ThrowsAsync<DomainException>(() => ReviewsAsync(q => q.GridAsync(foreignGrid, May, secretary)));
        var workerRefused = await Assert.ThrowsAsync<DomainException>(() => ReviewsAsync(q => q.RollUpAsync(May, worker, null)));

        Assert.Equal("review.out-of-scope", secretaryRefused.Code);
        Assert.Equal("review.out-of-scope", workerRefused.Code);
    }

    [Fact]
    public async Task The_xlsx_export_opens_and_holds_the_numbers()
    {
        var (gridCode, worker1, _) = await MayAsync();
        scenario.Clock.Set(TestClock.China(2023, 6, 3, 9));
        var leader = await scenario.ActorAsync("leader1");
        var table = await ReviewsAsync(q => q.GridTableAsync(gridCode, May, leader));
        using var stream = new MemoryStream();

        await XlsxTableWriter.WriteAsync(stream, table.SheetName, table.Headers, table.Widths, table.Rows.AsRows(), CancellationToken.None);

        stream.Position = 0;
        using var document = SpreadsheetDocument.Open(stream, false);
        var sheet = document.WorkbookPart!.WorksheetParts.Single().Worksheet;
        var rows = sheet.Descendants<Row>().Select(r => r.Elements<Cell>().Select(c => c.InnerText).ToList()).ToList();
        Assert.Equal("走访户数", rows[0][2]);
        var row = rows.Single(r => r.Count > 0 && r[0] == worker1.Name);
        Assert.Equal(["3", "20", "未达标", "5", "1", "1", "1", "2", "2"], row.Skip(2));
        Assert.Contains(rows, r => r.Count > 1 && r[0] == "合计" && r[2] == "4");
        Assert.Equal($"月度审核-{gridCode}-2023-05", table.FileStem);
    }
}

internal static class AsyncRows
{
    public static async IAsyncEnumerable<IReadOnlyList<string>> AsRows(this IReadOnlyList<IReadOnlyList<string>> rows)
    {
        foreach (var row in rows)
        {
            yield return row;
        }
        await Task.CompletedTask;
    }
}
