using System.Collections;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using GridGov.Application.Ledgers;
using GridGov.Domain.Audit;
using GridGov.Domain.Common;
using GridGov.Domain.Ledgers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace GridGov.Infrastructure.Persistence;

/// <summary>
/// Records every write in the same transaction as the write itself:
/// <list type="bullet">
/// <item>every added, modified or deleted entity as an <see cref="AuditEntry"/> (审计日志): who and from where
/// (<see cref="IAuditActor"/>), when (<see cref="TimeProvider"/>), the values before and after as JSON, without
/// secrets (password hashes, security stamps, tokens) and with long values cut short;</item>
/// <item>each change to a ledger row (resident, household, unit, component) also as a <see cref="LedgerChange"/>,
/// the row's full values before and after, which the ledger pages show as a timeline.</item>
/// </list>
/// Updates and deletions are recorded in the same save. A new row's id exists only after its insert, so creations
/// are recorded by a second save right after the first, inside one transaction (the caller's, or one this
/// interceptor opens and commits). A failed save leaves no record behind.
/// </summary>
public sealed class AuditInterceptor(IAuditActor actor, TimeProvider clock) : SaveChangesInterceptor
{
    /// <summary>Longer values (a boundary's WKT, a long text) are cut to this many characters.</summary>
    public const int ValueMaxLength = 2000;

    public const string Redacted = "[redacted]";

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // ASP.NET Identity's secrets and anything named like one; never written to the audit.
    private static readonly HashSet<string> SecretProperties = new(StringComparer.Ordinal) { "PasswordHash", "SecurityStamp", "ConcurrencyStamp" };
    private static readonly string[] SecretNameParts = ["Password", "Secret", "Token"];

