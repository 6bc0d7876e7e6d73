using System.Collections;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using GridGov.Application.Ledgers;
using GridGov.Domain.Common;
using GridGov.Domain.Ledgers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace GridGov.Infrastructure.Persistence;

/// <summary>
/// Records every change to a ledger row (resident, household, unit, component) as a <see cref="LedgerChange"/>:
/// who (<see cref="IAuditActor"/>), when (<see cref="TimeProvider"/>), and the row's scalar values before and
/// after, as JSON. Updates and soft removals are added to the same save. A new row's id exists only after
/// its insert, so creations are recorded by a second save right after the first, inside one transaction
/// (the caller's, or one this interceptor opens and commits).
/// </summary>
public sealed class LedgerAuditInterceptor(IAuditActor actor, TimeProvider clock) : SaveChangesInterceptor
{
    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

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
        if (eventData.Context is { } context && _pending.Remove(context, out var pending))
        {
            pending.Transaction?.Dispose(); // rolls back
        }
    }

    public override async Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context && _pending.Remove(context, out var pending) && pending.Transaction is not null)
        {
            await pending.Transaction.DisposeAsync(); // rolls back
        }
    }

    /// <summary>Adds a change row for each updated or removed ledger row; returns the added ones for later.</summary>
    private List<EntityEntry> RecordUpdates(DbContext context)
    {
        context.ChangeTracker.DetectChanges();
        var added = new List<EntityEntry>();
        var changes = new List<LedgerChange>();
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (!IsLedger(entry.Entity))
            {
                continue;
            }
            switch (entry.State)
            {
                case EntityState.Added:
                    added.Add(entry);
                    break;
                case EntityState.Modified:
                    var before = Snapshot(entry, original: true);
                    var after = Snapshot(entry, original: false);
                    if (JsonNode.DeepEquals(before, after))
                    {
                        break;
                    }
                    var removed = entry.OriginalValues[nameof(ISoftRemovable.RemovedAt)] is null
                        && entry.CurrentValues[nameof(ISoftRemovable.RemovedAt)] is not null;
                    changes.Add(Change(entry, removed ? LedgerChangeKind.Removed : LedgerChangeKind.Updated, before, after));
                    break;
                case EntityState.Deleted:
                    // The ledgers keep their history: rows are removed with a reason (ISoftRemovable.Remove).
                    throw new InvalidOperationException($"{entry.Entity.GetType().Name} {EntityId(entry)} would be deleted; ledger rows are only removed softly.");
            }
        }
        context.AddRange(changes);
        return added;
    }

    private void RecordCreations(DbContext context, List<EntityEntry> added) =>
        context.AddRange(added.Select(entry => Change(entry, LedgerChangeKind.Created, null, Snapshot(entry, original: false))));

    private LedgerChange Change(EntityEntry entry, LedgerChangeKind kind, JsonObject? before, JsonObject after)
    {
        var name = actor.Name.Length > LedgerChange.ActorNameMaxLength ? actor.Name[..LedgerChange.ActorNameMaxLength] : actor.Name;
        return new LedgerChange(entry.Entity.GetType().Name, EntityId(entry), kind, clock.GetUtcNow(), actor.StaffMemberId, name,
            before?.ToJsonString(JsonOptions), after.ToJsonString(JsonOptions));
    }

    private static bool IsLedger(object entity) => entity is Resident or Household or Unit or Component;

    private static long EntityId(EntityEntry entry) => ((Entity)entry.Entity).Id;

    /// <summary>The row's scalar values: enums by name, group tags by name, points as WKT, times in ISO 8601.</summary>
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
            json[property.Name] = ToJson(values[property]);
        }
        return json;
    }

    private static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        string text => JsonValue.Create(text),
        Enum item => JsonValue.Create(item.ToString()),
        bool flag => JsonValue.Create(flag),
        int number => JsonValue.Create(number),
        long number => JsonValue.Create(number),
        double number => JsonValue.Create(number),
        decimal number => JsonValue.Create(number),
        DateOnly date => JsonValue.Create(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        DateTimeOffset moment => JsonValue.Create(moment.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)),
        NetTopologySuite.Geometries.Geometry geometry => JsonValue.Create(geometry.AsText()),
        IEnumerable items => new JsonArray(items.Cast<object?>().Select(ToJson).ToArray()),
        _ => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };

    private sealed record PendingCreations(List<EntityEntry> Added, IDbContextTransaction? Transaction);
}
