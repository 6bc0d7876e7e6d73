using Bunit;
using GridGov.Domain.Organisation;
using GridGov.Web.Tests.Admin;
using GridGov.Web.Tests.Components;
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
        await using var harness = await ComponentHarness.SignedInAsync(app, "admin1");
        var page = AccountPages.New(harness);

        await AccountPages.FillAsync(page, userName: userName, displayName: "测试", role: StaffRole.Dispatcher, password: password, phone: "13912345678");
        await AccountPages.SubmitAsync(page);

        page.WaitForAssertion(() => Assert.Contains(message, AccountPages.ErrorUnder(page, "Password")));
        Assert.EndsWith("/admin/users/new", harness.Navigation.Uri, StringComparison.Ordinal);
        Assert.False(await app.DbAsync(db => db.Users.AnyAsync(u => u.NormalizedUserName == userName.ToUpperInvariant())));
    }

    [Fact]
    public async Task The_run_sh_demo_password_meets_the_policy()
    {
        await using var harness = await ComponentHarness.SignedInAsync(app, "admin1");
        var page = AccountPages.New(harness);

        await AccountPages.FillAsync(page, userName: "policy-demo", displayName: "演示", role: StaffRole.Dispatcher, password: RunShDemoPassword, phone: "13912345678");
        await AccountPages.SubmitAsync(page);

        page.WaitForAssertion(() => Assert.DoesNotContain("/admin/users/new", harness.Navigation.Uri, StringComparison.Ordinal));
        Assert.Contains("账号已创建，可以使用初始密码登录", harness.Snackbars());
        using var person = app.CreateClient();
        await person.SignInAsync("policy-demo", RunShDemoPassword);
    }
}
