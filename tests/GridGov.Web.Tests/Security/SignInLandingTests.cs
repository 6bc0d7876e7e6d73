using System.Net;
using GridGov.TestSupport.GridGov;
using GridGov.Web.Tests.Infrastructure;

namespace GridGov.Web.Tests.Security;

/// <summary>After sign-in each role lands where its work is, unless the sign-in was sent from a page.</summary>
public sealed class SignInLandingTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private async Task<string> LandingAsync(string userName, string loginUrl = "/account/login")
    {
        using var client = app.CreateClient();
        using var response = await client.PostFormAsync(loginUrl, "login", new Dictionary<string, string>
        {
            ["Input.UserName"] = userName,
            ["Input.Password"] = DemoStreetDatabaseFixture.DemoPassword,
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return new Uri(app.BaseAddress, response.Headers.Location!).PathAndQuery;
    }

    [Theory]
    [InlineData("dispatcher1", "/dashboard")]
    [InlineData("streetleader1", "/dashboard")]
    [InlineData("handler1", "/inbox")]
    [InlineData("secretary1", "/inbox")]
    [InlineData("leader1", "/inbox")]
    [InlineData("worker1", "/inbox")]
    [InlineData("admin1", "/")]
    public async Task Each_role_lands_where_its_work_is(string userName, string landing) =>
        Assert.Equal(landing, await LandingAsync(userName));

    [Fact]
    public async Task A_sign_in_sent_from_a_page_returns_there_and_a_foreign_return_url_lands_as_usual()
    {
        Assert.Equal("/cases?state=Reported", await LandingAsync("worker1", "/account/login?ReturnUrl=" + Uri.EscapeDataString("/cases?state=Reported")));
        Assert.Equal("/inbox", await LandingAsync("worker1", "/account/login?ReturnUrl=" + Uri.EscapeDataString("//evil.example/")));
        Assert.Equal("/dashboard", await LandingAsync("dispatcher1", "/account/login?ReturnUrl=%2F"));
    }
}
