using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using GridGov.Application.Hotline;
using GridGov.Web.Tests.Infrastructure;

namespace GridGov.Web.Tests.Hotline;

/// <summary>The app linked to a <see cref="FakeHotline"/>: its status URL, a secret of the tests, and retries fast enough to watch.</summary>
public sealed class HotlineFixture : WebAppFixture
{
    public const string Secret = "web-tests-hotline-secret";
    public const int MaxAttempts = 4;

    public FakeHotline Hotline { get; private set; } = null!;

    protected override IEnumerable<string> ExtraArguments =>
    [
        $"--Hotline:SharedSecret={Secret}",
        $"--Hotline:StatusUrl={Hotline.StatusUrl}",
        "--Hotline:SendIntervalSeconds=0.2",
        "--Hotline:FirstRetrySeconds=0.3",
        "--Hotline:MaxRetrySeconds=1",
        $"--Hotline:MaxAttempts={MaxAttempts.ToString(CultureInfo.InvariantCulture)}",
    ];

    public override async Task InitializeAsync()
    {
        Hotline = await FakeHotline.StartAsync(Secret);
        await base.InitializeAsync();
    }

    /// <summary>Posts a body to the webhook, signed with <paramref name="secret"/> at now + <paramref name="skew"/> (unsigned when the secret is null).</summary>
    public async Task<(HttpStatusCode Status, JsonElement Json)> PostOrderAsync(byte[] body, string? secret = Secret, TimeSpan? skew = null,
        string? signatureOverride = null)
    {
        using var client = CreateClient();
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/hotline/v1/orders") { Content = content };
        if (secret is not null)
        {
            var timestamp = HotlineSignature.Timestamp(DateTimeOffset.UtcNow + (skew ?? TimeSpan.Zero));
            request.Headers.Add(HotlineSignature.TimestampHeader, timestamp);
            request.Headers.Add(HotlineSignature.SignatureHeader, signatureOverride ?? HotlineSignature.Sign(secret, timestamp, body));
        }
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    public static byte[] Json(object order) => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(order));

    public static string NewOrderNumber() => "GD" + Guid.NewGuid().ToString("N")[..16].ToUpperInvariant();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Hotline is not null)
        {
            await Hotline.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class HotlineCollection : ICollectionFixture<HotlineFixture>
{
    public const string Name = "Hotline";
}
