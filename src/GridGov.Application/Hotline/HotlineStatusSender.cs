using System.Text.Json;
using System.Text.Json.Nodes;
using GridGov.Application.Common;
using GridGov.Domain.Calendar;
using GridGov.Domain.Cases;
using GridGov.Domain.Hotline;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GridGov.Application.Hotline;

/// <summary>Posts one signed status body to the hotline; throws <see cref="HotlineDeliveryException"/> when the hotline does not take it.</summary>
public interface IHotlineStatusClient
{
    Task SendAsync(Uri url, byte[] body, string timestamp, string signature, CancellationToken cancellationToken = default);
}

public sealed class HotlineDeliveryException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Empties the hotline's outbox: each pending push whose time has come, the oldest of its work order first (a later change
/// of an order waits while an earlier one is retried, so the hotline hears them in order), signed as the orders are
/// (<see cref="HotlineSignature"/>). A failure is retried with exponential backoff and dead-lettered after the last attempt
/// (<see cref="HotlinePushPolicy"/>); each push's outcome is saved on its own, so a crash resends at most the one in flight.
/// </summary>
public sealed partial class HotlineStatusSender(
    IGridGovDbContext db,
    IHotlineStatusClient client,
    IOptions<HotlineOptions> options,
    TimeProvider clock,
    ILogger<HotlineStatusSender> logger)
{
    public async Task<int> SendDueAsync(int batchSize = 50, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        if (!Uri.TryCreate(settings.StatusUrl, UriKind.Absolute, out var url) || string.IsNullOrEmpty(settings.SharedSecret))
        {
            return 0; // not configured: the pushes wait
        }
        var now = clock.GetUtcNow();
        var due = await db.HotlineStatusPushes
            .Where(p => p.Status == HotlinePushStatus.Pending && p.NextAttemptAt <= now
                        && !db.HotlineStatusPushes.Any(e => e.OrderNumber == p.OrderNumber && e.Status == HotlinePushStatus.Pending && e.Id < p.Id))
            .OrderBy(p => p.Id)
            .Take(batchSize)
            .ToListAsync(cancellationToken);
        var policy = settings.Policy;
        foreach (var push in due)
        {
            var body = Body(push);
            var timestamp = HotlineSignature.Timestamp(clock.GetUtcNow());
            try
            {
                await client.SendAsync(url, body, timestamp, HotlineSignature.Sign(settings.SharedSecret, timestamp, body), cancellationToken);
                push.MarkDelivered(clock.GetUtcNow());
                LogDelivered(push.Id, push.OrderNumber, push.Action);
            }
            catch (Exception exception) when (exception is HotlineDeliveryException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                push.MarkFailed(exception.Message, policy, clock.GetUtcNow());
                LogFailed(push.Id, push.OrderNumber, push.Attempts, push.Status, exception.Message);
            }
            await db.SaveChangesAsync(cancellationToken);
        }
        return due.Count;
    }

    /// <summary>The JSON the hotline receives for one push (times in China time with their offset).</summary>
    public static byte[] Body(HotlineStatusPush push)
    {
        ArgumentNullException.ThrowIfNull(push);
        var body = new JsonObject
        {
            ["order_no"] = push.OrderNumber,
            ["case_number"] = push.CaseNumber,
            ["status"] = HotlineStatusPush.HotlineStatusOf(push.Action, push.ToState),
            ["action"] = push.Action.ToString(),
            ["action_name"] = push.Action.ChineseName(),
            ["state"] = push.ToState.ToString(),
            ["state_name"] = push.ToState.ChineseName(),
            ["note"] = push.Note,
            ["due"] = push.Due is { } due ? WorkingCalendar.ToChinaTime(due).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture) : null,
            ["occurred_at"] = WorkingCalendar.ToChinaTime(push.OccurredAt).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture),
            ["push_id"] = push.Id,
        };
        return JsonSerializer.SerializeToUtf8Bytes(body, JsonOptions);
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [LoggerMessage(Level = LogLevel.Information, Message = "Hotline push {PushId} of order {OrderNumber} ({Action}) delivered")]
    private partial void LogDelivered(long pushId, string orderNumber, CaseAction action);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hotline push {PushId} of order {OrderNumber} failed (attempt {Attempts}, now {Status}): {Error}")]
    private partial void LogFailed(long pushId, string orderNumber, int attempts, HotlinePushStatus status, string error);
}
