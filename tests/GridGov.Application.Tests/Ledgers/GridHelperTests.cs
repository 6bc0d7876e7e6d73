using GridGov.Application.Ledgers;
using GridGov.Domain.Common;
using GridGov.Domain.Ledgers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Application.Tests.Ledgers;

/// <summary>
/// The local helpers of a grid (网格骨干, the third 一口清): entered by the grid's staff within their scope, listed on the
/// grid's ledger with the phone masked for those who may not reveal numbers, changed and removed like any ledger row.
/// </summary>
public sealed class GridHelperTests(LedgerScenario scenario) : IClassFixture<LedgerScenario>
{
    private static int _phone;

    /// <summary>A valid mobile number no other test of this class uses.</summary>
    private static string NewPhone() => $"1390000{Interlocked.Increment(ref _phone):D4}";

    private Task<string> GridCodeOfAsync(string userName) => scenario.WithAsync(async provider =>
    {
        var gridId = await scenario.GridIdOfAsync(userName);
        return await provider.GetRequiredService<Infrastructure.Persistence.GridGovDbContext>().Grids.Where(g => g.Id == gridId).Select(g => g.Code).SingleAsync();
    });

    private Task<GridLedgerView?> LedgerAsync(string gridCode, string userName) => scenario.WithAsync(async provider =>
        await provider.GetRequiredService<GridLedgerQuery>().GetAsync(gridCode, await scenario.ActorAsync(userName)));

    /// <summary>A resident of a grid the person does not serve.</summary>
    private Task<int> OutsideResidentAsync(string userName) => scenario.DbAsync(async db =>
    {
        var staffId = await db.Users.Where(u => u.UserName == userName).Select(u => u.StaffMemberId).SingleAsync();
        var own = db.GridAssignments.Where(a => a.StaffMemberId == staffId).Select(a => a.GridCode);
        return await db.Residents.Where(r => r.RemovedAt == null && !own.Contains(db.Grids.Where(g => g.Id == r.GridId).Select(g => g.Code).First()))
            .OrderBy(r => r.Id).Select(r => r.Id).FirstAsync();
    });

    private Task<int> HelperCountAsync() => scenario.DbAsync(db => db.GridHelpers.CountAsync());

    [Fact]
    public async Task A_worker_links_a_resident_of_his_grid_whose_ledger_name_is_used_and_the_entry_is_recorded()
    {
        var gridId = await scenario.GridIdOfAsync("worker1");
        var gridCode = await GridCodeOfAsync("worker1");
        var resident = await scenario.ResidentAsync(gridId, skip: 20);
        var worker = await scenario.ActorAsync("worker1");
        var phone = NewPhone();

        var id = await scenario.WithAsync(provider => provider.GetRequiredService<LedgerService>().CreateGridHelperAsync(
            new NewGridHelper(gridCode, GridHelperRole.CompoundHead, "随便写的名字", phone, resident.Id, " 3幢 ", null, new DateOnly(2024, 3, 1)), worker));

        var helper = await scenario.DbAsync(db => db.GridHelpers.AsNoTracking().SingleAsync(h => h.Id == id));
        Assert.Equal(resident.Name, helper.Name);
        Assert.Equal("3幢", helper.Coverage);
        Assert.Equal(new DateOnly(2024, 3, 1), helper.Since);
        var change = Assert.Single(await scenario.ChangesAsync(nameof(GridHelper), id));
        Assert.Equal(LedgerChangeKind.Created, change.Kind);

        var seenByWorker = Assert.Single((await LedgerAsync(gridCode, "worker1"))!.Helpers, h => h.Id == id);
        Assert.Equal(phone, seenByWorker.Phone);
        Assert.True(seenByWorker.PhoneRevealed);
        Assert.Equal(resident.Id, seenByWorker.ResidentId);
        // The dispatcher sees the whole street but reveals no numbers.
        var seenByDispatcher = Assert.Single((await LedgerAsync(gridCode, "dispatcher1"))!.Helpers, h => h.Id == id);
        Assert.Equal(Masking.Phone(phone), seenByDispatcher.Phone);
        Assert.False(seenByDispatcher.PhoneRevealed);
    }

