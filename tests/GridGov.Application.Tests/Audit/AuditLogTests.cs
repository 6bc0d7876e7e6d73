using System.Text.Json;
using GridGov.Application.Audit;
using GridGov.Application.Cases;
using GridGov.Application.Ledgers;
using GridGov.Application.Tests.Ledgers;
using GridGov.Domain.Audit;
using GridGov.Domain.Cases;
using GridGov.Domain.Ledgers;
using GridGov.Infrastructure.Identity;
using GridGov.Infrastructure.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace GridGov.Application.Tests.Audit;

/// <summary>
/// The audit log (审计日志): every write recorded in the same transaction (who, from where, before and after),
/// no secrets in it, nothing for a failed save, and the database itself refuses to change or delete it.
/// </summary>
public sealed class AuditLogTests(LedgerScenario scenario) : IClassFixture<LedgerScenario>
{
    private static JsonElement Json(string? text) => JsonDocument.Parse(text ?? "null").RootElement.Clone();

    private Task<List<AuditEntry>> EntriesAsync(string entityType, string entityId) => scenario.DbAsync(db =>
        db.AuditEntries.AsNoTracking().Where(e => e.EntityType == entityType && e.EntityId == entityId).OrderBy(e => e.Id).ToListAsync());

    private Task<int> CountAsync() => scenario.DbAsync(db => db.AuditEntries.CountAsync());

    private async Task<T> AsAsync<T>(IAuditActor actor, Func<Task<T>> work)
    {
        scenario.AuditActor = actor;
        try
        {
            return await work();
        }
        finally
        {
            scenario.AuditActor = new SystemAuditActor();
        }
    }

    private async Task<RequestActor> RequestActorAsync(string userName)
    {
        var actor = await scenario.ActorAsync(userName);
        return new RequestActor(actor.StaffMemberId, actor.Name, userName, "203.0.113.7", "Mozilla/5.0 (X11; Linux x86_64) AuditTest");
    }

    [Fact]
    public async Task The_database_refuses_update_delete_and_truncate_on_audit_entries()
    {
        await scenario.WithAsync(p => p.GetRequiredService<AuditLog>().RecordAsync(AuditAction.Export, "Test", null, "append-only probe"));
        var count = await CountAsync();
        var probe = await scenario.DbAsync(db => db.AuditEntries.AsNoTracking().Where(e => e.Detail == "append-only probe").Select(e => e.Id).SingleAsync());

        foreach (var sql in new[]
                 {
                     $"UPDATE audit_entries SET detail = 'tampered' WHERE id = {probe}",
                     $"DELETE FROM audit_entries WHERE id = {probe}",
                     "DELETE FROM audit_entries",
                     "TRUNCATE audit_entries",
                 })
        {
            var refusal = await Assert.ThrowsAsync<PostgresException>(() => scenario.DbAsync(db => db.Database.ExecuteSqlRawAsync(sql)));
            Assert.Contains("audit_entries is append-only", refusal.MessageText);
            Assert.Contains(sql.Split(' ')[0], refusal.MessageText);
        }

        Assert.Equal(count, await CountAsync());
        Assert.Equal("append-only probe", await scenario.DbAsync(db => db.AuditEntries.Where(e => e.Id == probe).Select(e => e.Detail).SingleAsync()));
    }

