using System.Collections.Concurrent;
using GridGov.Application.Cases;
using GridGov.Application.Patrols;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace GridGov.Application.Tests.Cases;

/// <summary>
/// The live pages hear of a case change only once it is committed: on this node through the in-process notifier, on
/// the others through PostgreSQL NOTIFY sent in the same transaction. A rolled-back or refused change says nothing.
/// </summary>
public sealed class CaseChangeNotificationTests(CaseScenario scenario) : IClassFixture<CaseScenario>, IAsyncLifetime
{
    private static readonly TimeSpan Heard = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Silence = TimeSpan.FromSeconds(1);
    private readonly ConcurrentQueue<CaseChanged> _local = new();
    private readonly ConcurrentQueue<string> _database = new();
    private NpgsqlConnection _listener = null!;
    private IDisposable _subscription = null!;
    private CancellationTokenSource _stop = null!;
    private Task _listening = null!;

    public async Task InitializeAsync()
    {
        _subscription = scenario.Services.GetRequiredService<CaseChangeNotifier>().Subscribe(change =>
        {
            _local.Enqueue(change);
            return Task.CompletedTask;
        });
        // What another node hears: a plain LISTEN on the channel.
        _listener = new NpgsqlConnection(scenario.ConnectionString);
        await _listener.OpenAsync();
        _listener.Notification += (_, e) => _database.Enqueue(e.Payload);
        await using (var listen = new NpgsqlCommand("LISTEN gridgov_case_changed", _listener))
        {
            await listen.ExecuteNonQueryAsync();
        }
        _stop = new CancellationTokenSource();
        _listening = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    await _listener.WaitAsync(_stop.Token);
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

    public async Task DisposeAsync()
    {
        _subscription.Dispose();
        await _stop.CancelAsync();
        await _listening;
        await _listener.DisposeAsync();
        _stop.Dispose();
    }

    private static async Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan within)
    {
        var until = DateTime.UtcNow + within;
        while (DateTime.UtcNow < until)
        {
            if (condition())
            {
                return true;
            }
            await Task.Delay(20);
        }
        return condition();
    }

    private bool HeardLocally(Case @case, CaseState state) => _local.Any(c => c.CaseId == @case.Id && c.Number == @case.Number && c.State == state);

    private bool HeardFromDatabase(Case @case, string state) =>
        _database.Any(p => p.Contains($"\"{@case.Number}\"", StringComparison.Ordinal) && p.Contains($"\"{state}\"", StringComparison.Ordinal));

    [Fact]
    public async Task A_committed_report_and_registration_are_heard_on_this_node_and_through_the_database()
    {
        var dispatcher = await scenario.ActorAsync("dispatcher1");

        var reported = await scenario.ReportAsync(await scenario.GridOfAsync("leader1"));
        Assert.True(await EventuallyAsync(() => HeardLocally(reported, CaseState.Reported), Heard), "the report was not raised on this node");
        Assert.True(await EventuallyAsync(() => HeardFromDatabase(reported, "Reported"), Heard), "the report was not notified through the database");

        await scenario.DoAsync(s => s.RegisterAsync(reported.Id, dispatcher, null, null));
        Assert.True(await EventuallyAsync(() => HeardLocally(reported, CaseState.Registered), Heard), "the registration was not raised on this node");
        Assert.True(await EventuallyAsync(() => HeardFromDatabase(reported, "Registered"), Heard), "the registration was not notified through the database");
    }

    [Fact]
    public async Task A_change_inside_a_callers_transaction_is_heard_only_when_that_transaction_commits()
    {
        var dispatcher = await scenario.ActorAsync("dispatcher1");
        var reported = await scenario.ReportAsync(await scenario.GridOfAsync("leader1"));
        await EventuallyAsync(() => HeardLocally(reported, CaseState.Reported), Heard);

        await using var scope = scenario.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
        await using var outer = await db.Database.BeginTransactionAsync();
        var workflow = scope.ServiceProvider.GetRequiredService<CaseWorkflowService>(); // joins the transaction open on its context
        await workflow.RegisterAsync(reported.Id, dispatcher, null, null);

        // Saved, but not committed: nobody may hear of it yet.
        await Task.Delay(Silence);
        Assert.False(HeardLocally(reported, CaseState.Registered), "raised before the commit");
        Assert.False(HeardFromDatabase(reported, "Registered"), "notified before the commit");

        await outer.CommitAsync();
        Assert.True(await EventuallyAsync(() => HeardLocally(reported, CaseState.Registered), Heard), "not raised after the commit");
        Assert.True(await EventuallyAsync(() => HeardFromDatabase(reported, "Registered"), Heard), "not notified after the commit");
    }

    [Fact]
    public async Task A_rolled_back_change_is_heard_nowhere_and_the_next_commit_on_the_same_context_does_not_carry_it()
    {
        var dispatcher = await scenario.ActorAsync("dispatcher1");
        var reported = await scenario.ReportAsync(await scenario.GridOfAsync("leader1"));
        var other = await scenario.ReportAsync(await scenario.GridOfAsync("leader1"));
        await EventuallyAsync(() => HeardLocally(other, CaseState.Reported), Heard);

        await using var scope = scenario.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
        await using (var outer = await db.Database.BeginTransactionAsync())
        {
            var workflow = scope.ServiceProvider.GetRequiredService<CaseWorkflowService>(); // joins the transaction open on its context
            await workflow.RegisterAsync(reported.Id, dispatcher, null, null);
            await outer.RollbackAsync();
        }
        db.ChangeTracker.Clear();
        // The same context commits another change: only that one is heard.
        await scope.ServiceProvider.GetRequiredService<CaseWorkflowService>().RegisterAsync(other.Id, dispatcher, null, null);

        Assert.True(await EventuallyAsync(() => HeardLocally(other, CaseState.Registered), Heard), "the committed change was not raised");
        Assert.True(await EventuallyAsync(() => HeardFromDatabase(other, "Registered"), Heard), "the committed change was not notified");
        await Task.Delay(Silence);
        Assert.False(HeardLocally(reported, CaseState.Registered), "a rolled-back change was raised");
        Assert.False(HeardFromDatabase(reported, "Registered"), "a rolled-back change was notified");
        Assert.Equal(CaseState.Reported, (await scenario.ReloadAsync(reported.Id)).State);
    }

    [Fact]
    public async Task A_refused_transition_is_heard_nowhere()
    {
        var dispatcher = await scenario.ActorAsync("dispatcher1");
        var reported = await scenario.ReportAsync(await scenario.GridOfAsync("leader1"));
        await EventuallyAsync(() => HeardLocally(reported, CaseState.Reported), Heard);
        var heardBefore = _local.Count(c => c.CaseId == reported.Id);

        // Archiving a case that was only reported is not a transition of the workflow.
        await Assert.ThrowsAsync<DomainException>(() => scenario.DoAsync(s => s.ArchiveAsync(reported.Id, dispatcher)));

        await Task.Delay(Silence);
        Assert.Equal(heardBefore, _local.Count(c => c.CaseId == reported.Id));
        Assert.DoesNotContain(_database, p => p.Contains($"\"{reported.Number}\"", StringComparison.Ordinal) && !p.Contains("\"Reported\"", StringComparison.Ordinal));
    }
}
