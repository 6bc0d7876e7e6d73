using GridGov.Application.Ledgers;
using GridGov.Domain.Audit;
using GridGov.Domain.Ledgers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Application.Tests.Ledgers;

/// <summary>
/// The resident search and personal numbers (issue 11, hole 1): numbers match only whole, never by a part, and
/// whole-number look-ups are audited and budgeted per person, so that guessing a masked number is not practical.
/// </summary>
public sealed class ResidentSearchTests(LedgerScenario scenario) : IClassFixture<LedgerScenario>
{
    [Theory]
    [InlineData("张", ResidentSearchKind.Name)]
    [InlineData("ZHANG", ResidentSearchKind.Name)]
    [InlineData("11010519491231002X", ResidentSearchKind.IdNumber)]
    [InlineData("110105194912310021", ResidentSearchKind.IdNumber)]
    [InlineData("13812345678", ResidentSearchKind.Phone)]
    [InlineData("0512-65123456", ResidentSearchKind.Phone)]
    [InlineData("110105", ResidentSearchKind.PartialNumber)]
    [InlineData("11010519491231002", ResidentSearchKind.PartialNumber)]
    [InlineData("1381234567", ResidentSearchKind.PartialNumber)]
    [InlineData("8813", ResidentSearchKind.PartialNumber)]
    [InlineData("张3", ResidentSearchKind.PartialNumber)]
    [InlineData("X1010519491231002X", ResidentSearchKind.PartialNumber)]
    public void Search_text_is_a_name_a_whole_number_or_refused(string text, ResidentSearchKind expected) =>
        Assert.Equal(expected, ResidentSearch.Classify(text));

    [Fact]
    public async Task Whole_number_look_ups_beyond_the_hourly_budget_are_refused_audited_and_allowed_again_an_hour_later()
    {
        var gridId = await scenario.GridIdOfAsync("worker1");
        var target = await scenario.ResidentAsync(gridId, skip: 0);
        var worker = await scenario.ActorAsync("worker1");
        scenario.AuditActor = new FixedAuditActor(worker.StaffMemberId, worker.Name);
        try
        {
            Task<ResidentListView> SearchAsync(string text) =>
                scenario.WithAsync(p => p.GetRequiredService<ResidentQueries>().ListAsync(new ResidentFilter(Text: text), worker, new LedgerPageRequest()));

            for (var i = 0; i < ResidentSearch.LookupBudget; i++)
            {
                // Misses, as a guessing run would make: they count as much as hits.
                var miss = await SearchAsync(LedgerScenario.NewIdNumber());
                Assert.Null(miss.Refusal);
            }

            var refused = await SearchAsync(target.IdNumber);
            Assert.Equal(ResidentSearchRefusal.LookupBudgetSpent, refused.Refusal);
            Assert.Empty(refused.Page.Rows);
            Assert.Equal(0, refused.Page.Count);
            var last = await scenario.DbAsync(db => db.AuditEntries.AsNoTracking()
                .Where(e => e.ActorStaffId == worker.StaffMemberId).OrderByDescending(e => e.Id).FirstAsync());
            Assert.Equal(AuditAction.Lookup, last.Action);
            Assert.Contains("拒绝", last.Detail, StringComparison.Ordinal);

            // A name search is no look-up and stays open.
            Assert.Null((await SearchAsync(target.Name)).Refusal);

            scenario.Clock.Advance(ResidentSearch.LookupWindow + TimeSpan.FromMinutes(1));
            var found = await SearchAsync(target.IdNumber);
            Assert.Null(found.Refusal);
            Assert.Equal(target.Id, Assert.Single(found.Page.Rows).Id);
        }
        finally
        {
            scenario.AuditActor = new SystemAuditActor();
        }
    }

    [Fact]
    public async Task Part_of_a_number_finds_nothing_and_counts_nothing_even_where_it_would_match()
    {
        var gridId = await scenario.GridIdOfAsync("leader1");
        var target = await scenario.ResidentAsync(gridId, skip: 2);
        var dispatcher = await scenario.ActorAsync("dispatcher1");

        foreach (var part in new[] { target.IdNumber[..6], target.IdNumber[..14], target.IdNumber[^4..] })
        {
            var view = await scenario.WithAsync(p => p.GetRequiredService<ResidentQueries>().ListAsync(new ResidentFilter(Text: part), dispatcher, new LedgerPageRequest()));
            Assert.Equal(ResidentSearchRefusal.PartialNumber, view.Refusal);
            Assert.Empty(view.Page.Rows);
            Assert.Equal(0, view.Page.Count);
        }
    }
}
