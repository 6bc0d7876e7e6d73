using System.Text;
using System.Text.Json;
using GridGov.Application.Hotline;
using GridGov.Application.Tests.Cases;
using GridGov.Domain.Cases;
using GridGov.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Application.Tests.Hotline;

/// <summary>
/// The real container on a copy of the demo street with the hotline configured, a movable clock, and a status client the
/// test switches between taking and refusing pushes (the HTTP client itself is tested against a fake hotline in Web.Tests).
/// </summary>
public sealed class HotlineScenario : CaseScenario
{
    public const string Secret = "test-hotline-secret";

    public RecordingStatusClient Status { get; } = new();

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.Configure<HotlineOptions>(o =>
        {
            o.SharedSecret = Secret;
            o.StatusUrl = "http://127.0.0.1:9/status";
            o.MaxAttempts = 4;
            o.FirstRetrySeconds = 30;
            o.MaxRetrySeconds = 600;
        });
        services.AddSingleton<IHotlineStatusClient>(Status);
    }

    /// <summary>Posts a body signed now (by the test clock) through the inbound service.</summary>
    public Task<HotlineReceipt> ReceiveAsync(byte[] body, string? secret = null, DateTimeOffset? signedAt = null) => WithAsync(provider =>
    {
        var timestamp = HotlineSignature.Timestamp(signedAt ?? Clock.GetUtcNow());
        return provider.GetRequiredService<HotlineOrders>().ReceiveAsync(body, timestamp, HotlineSignature.Sign(secret ?? Secret, timestamp, body));
    });

    public static byte[] Body(object order) => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(order));

    public static string NewOrderNumber() => "GD" + Guid.NewGuid().ToString("N")[..16].ToUpperInvariant();

    public Task<string> AnyGridCodeAsync() => WithAsync(provider =>
        provider.GetRequiredService<GridGovDbContext>().Grids.AsNoTracking().Where(g => g.ValidTo == null).OrderBy(g => g.Code).Select(g => g.Code).FirstAsync());

    public Task<Case> CaseAsync(string number) => WithAsync(provider =>
        provider.GetRequiredService<GridGovDbContext>().Cases.AsNoTracking().Include(c => c.History).SingleAsync(c => c.Number == number));
}

/// <summary>Records what would be pushed; <see cref="Down"/> makes every push fail as a hotline answering 503 would.</summary>
public sealed class RecordingStatusClient : IHotlineStatusClient
{
    private readonly List<JsonDocument> _received = [];

    public bool Down { get; set; }

    public IReadOnlyList<JsonDocument> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    public Task SendAsync(Uri url, byte[] body, string timestamp, string signature, CancellationToken cancellationToken = default)
    {
        if (Down)
        {
            throw new HotlineDeliveryException("HTTP 503 Service Unavailable");
        }
        if (signature != HotlineSignature.Sign(HotlineScenario.Secret, timestamp, body))
        {
            throw new InvalidOperationException("The push was not signed with the shared secret.");
        }
        lock (_received)
        {
            _received.Add(JsonDocument.Parse(body));
        }
        return Task.CompletedTask;
    }
}