    [Fact]
    public async Task A_replayed_form_answers_with_the_first_helper_and_writes_one_row()
    {
        var gridCode = await GridCodeOfAsync("worker1");
        var worker = await scenario.ActorAsync("worker1");
        var input = new NewGridHelper(gridCode, GridHelperRole.Volunteer, "张志愿", NewPhone(), null, null, "周末值守", null, Guid.NewGuid());

        var first = await scenario.WithAsync(provider => provider.GetRequiredService<LedgerService>().CreateGridHelperAsync(input, worker));
        var before = await HelperCountAsync();
        var second = await scenario.WithAsync(provider => provider.GetRequiredService<LedgerService>().CreateGridHelperAsync(input, worker));

        Assert.Equal(first, second);
        Assert.Equal(before, await HelperCountAsync());
        var helper = await scenario.DbAsync(db => db.GridHelpers.AsNoTracking().SingleAsync(h => h.Id == first));
        Assert.Equal(Domain.Calendar.WorkingCalendar.ChinaDate(scenario.Clock.GetUtcNow()), helper.Since); // no date given: today, in China
    }

    public static TheoryData<string, string?, string?, int, string> Refusals => new()
    {
        // name, phone, since (days from today), resident (0 none, 1 of another grid), expected code
        { "", "13900001111", null, 0, "text.required" },
        { "李四", "", null, 0, "text.required" },
        { "李四", "12345", null, 0, "phone.invalid" },
        { "李四", "13900001112", "1", 0, "helper.since-future" },
        { "李四", "13900001113", "-20000", 0, "helper.since-too-early" },
        { "李四", "13900001114", null, 1, "helper.resident-not-found" },
        { "李四\u0000", "13900001115", null, 0, "text.control" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Bad_input_is_refused_with_its_code_and_nothing_is_written(string name, string? phone, string? sinceDays, int resident, string code)
    {
        var gridId = await scenario.GridIdOfAsync("worker1");
        var gridCode = await GridCodeOfAsync("worker1");
        var worker = await scenario.ActorAsync("worker1");
        int? residentId = resident == 1 ? await OutsideResidentAsync("worker1") : null;
        DateOnly? since = sinceDays is null ? null : Domain.Calendar.WorkingCalendar.ChinaDate(scenario.Clock.GetUtcNow()).AddDays(int.Parse(sinceDays, System.Globalization.CultureInfo.InvariantCulture));
        var before = await HelperCountAsync();

        var refusal = await Assert.ThrowsAsync<DomainException>(() => scenario.WithAsync(provider =>
            provider.GetRequiredService<LedgerService>().CreateGridHelperAsync(
                new NewGridHelper(gridCode, GridHelperRole.Liaison, name, phone, residentId, null, null, since), worker)));

        Assert.Equal(code, refusal.Code);
        Assert.Equal(before, await HelperCountAsync());
    }

    [Fact]
    public async Task The_same_phone_in_the_same_part_of_a_grid_is_refused_and_a_read_only_role_or_another_grid_may_not_enter_one()
    {
        var gridCode = await GridCodeOfAsync("worker1");
        var worker = await scenario.ActorAsync("worker1");
        var phone = NewPhone();
        await scenario.WithAsync(provider => provider.GetRequiredService<LedgerService>().CreateGridHelperAsync(
            new NewGridHelper(gridCode, GridHelperRole.Liaison, "王联络", phone, null, null, null, null), worker));

        var duplicate = await Assert.ThrowsAsync<DomainException>(() => scenario.WithAsync(provider =>
            provider.GetRequiredService<LedgerService>().CreateGridHelperAsync(
                new NewGridHelper(gridCode, GridHelperRole.Liaison, "王联络", $" {phone} ", null, null, null, null), worker)));
        Assert.Equal("helper.duplicate", duplicate.Code);
        Assert.Equal("phone", duplicate.Field);

        // The same person in another part is a different entry.
        await scenario.WithAsync(provider => provider.GetRequiredService<LedgerService>().CreateGridHelperAsync(
            new NewGridHelper(gridCode, GridHelperRole.Volunteer, "王联络", phone, null, null, null, null), worker));

        var streetLeader = await scenario.ActorAsync("streetleader1");
        var readOnly = await Assert.ThrowsAsync<DomainException>(() => scenario.WithAsync(provider =>
            provider.GetRequiredService<LedgerService>().CreateGridHelperAsync(
                new NewGridHelper(gridCode, GridHelperRole.Volunteer, "赵", NewPhone(), null, null, null, null), streetLeader)));
        Assert.Equal("ledger.read-only", readOnly.Code);

        var otherGrid = await scenario.DbAsync(db => db.Grids.Where(g => g.Code != gridCode).OrderByDescending(g => g.Id).Select(g => g.Code).FirstAsync());
        var outside = await Assert.ThrowsAsync<DomainException>(() => scenario.WithAsync(provider =>
            provider.GetRequiredService<LedgerService>().CreateGridHelperAsync(
                new NewGridHelper(otherGrid, GridHelperRole.Volunteer, "钱", NewPhone(), null, null, null, null), worker)));
        Assert.Equal("helper.grid-not-found", outside.Code);
    }

    [Fact]
    public async Task A_change_on_a_stale_version_is_refused_and_a_removal_keeps_the_row_but_takes_it_off_the_ledger()
    {
        var gridCode = await GridCodeOfAsync("worker1");
        var worker = await scenario.ActorAsync("worker1");
        var id = await scenario.WithAsync(provider => provider.GetRequiredService<LedgerService>().CreateGridHelperAsync(
            new NewGridHelper(gridCode, GridHelperRole.PartyMember, "孙党员", NewPhone(), null, null, null, null), worker));
        var shown = await scenario.DbAsync(db => db.GridHelpers.AsNoTracking().SingleAsync(h => h.Id == id));
        var newPhone = NewPhone();

        await scenario.LedgerAsync(ledger => ledger.UpdateGridHelperAsync(id, shown.Version,
            new GridHelperEdit(GridHelperRole.PartyMember, newPhone, "1-4幢", "党员中心户"), worker));
        var stale = await Assert.ThrowsAsync<DomainException>(() => scenario.LedgerAsync(ledger =>
            ledger.UpdateGridHelperAsync(id, shown.Version, new GridHelperEdit(GridHelperRole.Volunteer, NewPhone(), null, null), worker)));
        Assert.True(LedgerService.IsStale(stale));
        var changed = await scenario.DbAsync(db => db.GridHelpers.AsNoTracking().SingleAsync(h => h.Id == id));
        Assert.Equal((GridHelperRole.PartyMember, newPhone, "1-4幢"), (changed.Role, changed.Phone, changed.Coverage));

        var noReason = await Assert.ThrowsAsync<DomainException>(() => scenario.LedgerAsync(ledger => ledger.RemoveGridHelperAsync(id, changed.Version, " ", worker)));
        Assert.Equal("reason", noReason.Field);
        await scenario.LedgerAsync(ledger => ledger.RemoveGridHelperAsync(id, changed.Version, "迁出本社区", worker));

        var removed = await scenario.DbAsync(db => db.GridHelpers.AsNoTracking().SingleAsync(h => h.Id == id));
        Assert.Equal("迁出本社区", removed.RemovalReason);
        Assert.DoesNotContain((await LedgerAsync(gridCode, "worker1"))!.Helpers, h => h.Id == id);
        Assert.Equal([LedgerChangeKind.Created, LedgerChangeKind.Updated, LedgerChangeKind.Removed],
            (await scenario.ChangesAsync(nameof(GridHelper), id)).Select(c => c.Kind));
        var afterRemoval = await Assert.ThrowsAsync<DomainException>(() => scenario.LedgerAsync(ledger =>
            ledger.UpdateGridHelperAsync(id, removed.Version, new GridHelperEdit(GridHelperRole.Volunteer, NewPhone(), null, null), worker)));
        Assert.Equal("ledger.removed", afterRemoval.Code);
    }

    [Fact]
    public async Task Residents_offered_for_linking_are_those_of_the_grid_matching_the_name()
    {
        var gridId = await scenario.GridIdOfAsync("worker1");
        var gridCode = await GridCodeOfAsync("worker1");
        var resident = await scenario.ResidentAsync(gridId, skip: 5);
        var worker = await scenario.ActorAsync("worker1");

        var choices = await scenario.WithAsync(provider => provider.GetRequiredService<GridLedgerQuery>().ResidentChoicesAsync(gridCode, resident.Name, worker));

        Assert.Contains(choices, c => c.Id == resident.Id);
        var ids = choices.Select(c => c.Id).ToList();
        Assert.Equal(ids.Count, await scenario.DbAsync(db => db.Residents.CountAsync(r => ids.Contains(r.Id) && r.GridId == gridId && r.Name.Contains(resident.Name))));
        Assert.Empty(await scenario.WithAsync(provider => provider.GetRequiredService<GridLedgerQuery>().ResidentChoicesAsync(gridCode, "  ", worker)));
    }
}
