using System.Text.Json;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;

namespace GridGov.Web.Tests.Logging;

/// <summary>The app with its log file in compact JSON (Logging:File:Format=json).</summary>
public sealed class JsonLogApp : WebAppFixture
{
    public string LogFolder { get; } = Path.Combine(Path.GetTempPath(), "gridgov-log-" + Guid.NewGuid().ToString("N"));

    protected override IEnumerable<string> ExtraArguments => [$"--Logging:File:Path={Path.Combine(LogFolder, "gridgov-.json")}", "--Logging:File:Format=json"];

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(LogFolder))
        {
            Directory.Delete(LogFolder, recursive: true);
        }
    }
}

/// <summary>Serilog's request logging: one structured event per request, with who asked, in the configured format.</summary>
public sealed class RequestLogTests(JsonLogApp app) : IClassFixture<JsonLogApp>
{
    [Fact]
    public async Task Each_request_is_one_compact_json_event_with_method_path_status_elapsed_and_the_signed_in_person()
    {
        using var client = await app.SignedInAsync("dispatcher1");
        var path = "/cases?q=request-log-" + Guid.NewGuid().ToString("N")[..8];
        using var response = await client.GetAsync(path);

        // The line is written once the response has gone out, so it may land a moment after the client has it.
        List<JsonElement> lines = [];
        for (var attempt = 0; attempt < 50 && lines.Count == 0; attempt++)
        {
            await Task.Delay(100);
            lines = ReadEvents().Where(e => e.TryGetProperty("RequestPath", out var p) && p.GetString() == "/cases"
                && e.GetProperty("RequestMethod").GetString() == "GET" && e.TryGetProperty("UserName", out var u) && u.GetString() == "dispatcher1").ToList();
        }
        Assert.True(lines.Count == 1, "request lines: " + string.Join("\n", ReadEvents().Where(e => e.TryGetProperty("RequestPath", out _)).Select(e => e.GetRawText())));
        var line = lines[0];
        Assert.Equal((int)response.StatusCode, line.GetProperty("StatusCode").GetInt32());
        Assert.True(line.GetProperty("Elapsed").GetDouble() > 0);
        Assert.Equal("HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms", line.GetProperty("@mt").GetString());
        Assert.True(line.TryGetProperty("@t", out _));
    }

    private List<JsonElement> ReadEvents()
    {
        var events = new List<JsonElement>();
        foreach (var file in Directory.Exists(app.LogFolder) ? Directory.GetFiles(app.LogFolder, "gridgov-*.json") : [])
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { Length: > 0 } text)
            {
                events.Add(JsonDocument.Parse(text).RootElement.Clone());
            }
        }
        return events;
    }
}
