using System.Net;
using GridGov.TestSupport.GridGov;
using GridGov.Web.Tests.Infrastructure;

namespace GridGov.Web.Tests.Account;

public sealed class SignInTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    [Fact]
    public async Task The_sign_in_page_renders_in_chinese_with_a_form_and_an_antiforgery_token()
    {
        using var client = app.CreateClient();

        var response = await client.GetAsync("/account/login");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("lang=\"zh-CN\"", html);
        Assert.Contains("工作人员登录", html);
        Assert.Contains("name=\"Input.UserName\"", html);
        Assert.Contains("__RequestVerificationToken", html);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_with_a_message_and_no_sign_in_cookie()
    {
        using var client = app.CreateClient();

        var response = await client.PostFormAsync("/account/login", "login", new Dictionary<string, string>
        {
            ["Input.UserName"] = "dispatcher1",
            ["Input.Password"] = "not-the-password",
        });
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("用户名或密码错误", html);
        Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("gridgov.auth=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_empty_form_is_refused_with_field_messages()
    {
        using var client = app.CreateClient();

        var response = await client.PostFormAsync("/account/login", "login", new Dictionary<string, string>
        {
            ["Input.UserName"] = "",
            ["Input.Password"] = "",
        });
        var html = await response.Content.ReadAsStringAsync();

        Assert.Contains("请输入用户名", html);
        Assert.Contains("请输入密码", html);
    }

    [Fact]
    public async Task The_right_password_signs_in_and_redirects_to_the_requested_local_page_only()
    {
        using var client = app.CreateClient();

        var response = await client.PostFormAsync("/account/login?ReturnUrl=%2F%2Fevil.example", "login", new Dictionary<string, string>
        {
            ["Input.UserName"] = "dispatcher1",
            ["Input.Password"] = DemoStreetDatabaseFixture.DemoPassword,
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        // A foreign return URL is ignored: the dispatcher lands on his own page (SignInLandingTests has every role).
        Assert.Equal(new Uri(app.BaseAddress, "/dashboard"), new Uri(app.BaseAddress, response.Headers.Location!));
    }

    [Fact]
    public async Task An_anonymous_visitor_is_sent_to_sign_in()
    {
        using var client = app.CreateClient();

        var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith($"{app.BaseAddress}account/login", response.Headers.Location?.ToString() ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_map_data_is_not_served_to_anonymous_visitors()
    {
        using var client = app.CreateClient();

        var response = await client.GetAsync("/api/map/grids");

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }
}
