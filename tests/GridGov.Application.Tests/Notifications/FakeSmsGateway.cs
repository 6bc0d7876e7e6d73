using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GridGov.Application.Tests.Notifications;

/// <summary>One message as it reached the fake gateway.</summary>
public sealed record ReceivedSms(string Phone, string SignName, string TemplateId, IReadOnlyDictionary<string, string> Params, string OutId, string? Authorization);

/// <summary>
/// An SMS gateway in the style of the common Chinese platforms, as a small Kestrel app on a random local port: it takes a
/// POST of JSON (phone, signName, templateId, templateParams) and answers <c>{"code","message","messageId"}</c>. What it
/// answers is up to the test (<see cref="Answer"/>): an HTTP error, a refusal code, or acceptance.
/// </summary>
public sealed class FakeSmsGateway : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _sequence;

    private FakeSmsGateway(WebApplication app) => _app = app;

    public ConcurrentQueue<ReceivedSms> Received { get; } = new();

    /// <summary>Decides the answer to each message: (HTTP status, code); accepted by default.</summary>
    public Func<ReceivedSms, (int Status, string Code)> Answer { get; set; } = _ => (200, "OK");

    public string Url { get; private set; } = "";

    public static async Task<FakeSmsGateway> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var gateway = new FakeSmsGateway(app);
        app.MapPost("/sms/send", async (HttpContext context) =>
        {
            using var json = await JsonDocument.ParseAsync(context.Request.Body);
            var root = json.RootElement;
            var sms = new ReceivedSms(
                root.GetProperty("phone").GetString()!, root.GetProperty("signName").GetString()!, root.GetProperty("templateId").GetString()!,
                root.GetProperty("templateParams").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!),
                root.GetProperty("outId").GetString()!, context.Request.Headers.Authorization.ToString());
            gateway.Received.Enqueue(sms);
            var (status, code) = gateway.Answer(sms);
            context.Response.StatusCode = status;
            if (status == 200)
            {
                await context.Response.WriteAsJsonAsync(new { code, message = code == "OK" ? "成功" : "业务限流", messageId = $"fake-{Interlocked.Increment(ref gateway._sequence)}" });
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        gateway.Url = address + "/sms/send";
        return gateway;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
