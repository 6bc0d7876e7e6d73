using GridGov.Application.Ledgers;
using GridGov.Domain.Calendar;
using GridGov.Domain.Common;
using GridGov.Domain.Ledgers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Application.Tests.Ledgers;

/// <summary>
/// Key-person follow-ups (重点人员跟进): recorded for residents with a sensitive tag by those who may see the tags and keep
/// the ledgers, read by those who may see the tags, unknown to everyone else; bad input refused with nothing written.
/// </summary>
public sealed class KeyPersonFollowUpTests(LedgerScenario scenario) : IClassFixture<LedgerScenario>
{
    private DateOnly Today => WorkingCalendar.ChinaDate(scenario.Clock.GetUtcNow());

    /// <summary>An active resident of secretary1's community with a sensitive tag (or, with <paramref name="sensitive"/> false, without one).</summary>
    private Task<Resident> ResidentAsync(bool sensitive, int skip = 0) => scenario.DbAsync(async db =>
    {
        var staffId = await db.Users.Where(u => u.UserName == "secretary1").Select(u => u.StaffMemberId).SingleAsync();
        var communityId = await db.StaffMembers.Where(s => s.Id == staffId).Select(s => s.CommunityId).SingleAsync();
        var grids = db.Grids.Where(g => g.CommunityId == communityId).Select(g => g.Id);
        var candidates = await db.Residents.AsNoTracking().Where(r => r.RemovedAt == null && grids.Contains(r.GridId)).OrderBy(r => r.Id).ToListAsync();
        return candidates.Where(r => r.Groups.Any(g => g.IsSensitive()) == sensitive).Skip(skip).First();
    });

    private Task<T> WithAsync<T>(Func<KeyPersonFollowUpService, Task<T>> work) =>
        scenario.WithAsync(provider => work(provider.GetRequiredService<KeyPersonFollowUpService>()));

    private Task<int> CountAsync() => scenario.DbAsync(db => db.KeyPersonFollowUps.CountAsync());

    [Fact]
    public async Task A_secretary_records_a_follow_up_that_those_who_see_the_tags_read_and_others_never_learn_of()
    {
        var resident = await ResidentAsync(sensitive: true);
        var secretary = await scenario.ActorAsync("secretary1");
        var id = await WithAsync(s => s.RecordAsync(new NewFollowUp(resident.Id, Today.AddDays(-2), FollowUpWay.HomeVisit, FollowUpRisk.Attention, " 情绪低落，已联系家属 "), secretary));

        var seen = await WithAsync(s => s.ForResidentAsync(resident.Id, secretary));
        var row = Assert.Single(seen!.Rows, r => r.Id == id);
        Assert.Equal((Today.AddDays(-2), FollowUpWay.HomeVisit, FollowUpRisk.Attention, "情绪低落，已联系家属", secretary.Name),
            (row.FollowedUpOn, row.Way, row.Risk, row.Situation, row.StaffName));
        Assert.True(seen.CanRecord);

        var streetLeader = await WithAsync(async s => await s.ForResidentAsync(resident.Id, await scenario.ActorAsync("streetleader1")));
        Assert.Contains(streetLeader!.Rows, r => r.Id == id);
        Assert.False(streetLeader.CanRecord);

        // A grid worker of that grid keeps its ledgers but may not see the tags: to him the records do not exist.
        var workerName = await scenario.DbAsync(db => db.GridAssignments.Where(a => db.Grids.Any(g => g.Id == resident.GridId && g.Code == a.GridCode)
            && a.EndedOn == null && a.Duty != Domain.Organisation.GridDuty.Leader)
            .Join(db.Users, a => a.StaffMemberId, u => u.StaffMemberId, (a, u) => u.UserName).FirstAsync());
        var worker = await scenario.ActorAsync(workerName!);
        Assert.Null(await WithAsync(s => s.ForResidentAsync(resident.Id, worker)));
        var refused = await Assert.ThrowsAsync<DomainException>(() =>
            WithAsync(s => s.RecordAsync(new NewFollowUp(resident.Id, null, FollowUpWay.Phone, FollowUpRisk.Stable, "电话回访"), worker)));
        Assert.Equal("follow-up.not-found", refused.Code);
        var readOnly = await Assert.ThrowsAsync<DomainException>(async () =>
            await WithAsync(async s => await s.RecordAsync(new NewFollowUp(resident.Id, null, FollowUpWay.Phone, FollowUpRisk.Stable, "电话回访"),
                await scenario.ActorAsync("streetleader1"))));
        Assert.Equal("ledger.read-only", readOnly.Code);
    }

    [Fact]
    public async Task A_resident_without_a_sensitive_tag_has_no_follow_ups_and_a_replay_answers_with_the_first_record()
    {
        var plain = await ResidentAsync(sensitive: false);
        var secretary = await scenario.ActorAsync("secretary1");
        Assert.Null(await WithAsync(s => s.ForResidentAsync(plain.Id, secretary)));
        Assert.Equal("follow-up.not-found", (await Assert.ThrowsAsync<DomainException>(() =>
            WithAsync(s => s.RecordAsync(new NewFollowUp(plain.Id, null, FollowUpWay.Phone, FollowUpRisk.Stable, "电话回访"), secretary)))).Code);

        var resident = await ResidentAsync(sensitive: true, skip: 1);
        var input = new NewFollowUp(resident.Id, null, FollowUpWay.Interview, FollowUpRisk.Stable, "按时报到", Guid.NewGuid());
        var first = await WithAsync(s => s.RecordAsync(input, secretary));
        var before = await CountAsync();
        Assert.Equal(first, await WithAsync(s => s.RecordAsync(input, secretary)));
        Assert.Equal(before, await CountAsync());
        Assert.Equal(Today, await scenario.DbAsync(db => db.KeyPersonFollowUps.Where(f => f.Id == first).Select(f => f.FollowedUpOn).SingleAsync()));
    }

    public static TheoryData<int?, string, string, string?> Refusals => new()
    {
        { null, "", "text.required", "situation" },
        { null, "   ", "text.required", "situation" },
        { null, new string('长', KeyPersonFollowUp.SituationMaxLength + 1), "text.too-long", "situation" },
        { null, "情况\u0000稳定", "text.control", "situation" },
        { 1, "情况稳定", "follow-up.date-future", "date" },
        { -(KeyPersonFollowUpService.BackdateDays + 1), "情况稳定", "follow-up.date-too-early", "date" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Bad_input_is_refused_under_its_field_and_nothing_is_written(int? daysFromToday, string situation, string code, string? field)
    {
        var resident = await ResidentAsync(sensitive: true);
        var secretary = await scenario.ActorAsync("secretary1");
        var before = await CountAsync();

        var refusal = await Assert.ThrowsAsync<DomainException>(() => WithAsync(s => s.RecordAsync(
            new NewFollowUp(resident.Id, daysFromToday is { } days ? Today.AddDays(days) : null, FollowUpWay.Phone, FollowUpRisk.Stable, situation), secretary)));

        Assert.Equal((code, field), (refusal.Code, refusal.Field));
        Assert.Equal(before, await CountAsync());
    }
}
