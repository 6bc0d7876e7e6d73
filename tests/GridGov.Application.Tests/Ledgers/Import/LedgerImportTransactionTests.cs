using GridGov.Application.Ledgers;
using GridGov.Application.Ledgers.Import;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Ledgers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using GridGov.TestSupport.GridGov;
using static GridGov.Application.Tests.Ledgers.Import.LedgerImportTests;

namespace GridGov.Application.Tests.Ledgers.Import;

/// <summary>
/// The import is one transaction: cancelled while it reads or while it writes, it leaves nothing behind; and one import
/// at a time runs per community (an advisory lock), a second one is refused with a Chinese message.
/// </summary>
public sealed class LedgerImportTransactionTests(LedgerImportScenario scenario) : IClassFixture<LedgerImportScenario>
{
    [Fact]
    public async Task An_import_cancelled_while_it_reads_the_file_writes_nothing()
    {
        var (secretary, file, _) = await FileAsync(newResidents: 3000, skip: 0);
        var upload = await scenario.UploadAsync(secretary, LedgerImportKind.Residents, file);
        var dryRun = await scenario.DryRunAsync(secretary, upload.Token);
        Assert.Equal(3001, dryRun.Created + dryRun.Updated);
        var before = await scenario.WrittenAsync();
        using var cancel = new CancellationTokenSource();
        var seen = new List<ImportProgress>();
        var progress = new InlineProgress(p =>
        {
            seen.Add(p);
            if (p is { Phase: ImportPhase.Reading, Rows: >= 1000 })
            {
                cancel.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => scenario.ImportAsync(secretary, upload.Token, progress, cancel.Token));

        Assert.Contains(seen, p => p.Rows >= 1000);
        Assert.DoesNotContain(seen, p => p.Phase is ImportPhase.Writing or ImportPhase.Done);
        Assert.Equal(before, await scenario.WrittenAsync());
    }

    [Fact]
    public async Task An_import_cancelled_while_it_writes_rolls_back_the_rows_it_had_already_written()
    {
        var (secretary, file, locked) = await FileAsync(newResidents: 2000, skip: 1);
        var upload = await scenario.UploadAsync(secretary, LedgerImportKind.Residents, file);
        await scenario.DryRunAsync(secretary, upload.Token);
        var before = await scenario.WrittenAsync();
        using var cancel = new CancellationTokenSource();

        Task<LedgerImportResult> import;
        await using (var blocker = await ResidentRowLock.TakeAsync(scenario.ConnectionString, locked))
        {
            import = scenario.ImportAsync(secretary, upload.Token, null, cancel.Token);
            // The new residents are inserted; the update of the locked resident waits.
            await ResidentRowLock.WaitingAsync(scenario.ConnectionString, "UPDATE residents");
            cancel.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => import);
        }

        Assert.Equal(before, await scenario.WrittenAsync());
    }

    [Fact]
    public async Task A_second_import_into_a_community_while_one_runs_is_refused_with_a_Chinese_message_and_runs_once_the_first_is_done()
    {
        var (secretary, first, locked) = await FileAsync(newResidents: 50, skip: 2);
        var admin = await scenario.ActorAsync("admin1");
        var (_, second, _) = await FileAsync(newResidents: 5, skip: 3);
        var firstUpload = await scenario.UploadAsync(secretary, LedgerImportKind.Residents, first);
        await scenario.DryRunAsync(secretary, firstUpload.Token);
        var secondUpload = await scenario.UploadAsync(secretary, LedgerImportKind.Residents, second);
        await scenario.DryRunAsync(secretary, secondUpload.Token);
        var adminUpload = await scenario.UploadAsync(admin, LedgerImportKind.Residents, second);
        await scenario.DryRunAsync(admin, adminUpload.Token);
        var community = await scenario.DbAsync(db => db.Communities.SingleAsync(c => c.Id == secretary.CommunityId));

        Task<LedgerImportResult> running;
        await using (var blocker = await ResidentRowLock.TakeAsync(scenario.ConnectionString, locked))
        {
            running = scenario.ImportAsync(secretary, firstUpload.Token);
            await ResidentRowLock.WaitingAsync(scenario.ConnectionString, "UPDATE residents");

            var busy = await Assert.ThrowsAsync<DomainException>(() => scenario.ImportAsync(secretary, secondUpload.Token));
            var busyForAdmin = await Assert.ThrowsAsync<DomainException>(() => scenario.ImportAsync(admin, adminUpload.Token));

            Assert.Equal("ledger-import.busy", busy.Code);
            Assert.Equal($"{community.Name}正在进行另一项台账导入，请待其完成后再试", busy.Message);
            Assert.Equal("ledger-import.busy", busyForAdmin.Code);
            Assert.Contains(community.Name, busyForAdmin.Message);
            Assert.False(running.IsCompleted);
        }

        var done = await running;
        Assert.Equal(51, done.Created + done.Updated);
        var later = await scenario.ImportAsync(secretary, secondUpload.Token);
        Assert.Equal(6, later.Created + later.Updated);
    }

    [Fact]
    public async Task An_import_whose_resident_someone_registers_between_its_checks_and_its_writes_is_refused_whole_with_a_Chinese_message()
    {
        var secretary = await scenario.ActorAsync("secretary1");
        var grids = (await scenario.GridsOfAsync(secretary.CommunityId!.Value)).Select(g => g.Id).ToList();
        var home = await scenario.DbAsync(db => db.Households.AsNoTracking().Where(h => grids.Contains(h.GridId) && h.RemovedAt == null).OrderBy(h => h.Id).Skip(9).FirstAsync());
        var ids = Enumerable.Range(0, 3).Select(_ => IdNumber.Parse(LedgerImportScenario.NewIdNumber())).ToList();
        var rows = ids.Select((id, i) => new ResidentImportRow(i + 2, $"冲突{i}", id.Value, id.Sex, id.BirthDate, null, PopulationKind.Registered, home.Address, [])).ToList();
        var before = await scenario.WrittenAsync();
        await using var scope = scenario.Services.CreateAsyncScope();
        var ledgerScope = await scope.ServiceProvider.GetRequiredService<LedgerScopes>().ForAsync(secretary);
        var request = new ImportRequest(ledgerScope, secretary.CommunityId, new HashSet<string> { "name", "idNumber", "populationKind", "householdAddress", "groups" },
            Apply: true,
            tally =>
            {
                // Checked, not yet written: meanwhile the first of the file's residents is registered in the form (and committed).
                Task.Run(async () =>
                {
                    await using var form = scenario.Services.CreateAsyncScope();
                    await form.ServiceProvider.GetRequiredService<LedgerService>().CreateResidentAsync(
                        new NewResident(home.Id, "表单登记", ids[0].Value, null, PopulationKind.Registered, []), secretary);
                }).GetAwaiter().GetResult();
                var record = new LedgerImport(LedgerImportKind.Residents, "冲突.xlsx", scenario.Clock.GetUtcNow(), secretary.StaffMemberId, secretary.Name, secretary.CommunityId);
                record.Count(rows.Count, tally.Created, tally.Updated, tally.Unchanged, tally.Refused);
                return record;
            },
            _ => { });

        var refusal = await Assert.ThrowsAsync<DomainException>(() => scope.ServiceProvider.GetRequiredService<ILedgerImportSql>().ResidentsAsync(rows, request, CancellationToken.None));

        Assert.Equal("ledger-import.conflict", refusal.Code);
        Assert.Contains("没有写入任何数据", refusal.Message);
        var after = await scenario.WrittenAsync();
        Assert.Equal((before.Residents + 1, before.LedgerImports), (after.Residents, after.LedgerImports));
        var registered = await scenario.DbAsync(db => db.Residents.AsNoTracking().Where(r => ids.Select(i => i.Value).Contains(r.IdNumber)).Select(r => r.Name).ToListAsync());
        Assert.Equal(["表单登记"], registered);
    }

    /// <summary>
    /// A secretary's file of new residents in one household of the community, and last an existing resident of the
    /// community whose phone changes (the row a test can lock, so the import waits in its writing phase).
    /// </summary>
    private async Task<(CaseActor Secretary, byte[] File, int LockedResident)> FileAsync(int newResidents, int skip)
    {
        var secretary = await scenario.ActorAsync("secretary1");
        var grids = (await scenario.GridsOfAsync(secretary.CommunityId!.Value)).Select(g => g.Id).ToList();
        var home = await scenario.DbAsync(db => db.Households.AsNoTracking().Where(h => grids.Contains(h.GridId) && h.RemovedAt == null).OrderBy(h => h.Id).Skip(skip).FirstAsync());
        var existing = await scenario.DbAsync(db => db.Residents.AsNoTracking().Where(r => grids.Contains(r.GridId) && r.RemovedAt == null && r.HouseholdId != null)
            .OrderBy(r => r.Id).Skip(40 + skip).FirstAsync());
        var rows = Enumerable.Range(0, newResidents)
            .Select(i => new object?[] { $"新居民{i}", LedgerImportScenario.NewIdNumber(), "", "户籍", home.Address, "" })
            .Append([existing.Name, existing.IdNumber, existing.Phone == "13600000000" ? "13600000001" : "13600000000", ImportValues.PopulationKindNames[existing.PopulationKind], "",
                string.Join("、", existing.Groups.Select(g => g.ChineseName()))]);
        return (secretary, File(ResidentHeader, [.. rows]), existing.Id);
    }
}
