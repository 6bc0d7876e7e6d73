using System.Text.Json;
using GridGov.Application.Hotline;
using GridGov.TestSupport.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace GridGov.Web.Tests.Hotline;

/// <summary>
/// The city's 12345 hotline as the tests need it: a <see cref="FakeServer"/> (Kestrel on a port the OS picks) whose status endpoint checks
/// the signature (401 when it does not hold), records each push it takes, and answers 503 while it is switched down.
/// </summary>
public sealed class FakeHotline : IAsyncDisposable
{
    private readonly List<JsonElement> _received = [];
    private readonly string _secret;
    private FakeServer _server = null!;
    private int _refused;

    private FakeHotline(string secret) => _secret = secret;

    public Uri StatusUrl { get; private set; } = null!;

    /// <summary>While true every push is answered 503 Service Unavailable.</summary>
    public bool Down { get; set; }

    /// <summary>Pushes answered 503 so far.</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>The pushes taken, in the order they arrived.</summary>
    public IReadOnlyList<JsonElement> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    public IReadOnlyList<JsonElement> ReceivedFor(string orderNumber) =>
        Received.Where(p => p.GetProperty("order_no").GetString() == orderNumber).ToList();

    public static async Task<FakeHotline> StartAsync(string secret)
    {
        var hotline = new FakeHotline(secret);
        hotline._server = await FakeServer.StartAsync(app => app.MapPost("/status", (Delegate)hotline.TakeAsync));
        hotline.StatusUrl = hotline._server.Url("/status");
        return hotline;
    }

    private async Task<IResult> TakeAsync(HttpContext http)
    {
        if (Down)
        {
            Interlocked.Increment(ref _refused);
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        var body = buffer.ToArray();
        try
        {
            HotlineSignature.Verify(_secret, http.Request.Headers[HotlineSignature.TimestampHeader], http.Request.Headers[HotlineSignature.SignatureHeader],
                body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));
        }
        catch (Domain.Common.DomainException)
        {
            return Results.StatusCode(StatusCodes.Status401Unauthorized);
        }
        using var document = JsonDocument.Parse(body);
        lock (_received)
        {
            _received.Add(document.RootElement.Clone());
        }
        return Results.Ok(new { result = "ok" });
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();
}
