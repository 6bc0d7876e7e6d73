using System.Text;
using System.Text.Json;
using GridGov.Application.Cases;
using GridGov.Application.Hotline;
using GridGov.Domain.Cases;
using GridGov.Infrastructure.Persistence;
using GridGov.TestSupport.GridGov;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Application.Tests.Hotline;

/// <summary>
/// The real container on a copy of the demo street with the hotline configured, a movable clock, and a status client the
/// test switches between taking and refusing pushes (the HTTP client itself is tested against a fake hotline in Web.Tests).
/// </summary>
public sealed class HotlineScenario : DemoStreetDatabaseFixture
{
    public const string Secret = "test-hotline-secret";

    private ServiceProvider? _services;

    public TestClock Clock { get; } = new(TestClock.China(2026, 11, 23, 9));

    public RecordingStatusClient Status { get; } = new();

    public new ServiceProvider Services => _services ??= GridGovServices.Create(ConnectionString, Clock, services =>
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
    });

    public async Task<T> WithAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    public Task<Case> DoAsync(Func<CaseWorkflowService, Task<Case>> action) =>
        WithAsync(provider => action(provider.GetRequiredService<CaseWorkflowService>()));

    public Task<CaseActor> ActorAsync(string userName) => WithAsync(async provider =>
    {
        var db = provider.GetRequiredService<GridGovDbContext>();
        var staffId = await db.Users.Where(u => u.UserName == userName).Select(u => u.StaffMemberId).SingleAsync()
            ?? throw new InvalidOperationException($"{userName} has no staff member");
        return await provider.GetRequiredService<CaseActors>().ForStaffAsync(staffId);
    });

    /// <summary>Posts a body signed now (by the test clock) through the inbound service.</summary>
    public Task<HotlineReceipt> ReceiveAsync(byte[] body, string? secret = null, DateTimeOffset? signedAt = null) => WithAsync(provider =>
    {
        var timestamp = HotlineSignature.Timestamp(signedAt ?? Clock.GetUtcNow());
        return provider.GetRequiredService<HotlineOrders>().ReceiveAsync(body, timestamp, HotlineSignature.Sign(secret ?? Secret, timestamp, body));
    });

    public static byte[] Body(object order) => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(order));

    public static string NewOrderNumber() => "GD" + Guid.NewGuid().ToString("N")[..16].ToUpperInvariant();

    /// <summary>A point well inside the grid (PostGIS's point on surface).</summary>
    public Task<(double Longitude, double Latitude)> PointInGridAsync(string gridCode) => WithAsync(async provider =>
    {
        var db = provider.GetRequiredService<GridGovDbContext>();
        var xy = await db.Database.SqlQuery<double>($"""
            SELECT unnest(ARRAY[ST_X(p), ST_Y(p)]) AS "Value" FROM (SELECT ST_PointOnSurface(boundary) AS p FROM grids WHERE code = {gridCode}) g
            """).ToListAsync();
        return (xy[0], xy[1]);
    });

    public Task<string> AnyGridCodeAsync() => WithAsync(provider =>
        provider.GetRequiredService<GridGovDbContext>().Grids.AsNoTracking().Where(g => g.ValidTo == null).OrderBy(g => g.Code).Select(g => g.Code).FirstAsync());

    public Task<Case> CaseAsync(string number) => WithAsync(provider =>
        provider.GetRequiredService<GridGovDbContext>().Cases.AsNoTracking().Include(c => c.History).SingleAsync(c => c.Number == number));

    public override async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
        await base.DisposeAsync();
    }
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
