using GridGov.Application.Notifications;
using GridGov.Domain.Notifications;
using GridGov.Infrastructure.Persistence;
using GridGov.TestSupport.GridGov;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Application.Tests.Notifications;

/// <summary>A notice whose messages fail to be written leaves nothing behind: no notice, no audit entry, no submission key.</summary>
public sealed class NoticeFaultTests(NoticeScenario scenario) : IClassFixture<NoticeScenario>
{
    /// <summary>Counts like the real one, then fails while writing the messages (after the notice itself was saved).</summary>
    private sealed class FailingNoticeSql : INoticeSql
    {
        public Task<int> CountRecipientsAsync(IReadOnlyCollection<int> gridIds, int? compoundId, CancellationToken cancellationToken = default) => Task.FromResult(3);

        public Task<int> EnqueueAsync(long noticeId, IReadOnlyCollection<int> gridIds, int? compoundId, string text, DateTimeOffset now, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("the database went away while the messages were written");
    }

    [Fact]
    public async Task A_failure_while_writing_the_messages_rolls_the_whole_notice_back()
    {
        var secretary = await scenario.ActorAsync("secretary1");
        var gridCode = await scenario.GridOfAsync("leader1");
        var gridId = await scenario.DbAsync(db => db.Grids.Where(g => g.Code == gridCode).Select(g => g.Id).SingleAsync());
        var before = await scenario.DbAsync(async db => (await db.Notices.CountAsync(), await db.Notifications.CountAsync(), await db.AuditEntries.CountAsync(), await db.Submissions.CountAsync()));
        await using var failing = GridGovServices.Create(scenario.ConnectionString, scenario.Clock, services => services.AddScoped<INoticeSql, FailingNoticeSql>());

        await using (var scope = failing.CreateAsyncScope())
        {
            var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => scope.ServiceProvider.GetRequiredService<Notices>()
                .SendAsync(new NoticeDraft(new NoticeTargetInput(NoticeTarget.Grids, [gridId], null), "燃气检修通知", Guid.NewGuid()), secretary));
            Assert.Contains("went away", thrown.Message, StringComparison.Ordinal);
        }

        Assert.Equal(before, await scenario.DbAsync(async db => (await db.Notices.CountAsync(), await db.Notifications.CountAsync(), await db.AuditEntries.CountAsync(), await db.Submissions.CountAsync())));
    }
}
