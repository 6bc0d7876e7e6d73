using GridGov.Domain.Cases;
using GridGov.Application.Grids;
using GridGov.Application.Tests.Ledgers;
using GridGov.Domain.Common;
using GridGov.Domain.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Application.Tests.Grids;

/// <summary>
/// 任职: an administrator moves a community secretary to another community and a department handler to another department
/// from a date; the scope follows at once, the earlier posting ends that day and stays; every bad move is refused and
/// writes nothing.
/// </summary>
public sealed class StaffPostingTests(LedgerScenario scenario) : IClassFixture<LedgerScenario>
{
    private static readonly DateOnly Today = new(2026, 11, 23); // the scenario's clock

    private Task PostAsync(StaffPostingInput input, CaseActor actor) =>
        scenario.WithAsync(provider => provider.GetRequiredService<ResponsiblePeople>().PostAsync(input, actor));

    private Task<int> StaffIdAsync(string userName) =>
        scenario.DbAsync(db => db.Users.Where(u => u.UserName == userName).Select(u => u.StaffMemberId!.Value).SingleAsync());

    private Task<List<StaffPosting>> PostingsAsync(int staffId) =>
        scenario.DbAsync(db => db.StaffPostings.AsNoTracking().Where(p => p.StaffMemberId == staffId).OrderBy(p => p.Since).ThenBy(p => p.Id).ToListAsync());

    [Fact]
    public async Task A_secretary_moved_to_another_community_is_scoped_there_at_once_and_a_second_move_ends_the_first_posting()
    {
        var admin = await scenario.ActorAsync("admin1");
        var secretary = await StaffIdAsync("secretary1");
        var before = await scenario.ActorAsync("secretary1");
        var (next, third) = await scenario.DbAsync(async db =>
        {
            var others = await db.Communities.Where(c => c.Id != before.CommunityId).OrderBy(c => c.Code).Select(c => c.Id).Take(2).ToListAsync();
            return (others[0], others[1]);
        });

        await PostAsync(new StaffPostingInput(secretary, next, null, Today.AddDays(-10)), admin);

        Assert.Equal(next, (await scenario.ActorAsync("secretary1")).CommunityId);
        var first = Assert.Single(await PostingsAsync(secretary));
        Assert.Equal((next, (int?)null, Today.AddDays(-10), (DateOnly?)null), (first.CommunityId!.Value, first.DepartmentId, first.Since, first.EndedOn));

        var early = await Assert.ThrowsAsync<DomainException>(() => PostAsync(new StaffPostingInput(secretary, third, null, Today.AddDays(-20)), admin));
        Assert.Equal("posting.before-current", early.Code);
        await PostAsync(new StaffPostingInput(secretary, third, null, Today), admin);

        var postings = await PostingsAsync(secretary);
        Assert.Equal(2, postings.Count);
        Assert.Equal(Today, postings[0].EndedOn);
        Assert.Equal((third, (DateOnly?)null), (postings[1].CommunityId!.Value, postings[1].EndedOn));
        Assert.Equal(third, (await scenario.ActorAsync("secretary1")).CommunityId);
        var board = await scenario.WithAsync(provider => provider.GetRequiredService<ResponsiblePeople>().BoardAsync(third, admin));
        Assert.Equal(Today, board.Secretaries.Single(s => s.StaffMemberId == secretary).PostedSince);
    }

    [Fact]
    public async Task A_handler_moves_to_another_department()
    {
        var admin = await scenario.ActorAsync("admin1");
        var handler = await StaffIdAsync("handler1");
        var from = (await scenario.ActorAsync("handler1")).DepartmentId;
        var to = await scenario.DbAsync(db => db.Departments.Where(d => d.Id != from).OrderBy(d => d.Code).Select(d => d.Id).FirstAsync());

        await PostAsync(new StaffPostingInput(handler, null, to, Today), admin);

        Assert.Equal(to, (await scenario.ActorAsync("handler1")).DepartmentId);
        Assert.Equal(to, Assert.Single(await PostingsAsync(handler)).DepartmentId);
    }

    [Fact]
    public async Task Bad_moves_are_refused_each_with_its_reason_and_nothing_is_written()
    {
        var admin = await scenario.ActorAsync("admin1");
        // The last community's secretary: the first test moves secretary1, this one leaves him alone.
        var userName = "secretary-" + await scenario.DbAsync(db => db.Communities.OrderByDescending(c => c.Code).Select(c => c.Code).FirstAsync());
        var secretaryActor = await scenario.ActorAsync(userName);
        var secretary = await StaffIdAsync(userName);
        var worker = await StaffIdAsync("worker1");
        var own = secretaryActor.CommunityId!.Value;
        var other = await scenario.DbAsync(db => db.Communities.Where(c => c.Id != own).OrderByDescending(c => c.Code).Select(c => c.Id).FirstAsync());
        var cases = new (StaffPostingInput Input, CaseActor Actor, string Code)[]
        {
            (new(secretary, other, null, Today), secretaryActor, "posting.forbidden"),
            (new(worker, other, null, Today), admin, "posting.role"),
            (new(secretary, own, null, Today), admin, "posting.same-place"),
            (new(secretary, null, null, Today), admin, "posting.community-required"),
            (new(secretary, other, null, Today.AddDays(1)), admin, "posting.since-out-of-range"),
            (new(secretary, other, null, Today.AddDays(-StaffMember.PostingMaxDaysBack - 1)), admin, "posting.since-out-of-range"),
            (new(secretary, other, null, null), admin, "posting.since-required"),
            (new(secretary, 999_999, null, Today), admin, "posting.place-not-found"),
            (new(999_999, other, null, Today), admin, "posting.person-not-found"),
        };
        var before = await scenario.DbAsync(async db => (await db.StaffPostings.CountAsync(), await db.StaffMembers.Where(s => s.Id == secretary).Select(s => s.CommunityId).SingleAsync()));

        foreach (var (input, actor, code) in cases)
        {
            var refusal = await Assert.ThrowsAsync<DomainException>(() => PostAsync(input, actor));
            Assert.Equal(code, refusal.Code);
        }

        Assert.Equal(before, await scenario.DbAsync(async db => (await db.StaffPostings.CountAsync(), await db.StaffMembers.Where(s => s.Id == secretary).Select(s => s.CommunityId).SingleAsync())));
    }
}
