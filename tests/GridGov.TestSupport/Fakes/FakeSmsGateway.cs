using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace GridGov.TestSupport.Fakes;

/// <summary>One message as it reached the fake gateway.</summary>
public sealed record ReceivedSms(string Phone, string SignName, string TemplateId, IReadOnlyDictionary<string, string> Params, string OutId, string? Authorization);

/// <summary>
/// An SMS gateway in the style of the common Chinese platforms, on a <see cref="FakeServer"/>: it takes a POST of JSON
/// (phone, signName, templateId, templateParams) and answers <c>{"code","message","messageId"}</c>. What it answers is up
/// to the test (<see cref="Answer"/>): an HTTP error, a refusal code, or acceptance. Application and Web tests share it.
/// </summary>
public sealed class FakeSmsGateway : IAsyncDisposable
{
    private FakeServer _server = null!;
    private int _sequence;

    private FakeSmsGateway()
    {
    }

    public ConcurrentQueue<ReceivedSms> Received { get; } = new();

    /// <summary>Decides the answer to each message: (HTTP status, code); accepted by default.</summary>
    public Func<ReceivedSms, (int Status, string Code)> Answer { get; set; } = _ => (200, "OK");

    /// <summary>The gateway's send address, for the SMS sender's settings.</summary>
    public string Url { get; private set; } = "";

    /// <summary>The messages that reached the gateway for one phone, oldest first.</summary>
    public IReadOnlyList<ReceivedSms> To(string phone) => Received.Where(m => m.Phone == phone).ToList();

    public static async Task<FakeSmsGateway> StartAsync()
    {
        var gateway = new FakeSmsGateway();
        gateway._server = await FakeServer.StartAsync(app => app.MapPost("/sms/send", gateway.TakeAsync));
        gateway.Url = gateway._server.Url("/sms/send").ToString();
        return gateway;
    }

    private async Task TakeAsync(HttpContext context)
    {
        using var json = await JsonDocument.ParseAsync(context.Request.Body);
        var root = json.RootElement;
        var sms = new ReceivedSms(
            root.GetProperty("phone").GetString()!, root.GetProperty("signName").GetString()!, root.GetProperty("templateId").GetString()!,
            root.GetProperty("templateParams").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!),
            root.GetProperty("outId").GetString()!, context.Request.Headers.Authorization.ToString());
        Received.Enqueue(sms);
        var (status, code) = Answer(sms);
        context.Response.StatusCode = status;
        if (status == 200)
        {
            await context.Response.WriteAsJsonAsync(new { code, message = code == "OK" ? "成功" : "业务限流", messageId = $"fake-{Interlocked.Increment(ref _sequence)}" });
        }
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();
}
