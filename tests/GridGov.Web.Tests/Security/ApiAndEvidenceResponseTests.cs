using System.Net;
using static GridGov.Web.Tests.Security.Who;

namespace GridGov.Web.Tests.Security;

/// <summary>How the JSON endpoints refuse (a status, never the HTML sign-in page) and how case photos may be cached.</summary>
[Collection(SecurityCollection.Name)]
public sealed class ApiAndEvidenceResponseTests(SecurityFixture app)
{
    /// <summary>The JSON endpoints that need a sign-in (the staff API's token endpoint is the sign-in itself).</summary>
    private static readonly IEnumerable<AuthorizationMatrixTests.Rule> ApiRules =
        AuthorizationMatrixTests.Table.Where(r => r.Pattern.StartsWith("/api/", StringComparison.Ordinal) && !r.Allowed.Contains(Anonymous));

    [Fact]
    public async Task Every_api_endpoint_answers_401_to_someone_not_signed_in()
    {
        Assert.NotEmpty(ApiRules);
        foreach (var rule in ApiRules)
        {
            // Each with its own method (a staff API post with an empty JSON body).
            using var response = rule.Method switch
            {
                "POST" => await app.Client(Anonymous).PostAsync(rule.Path(app.Ids), new StringContent("{}", System.Text.Encoding.UTF8, "application/json")),
                "DELETE" => await app.Client(Anonymous).DeleteAsync(rule.Path(app.Ids)),
                _ => await app.Client(Anonymous).GetAsync(rule.Path(app.Ids)),
            };

            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{rule.Pattern}: {(int)response.StatusCode} {response.Headers.Location}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("请先登录", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task An_api_endpoint_outside_the_persons_role_answers_403_and_a_page_still_redirects()
    {
        using var api = await app.Client(GridWorker).GetAsync("/api/dashboard/charts");
        using var page = await app.Client(GridWorker).GetAsync("/dashboard");
        using var anonymousPage = await app.Client(Anonymous).GetAsync("/dashboard");

        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/error/403", page.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, anonymousPage.StatusCode);
        Assert.StartsWith("/account/login", anonymousPage.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_case_photo_may_be_kept_only_by_the_browser_and_is_asked_for_again_each_time()
    {
        var url = $"/evidence/{app.Ids.EvidenceSha256}";
        using var photo = await app.Client(Dispatcher).GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, photo.StatusCode);
        Assert.True(photo.Headers.CacheControl is { Private: true, NoCache: true, Public: false }, $"Cache-Control: {photo.Headers.CacheControl}");

        using var again = new HttpRequestMessage(HttpMethod.Get, url);
        again.Headers.IfNoneMatch.Add(photo.Headers.ETag!);
        using var notModified = await app.Client(Dispatcher).SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.True(notModified.Headers.CacheControl is { Private: true }, $"Cache-Control: {notModified.Headers.CacheControl}");
    }
}