    private readonly Dictionary<DbContext, PendingCreations> _pending = [];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is { } context)
        {
            if (RecordUpdates(context) is { Count: > 0 } added)
            {
                var transaction = context.Database.CurrentTransaction is null ? context.Database.BeginTransaction() : null;
                _pending[context] = new PendingCreations(added, transaction);
            }
        }
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context)
        {
            if (RecordUpdates(context) is { Count: > 0 } added)
            {
                var transaction = context.Database.CurrentTransaction is null ? await context.Database.BeginTransactionAsync(cancellationToken) : null;
                _pending[context] = new PendingCreations(added, transaction);
            }
        }
        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (eventData.Context is { } context && _pending.Remove(context, out var pending))
        {
            try
            {
                RecordCreations(context, pending.Added);
                context.SaveChanges();
                pending.Transaction?.Commit();
            }
            finally
            {
                pending.Transaction?.Dispose();
            }
        }
        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context && _pending.Remove(context, out var pending))
        {
            try
            {
                RecordCreations(context, pending.Added);
                await context.SaveChangesAsync(cancellationToken);
                if (pending.Transaction is not null)
                {
                    await pending.Transaction.CommitAsync(cancellationToken);
                }
            }
            finally
            {
                if (pending.Transaction is not null)
                {
                    await pending.Transaction.DisposeAsync();
                }
            }
        }
        return result;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData)
    {
        if (eventData.Context is { } context)
        {
            ForgetRecords(context);
            if (_pending.Remove(context, out var pending))
            {
                pending.Transaction?.Dispose(); // rolls back
            }
        }
    }

    public override async Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context)
        {
            ForgetRecords(context);
            if (_pending.Remove(context, out var pending) && pending.Transaction is not null)
            {
                await pending.Transaction.DisposeAsync(); // rolls back
            }
        }
    }

    /// <summary>
    /// Records each update and deletion (and each ledger update or removal) in this save; returns the added
    /// entities, whose records wait for their ids.
    /// </summary>
    private List<EntityEntry> RecordUpdates(DbContext context)
    {
        context.ChangeTracker.DetectChanges();
        var added = new List<EntityEntry>();
        var records = new List<object>();
        var now = clock.GetUtcNow();
        var who = actor.Describe();
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (IsAuditRecord(entry.Entity) || IsTelemetry(entry.Entity))
            {
                continue;
            }
            switch (entry.State)
            {
                case EntityState.Added:
                    added.Add(entry);
                    break;
                case EntityState.Modified:
                    var (before, after) = ChangedValues(entry);
                    if (before.Count == 0)
                    {
                        break;
                    }
                    var removed = entry.Entity is LedgerEntry
                        && entry.OriginalValues[nameof(LedgerEntry.RemovedAt)] is null
                        && entry.CurrentValues[nameof(LedgerEntry.RemovedAt)] is not null;
                    records.Add(new AuditEntry(now, who, removed ? AuditAction.Remove : AuditAction.Update, TypeName(entry), KeyText(entry),
                        Text(before), Text(after), removed ? entry.CurrentValues[nameof(LedgerEntry.RemovalReason)] as string : null));
                    if (IsLedger(entry.Entity) && Snapshot(entry, original: true) is var ledgerBefore
                        && Snapshot(entry, original: false) is var ledgerAfter && !JsonNode.DeepEquals(ledgerBefore, ledgerAfter))
                    {
                        records.Add(Change(entry, removed ? LedgerChangeKind.Removed : LedgerChangeKind.Updated, ledgerBefore, ledgerAfter, now));
                    }
                    break;
                case EntityState.Deleted:
                    if (IsLedger(entry.Entity))
                    {
                        // The ledgers keep their history: rows are removed with a reason (LedgerEntry.Remove).
                        throw new InvalidOperationException($"{entry.Entity.GetType().Name} {KeyText(entry)} would be deleted; ledger rows are only removed softly.");
                    }
                    records.Add(new AuditEntry(now, who, AuditAction.Delete, TypeName(entry), KeyText(entry), Text(Snapshot(entry, original: true)), null));
                    break;
            }
        }
        context.AddRange(records);
        return added;
    }

    private void RecordCreations(DbContext context, List<EntityEntry> added)
    {
        var now = clock.GetUtcNow();
        var who = actor.Describe();
        foreach (var entry in added)
        {
            var after = Snapshot(entry, original: false);
            context.Add(new AuditEntry(now, who, AuditAction.Create, TypeName(entry), KeyText(entry), null, Text(after)));
            if (IsLedger(entry.Entity))
            {
                context.Add(Change(entry, LedgerChangeKind.Created, null, after, now));
            }
        }
    }

    /// <summary>A failed save must not leave its records waiting in the context for the next save.</summary>
    private static void ForgetRecords(DbContext context)
    {
        foreach (var entry in context.ChangeTracker.Entries().Where(e => e.State == EntityState.Added && IsAuditRecord(e.Entity)).ToList())
        {
            entry.State = EntityState.Detached;
        }
    }

    private LedgerChange Change(EntityEntry entry, LedgerChangeKind kind, JsonObject? before, JsonObject after, DateTimeOffset at)
    {
        var name = actor.Name.Length > LedgerChange.ActorNameMaxLength ? actor.Name[..LedgerChange.ActorNameMaxLength] : actor.Name;
        return new LedgerChange(entry.Entity.GetType().Name, ((Entity)entry.Entity).Id, kind, at, actor.StaffMemberId, name, before?.ToJsonString(JsonOptions), Text(after));
    }

    private static bool IsLedger(object entity) => entity is Resident or Household or Unit or Component or GridHelper;

    /// <summary>The records themselves are not recorded again.</summary>
    private static bool IsAuditRecord(object entity) => entity is AuditEntry or LedgerChange;

    /// <summary>
    /// A phone's GPS fixes of a patrol under way (up to a thousand a post): the ongoing patrol's start and the patrol recorded
    /// from them, track included, are audited; one entry per fix would only bury them.
    /// </summary>
    private static bool IsTelemetry(object entity) => entity is Domain.Patrols.OngoingPatrolPoint;

    private static string? Text(JsonObject? json) => json?.ToJsonString(JsonOptions);

    /// <summary>IdentityUserRole`1 → IdentityUserRole.</summary>
    private static string TypeName(EntityEntry entry)
    {
        var name = entry.Metadata.ClrType.Name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        return tick < 0 ? name : name[..tick];
    }

    /// <summary>The primary key as text; composite keys joined with ","; a date key as 2026-10-01 (a calendar day's).</summary>
    private static string? KeyText(EntityEntry entry) =>
        entry.Metadata.FindPrimaryKey() is { } key
            ? string.Join(",", key.Properties.Select(p => entry.Property(p.Name).CurrentValue switch
            {
                DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                var value => Convert.ToString(value, CultureInfo.InvariantCulture),
            }))
            : null;

    /// <summary>The row's scalar values (primary key and shadow properties left out).</summary>
    private static JsonObject Snapshot(EntityEntry entry, bool original)
    {
        var values = original ? entry.OriginalValues : entry.CurrentValues;
        var json = new JsonObject();
        foreach (var property in values.Properties)
        {
            if (property.IsPrimaryKey() || property.IsShadowProperty())
            {
                continue;
            }
            json[property.Name] = IsSecret(entry, property.Name) ? JsonValue.Create(Redacted) : ToJson(values[property]);
        }
        return json;
    }

    /// <summary>The modified values only, before and after; empty when nothing really changed.</summary>
    private static (JsonObject Before, JsonObject After) ChangedValues(EntityEntry entry)
    {
        var before = new JsonObject();
        var after = new JsonObject();
        foreach (var property in entry.Properties.Where(p => p.IsModified && !p.Metadata.IsPrimaryKey()))
        {
            var old = ToJson(property.OriginalValue);
            var now = ToJson(property.CurrentValue);
            if (JsonNode.DeepEquals(old, now))
            {
                continue;
            }
            var secret = IsSecret(entry, property.Metadata.Name);
            before[property.Metadata.Name] = secret ? JsonValue.Create(Redacted) : old;
            after[property.Metadata.Name] = secret ? JsonValue.Create(Redacted) : now;
        }
        // Values held in complex properties (a category's time limits) are recorded too, under their path (Limits.Handle.Amount).
        foreach (var complex in entry.ComplexProperties)
        {
            AddChangedValues(complex, complex.Metadata.Name, before, after);
        }
        return (before, after);
    }

    private static void AddChangedValues(ComplexPropertyEntry complex, string path, JsonObject before, JsonObject after)
    {
        foreach (var property in complex.Properties.Where(p => p.IsModified))
        {
            var old = ToJson(property.OriginalValue);
            var now = ToJson(property.CurrentValue);
            if (!JsonNode.DeepEquals(old, now))
            {
                before[$"{path}.{property.Metadata.Name}"] = old;
                after[$"{path}.{property.Metadata.Name}"] = now;
            }
        }
        foreach (var inner in complex.ComplexProperties)
        {
            AddChangedValues(inner, $"{path}.{inner.Metadata.Name}", before, after);
        }
    }

    private static bool IsSecret(EntityEntry entry, string property) =>
        SecretProperties.Contains(property)
        || SecretNameParts.Any(part => property.Contains(part, StringComparison.OrdinalIgnoreCase))
        // IdentityUserToken.Value, and the XML of data-protection keys should they live in this database.
        || (property == "Value" && entry.Metadata.ClrType.Name.Contains("Token", StringComparison.Ordinal))
        || (property == "Xml" && entry.Metadata.ClrType.Name.Contains("DataProtection", StringComparison.Ordinal));

    /// <summary>Enums by name, points and shapes as WKT, times in ISO 8601, binary as its length, long text cut short.</summary>
    private static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        string text => JsonValue.Create(Capped(text)),
        Enum item => JsonValue.Create(item.ToString()),
        bool flag => JsonValue.Create(flag),
        int number => JsonValue.Create(number),
        long number => JsonValue.Create(number),
        double number => JsonValue.Create(number),
        decimal number => JsonValue.Create(number),
        DateOnly date => JsonValue.Create(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        DateTimeOffset moment => JsonValue.Create(moment.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)),
        DateTime moment => JsonValue.Create(moment.ToString("O", CultureInfo.InvariantCulture)),
        byte[] bytes => JsonValue.Create($"({bytes.Length.ToString(CultureInfo.InvariantCulture)} bytes)"),
        NetTopologySuite.Geometries.Geometry geometry => JsonValue.Create(Capped(geometry.AsText())),
        IEnumerable items => new JsonArray(items.Cast<object?>().Select(ToJson).ToArray()),
        _ => JsonValue.Create(Capped(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "")),
    };

    private static string Capped(string text) =>
        text.Length <= ValueMaxLength ? text : string.Concat(text.AsSpan(0, ValueMaxLength), $"…({text.Length.ToString(CultureInfo.InvariantCulture)} chars)");

    private sealed record PendingCreations(List<EntityEntry> Added, IDbContextTransaction? Transaction);
}
