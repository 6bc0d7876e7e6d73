using GridGov.Application.Accounts;
using GridGov.Application.Common;
using GridGov.Domain.Organisation;
using GridGov.TestSupport.GridGov;
using GridGov.Web.Tests.Ledgers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Web.Tests.Admin;

/// <summary>The new-account form posted twice at the same moment: the post that loses the race on its key answers with the first account.</summary>
public sealed class ParallelAccountSubmissionTests(AdminAppFixture app) : IClassFixture<AdminAppFixture>
{
    private async Task<AccountResult> CreateAsync(string userName, string adminId, Guid? submission)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IUserAccounts>().CreateAsync(
            new NewAccount(userName, "并发测试", StaffRole.Dispatcher, "Temp#Pass2026x", null, "13511112222", null, null), adminId, submission, CancellationToken.None);
    }

    [Fact]
    public async Task An_account_form_that_loses_the_race_to_its_own_twin_answers_with_the_first_account()
    {
        var adminId = await app.UserIdAsync("admin1");
        var first = await CreateAsync("race-first", adminId, null);
        Assert.True(first.Succeeded);
        var submission = Guid.NewGuid();

        var second = await SubmissionRace.SecondPostAsync(app.ConnectionString, SubmissionKeys.User(adminId), "UserAccount", submission, first.UserId!,
            () => CreateAsync("race-second", adminId, submission));

        Assert.True(second.Succeeded);
        Assert.Equal(first.UserId, second.UserId);
        Assert.False(await app.DbAsync(db => db.Users.AnyAsync(u => u.UserName == "race-second")));
    }
}
