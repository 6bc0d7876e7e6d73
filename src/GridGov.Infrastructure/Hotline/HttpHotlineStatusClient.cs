using System.Net.Http.Headers;
using GridGov.Application.Hotline;
using Microsoft.Extensions.Options;

namespace GridGov.Infrastructure.Hotline;

/// <summary>Posts a status body to the hotline over HTTP(S); any answer but 2xx, and a timeout, is a failed delivery.</summary>
internal sealed class HttpHotlineStatusClient(IOptions<HotlineOptions> options) : IHotlineStatusClient, IDisposable
{
    // One client for the app's life; connections are renewed now and then so a DNS change of the hotline is followed.
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = TimeSpan.FromSeconds(Math.Max(1, options.Value.RequestTimeoutSeconds)),
    };

    public async Task SendAsync(Uri url, byte[] body, string timestamp, string signature, CancellationToken cancellationToken = default)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        request.Headers.Add(HotlineSignature.TimestampHeader, timestamp);
        request.Headers.Add(HotlineSignature.SignatureHeader, signature);
        using var response = await _http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HotlineDeliveryException($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
        }
    }

    public void Dispose() => _http.Dispose();
}
