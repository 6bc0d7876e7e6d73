using System.Net;

namespace GridGov.Web.Tests.Security;

/// <summary>The Blazor hub takes no antiforgery token, so it answers only the app's own origin.</summary>
[Collection(SecurityCollection.Name)]
public sealed class HubOriginTests(SecurityFixture app)
{
    private async Task<HttpStatusCode> NegotiateAsync(string? origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }
        using var response = await app.Client(Who.Administrator).SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task A_circuit_is_negotiated_from_the_apps_own_origin_and_refused_from_another()
    {
        var own = app.BaseAddress.GetLeftPart(UriPartial.Authority);

        Assert.Equal(HttpStatusCode.OK, await NegotiateAsync(own));
        Assert.Equal(HttpStatusCode.Forbidden, await NegotiateAsync("http://evil.example"));
        Assert.Equal(HttpStatusCode.Forbidden, await NegotiateAsync(own.Replace("127.0.0.1", "localhost", StringComparison.Ordinal)));
    }
}
