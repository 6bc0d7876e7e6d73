using GridGov.Application.Bulletins;
using GridGov.Application.Evaluation;
using GridGov.Application.Tests.Cases;
using GridGov.Domain.Audit;
using GridGov.Domain.Bulletins;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Application.Tests.Bulletins;

/// <summary>
/// The monthly bulletin on the constructed April (<see cref="BulletinScenario"/>): its figures are the frozen evaluation's,
/// its case lists those known to be overdue and supervised at the month's end; a month not frozen is refused; an issued
/// bulletin is immutable; issue numbers run per year in order of issue; who may write and read.
/// </summary>
public sealed class BulletinServiceTests(BulletinScenario scenario) : IClassFixture<BulletinScenario>
{
    private static readonly DateOnly April = BulletinScenario.April;

    [Fact]
    public async Task The_bulletin_of_a_constructed_month_carries_its_known_figures_changes_and_cases()
    {
        var month = await scenario.PreparedAsync();
        var leader = await scenario.ActorAsync("streetleader1");
        var id = await DraftOfAsync(April, leader);
        var view = (await ServiceAsync(s => s.GetAsync(id, leader)))!;
        var content = view.Content;

        Assert.Equal(April, content.Month);
        Assert.Equal(BulletinScenario.March, content.PreviousMonth);
        var snapshot = await scenario.WithAsync(p => p.GetRequiredService<GridGovDbContext>().EvaluationSnapshots.AsNoTracking()
            .SingleAsync(s => s.Month == April && s.SupersededAt == null));
        Assert.Equal(snapshot.Id, content.SnapshotId);

        // Headlines: April's street against March's (March had no cases at all).
        var reported = Headline(content, BulletinComposer.Headlines.Reported);
        Assert.Equal(5, reported.Count);
        Assert.Equal(0, reported.PreviousCount);
        Assert.Equal(5, reported.Change);
        Assert.Equal(4, Headline(content, BulletinComposer.Headlines.Registered).Count);
        Assert.Equal(2, Headline(content, BulletinComposer.Headlines.OpenAtEnd).Count);       // R and X
        Assert.Equal(1, Headline(content, BulletinComposer.Headlines.OverdueAtEnd).Count);    // R
        Assert.Equal(1, Headline(content, BulletinComposer.Headlines.Supervised).Count);      // R, on 22 April
        Assert.Equal(1, Headline(content, BulletinComposer.Headlines.HazardsFound).Count);    // X
        var fixedRate = Headline(content, BulletinComposer.Headlines.HazardsFixed);
        Assert.Equal(new Ratio(0, 1), fixedRate.Rate);
        Assert.Equal(Ratio.Zero, fixedRate.PreviousRate);
        Assert.Null(fixedRate.Change);                                                         // March found none: no rate to compare
        Assert.Equal(new Ratio(1, 1), Headline(content, BulletinComposer.Headlines.OnTimeClosure).Rate); // A

        // Rankings from the evaluation: worker1 (70.0, C) first, handler1's department 96.1 (A), worker1's community first.
        var best = content.Workers[0];
        Assert.Equal(month.Worker.StaffMemberId, best.StaffMemberId);
        Assert.Equal(70.0m, best.Score!.Value);
        var department = content.Departments.Single(d => d.DepartmentId == month.Handler.DepartmentId);
        Assert.Equal(96.1m, department.Score!.Value);
        Assert.Equal(1, department.Score.Rank);
        var community = Assert.Single(content.Communities, c => c.Rank is not null);
        Assert.Equal(1, community.Rank);
        var r = await scenario.ReloadAsync(month.R);
        Assert.Equal(r.CommunityId.ToString(System.Globalization.CultureInfo.InvariantCulture), community.Area.Key);
        Assert.Equal(new Ratio(0, 1), community.Area.HazardsFixed);
        Assert.Equal(10, content.Communities.Count);                                           // every community, ranked or not
        Assert.Equal(month.GridCode, Assert.Single(content.Grids).Area.Key);

        // Cases at the month's end: R overdue and supervised; notable: R alone (supervised 3 + overdue 2).
        var overdue = Assert.Single(content.Overdue.Cases);
        Assert.Equal(1, content.Overdue.Total);
        Assert.Equal(r.Number, overdue.Number);
        Assert.Equal(CaseState.Returned, overdue.StateAtEnd);
        Assert.Equal(r.Number, Assert.Single(content.Supervised.Cases).Number);
        var notable = Assert.Single(content.Notable.Cases);
        Assert.Equal([BulletinCaseReasons.Supervised, BulletinCaseReasons.Overdue], notable.Reasons);
        Assert.Equal(5, notable.Points);
    }

