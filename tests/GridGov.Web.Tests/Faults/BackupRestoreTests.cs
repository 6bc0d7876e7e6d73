using System.Diagnostics;
using GridGov.Infrastructure.Persistence;
using GridGov.TestSupport;
using GridGov.TestSupport.GridGov;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace GridGov.Web.Tests.Faults;

/// <summary>
/// scripts/backup.sh and scripts/restore.sh on a copy of the demo street: the restored database has every table with
/// the same rows (counts and checksums), the append-only tables (found by their refusing trigger) included and still
/// append-only; and a database that holds data is not overwritten without --force.
/// </summary>
public sealed class BackupRestoreTests(DemoStreetDatabaseFixture source) : IClassFixture<DemoStreetDatabaseFixture>
{
    [Fact]
    public async Task A_backup_restored_into_a_fresh_database_has_the_same_rows_in_every_table_and_keeps_the_audit_trail_append_only()
    {
        var dump = Path.Combine(Path.GetTempPath(), $"gridgov-backup-{Guid.NewGuid():N}.dump");
        var restoredName = "gridgov_restored_" + Guid.NewGuid().ToString("N")[..8];
        var restored = new NpgsqlConnectionStringBuilder(source.ConnectionString) { Database = restoredName }.ConnectionString;
        try
        {
            // A ledger edit (recorded by the audit interceptor), so that the ledgers' change history has rows to carry over:
            // the demo street is loaded with COPY and starts with none.
            await using (var scope = source.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
                var resident = await db.Residents.Where(r => r.RemovedAt == null).OrderBy(r => r.Id).FirstAsync();
                resident.ChangePhone("13700009876");
                // The demo street has no import of its own: one import record, so that append-only table is compared too.
                db.LedgerImports.Add(new GridGov.Domain.Ledgers.LedgerImport(GridGov.Domain.Ledgers.LedgerImportKind.Residents, "居民台账.xlsx",
                    DateTimeOffset.UtcNow, null, "备份测试", null));
                await db.SaveChangesAsync();
            }

            var backup = await RunScriptAsync("backup.sh", dump);
            Assert.True(backup.ExitCode == 0, backup.Output);
            Assert.True(new FileInfo(dump).Length > 0);

            var restore = await RunScriptAsync("restore.sh", dump, restoredName);
            Assert.True(restore.ExitCode == 0, restore.Output);

            var expected = await DatabaseFingerprint.TakeAsync(source.ConnectionString);
            var actual = await DatabaseFingerprint.TakeAsync(restored);
            Assert.True(expected.Count > 20, $"only {expected.Count} tables");
            Assert.Equal(expected.Keys, actual.Keys);
            Assert.All(expected, table => Assert.Equal(table.Value.Rows, actual[table.Key].Rows));
            Assert.True(expected["residents"].Rows > 1000);

            var appendOnly = await DatabaseFingerprint.AppendOnlyTablesAsync(source.ConnectionString);
            Assert.Contains("case_history", appendOnly);
            Assert.Equal(appendOnly, await DatabaseFingerprint.AppendOnlyTablesAsync(restored));
            foreach (var table in appendOnly)
            {
                Assert.True(expected[table].Rows > 0, $"{table} is empty in the demo street");
                Assert.Equal(expected[table], actual[table]);
            }
            // Every other table too: the same rows, not just as many.
            Assert.Equal("", DatabaseFingerprint.Differences(expected, actual));

            await using var connection = new NpgsqlConnection(restored);
            await connection.OpenAsync();
            await using var tamper = new NpgsqlCommand("UPDATE case_history SET note = 'changed' WHERE id = (SELECT min(id) FROM case_history)", connection);
            var refused = await Assert.ThrowsAsync<PostgresException>(() => tamper.ExecuteNonQueryAsync());
            Assert.Contains("append-only", refused.MessageText);
        }
        finally
        {
            File.Delete(dump);
            await DropAsync(restoredName);
        }
    }

    [Fact]
    public async Task Restoring_over_a_database_that_holds_data_is_refused_without_force_and_changes_nothing()
    {
        var dump = Path.Combine(Path.GetTempPath(), $"gridgov-backup-{Guid.NewGuid():N}.dump");
        try
        {
            Assert.Equal(0, (await RunScriptAsync("backup.sh", dump)).ExitCode);
            var before = await DatabaseFingerprint.TakeAsync(source.ConnectionString);

            var target = new NpgsqlConnectionStringBuilder(source.ConnectionString).Database!;
            var restore = await RunScriptAsync("restore.sh", dump, target);

            Assert.Equal(3, restore.ExitCode);
            Assert.Contains("--force", restore.Output);
            Assert.Equal("", DatabaseFingerprint.Differences(before, await DatabaseFingerprint.TakeAsync(source.ConnectionString)));
        }
        finally
        {
            File.Delete(dump);
        }
    }

    private async Task<(int ExitCode, string Output)> RunScriptAsync(string script, params string[] args)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(RepositoryPaths.Root, "scripts", script));
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }
        psi.Environment["GRIDGOV_DB"] = source.ConnectionString;
        psi.Environment.Remove("ConnectionStrings__GridGov");
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    private static async Task DropAsync(string name)
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(await PostgresServer.GetAdminConnectionStringAsync());
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
