using System.Net;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Web.Tests.Security;

public sealed class PasswordPolicyTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    /// <summary>The password run.sh gives the demo accounts (README).</summary>
    private const string RunShDemoPassword = "GridGov@2026";

    [Theory]
    [InlineData("policy-a", "Short#1a", "密码至少需要10个字符")]
    [InlineData("policy-b", "nouppercase#2026", "密码必须包含至少一个大写字母")]
    [InlineData("policy-c", "NOLOWERCASE#2026", "密码必须包含至少一个小写字母")]
    [InlineData("policy-d", "NoDigitsHere#ab", "密码必须包含至少一个数字")]
    [InlineData("policy-e", "NoSymbol2026ab", "密码必须包含至少一个符号")]
    [InlineData("Policy.User-2026", "Policy.User-2026", "密码不能与用户名相同")]
    [InlineData("Policy.User-2027", "policy.user-2027", "密码不能与用户名相同")]
    public async Task A_password_outside_the_policy_is_refused_in_chinese_and_no_account_is_made(string userName, string password, string message)
    {
        using var admin = await app.SignedInAsync("admin1");

        using var response = await admin.PostFormAsync("/admin/users/new", "user-new", new Dictionary<string, string>
        {
            ["Input.UserName"] = userName,
            ["Input.DisplayName"] = "测试",
            ["Input.Role"] = "Dispatcher",
            ["Input.Password"] = password,
            ["Input.Phone"] = "13912345678",
        });
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(message, html);
        Assert.Contains("data-error-for=\"Password\"", html);
        Assert.False(await app.DbAsync(db => db.Users.AnyAsync(u => u.NormalizedUserName == userName.ToUpperInvariant())));
    }

    [Fact]
    public async Task The_run_sh_demo_password_meets_the_policy()
    {
        using var admin = await app.SignedInAsync("admin1");

        using var response = await admin.PostFormAsync("/admin/users/new", "user-new", new Dictionary<string, string>
        {
            ["Input.UserName"] = "policy-demo",
            ["Input.DisplayName"] = "演示",
            ["Input.Role"] = "Dispatcher",
            ["Input.Password"] = RunShDemoPassword,
            ["Input.Phone"] = "13912345678",
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        using var person = app.CreateClient();
        await person.SignInAsync("policy-demo", RunShDemoPassword);
    }
}
