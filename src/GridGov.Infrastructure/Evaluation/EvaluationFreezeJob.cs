using GridGov.Application.Evaluation;
using GridGov.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GridGov.Infrastructure.Evaluation;

/// <summary>
/// Freezes each month's evaluation on the first working day after it (or the first run after that, if the app was down):
/// every hour, on the node that holds the lock; the unique index on current snapshots is the last guard.
/// </summary>
internal sealed class EvaluationFreezeJob(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<EvaluationFreezeJob> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);
    private static readonly TimeSpan FirstRunDelay = TimeSpan.FromSeconds(30);
    private const long FreezeLockKey = 0x4576616c4672; // "EvalFr"

    /// <summary>Set false where nothing may write on its own (the web tests' apps, whose bad-input tests fingerprint the database).</summary>
    public const string EnabledSetting = "Evaluation:FreezeOnSchedule";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue(EnabledSetting, defaultValue: true))
        {
            logger.LogInformation("The monthly evaluation is not frozen on schedule on this node ({Setting} is false)", EnabledSetting);
            return;
        }
        await Task.Delay(FirstRunDelay, stoppingToken);
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
                await using var transaction = await db.Database.BeginTransactionAsync(stoppingToken);
                var mine = await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock({FreezeLockKey}) AS \"Value\"").SingleAsync(stoppingToken);
                if (mine)
                {
                    var frozen = await scope.ServiceProvider.GetRequiredService<MonthlyEvaluationService>().FreezeDueMonthsAsync(stoppingToken);
                    await transaction.CommitAsync(stoppingToken);
                    if (frozen.Count > 0)
                    {
                        logger.LogInformation("Froze the evaluation of {Months}", string.Join(", ", frozen.Select(m => m.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture))));
                    }
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogWarning(exception, "Freezing the monthly evaluation failed; retrying in {Interval}", Interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
