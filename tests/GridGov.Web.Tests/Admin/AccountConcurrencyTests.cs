using System.Globalization;
using GridGov.Domain.Calendar;
using GridGov.Web.Tests.Ledgers;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Web.Tests.Admin;

/// <summary>
/// Account changes carry the version (ConcurrencyStamp) of the account the administrator saw: a change on an account
/// changed since (by another administrator, or in another tab) is refused naming who changed it and when, and writes nothing.
/// </summary>
public sealed class AccountConcurrencyTests(AdminAppFixture app) : IClassFixture<AdminAppFixture>
{
    private Task<(string? Hash, DateTimeOffset? LockoutEnd, int Failed, string? SecurityStamp, int Audit)> StateAsync(string userName) => app.DbAsync(async db =>
    {
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == userName);
        var audit = await db.AuditEntries.CountAsync(e => e.EntityId == user.Id);
        return (user.PasswordHash, user.LockoutEnd, user.AccessFailedCount, user.SecurityStamp, audit);
    });

    [Fact]
    public async Task Every_change_on_an_account_changed_since_it_was_shown_is_refused_naming_who_and_when_and_writes_nothing()
    {
        var id = await app.UserIdAsync("dispatcher3");
        var shown = await app.VersionAsync("dispatcher3");
        var unlocked = await app.AsAsync("admin2", (accounts, _) => accounts.UnlockAsync(id, shown));
        Assert.True(unlocked.Succeeded);
        var last = await app.DbAsync(db => db.AuditEntries.Where(e => e.EntityType == "ApplicationUser" && e.EntityId == id)
            .OrderByDescending(e => e.At).ThenByDescending(e => e.Id).FirstAsync());
        var expected = $"该账号已被{await app.StaffNameAsync("admin2")}（admin2）于{WorkingCalendar.ToChinaTime(last.At).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}修改";
        var before = await StateAsync("dispatcher3");

        var reset = await app.AsAsync("admin1", (accounts, _) => accounts.ResetPasswordAsync(id, shown, "Stale#Pass2026x"));
        var disable = await app.AsAsync("admin1", (accounts, adminId) => accounts.DisableAsync(id, adminId, shown));
        var unlock = await app.AsAsync("admin1", (accounts, _) => accounts.UnlockAsync(id, shown));
        var enable = await app.AsAsync("admin1", (accounts, _) => accounts.EnableAsync(id, shown));

        foreach (var result in new[] { reset, disable, unlock, enable })
        {
            Assert.False(result.Succeeded);
            Assert.True(result.IsStale);
            Assert.StartsWith(expected, result.Errors[""], StringComparison.Ordinal);
        }
        Assert.Equal(before, await StateAsync("dispatcher3"));
    }

    [Fact]
    public async Task A_change_with_the_current_version_goes_through_and_moves_the_version_on()
    {
        var id = await app.UserIdAsync("dispatcher4");
        var shown = await app.VersionAsync("dispatcher4");

        var disabled = await app.AsAsync("admin1", (accounts, adminId) => accounts.DisableAsync(id, adminId, shown));
        var again = await app.AsAsync("admin1", (accounts, adminId) => accounts.DisableAsync(id, adminId, shown));

        Assert.True(disabled.Succeeded);
        Assert.True(again.IsStale); // the same click replayed from the old page: the account has moved on
        var now = await app.VersionAsync("dispatcher4");
        Assert.NotEqual(shown, now);
        var enabled = await app.AsAsync("admin1", (accounts, _) => accounts.EnableAsync(id, now));
        Assert.True(enabled.Succeeded);
        Assert.Null(await app.LockoutEndAsync("dispatcher4"));
    }

    [Fact]
    public async Task A_failed_sign_in_since_the_page_was_shown_counts_as_a_change_too()
    {
        var id = await app.UserIdAsync("streetleader2");
        var shown = await app.VersionAsync("streetleader2");
        using var person = app.CreateClient();
        using (await Security.SecurityTestData.TrySignInAsync(person, "streetleader2", "Wrong-password-2026"))
        {
        }
        var before = await StateAsync("streetleader2");
        Assert.Equal(1, before.Failed);

        var unlock = await app.AsAsync("admin1", (accounts, _) => accounts.UnlockAsync(id, shown));

        Assert.True(unlock.IsStale);
        Assert.Contains("该账号已被", unlock.Errors[""], StringComparison.Ordinal);
        Assert.Equal(before, await StateAsync("streetleader2"));
    }
}
