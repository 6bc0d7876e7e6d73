using System.Net;
using GridGov.TestSupport.GridGov;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Web.Tests.Security;

public sealed class LockoutTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_with_a_message_until_when_and_then_the_right_password_is_refused_too()
    {
        using var client = app.CreateClient();
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            using var wrong = await client.TrySignInAsync("worker1", $"Wrong-{attempt}-password");
            var html = await wrong.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
            Assert.Contains("用户名或密码错误", html);
        }

        using var fifth = await client.TrySignInAsync("worker1", "Wrong-5-password");
        var locked = await fifth.Content.ReadAsStringAsync();
        var lockoutEnd = await app.DbAsync(db => db.Users.Where(u => u.UserName == "worker1").Select(u => u.LockoutEnd).SingleAsync());

        Assert.NotNull(lockoutEnd);
        Assert.InRange(lockoutEnd.Value - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15.5));
        var until = lockoutEnd.Value.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"账号已锁定至 {until}（北京时间）", locked);

        using var right = await client.TrySignInAsync("worker1", DemoStreetDatabaseFixture.DemoPassword);
        var refused = await right.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("账号已锁定至", refused);
        Assert.False(right.HasAuthCookie());
        Assert.False(await client.IsSignedInAsync());
    }

    [Fact]
    public async Task Failed_attempts_below_the_limit_are_forgotten_after_a_successful_sign_in()
    {
        using var client = app.CreateClient();
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            using var wrong = await client.TrySignInAsync("leader1", $"Wrong-{attempt}-password");
        }
        Assert.Equal(4, await app.DbAsync(db => db.Users.Where(u => u.UserName == "leader1").Select(u => u.AccessFailedCount).SingleAsync()));

        using var right = await client.TrySignInAsync("leader1", DemoStreetDatabaseFixture.DemoPassword);

        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal(0, await app.DbAsync(db => db.Users.Where(u => u.UserName == "leader1").Select(u => u.AccessFailedCount).SingleAsync()));
    }
}
