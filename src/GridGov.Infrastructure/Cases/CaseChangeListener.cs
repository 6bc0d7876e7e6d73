using System.Text.Json;
using GridGov.Application.Cases;
using GridGov.Domain.Cases;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace GridGov.Infrastructure.Cases;

/// <summary>
/// This node's ear on the other nodes: one long-lived connection of its own (outside the pool) that LISTENs on
/// <see cref="PostgresCaseChangeFeed.Channel"/> and raises each change made elsewhere on the local
/// <see cref="CaseChangeNotifier"/> (its own changes were raised at commit already). When the connection is lost it
/// reconnects, with a growing pause, and then raises <see cref="CaseChanged.Anything"/>: what happened meanwhile was
/// not heard, so the live pages read again.
/// </summary>
public sealed class CaseChangeListener(IConfiguration configuration, CaseChangeNotifier notifier, ILogger<CaseChangeListener> logger) : BackgroundService
{
    private static readonly TimeSpan Ping = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(10);
    private TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once LISTEN is in place (again, after an outage).</summary>
    public Task Listening => Volatile.Read(ref _listening).Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(configuration.GetConnectionString(DependencyInjection.ConnectionStringName))
        {
            Pooling = false,
            ApplicationName = "gridgov-case-listener",
        }.ConnectionString;
        var pause = TimeSpan.FromMilliseconds(250);
        var missed = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) => Hear(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {PostgresCaseChangeFeed.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                if (missed)
                {
                    logger.LogInformation("Listening to case changes again");
                    notifier.Publish(CaseChanged.Anything);
                }
                missed = false;
                pause = TimeSpan.FromMilliseconds(250);
                Volatile.Read(ref _listening).TrySetResult();
                while (!stoppingToken.IsCancellationRequested)
                {
                    // A quiet connection is checked now and then: a dead one would otherwise wait for ever.
                    if (!await connection.WaitAsync(Ping, stoppingToken))
                    {
                        await using var ping = new NpgsqlCommand("SELECT 1", connection);
                        await ping.ExecuteScalarAsync(stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                if (!missed)
                {
                    logger.LogWarning(exception, "Listening to case changes failed; reconnecting");
                    if (Listening.IsCompleted)
                    {
                        Volatile.Write(ref _listening, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                    }
                }
                missed = true;
                try
                {
                    await Task.Delay(pause, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, MaxPause.Ticks));
            }
        }
    }

    private void Hear(string payload)
    {
        try
        {
            var message = JsonSerializer.Deserialize<CaseChangeMessage>(payload);
            if (message is null || message.Node == notifier.NodeId)
            {
                return;
            }
            notifier.Publish(new CaseChanged(message.Id, message.Number, Enum.TryParse<CaseState>(message.State, out var state) ? state : default));
        }
        catch (JsonException exception)
        {
            logger.LogWarning(exception, "A case change notification could not be read");
        }
    }
}
