using GridGov.Application.Cases;
using GridGov.Application.Patrols;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Organisation;
using GridGov.Domain.Reviews;
using GridGov.Infrastructure.Persistence;
using GridGov.TestSupport.GridGov;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NetTopologySuite.Geometries;

namespace GridGov.Application.Tests.Patrols;

/// <summary>Recording patrols on the demo street through <see cref="PatrolService"/>: what is stored, and what is refused with nothing written.</summary>
public sealed class PatrolRecordingTests(DemoStreetDatabaseFixture fixture) : IClassFixture<DemoStreetDatabaseFixture>
{
    private static readonly GeometryFactory Factory = new(new PrecisionModel(), Srid.Wgs84);

    private sealed record Worker(CaseActor Actor, string GridCode, int GridId, Polygon Boundary);

    private async Task<CaseActor> ActorAsync(string userName)
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
        var staffId = await db.Users.Where(u => u.UserName == userName).Select(u => u.StaffMemberId!.Value).SingleAsync();
        return await scope.ServiceProvider.GetRequiredService<CaseActors>().ForStaffAsync(staffId);
    }

    private async Task<Worker> WorkerAsync(string userName = "worker1")
    {
        var actor = await ActorAsync(userName);
        await using var scope = fixture.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
        var code = actor.GridCodes.Order(StringComparer.Ordinal).First();
        var grid = await db.Grids.AsNoTracking().Where(g => g.Code == code).Select(g => new { g.Id, g.Boundary }).SingleAsync();
        return new Worker(actor, code, grid.Id, grid.Boundary);
    }

    /// <summary>Sweeps across the grid about 50 m apart, each clipped to the grid.</summary>
    private static LineString Lawnmower(Polygon boundary)
    {
        var envelope = boundary.EnvelopeInternal;
        var points = new List<Coordinate>();
        var row = 0;
        for (var y = envelope.MinY + 0.0002; y < envelope.MaxY; y += 0.00045, row++)
        {
            var sweep = Factory.CreateLineString([new Coordinate(envelope.MinX - 0.001, y), new Coordinate(envelope.MaxX + 0.001, y)]);
            if (boundary.Buffer(-0.00005).Intersection(sweep) is LineString { IsEmpty: false } inside)
            {
                points.AddRange(row % 2 == 0
                    ? new[] { inside.StartPoint.Coordinate, inside.EndPoint.Coordinate }
                    : new[] { inside.EndPoint.Coordinate, inside.StartPoint.Coordinate });
            }
        }
        return Factory.CreateLineString([.. points]);
    }

    private static LineString Shifted(LineString line, double east) =>
        Factory.CreateLineString(line.Coordinates.Select(c => new Coordinate(c.X + east, c.Y)).ToArray());

    private async Task<(int Patrols, int Cases)> CountsAsync()
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
        return (await db.Patrols.CountAsync(), await db.Cases.CountAsync());
    }

    private async Task<RecordedPatrol> RecordAsync(Worker worker, DateTimeOffset start, LineString track, IReadOnlyList<PatrolProblem>? problems = null, string? gridCode = null, CaseActor? actor = null,
        Guid? submissionId = null)
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PatrolService>()
            .RecordAsync(actor ?? worker.Actor, gridCode ?? worker.GridCode, start, start.AddMinutes(50), track, "沿街巡查", problems, submissionId: submissionId);
    }

    private async Task<DomainException> RefusedAsync(Func<Task> record)
    {
        var before = await CountsAsync();
        var error = await Assert.ThrowsAsync<DomainException>(record);
        Assert.Equal(before, await CountsAsync());
        return error;
    }

    private async Task<int> CategoryIdAsync()
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<GridGovDbContext>().Categories
            .Where(c => c.IsActive).OrderBy(c => c.Code).Select(c => c.Id).FirstAsync();
    }

    private static DateTimeOffset HoursAgo(double hours) =>
        new(DateTimeOffset.UtcNow.AddHours(-hours).Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero);

    [Fact]
    public async Task A_worker_records_a_patrol_of_their_grid_with_its_coverage_and_the_problems_found_become_reports()
    {
        var worker = await WorkerAsync();
        var track = Lawnmower(worker.Boundary);
        var centre = worker.Boundary.InteriorPoint;
        var category = await CategoryIdAsync();
        var start = HoursAgo(3);

        var recorded = await RecordAsync(worker, start, track,
            [new PatrolProblem(category, "人行道上堆放建筑垃圾", centre.X, centre.Y), new PatrolProblem(category, "路灯不亮", centre.X + 0.0002, centre.Y, "测试路8号")]);

        await using var scope = fixture.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
        var patrol = await db.Patrols.AsNoTracking().SingleAsync(p => p.Id == recorded.PatrolId);
        var fit = await scope.ServiceProvider.GetRequiredService<IPatrolCoverage>().FitAsync(worker.GridId, track, Domain.Calendar.WorkingCalendar.ChinaDate(start));
        // The patrol's own reports: its keys, by its patroller (another test may have planted someone else's case
        // under one of a later patrol's keys, which must not count here).
        var cases = await PatrolReports.Of(db.Cases.AsNoTracking(), recorded.PatrolId, worker.Actor.StaffMemberId!.Value).OrderBy(c => c.Number).ToListAsync();

        Assert.False(recorded.AlreadyRecorded);
        Assert.Equal(worker.Actor.StaffMemberId, patrol.PatrollerStaffId);
        Assert.Equal(worker.GridId, patrol.GridId);
        Assert.Equal(start, patrol.StartedAt);
        Assert.Equal(track.NumPoints, patrol.Track.NumPoints);
        Assert.Equal(fit.Coverage, patrol.CoverageShare, 6);
        Assert.True(patrol.CoverageShare > 0.8, $"coverage {patrol.CoverageShare:P1}");
        Assert.Equal(2, cases.Count);
        Assert.Equal(recorded.CaseNumbers, cases.Select(c => c.Number));
        Assert.All(cases, c =>
        {
            Assert.Equal(CaseSource.GridWorkerPatrol, c.Source);
            Assert.Equal(CaseState.Reported, c.State);
            Assert.Equal(worker.Actor.StaffMemberId, c.ReporterStaffId);
        });
        Assert.Equal(PatrolReports.SubmissionId(recorded.PatrolId, 0), cases.Single(c => c.Description == "人行道上堆放建筑垃圾").SubmissionId);
        Assert.Contains("巡查发现", cases.Single(c => c.Description == "人行道上堆放建筑垃圾").Address);
        Assert.Equal("测试路8号", cases.Single(c => c.Description == "路灯不亮").Address);
    }

    [Fact]
    public async Task A_track_far_outside_the_grid_is_refused_and_nothing_is_written()
    {
        var worker = await WorkerAsync();
        var track = Shifted(Lawnmower(worker.Boundary), 0.02); // about 2 km east

        var error = await RefusedAsync(() => RecordAsync(worker, HoursAgo(5), track));

        Assert.Equal("patrol.track-outside-grid", error.Code);
        Assert.StartsWith("轨迹不在该网格内", error.Message);
    }

    [Fact]
    public async Task A_report_that_cannot_be_made_undoes_the_patrol_as_well()
    {
        var worker = await WorkerAsync();
        var centre = worker.Boundary.InteriorPoint;
        var category = await CategoryIdAsync();

        var error = await RefusedAsync(() => RecordAsync(worker, HoursAgo(6), Lawnmower(worker.Boundary),
            [new PatrolProblem(category, "井盖缺失", centre.X, centre.Y), new PatrolProblem(category, "位置在街道外", 121.5, 31.2)]));

        Assert.Equal("case.outside-street", error.Code);
    }

    [Fact]
    public async Task A_worker_cannot_record_a_patrol_of_a_grid_they_do_not_serve()
    {
        var worker = await WorkerAsync();
        await using var scope = fixture.Services.CreateAsyncScope();
        var other = await scope.ServiceProvider.GetRequiredService<GridGovDbContext>().Grids
            .Where(g => g.ValidTo == null && g.Code != worker.GridCode).OrderByDescending(g => g.Code).Select(g => g.Code).FirstAsync();

        var error = await RefusedAsync(() => RecordAsync(worker, HoursAgo(7), Lawnmower(worker.Boundary), gridCode: other));

        Assert.Equal("patrol.not-your-grid", error.Code);
        Assert.Contains(other, error.Message);
    }

    [Fact]
    public async Task Only_grid_workers_and_leaders_record_patrols()
    {
        var worker = await WorkerAsync();
        var secretary = await ActorAsync("secretary1");

        var error = await RefusedAsync(() => RecordAsync(worker, HoursAgo(8), Lawnmower(worker.Boundary), actor: secretary));

        Assert.Equal("patrol.role", error.Code);
    }

    [Fact]
    public async Task Times_in_the_future_or_in_the_wrong_order_are_refused()
    {
        var worker = await WorkerAsync();
        var track = Lawnmower(worker.Boundary);
        await using var scope = fixture.Services.CreateAsyncScope();
        var service = scope.ServiceProvider.GetRequiredService<PatrolService>();
        var start = HoursAgo(9);

        var future = await RefusedAsync(() => RecordAsync(worker, DateTimeOffset.UtcNow.AddHours(2), track));
        var backwards = await RefusedAsync(() => service.RecordAsync(worker.Actor, worker.GridCode, start, start.AddMinutes(-10), track, null));
        var tooLong = await RefusedAsync(() => service.RecordAsync(worker.Actor, worker.GridCode, start.AddDays(-3), start, track, null));

        Assert.Equal("patrol.start-future", future.Code);
        Assert.Equal("patrol.times", backwards.Code);
        Assert.Equal("patrol.too-long", tooLong.Code);
    }

    [Fact]
    public async Task A_patrol_in_a_month_whose_review_is_signed_off_is_refused()
    {
        var worker = await WorkerAsync();
        var today = Domain.Calendar.WorkingCalendar.ChinaDate(DateTimeOffset.UtcNow);
        // Two months back: the other tests of this class record patrols hours ago, which on the first day of a
        // month (China time) falls in the previous month, and must not meet this sign-off.
        var signedMonth = new DateOnly(today.Year, today.Month, 1).AddMonths(-2);
        await using (var scope = fixture.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
            var review = await db.MonthlyReviews.SingleOrDefaultAsync(r => r.GridCode == worker.GridCode && r.Month == signedMonth);
            if (review is null)
            {
                review = new MonthlyReview(worker.GridCode, signedMonth);
                db.MonthlyReviews.Add(review);
            }
            if (!review.IsSignedOff)
            {
                var leader = await db.GridAssignments.Where(a => a.GridCode == worker.GridCode && a.Duty == GridDuty.Leader).Select(a => a.StaffMemberId).FirstAsync();
                review.SignOff(leader, "本月工作正常", DateTimeOffset.UtcNow, today);
            }
            await db.SaveChangesAsync();
        }
        var start = new DateTimeOffset(signedMonth.Year, signedMonth.Month, 10, 9, 17, 0, TimeSpan.FromHours(8));

        var error = await RefusedAsync(() => RecordAsync(worker, start, Lawnmower(worker.Boundary)));

        Assert.Equal("patrol.month-signed-off", error.Code);
        Assert.Contains("已签署", error.Message);
    }

    [Fact]
    public async Task Posting_the_same_patrol_twice_stores_it_once()
    {
        var worker = await WorkerAsync();
        var start = HoursAgo(10);
        var track = Lawnmower(worker.Boundary);
        var category = await CategoryIdAsync();
        var centre = worker.Boundary.InteriorPoint;
        PatrolProblem[] problems = [new PatrolProblem(category, "绿化带内有垃圾", centre.X, centre.Y)];

        var first = await RecordAsync(worker, start, track, problems);
        var counts = await CountsAsync();
        var second = await RecordAsync(worker, start, track, problems);

        Assert.Equal(first.PatrolId, second.PatrolId);
        Assert.True(second.AlreadyRecorded);
        Assert.Equal(first.CaseNumbers, second.CaseNumbers);
        Assert.Equal(counts, await CountsAsync());
    }

    [Fact]
    public async Task A_report_posted_by_someone_else_with_a_patrols_predictable_submission_id_does_not_swallow_the_patrols_report()
    {
        var worker = await WorkerAsync();
        var intruder = await ActorAsync("leader1");
        var centre = worker.Boundary.InteriorPoint;
        var category = await CategoryIdAsync();
        long lastPatrol;
        await using (var scope = fixture.Services.CreateAsyncScope())
        {
            lastPatrol = await scope.ServiceProvider.GetRequiredService<GridGovDbContext>().Patrols.MaxAsync(p => p.Id);
        }
        // The next patrols' first report ids are predictable: someone else posts them through the report form first.
        var planted = new List<string>();
        for (var next = lastPatrol + 1; next <= lastPatrol + 3; next++)
        {
            await using var scope = fixture.Services.CreateAsyncScope();
            var planting = await scope.ServiceProvider.GetRequiredService<CaseWorkflowService>().ReportAsync(new ReportCase(category, "抢先占用的上报",
                centre.X, centre.Y, "测试路1号", CaseSource.GridWorkerPatrol, CasePriority.Normal, "网格长", null, [], PatrolReports.SubmissionId(next, 0)), intruder);
            planted.Add(planting.Number);
        }

        var recorded = await RecordAsync(worker, HoursAgo(30), Lawnmower(worker.Boundary), [new PatrolProblem(category, "消防通道被占用", centre.X, centre.Y)]);

        var number = Assert.Single(recorded.CaseNumbers);
        Assert.DoesNotContain(number, planted);
        await using var check = fixture.Services.CreateAsyncScope();
        var db = check.ServiceProvider.GetRequiredService<GridGovDbContext>();
        var reported = await db.Cases.AsNoTracking().SingleAsync(c => c.Number == number);
        Assert.Equal(worker.Actor.StaffMemberId, reported.ReporterStaffId);
        Assert.Equal("消防通道被占用", reported.Description);
        var detail = await check.ServiceProvider.GetRequiredService<PatrolQueries>().DetailAsync(recorded.PatrolId, worker.Actor);
        Assert.Equal([number], detail!.Reports.Select(r => r.Number));
    }

    [Fact]
    public async Task Posts_of_the_same_patrol_racing_each_other_store_it_and_its_report_once()
    {
        var worker = await WorkerAsync();
        var start = HoursAgo(7);
        var track = Lawnmower(worker.Boundary);
        var category = await CategoryIdAsync();
        var centre = worker.Boundary.InteriorPoint;
        PatrolProblem[] problems = [new PatrolProblem(category, "路面有坑洼", centre.X, centre.Y)];
        var before = await CountsAsync();

        // Each post in its own scope and connection, as on two app nodes.
        var posts = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => RecordAsync(worker, start, track, problems))));

        Assert.Single(posts.Select(p => p.PatrolId).Distinct());
        Assert.Single(posts, p => !p.AlreadyRecorded);
        Assert.All(posts, p => Assert.Equal(posts[0].CaseNumbers, p.CaseNumbers));
        Assert.Equal((before.Patrols + 1, before.Cases + 1), await CountsAsync());
    }

    [Fact]
    public async Task A_replayed_patrol_form_returns_the_first_patrol_by_its_submission_id_and_writes_nothing_more()
    {
        var worker = await WorkerAsync();
        var start = HoursAgo(40);
        var track = Lawnmower(worker.Boundary);
        var category = await CategoryIdAsync();
        var centre = worker.Boundary.InteriorPoint;
        var submission = Guid.NewGuid();

        var first = await RecordAsync(worker, start, track, [new PatrolProblem(category, "井盖缺失", centre.X, centre.Y)], submissionId: submission);
        var counts = await CountsAsync();
        // The same form sent again after its times were edited: the submission id, not the times, says it is the same post.
        var replay = await RecordAsync(worker, start.AddMinutes(-20), Shifted(track, 0.00001), [new PatrolProblem(category, "井盖缺失", centre.X, centre.Y)], submissionId: submission);

        Assert.False(first.AlreadyRecorded);
        Assert.True(replay.AlreadyRecorded);
        Assert.Equal(first.PatrolId, replay.PatrolId);
        Assert.Equal(first.CaseNumbers, replay.CaseNumbers);
        Assert.Equal(counts, await CountsAsync());
        await using var scope = fixture.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<GridGovDbContext>().Patrols.AsNoTracking().SingleAsync(p => p.SubmissionId == submission);
        Assert.Equal((first.PatrolId, start), (stored.Id, stored.StartedAt));
    }

    [Fact]
    public async Task Another_persons_patrol_submission_id_is_refused_and_nothing_is_written()
    {
        var worker = await WorkerAsync();
        var leader = await WorkerAsync("leader1");
        var submission = Guid.NewGuid();
        var mine = await RecordAsync(worker, HoursAgo(44), Lawnmower(worker.Boundary), submissionId: submission);

        var error = await RefusedAsync(() => RecordAsync(leader, HoursAgo(46), Lawnmower(leader.Boundary), submissionId: submission));

        Assert.Equal(Submissions.ForeignCode, error.Code);
        Assert.Contains("已被他人使用", error.Message);
        await using var scope = fixture.Services.CreateAsyncScope();
        var holders = await scope.ServiceProvider.GetRequiredService<GridGovDbContext>().Patrols.AsNoTracking()
            .Where(p => p.SubmissionId == submission).Select(p => new { p.Id, p.PatrollerStaffId }).ToListAsync();
        var only = Assert.Single(holders);
        Assert.Equal((mine.PatrolId, worker.Actor.StaffMemberId!.Value), (only.Id, only.PatrollerStaffId));
    }

    [Fact]
    public async Task A_new_form_for_a_patrol_already_stored_still_returns_it_by_its_patroller_grid_and_times()
    {
        var worker = await WorkerAsync();
        var start = HoursAgo(50);
        var track = Lawnmower(worker.Boundary);

        var first = await RecordAsync(worker, start, track, submissionId: Guid.NewGuid());
        var counts = await CountsAsync();
        var again = await RecordAsync(worker, start, track, submissionId: Guid.NewGuid()); // the page reloaded: a new form, the same patrol

        Assert.True(again.AlreadyRecorded);
        Assert.Equal(first.PatrolId, again.PatrolId);
        Assert.Equal(counts, await CountsAsync());
    }
}
