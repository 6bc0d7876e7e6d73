using System.Net;
using GridGov.Web.Tests.Infrastructure;
using static GridGov.Web.Tests.Open311.Open311Client;
using static GridGov.Web.Tests.Open311.Open311ReadTests;

namespace GridGov.Web.Tests.Open311;

/// <summary>The app with Open311 limits of 3 reads and 2 posts per client address and 10 minutes (and one sign-in post), for this class only.</summary>
public sealed class LowOpen311LimitAppFixture : WebAppFixture
{
    public const int Reads = 3;
    public const int Posts = 2;

    protected override IEnumerable<string> ExtraArguments =>
        // One anonymous post for the sign-in page: Open311's posts must not use it up.
        [$"--Open311:ReadPermitLimit={Reads}", $"--Open311:PostPermitLimit={Posts}", "--Open311:WindowSeconds=600", "--Security:SignInPermitLimit=1",
            "--Security:SignInWindowSeconds=600"];
}

public sealed class Open311RateLimitTests(LowOpen311LimitAppFixture app) : IClassFixture<LowOpen311LimitAppFixture>
{
    [Fact]
    public async Task Reads_and_posts_beyond_their_limits_get_429_in_the_error_list_and_staff_pages_are_not_counted()
    {
        for (var read = 1; read <= LowOpen311LimitAppFixture.Reads; read++)
        {
            Assert.Equal(HttpStatusCode.OK, (await app.GetAsync("/services.json")).Status);
        }
        var limited = await app.GetAsync("/services.json");
        var limitedXml = await app.GetAsync("/requests.xml");
        AssertError(limited, HttpStatusCode.TooManyRequests, "请求过于频繁");
        AssertXmlError(limitedXml, HttpStatusCode.TooManyRequests, "请求过于频繁");
        AssertError(await app.GetAsync("/services.json", "en"), HttpStatusCode.TooManyRequests, "Too many requests");

        // Posts have their own limit (a refused post counts: a script guessing keys is limited too).
        for (var post = 1; post <= LowOpen311LimitAppFixture.Posts; post++)
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await app.PostAsync("/requests.json", [new("service_code", "0501")])).Status);
        }
        AssertError(await app.PostAsync("/requests.json", [new("service_code", "0501")]), HttpStatusCode.TooManyRequests, "请求过于频繁");

        // The sign-in page's limit of anonymous posts is not used up by Open311 clients.
        using var client = app.CreateClient();
        await client.SignInAsync("dispatcher1", GridGov.TestSupport.GridGov.DemoStreetDatabaseFixture.DemoPassword);
    }
}