    [Fact]
    public async Task A_draft_is_refused_for_a_month_whose_evaluation_is_not_frozen_and_nothing_is_stored()
    {
        await scenario.PreparedAsync();
        var leader = await scenario.ActorAsync("streetleader1");
        var before = await CountAsync();

        var closed = await Assert.ThrowsAsync<DomainException>(() => ServiceAsync(s => s.CreateDraftAsync(BulletinScenario.February, leader)));
        Assert.Equal(BulletinService.NotFrozenCode, closed.Code);
        Assert.StartsWith("2026年2月的考核尚未固化", closed.Message, StringComparison.Ordinal);
        var running = await Assert.ThrowsAsync<DomainException>(() => ServiceAsync(s => s.CreateDraftAsync(April.AddMonths(1), leader)));
        Assert.Equal(BulletinService.NotFrozenCode, running.Code);
        Assert.Equal(before, await CountAsync());
        var index = await ServiceAsync(s => s.IndexAsync(leader));
        Assert.DoesNotContain(BulletinScenario.February, index.MonthsToCreate);
    }

    [Fact]
    public async Task An_issued_bulletin_is_numbered_per_year_in_order_of_issue_and_never_changes_again()
    {
        await scenario.PreparedAsync();
        var dispatcher = await scenario.ActorAsync("dispatcher1");
        var leader = await scenario.ActorAsync("streetleader1");
        var april = await DraftOfAsync(April, dispatcher);

        var draft = (await ServiceAsync(s => s.GetAsync(april, leader)))!;
        await ServiceAsync(s => s.EditAsync(april, draft.Version, "  四月，全街道案件总体平稳。  ", "请各部门抓好整改。", leader));
        // A save from a page that still shows the earlier version is refused, naming who saved last.
        var stale = await Assert.ThrowsAsync<DomainException>(() => ServiceAsync(s => s.EditAsync(april, draft.Version, "别的按语", null, dispatcher)));
        Assert.Equal(BulletinService.StaleCode, stale.Code);
        Assert.Contains(leader.Name, stale.Message, StringComparison.Ordinal);
        var tooLong = await Assert.ThrowsAsync<DomainException>(() => ServiceAsync(async s =>
            await s.EditAsync(april, (await s.GetAsync(april, leader))!.Version, new string('字', Bulletin.ForewordMaxLength + 1), null, leader)));
        Assert.Equal(DomainFields.BulletinForeword.Name, tooLong.Field);

        var edited = (await ServiceAsync(s => s.GetAsync(april, leader)))!;
        Assert.Equal("四月，全街道案件总体平稳。", edited.Foreword);
        await ServiceAsync(s => s.IssueAsync(april, edited.Version, leader));
        var issued = (await ServiceAsync(s => s.GetAsync(april, leader)))!;
        Assert.Equal(BulletinState.Issued, issued.State);
        Assert.Equal("2026年第1期", issued.IssueTitle);
        Assert.Equal(leader.Name, issued.IssuedByName);
        Assert.False(issued.CanEdit);

        var edit = await Assert.ThrowsAsync<DomainException>(() => ServiceAsync(s => s.EditAsync(april, issued.Version, "改", null, leader)));
        Assert.Equal(Bulletin.IssuedCode, edit.Code);
        var again = await Assert.ThrowsAsync<DomainException>(() => ServiceAsync(s => s.IssueAsync(april, issued.Version, leader)));
        Assert.Equal(Bulletin.IssuedCode, again.Code);
        Assert.Equal("四月，全街道案件总体平稳。", (await ServiceAsync(s => s.GetAsync(april, leader)))!.Foreword);

        // March issued after April takes the next number of 2026; December 2025 starts 2025 at 1.
        var march = await DraftOfAsync(BulletinScenario.March, leader);
        await ServiceAsync(async s => await s.IssueAsync(march, (await s.GetAsync(march, leader))!.Version, leader));
        var december = await DraftOfAsync(BulletinScenario.December2025, leader);
        await ServiceAsync(async s => await s.IssueAsync(december, (await s.GetAsync(december, leader))!.Version, leader));
        Assert.Equal("2026年第2期", (await ServiceAsync(s => s.GetAsync(march, leader)))!.IssueTitle);
        Assert.Equal("2025年第1期", (await ServiceAsync(s => s.GetAsync(december, leader)))!.IssueTitle);

        // Each create, edit and issue is in the audit log.
        var audited = await scenario.WithAsync(p => p.GetRequiredService<GridGovDbContext>().AuditEntries.AsNoTracking()
            .Where(e => e.EntityType == nameof(Bulletin) && e.EntityId == april.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Select(e => e.Action).ToListAsync());
        Assert.Equal(1, audited.Count(a => a == AuditAction.Create));
        Assert.Equal(2, audited.Count(a => a == AuditAction.Update)); // the edit and the issue
    }

    [Fact]
    public async Task Departments_read_only_issued_bulletins_and_grid_staff_none_and_only_the_street_writes()
    {
        await scenario.PreparedAsync();
        var handler = await scenario.ActorAsync("handler1");
        var worker = await scenario.ActorAsync("worker1");
        var admin = await scenario.ActorAsync("admin1");
        var december = await DraftOfAsync(BulletinScenario.December2024, admin);
        var state = (await ServiceAsync(s => s.GetAsync(december, admin)))!;

        var forbidden = await Assert.ThrowsAsync<DomainException>(() => ServiceAsync(s => s.CreateDraftAsync(BulletinScenario.March, handler)));
        Assert.Equal("bulletin.write-forbidden", forbidden.Code);
        await Assert.ThrowsAsync<DomainException>(() => ServiceAsync(s => s.EditAsync(december, state.Version, "按语", null, handler)));
        await Assert.ThrowsAsync<DomainException>(() => ServiceAsync(s => s.IndexAsync(worker)));
        Assert.Null(await ServiceAsync(s => s.GetAsync(december, worker)));

        if (state.State == BulletinState.Draft)
        {
            Assert.Null(await ServiceAsync(s => s.GetAsync(december, handler)));
            Assert.DoesNotContain(december, (await ServiceAsync(s => s.IndexAsync(handler))).Bulletins.Select(b => b.Id));
            await ServiceAsync(s => s.IssueAsync(december, state.Version, admin));
        }
        var read = await ServiceAsync(s => s.GetAsync(december, handler));
        Assert.NotNull(read);
        Assert.False(read.CanEdit);
        var index = await ServiceAsync(s => s.IndexAsync(handler));
        Assert.Contains(december, index.Bulletins.Select(b => b.Id));
        Assert.All(index.Bulletins, b => Assert.Equal(BulletinState.Issued, b.State));
        Assert.Empty(index.MonthsToCreate);
        Assert.False(index.CanWrite);
    }

    private static BulletinHeadline Headline(BulletinContent content, string key) => content.Headlines.Single(h => h.Key == key);

    /// <summary>The month's bulletin, created as a draft by <paramref name="actor"/> unless an earlier test made it.</summary>
    private Task<long> DraftOfAsync(DateOnly month, CaseActor actor) => scenario.WithAsync(async p =>
    {
        var existing = await p.GetRequiredService<GridGovDbContext>().Bulletins.AsNoTracking().Where(b => b.Month == month).Select(b => (long?)b.Id).SingleOrDefaultAsync();
        return existing ?? await p.GetRequiredService<BulletinService>().CreateDraftAsync(month, actor);
    });

    private Task<int> CountAsync() => scenario.WithAsync(p => p.GetRequiredService<GridGovDbContext>().Bulletins.CountAsync());

    private Task<T> ServiceAsync<T>(Func<BulletinService, Task<T>> work) => scenario.WithAsync(p => work(p.GetRequiredService<BulletinService>()));

    private Task ServiceAsync(Func<BulletinService, Task> work) =>
        scenario.WithAsync(async p => { await work(p.GetRequiredService<BulletinService>()); return true; });
}
