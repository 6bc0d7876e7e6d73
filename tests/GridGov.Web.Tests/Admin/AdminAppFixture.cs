using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Web.Tests.Admin;

/// <summary>The app with the session check on every request, so a test sees a session end at once.</summary>
public sealed class AdminAppFixture : WebAppFixture
{
    protected override IEnumerable<string> ExtraArguments => ["--Security:SessionCheckSeconds=0"];

    public Task<string> UserIdAsync(string userName) =>
        this.DbAsync(db => db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync());

    public Task<DateTimeOffset?> LockoutEndAsync(string userName) =>
        this.DbAsync(db => db.Users.Where(u => u.UserName == userName).Select(u => u.LockoutEnd).SingleAsync());
}
