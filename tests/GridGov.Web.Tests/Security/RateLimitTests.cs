using System.Net;
using System.Net.Http.Headers;
using GridGov.TestSupport.GridGov;
using GridGov.Web.Tests.Infrastructure;

namespace GridGov.Web.Tests.Security;

/// <summary>The app with a sign-in limit of 3 anonymous posts per 10 minutes, for this class only.</summary>
public sealed class LowRateLimitAppFixture : WebAppFixture
{
    public const int Limit = 3;

    protected override IEnumerable<string> ExtraArguments =>
        [$"--Security:SignInPermitLimit={Limit}", "--Security:SignInWindowSeconds=600"];
}

public sealed class RateLimitTests(LowRateLimitAppFixture app) : IClassFixture<LowRateLimitAppFixture>
{
    [Fact]
    public async Task Anonymous_posts_beyond_the_limit_get_429_with_a_chinese_message_and_signed_in_work_goes_on()
    {
        using var signedIn = app.CreateClient();
        // The first post of the window: a sign-in that works.
        await signedIn.SignInAsync("dispatcher1", DemoStreetDatabaseFixture.DemoPassword);
        using var client = app.CreateClient();
        for (var attempt = 2; attempt <= LowRateLimitAppFixture.Limit; attempt++)
        {
            using var allowed = await client.TrySignInAsync("dispatcher1", "Wrong-password-1");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        // A browser gets the error page in Chinese.
        var token = await client.TokenFromAsync("/account/login");
        using var browserPost = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Input.UserName"] = "dispatcher1",
                ["Input.Password"] = DemoStreetDatabaseFixture.DemoPassword,
                ["__RequestVerificationToken"] = token,
                ["_handler"] = "login",
            }),
        };
        browserPost.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        using var limited = await client.SendAsync(browserPost);
        var page = await limited.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Contains("请求过于频繁", page);
        Assert.Contains("data-testid=\"error-page\"", page);
        Assert.True(limited.Headers.RetryAfter is not null);
        Assert.False(limited.HasAuthCookie());

        // Other clients get a plain-text answer, also for the public language switch.
        using var culture = await client.PostAsync("/culture", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["culture"] = "en",
            ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.TooManyRequests, culture.StatusCode);
        Assert.Contains("请求过于频繁，请稍后再试", await culture.Content.ReadAsStringAsync());

        // Pages are not limited, and neither is a signed-in person's work.
        using var loginPage = await client.GetAsync("/account/login");
        Assert.Equal(HttpStatusCode.OK, loginPage.StatusCode);
        Assert.True(await signedIn.IsSignedInAsync());
        var signedInToken = await signedIn.TokenFromAsync("/");
        using var language = await signedIn.PostAsync("/culture", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["culture"] = "en",
            ["returnUrl"] = "/inbox",
            ["__RequestVerificationToken"] = signedInToken,
        }));
        Assert.Equal(HttpStatusCode.Redirect, language.StatusCode);
    }
}
