using System.Net;
using System.Text.RegularExpressions;
using GridGov.TestSupport.GridGov;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Web.Tests.Security;

public sealed class LockoutTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_for_15_minutes_and_then_the_right_password_is_refused_too()
    {
        using var client = app.CreateClient();
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            using var wrong = await client.TrySignInAsync("worker1", $"Wrong-{attempt}-password");
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
            Assert.Contains("用户名或密码错误", await wrong.Content.ReadAsStringAsync());
        }
        var lockoutEnd = await app.DbAsync(db => db.Users.Where(u => u.UserName == "worker1").Select(u => u.LockoutEnd).SingleAsync());

        Assert.NotNull(lockoutEnd);
        Assert.InRange(lockoutEnd.Value - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15.5));

        using var right = await client.TrySignInAsync("worker1", DemoStreetDatabaseFixture.DemoPassword);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("用户名或密码错误", await right.Content.ReadAsStringAsync());
        Assert.False(right.HasAuthCookie());
        Assert.False(await client.IsSignedInAsync());
    }

    [Fact]
    public async Task A_locked_account_and_an_unknown_user_name_get_the_same_answer()
    {
        using var locker = app.CreateClient();
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            using var wrong = await locker.TrySignInAsync("dispatcher1", $"Wrong-{attempt}-password");
        }
        Assert.NotNull(await app.DbAsync(db => db.Users.Where(u => u.UserName == "dispatcher1").Select(u => u.LockoutEnd).SingleAsync()));

        using var lockedClient = app.CreateClient();
        using var locked = await lockedClient.TrySignInAsync("dispatcher1", DemoStreetDatabaseFixture.DemoPassword);
        using var unknownClient = app.CreateClient();
        HttpResponseMessage? unknown = null;
        for (var attempt = 1; attempt <= 6; attempt++)
        {
            unknown?.Dispose();
            unknown = await unknownClient.TrySignInAsync("dispatcher9", DemoStreetDatabaseFixture.DemoPassword);
        }

        Assert.Equal(locked.StatusCode, unknown!.StatusCode);
        Assert.Equal(locked.HasAuthCookie(), unknown.HasAuthCookie());
        Assert.Equal(Comparable(await locked.Content.ReadAsStringAsync()), Comparable(await unknown.Content.ReadAsStringAsync()));
        unknown.Dispose();
    }

    /// <summary>The page without what is encrypted anew for every response (antiforgery token, persisted component state) and with the typed name made the same.</summary>
    private static string Comparable(string html) =>
        Regex.Replace(html, "name=\"__RequestVerificationToken\" value=\"[^\"]+\"|<!--Blazor-Server-Component-State:[^>]*-->", "")
            .Replace("dispatcher9", "dispatcher1", StringComparison.Ordinal);

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
