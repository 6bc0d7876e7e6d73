using System.Collections.Concurrent;
using System.Diagnostics;
using GridGov.Application.Cases;
using GridGov.Domain.Cases;
using GridGov.Infrastructure.Cases;
using GridGov.Infrastructure.Persistence;
using GridGov.Web.Tests.Faults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace GridGov.Web.Tests.Live;

/// <summary>
/// A change committed on one app node reaches the live pages of another node through PostgreSQL LISTEN/NOTIFY, and
/// still does after the listening connection was cut (the database restarted, a proxy dropped it).
/// </summary>
public sealed class CaseChangesAcrossNodesTests(TwoNodes nodes, ITestOutputHelper output) : IClassFixture<TwoNodes>
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(2);

    private static async Task<Case> ReportOnAsync(IServiceProvider node, string description)
    {
        await using var scope = node.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
        var staffId = await db.Users.Where(u => u.UserName == "worker1").Select(u => u.StaffMemberId).SingleAsync();
        var gridCode = await db.GridAssignments.Where(a => a.StaffMemberId == staffId).OrderBy(a => a.GridCode).Select(a => a.GridCode).FirstAsync();
        var xy = await db.Database.SqlQuery<double>($"""
            SELECT unnest(ARRAY[ST_X(p), ST_Y(p)]) AS "Value" FROM (SELECT ST_PointOnSurface(boundary) AS p FROM grids WHERE code = {gridCode} AND valid_to IS NULL) g
            """).ToListAsync();
        var categoryId = await db.Categories.Where(c => c.Code == "0501").Select(c => c.Id).SingleAsync();
        return await scope.ServiceProvider.GetRequiredService<CaseWorkflowService>().ReportAsync(new ReportCase(categoryId, description, xy[0], xy[1], "云帆路1号",
            CaseSource.Resident, CasePriority.Normal, "李明", "13912345678", []), CaseActor.Public("李明"));
    }

    private static async Task<CaseChanged> HeardAsync(ConcurrentQueue<CaseChanged> heard, Case @case, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < within)
        {
            if (heard.FirstOrDefault(c => c.CaseId == @case.Id) is { } change)
            {
                return change;
            }
            await Task.Delay(10);
        }
        throw new Xunit.Sdk.XunitException($"case {@case.Number} was not heard within {within.TotalSeconds} s");
    }

    private static IDisposable Record(IServiceProvider node, ConcurrentQueue<CaseChanged> into) =>
        node.GetRequiredService<CaseChangeNotifier>().Subscribe(change =>
        {
            into.Enqueue(change);
            return Task.CompletedTask;
        });

    private static Task ListeningAsync(IServiceProvider node) =>
        node.GetRequiredService<CaseChangeListener>().Listening.WaitAsync(TimeSpan.FromSeconds(30));

    [Fact]
    public async Task A_case_reported_on_one_node_reaches_a_subscriber_on_the_other_within_two_seconds_and_its_own_node_hears_it_once()
    {
        var (a, b) = (nodes.ServicesOf(0), nodes.ServicesOf(1));
        await Task.WhenAll(ListeningAsync(a), ListeningAsync(b));
        var onA = new ConcurrentQueue<CaseChanged>();
        var onB = new ConcurrentQueue<CaseChanged>();
        using var subscriptionA = Record(a, onA);
        using var subscriptionB = Record(b, onB);

        var clock = Stopwatch.StartNew();
        var reported = await ReportOnAsync(a, "跨节点推送测试：人行道破损");
        var change = await HeardAsync(onB, reported, Within);
        output.WriteLine($"node B heard case {reported.Number} {clock.ElapsedMilliseconds} ms after the report began");

        Assert.Equal(reported.Number, change.Number);
        Assert.Equal(CaseState.Reported, change.State);
        await HeardAsync(onA, reported, Within);
        await Task.Delay(500);
        Assert.Single(onA, c => c.CaseId == reported.Id); // raised at commit, and not again when the NOTIFY comes back
        Assert.Single(onB, c => c.CaseId == reported.Id);
    }

    [Fact]
    public async Task After_the_listening_connection_is_cut_a_node_reconnects_tells_its_pages_to_read_again_and_hears_the_next_change()
    {
        var (a, b) = (nodes.ServicesOf(0), nodes.ServicesOf(1));
        await Task.WhenAll(ListeningAsync(a), ListeningAsync(b));
        var onB = new ConcurrentQueue<CaseChanged>();
        using var subscriptionB = Record(b, onB);

        await using (var scope = a.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
            var cut = await db.Database.SqlQuery<bool>(
                $"SELECT pg_terminate_backend(pid) AS \"Value\" FROM pg_stat_activity WHERE application_name = 'gridgov-case-listener' AND datname = current_database()").ToListAsync();
            Assert.NotEmpty(cut);
        }

        var clock = Stopwatch.StartNew();
        while (!onB.Any(c => c.IsAnything))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), "node B did not reconnect");
            await Task.Delay(20);
        }
        await ListeningAsync(b);
        var reported = await ReportOnAsync(a, "重连后推送测试：井盖缺失");
        await HeardAsync(onB, reported, Within);
    }
}
