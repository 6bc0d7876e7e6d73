using GridGov.Application.Cases;
using GridGov.Application.Tests.Cases;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Patrols;
using GridGov.Infrastructure.Persistence;
using GridGov.TestSupport.GridGov;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NetTopologySuite.Geometries;

namespace GridGov.Application.Tests.Evaluation;

/// <summary>The people and cases of the constructed April: R was returned, X runs over the May holidays.</summary>
public sealed record ConstructedApril(CaseActor Dispatcher, CaseActor Handler, CaseActor Worker, string GridCode, int R, int X);

/// <summary>
/// A copy of the demo street (whose own cases, visits and patrols lie months later) with April 2026 worked through the
/// real workflow once per test class: a month whose every figure is known.
/// </summary>
public class EvaluationScenario : CaseScenario
{
    public static readonly DateOnly April = new(2026, 4, 1);
    private const string FireLaneBlocked = "1101"; // 安全隐患

    private readonly SemaphoreSlim _once = new(1, 1);
    private ConstructedApril? _april;

    public async Task<ConstructedApril> AprilAsync()
    {
        await _once.WaitAsync();
        try
        {
            return _april ??= await ConstructAsync();
        }
        finally
        {
            _once.Release();
        }
    }

    /// <summary>
    /// Worker1 patrols his grid on Mon 20 April 09:00–10:00 and reports A (09:30, in time), B (13:00, after the 2-hour grace)
    /// and C (13:05, rejected); a resident reports R (13:10, another channel: missed by the grid). Dispatcher1 registers A in
    /// time, B late, R in time; dispatches A in time and R late to handler1's department, which returns R; voids B. Handler1
    /// feeds A back in time, worker1 verifies it in time and it is archived. On Thu 30 April worker1 reports X, a hazard,
    /// registered and dispatched in time; its one working day runs over the May holidays to 6 May.
    /// </summary>
    private async Task<ConstructedApril> ConstructAsync()
    {
        var dispatcher = await this.ActorAsync("dispatcher1");
        var handler = await this.ActorAsync("handler1");
        var worker = await this.ActorAsync("worker1");
        var grid = await this.GridOfAsync("worker1");
        var department = handler.DepartmentId!.Value;
        var at = Clock;

        at.Set(TestClock.China(2026, 4, 20, 10, 0));
        await AddPatrolAsync(worker, grid, TestClock.China(2026, 4, 20, 9, 0), TestClock.China(2026, 4, 20, 10, 0));

        at.Set(TestClock.China(2026, 4, 20, 9, 30));
        var a = await ReportAsync(worker, grid, CaseTestData.ExposedRubbish);
        at.Set(TestClock.China(2026, 4, 20, 9, 40));
        await this.DoAsync(s => s.RegisterAsync(a.Id, dispatcher, null, null));
        at.Set(TestClock.China(2026, 4, 20, 9, 50));
        await this.DoAsync(s => s.DispatchAsync(a.Id, dispatcher, department));
        at.Set(TestClock.China(2026, 4, 20, 10, 0));
        await this.DoAsync(s => s.AcceptAsync(a.Id, handler));

        at.Set(TestClock.China(2026, 4, 20, 13, 0));
        var b = await ReportAsync(worker, grid, CaseTestData.ExposedRubbish);
        at.Set(TestClock.China(2026, 4, 20, 13, 5));
        var c = await ReportAsync(worker, grid, CaseTestData.ExposedRubbish);
        at.Set(TestClock.China(2026, 4, 20, 13, 10));
        var r = await this.ReportAsync(grid);
        at.Set(TestClock.China(2026, 4, 20, 13, 20));
        await this.DoAsync(s => s.RegisterAsync(r.Id, dispatcher, null, null));
        at.Set(TestClock.China(2026, 4, 20, 13, 30));
        await this.DoAsync(s => s.RejectAsync(c.Id, dispatcher, "已清运，不予立案"));
        at.Set(TestClock.China(2026, 4, 20, 14, 10)); // 30 working minutes from 13:00 end at 14:00 (lunch is 12:00–13:30)
        await this.DoAsync(s => s.RegisterAsync(b.Id, dispatcher, null, null));
        at.Set(TestClock.China(2026, 4, 20, 14, 30));
        await this.DoAsync(s => s.DispatchAsync(r.Id, dispatcher, department));
        at.Set(TestClock.China(2026, 4, 20, 15, 0));
        await this.DoAsync(s => s.ReturnAsync(r.Id, handler, "不属于本部门职责"));
        at.Set(TestClock.China(2026, 4, 20, 15, 10));
        await this.DoAsync(s => s.VoidAsync(b.Id, dispatcher, "重复登记，作废"));

        at.Set(TestClock.China(2026, 4, 21, 9, 0));
        await this.DoAsync(s => s.SubmitFeedbackAsync(a.Id, handler, "垃圾已清运", [CaseScenario.Photo()]));
        at.Set(TestClock.China(2026, 4, 21, 9, 30));
        await this.DoAsync(s => s.VerifyAsync(a.Id, worker));
        at.Set(TestClock.China(2026, 4, 21, 9, 40));
        await this.DoAsync(s => s.ArchiveAsync(a.Id, dispatcher));

        at.Set(TestClock.China(2026, 4, 30, 15, 0));
        var x = await ReportAsync(worker, grid, FireLaneBlocked);
        at.Set(TestClock.China(2026, 4, 30, 15, 10));
        await this.DoAsync(s => s.RegisterAsync(x.Id, dispatcher, null, null));
        at.Set(TestClock.China(2026, 4, 30, 15, 20));
        x = await this.DoAsync(s => s.DispatchAsync(x.Id, dispatcher, department));
        Assert.Equal(TestClock.China(2026, 5, 6, 15, 20), x.HandleDue);

        return new ConstructedApril(dispatcher, handler, worker, grid, r.Id, x.Id);
    }

    private async Task<Case> ReportAsync(CaseActor worker, string gridCode, string category)
    {
        var (longitude, latitude) = await this.PointInGridAsync(gridCode);
        var categoryId = (await this.CategoryAsync(category)).Id;
        return await this.DoAsync(s => s.ReportAsync(new ReportCase(categoryId, "巡查发现问题", longitude, latitude, "云帆街道某路口",
            CaseSource.GridWorkerPatrol, CasePriority.Normal, worker.Name, "13912345678", []), worker));
    }

    private async Task AddPatrolAsync(CaseActor worker, string gridCode, DateTimeOffset start, DateTimeOffset end)
    {
        var (longitude, latitude) = await this.PointInGridAsync(gridCode);
        await this.WithAsync(async p =>
        {
            var db = p.GetRequiredService<GridGovDbContext>();
            var gridId = await db.Grids.Where(g => g.Code == gridCode && g.ValidTo == null).Select(g => g.Id).SingleAsync();
            var factory = new GeometryFactory(new PrecisionModel(), Srid.Wgs84);
            var track = factory.CreateLineString([new Coordinate(longitude, latitude), new Coordinate(longitude + 0.0002, latitude + 0.0001)]);
            db.Patrols.Add(new Patrol(gridId, worker.StaffMemberId!.Value, start.ToUniversalTime(), end.ToUniversalTime(), track, "例行巡查"));
            await db.SaveChangesAsync();
            var day = DateOnly.FromDateTime(start.ToOffset(TimeSpan.FromHours(8)).DateTime);
            await p.GetRequiredService<Application.Patrols.IPatrolCoverage>().RefreshDaysAsync([gridId], day, day.AddDays(1));
            return true;
        });
    }
}
