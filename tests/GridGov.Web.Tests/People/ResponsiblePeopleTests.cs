using System.Text.Json;
using GridGov.Application.Cases;
using GridGov.Application.Grids;
using GridGov.Domain.Calendar;
using GridGov.Domain.Common;
using GridGov.Domain.Organisation;
using GridGov.TestSupport.GridGov;
using GridGov.Web.Tests.CaseList;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Web.Tests.People;

/// <summary>
/// The responsible people (实名落图) through ResponsiblePeople on the real app and database: an ended assignment is history, a new
/// one is in force at once on the public notice, the grid map and the person's scope; one leader per grid; a secretary keeps his
/// own community only; a replayed form gives the first assignment.
/// </summary>
public sealed class ResponsiblePeopleTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private sealed record Holder(int AssignmentId, int StaffId, string Name, string Phone, string GridCode, int CommunityId);

    private static DateOnly Today => WorkingCalendar.ChinaDate(DateTimeOffset.UtcNow);

    /// <summary>The leader of a current grid of the community (by position in code order), with the grid's community.</summary>
    private Task<Holder> HolderAsync(int communityIndex, int gridIndex, GridDuty duty) => app.DbAsync(async db =>
    {
        var community = await db.Communities.OrderBy(c => c.Code).Skip(communityIndex).Select(c => c.Id).FirstAsync();
        var grid = await db.Grids.Where(g => g.CommunityId == community && g.ValidTo == null).OrderBy(g => g.Code).Skip(gridIndex).Select(g => g.Code).FirstAsync();
        return await db.GridAssignments.Where(a => a.GridCode == grid && a.Duty == duty && a.EndedOn == null)
            .OrderBy(a => a.Id)
            .Select(a => new Holder(a.Id, a.StaffMemberId, a.StaffMember!.Name, a.StaffMember.Phone, a.GridCode, community))
            .FirstAsync();
    });

    private Task<T> PeopleAsync<T>(Func<ResponsiblePeople, Task<T>> work) =>
        app.WithAsync(provider => work(provider.GetRequiredService<ResponsiblePeople>()));

    private async Task<string> NoticeAsync(string gridCode)
    {
        using var client = app.CreateClient();
        await client.SignInAsync("worker1", DemoStreetDatabaseFixture.DemoPassword);
        return await client.GetStringAsync($"/grids/{gridCode}/notice");
    }

    private async Task<JsonElement> MapFeatureAsync(string gridCode)
    {
        using var client = app.CreateClient();
        await client.SignInAsync("worker1", DemoStreetDatabaseFixture.DemoPassword);
        using var json = JsonDocument.Parse(await client.GetStringAsync("/api/map/grids"));
        return json.RootElement.GetProperty("features").EnumerateArray()
            .Single(f => f.GetProperty("properties").GetProperty("code").GetString() == gridCode).GetProperty("properties").Clone();
    }

    private Task<int> AuditCountAsync() => app.DbAsync(db => db.AuditEntries.CountAsync(e => e.EntityType == nameof(GridAssignment)));

    [Fact]
    public async Task A_new_leader_shows_at_once_on_the_notice_the_map_and_in_scope_and_the_old_term_stays_as_history()
    {
        var admin = await app.ActorAsync("admin1");
        var old = await HolderAsync(3, 0, GridDuty.Leader);
        var other = await HolderAsync(3, 1, GridDuty.Leader); // leads another grid: may lead this one too
        Assert.Contains(old.Phone, await NoticeAsync(old.GridCode));
        var audit = await AuditCountAsync();

        // One leader at a time: the new one is refused while the old term is open.
        var taken = await Assert.ThrowsAsync<DomainException>(() => PeopleAsync(p => p.AssignAsync(
            new GridAssignmentInput(old.GridCode, other.StaffId, GridDuty.Leader, Today, Guid.NewGuid()), admin)));
        Assert.Equal("assignment.leader-taken", taken.Code);
        Assert.Equal(audit, await AuditCountAsync());

        await PeopleAsync(async p => { await p.EndAsync(old.AssignmentId, Today, admin); return true; });
        var notice = await NoticeAsync(old.GridCode);
        Assert.DoesNotContain(old.Phone, notice);
        Assert.Equal(JsonValueKind.Null, (await MapFeatureAsync(old.GridCode)).GetProperty("leader").ValueKind);
        var oldScope = await app.WithAsync(p => p.GetRequiredService<CaseActors>().ForStaffAsync(old.StaffId));
        Assert.DoesNotContain(old.GridCode, oldScope.GridCodes);

        var id = await PeopleAsync(p => p.AssignAsync(new GridAssignmentInput(old.GridCode, other.StaffId, GridDuty.Leader, Today, Guid.NewGuid()), admin));

        Assert.Contains(other.Phone, await NoticeAsync(old.GridCode));
        Assert.Equal(other.Phone, (await MapFeatureAsync(old.GridCode)).GetProperty("leader").GetProperty("phone").GetString());
        var newScope = await app.WithAsync(p => p.GetRequiredService<CaseActors>().ForStaffAsync(other.StaffId));
        Assert.Contains(old.GridCode, newScope.GridCodes);
        // History kept: the old term with its end date, the new one in force, both audited.
        var board = await PeopleAsync(p => p.BoardAsync(old.CommunityId, admin));
        var rows = board.Grids.Single(g => g.Code == old.GridCode).Assignments;
        Assert.Contains(rows, r => r.Id == old.AssignmentId && r.EndedOn == Today && !r.InForce);
        Assert.Contains(rows, r => r.Id == id && r.InForce && r.Duty == GridDuty.Leader);
        Assert.Equal(id, rows.First().Id); // in force first
        Assert.Equal(audit + 2, await AuditCountAsync());
        // The old leader cannot come back while the new one is in office.
        Assert.Equal("assignment.leader-taken", (await Assert.ThrowsAsync<DomainException>(() => PeopleAsync(p => p.AssignAsync(
            new GridAssignmentInput(old.GridCode, old.StaffId, GridDuty.Leader, Today, Guid.NewGuid()), admin)))).Code);
    }

    [Fact]
    public async Task A_worker_who_ends_drops_out_of_the_grid_directory_and_a_replayed_form_gives_the_first_assignment()
    {
        var admin = await app.ActorAsync("admin1");
        var worker = await HolderAsync(4, 0, GridDuty.FullTimeWorker);
        var target = await HolderAsync(4, 1, GridDuty.Leader);
        var submission = Guid.NewGuid();
        var input = new GridAssignmentInput(target.GridCode, worker.StaffId, GridDuty.AuxiliaryWorker, Today, submission);

        var first = await PeopleAsync(p => p.AssignAsync(input, admin));
        var replay = await PeopleAsync(p => p.AssignAsync(input, admin));

        Assert.Equal(first, replay);
        Assert.Equal(1, await app.DbAsync(db => db.GridAssignments.CountAsync(a => a.GridCode == target.GridCode && a.StaffMemberId == worker.StaffId)));
        var directory = await app.WithAsync(p => p.GetRequiredService<GridDirectoryQuery>().NoticeAsync(target.GridCode));
        Assert.Contains(directory!.People, person => person.Name == worker.Name && person.Duty == GridDuty.AuxiliaryWorker);

        // Ended on a day ahead: still in office today; ended today: gone.
        await PeopleAsync(async p => { await p.EndAsync(first, Today.AddDays(1), admin); return true; });
        Assert.Contains((await app.WithAsync(p => p.GetRequiredService<GridDirectoryQuery>().NoticeAsync(target.GridCode)))!.People,
            person => person.Name == worker.Name && person.Duty == GridDuty.AuxiliaryWorker);
        Assert.Equal("assignment.already-ended", (await Assert.ThrowsAsync<DomainException>(() => PeopleAsync(async p =>
        {
            await p.EndAsync(first, Today, admin);
            return true;
        }))).Code);
    }

    [Fact]
    public async Task A_secretary_keeps_his_own_communitys_grids_with_his_own_people_and_nothing_else_is_written()
    {
        var secretary = await app.ActorAsync("secretary1");
        var own = await HolderAsync(0, 1, GridDuty.FullTimeWorker);
        var ownLeader = await HolderAsync(0, 2, GridDuty.Leader);
        var foreign = await HolderAsync(1, 0, GridDuty.FullTimeWorker);
        Assert.Equal(secretary.CommunityId, own.CommunityId);
        var audit = await AuditCountAsync();

        var otherGrid = await Assert.ThrowsAsync<DomainException>(() => PeopleAsync(p => p.AssignAsync(
            new GridAssignmentInput(foreign.GridCode, own.StaffId, GridDuty.AuxiliaryWorker, Today, Guid.NewGuid()), secretary)));
        var otherPerson = await Assert.ThrowsAsync<DomainException>(() => PeopleAsync(p => p.AssignAsync(
            new GridAssignmentInput(ownLeader.GridCode, foreign.StaffId, GridDuty.AuxiliaryWorker, Today, Guid.NewGuid()), secretary)));
        var end = await Assert.ThrowsAsync<DomainException>(() => PeopleAsync(async p => { await p.EndAsync(foreign.AssignmentId, Today, secretary); return true; }));
        var mismatch = await Assert.ThrowsAsync<DomainException>(() => PeopleAsync(p => p.AssignAsync(
            new GridAssignmentInput(ownLeader.GridCode, own.StaffId, GridDuty.Leader, Today, Guid.NewGuid()), secretary)));
        var worker = await app.ActorAsync("worker1");
        var forbidden = await Assert.ThrowsAsync<DomainException>(() => PeopleAsync(p => p.BoardAsync(null, worker)));

        Assert.Equal(("assignment.grid-out-of-scope", "assignment.person-out-of-scope", "assignment.grid-out-of-scope", "assignment.forbidden"),
            (otherGrid.Code, otherPerson.Code, end.Code, forbidden.Code));
        Assert.Equal("assignment.role-mismatch", mismatch.Code);
        Assert.Contains("不能担任网格长", mismatch.Message, StringComparison.Ordinal);
        Assert.Equal(audit, await AuditCountAsync());

        // His board is his community whatever he asks for; the candidates are his community's workers.
        var board = await PeopleAsync(p => p.BoardAsync(foreign.CommunityId, secretary));
        Assert.Equal(own.CommunityId, board.Community!.Id);
        Assert.Single(board.Communities);
        Assert.NotEmpty(board.Secretaries);
        Assert.Empty(await PeopleAsync(p => p.DepartmentsAsync(secretary)));
        var candidates = await PeopleAsync(p => p.CandidatesAsync(ownLeader.GridCode, GridDuty.AuxiliaryWorker, secretary));
        Assert.Contains(candidates, c => c.StaffMemberId == own.StaffId);
        Assert.DoesNotContain(candidates, c => c.StaffMemberId == foreign.StaffId);
        Assert.All(candidates, c => Assert.Equal(StaffRole.GridWorker, c.Role));

        var id = await PeopleAsync(p => p.AssignAsync(new GridAssignmentInput(ownLeader.GridCode, own.StaffId, GridDuty.AuxiliaryWorker, Today, Guid.NewGuid()), secretary));
        Assert.True(await app.DbAsync(db => db.GridAssignments.AnyAsync(a => a.Id == id && a.EndedOn == null)));
    }
}