    [Fact]
    public async Task A_ledger_edit_writes_an_audit_entry_with_the_changed_fields_before_and_after_the_actor_and_the_address()
    {
        var gridId = await scenario.GridIdOfAsync("worker1");
        var resident = await scenario.ResidentAsync(gridId, skip: 20);
        var worker = await scenario.ActorAsync("worker1");
        var actor = await RequestActorAsync("worker1");

        await AsAsync(actor, async () =>
        {
            await scenario.LedgerAsync(ledger => ledger.UpdateResidentAsync(resident.Id, resident.Version,
                new ResidentEdit(resident.Name, "13811112222", resident.PopulationKind, resident.Groups), worker));
            return true;
        });

        var entry = Assert.Single(await EntriesAsync(nameof(Resident), resident.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(AuditAction.Update, entry.Action);
        var before = Json(entry.Before);
        var after = Json(entry.After);
        Assert.Equal(resident.Phone, before.GetProperty("Phone").GetString());
        Assert.Equal("13811112222", after.GetProperty("Phone").GetString());
        Assert.False(after.TryGetProperty("Name", out _), "only the changed fields are recorded");
        Assert.Equal(worker.StaffMemberId, entry.ActorStaffId);
        Assert.Equal(worker.Name, entry.ActorName);
        Assert.Equal("worker1", entry.ActorUserName);
        Assert.Equal("203.0.113.7", entry.ClientAddress);
        Assert.StartsWith("Mozilla/5.0", entry.UserAgent);
        Assert.Equal(scenario.Clock.GetUtcNow(), entry.At);
        // The ledger's own timeline keeps working beside the audit.
        Assert.Equal(LedgerChangeKind.Updated, Assert.Single(await scenario.ChangesAsync(nameof(Resident), resident.Id)).Kind);
    }

    [Fact]
    public async Task Registering_a_resident_records_the_creation_under_the_new_id()
    {
        var household = await scenario.DbAsync(db => db.Households.AsNoTracking().Where(h => h.RemovedAt == null).OrderBy(h => h.Id).Skip(40).FirstAsync());
        var idNumber = LedgerScenario.NewIdNumber();
        var dispatcher = await scenario.ActorAsync("dispatcher1");

        var id = await AsAsync(await RequestActorAsync("dispatcher1"), async () => await scenario.WithAsync(p =>
            p.GetRequiredService<LedgerService>().CreateResidentAsync(new NewResident(household.Id, "审计新", idNumber, null, PopulationKind.Registered, []), dispatcher)));

        var entry = Assert.Single(await EntriesAsync(nameof(Resident), id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(AuditAction.Create, entry.Action);
        Assert.Null(entry.Before);
        Assert.Equal("审计新", Json(entry.After).GetProperty("Name").GetString());
        Assert.Equal("dispatcher1", entry.ActorUserName);
    }

    [Fact]
    public async Task A_case_transition_writes_audit_entries_for_the_case_and_its_new_history_row()
    {
        var gridCode = await scenario.DbAsync(db => db.Grids.OrderBy(g => g.Id).Select(g => g.Code).FirstAsync());
        var point = await scenario.DbAsync(async db => await db.Database.SqlQuery<double>($"""
            SELECT unnest(ARRAY[ST_X(p), ST_Y(p)]) AS "Value" FROM (SELECT ST_PointOnSurface(boundary) AS p FROM grids WHERE code = {gridCode}) g
            """).ToListAsync());
        var category = await scenario.DbAsync(db => db.Categories.Where(c => c.Code == "0501").Select(c => c.Id).SingleAsync());
        var @case = await scenario.WithAsync(p => p.GetRequiredService<CaseWorkflowService>().ReportAsync(new ReportCase(category, "审计测试：路边垃圾", point[0], point[1],
            "云帆街道某路口", CaseSource.Resident, CasePriority.Normal, "李明", "13912345678", []), CaseActor.Public("李明")));
        var caseKey = @case.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains(await EntriesAsync(nameof(Case), caseKey), e => e.Action == AuditAction.Create && e.ActorUserName == null);
        var dispatcher = await scenario.ActorAsync("dispatcher1");

        await AsAsync(await RequestActorAsync("dispatcher1"), () =>
            scenario.WithAsync(p => p.GetRequiredService<CaseWorkflowService>().RegisterAsync(@case.Id, dispatcher, null, null)));

        var update = Assert.Single(await EntriesAsync(nameof(Case), caseKey), e => e.Action == AuditAction.Update);
        Assert.Equal(nameof(CaseState.Reported), Json(update.Before).GetProperty("State").GetString());
        Assert.Equal(nameof(CaseState.Registered), Json(update.After).GetProperty("State").GetString());
        Assert.Equal(dispatcher.StaffMemberId, update.ActorStaffId);
        Assert.Equal("dispatcher1", update.ActorUserName);
        Assert.Equal("203.0.113.7", update.ClientAddress);
        // The transition's history row, recorded under the id it got on insert.
        var histories = await scenario.DbAsync(db => db.AuditEntries.AsNoTracking()
            .Where(e => e.EntityType == nameof(CaseHistoryEntry) && e.Action == AuditAction.Create && e.ActorUserName == "dispatcher1").ToListAsync());
        var created = Assert.Single(histories, h => Json(h.After).GetProperty("CaseId").GetInt32() == @case.Id);
        var historyId = long.Parse(created.EntityId!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(CaseAction.Register, await scenario.DbAsync(db => db.CaseHistory.Where(h => h.Id == historyId && h.CaseId == @case.Id).Select(h => h.Action).SingleAsync()));
        Assert.Equal(nameof(CaseAction.Register), Json(created.After).GetProperty("Action").GetString());
    }

    [Fact]
    public async Task Secrets_never_reach_the_audit_but_the_change_of_a_password_does()
    {
        const string hash = "AQAAAAIAAYagAAAAEAuditSecretHashValue";
        const string stamp = "AUDITSECRETSECURITYSTAMP";
        const string concurrency = "audit-secret-concurrency-stamp";
        const string token = "audit-secret-token-value";
        var userId = Guid.NewGuid().ToString();

        await scenario.DbAsync(async db =>
        {
            db.Users.Add(new ApplicationUser
            {
                Id = userId, UserName = "audit-secret", NormalizedUserName = "AUDIT-SECRET", DisplayName = "审计测试",
                PasswordHash = hash, SecurityStamp = stamp, ConcurrencyStamp = concurrency,
            });
            await db.SaveChangesAsync();
            db.Set<IdentityUserToken<string>>().Add(new IdentityUserToken<string> { UserId = userId, LoginProvider = "[AspNetUserStore]", Name = "AuthenticatorKey", Value = token });
            var user = await db.Users.SingleAsync(u => u.Id == userId);
            user.PasswordHash = hash + "-changed";
            user.SecurityStamp = stamp + "-changed";
            return await db.SaveChangesAsync();
        });

        var entries = await scenario.DbAsync(db => db.AuditEntries.AsNoTracking()
            .Where(e => (e.EntityType == nameof(ApplicationUser) && e.EntityId == userId) || (e.EntityType == "IdentityUserToken" && e.EntityId!.StartsWith(userId)))
            .ToListAsync());
        Assert.Equal(3, entries.Count);
        Assert.Contains(entries, e => e.EntityType == nameof(ApplicationUser) && e.Action == AuditAction.Create);
        var update = Assert.Single(entries, e => e.EntityType == nameof(ApplicationUser) && e.Action == AuditAction.Update);
        Assert.Equal(AuditInterceptor.Redacted, Json(update.After).GetProperty("PasswordHash").GetString());
        Assert.Contains(entries, e => e.EntityType == "IdentityUserToken" && e.Action == AuditAction.Create);
        var all = string.Join("\n", entries.Select(e => e.Before + e.After + e.Detail));
        foreach (var secret in new[] { hash, stamp, concurrency, token, "AuditSecretHashValue" })
        {
            Assert.DoesNotContain(secret, all);
        }
        // Not anywhere else in the audit either.
        foreach (var secret in new[] { "AuditSecretHashValue", "AUDITSECRETSECURITYSTAMP", concurrency, token })
        {
            var pattern = "%" + secret + "%";
            Assert.Equal(0, await scenario.DbAsync(db => db.Database.SqlQuery<int>($"""
                SELECT count(*)::int AS "Value" FROM audit_entries WHERE before::text LIKE {pattern} OR after::text LIKE {pattern} OR detail LIKE {pattern}
                """).SingleAsync()));
        }
    }

    [Fact]
    public async Task A_failed_save_writes_no_audit_entry_and_changes_nothing()
    {
        var gridId = await scenario.GridIdOfAsync("worker1");
        var resident = await scenario.ResidentAsync(gridId, skip: 21);
        var taken = await scenario.DbAsync(db => db.Users.Where(u => u.UserName == "worker1").Select(u => u.NormalizedUserName).SingleAsync());
        var entries = await CountAsync();
        var changes = await scenario.ChangeCountAsync();

        await Assert.ThrowsAsync<DbUpdateException>(() => scenario.DbAsync(async db =>
        {
            var tracked = await db.Residents.SingleAsync(r => r.Id == resident.Id);
            tracked.ChangePhone("13822223333");
            // A second account with a sign-in name already taken: the unique index fails the whole save.
            db.Users.Add(new ApplicationUser { UserName = "worker1", NormalizedUserName = taken, DisplayName = "重复" });
            return await db.SaveChangesAsync();
        }));

        Assert.Equal(entries, await CountAsync());
        Assert.Equal(changes, await scenario.ChangeCountAsync());
        Assert.Equal(resident.Phone, (await scenario.ReloadResidentAsync(resident.Id)).Phone);
    }

    [Fact]
    public async Task A_failed_update_on_its_own_leaves_no_record_waiting_for_the_next_save()
    {
        var gridId = await scenario.GridIdOfAsync("worker1");
        var resident = await scenario.ResidentAsync(gridId, skip: 22);
        var key = resident.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var entries = await CountAsync();

        await scenario.WithAsync(async p =>
        {
            var db = p.GetRequiredService<GridGovDbContext>();
            var tracked = await db.Residents.SingleAsync(r => r.Id == resident.Id);
            tracked.ChangePhone("13833334444");
            var taken = await db.Users.Where(u => u.UserName == "worker1").Select(u => u.NormalizedUserName).SingleAsync();
            var duplicate = new ApplicationUser { UserName = "worker1", NormalizedUserName = taken, DisplayName = "重复" };
            db.Users.Add(duplicate);
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
            Assert.Empty(db.ChangeTracker.Entries<AuditEntry>());
            // The caller drops the bad row and saves again: one update recorded, not two.
            db.Entry(duplicate).State = EntityState.Detached;
            await db.SaveChangesAsync();
        });

        Assert.Equal(entries + 1, await CountAsync());
        Assert.Single(await EntriesAsync(nameof(Resident), key));
    }

    /// <summary>A signed-in person as a request would describe them.</summary>
    private sealed record RequestActor(int? StaffMemberId, string Name, string? UserName, string? ClientAddress, string? UserAgent) : IAuditActor;
}
