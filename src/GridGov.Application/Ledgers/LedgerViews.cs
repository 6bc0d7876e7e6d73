using System.Text.Json;
using GridGov.Application.Common;
using GridGov.Application.Grids;
using GridGov.Domain.Calendar;
using GridGov.Domain.Geography;
using GridGov.Domain.Ledgers;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Application.Ledgers;

/// <summary>One page of a ledger list; the count stops at <see cref="LedgerPaging.CountLimit"/>.</summary>
public sealed record LedgerPage<T>(IReadOnlyList<T> Rows, int Count, bool CountCapped)
{
    public static LedgerPage<T> Empty { get; } = new([], 0, false);
}

/// <summary>Which page of a list to read (0-based), and how many rows; both clamped to what a list serves.</summary>
public sealed record LedgerPageRequest(int Page = 0, int PageSize = LedgerPaging.PageSize)
{
    public int Size => Math.Clamp(PageSize, 1, LedgerPaging.MaxPageSize);

    /// <summary>Pages stop where the count stops: nobody pages through more than <see cref="LedgerPaging.CountLimit"/> rows; a filter narrows.</summary>
    public int Index => Math.Clamp(Page, 0, (LedgerPaging.CountLimit - 1) / Size);
}

/// <summary>The scope and the places a list page shows before its rows: what it covers and what it can filter by.</summary>
public sealed record LedgerListContext(LedgerScope Scope, LedgerPlaces Places);

public static class LedgerPaging
{
    public const int PageSize = 50;
    public const int MaxPageSize = 100;
    public const int CountLimit = 1000;

    /// <summary>The requested page of <paramref name="ordered"/> rows, and the count bounded at <see cref="CountLimit"/>.</summary>
    public static async Task<LedgerPage<T>> PageAsync<T>(IQueryable<T> ordered, LedgerPageRequest request, CancellationToken cancellationToken)
    {
        var count = await ordered.Take(CountLimit + 1).CountAsync(cancellationToken);
        var rows = await ordered.Skip(request.Index * request.Size).Take(request.Size).ToListAsync(cancellationToken);
        return new LedgerPage<T>(rows, Math.Min(count, CountLimit), count > CountLimit);
    }
}

public sealed record CommunityChoice(int Id, string Name);

/// <summary>
/// The communities a person can filter a ledger list by (those of their scope), and how many grids the scope covers
/// (the grid filter is shown when there is a choice). The grids themselves are searched (<see cref="GridChoices"/>),
/// never carried to the page: a city has thousands.
/// </summary>
public sealed record LedgerPlaces(IReadOnlyList<CommunityChoice> Communities, int GridCount)
{
    /// <summary>The scope's grids, current or retired (rows may still lie in a grid retired since).</summary>
    public static IQueryable<Grid> Grids(IGridGovDbContext db, LedgerScope scope)
    {
        var grids = db.Grids.AsNoTracking();
        if (!scope.WholeStreet)
        {
            var ids = scope.GridIds.ToList();
            grids = grids.Where(g => ids.Contains(g.Id));
        }
        return grids;
    }

    public static async Task<LedgerPlaces> LoadAsync(IGridGovDbContext db, LedgerScope scope, CancellationToken cancellationToken)
    {
        var communities = await Grids(db, scope).Where(g => g.ValidTo == null)
            .GroupBy(g => new { g.CommunityId, g.Community!.Code, g.Community.Name })
            .OrderBy(c => c.Key.Code)
            .Select(c => new { c.Key.CommunityId, c.Key.Name, Grids = c.Count() })
            .ToListAsync(cancellationToken);
        return new LedgerPlaces(communities.Select(c => new CommunityChoice(c.CommunityId, c.Name)).ToList(), communities.Sum(c => c.Grids));
    }

    /// <summary>
    /// The grid ids a list is limited to: the scope, narrowed by a chosen community or grid (a grid outside the scope,
    /// or outside the chosen community, narrows nothing). Null means the whole street (no filter).
    /// </summary>
    public static async Task<IReadOnlyList<int>?> GridIdsAsync(
        IGridGovDbContext db, LedgerScope scope, int? communityId, string? gridCode, CancellationToken cancellationToken)
    {
        var grids = Grids(db, scope);
        if (communityId is { } community)
        {
            grids = grids.Where(g => g.CommunityId == community);
        }
        if (await GridChoices.FindAsync(grids, gridCode, cancellationToken) is { } grid)
        {
            return [grid.Id];
        }
        if (communityId is not null)
        {
            return await grids.Select(g => g.Id).ToListAsync(cancellationToken);
        }
        return scope.WholeStreet ? null : scope.GridIds.ToList();
    }
}

/// <summary>One field of a recorded change: its values before and after (a list for group tags).</summary>
public sealed record FieldChange(string Field, IReadOnlyList<string> Before, IReadOnlyList<string> After);

/// <summary>One recorded change of a ledger row, newest first in a timeline; <see cref="Imported"/> when a ledger import made it.</summary>
public sealed record LedgerHistoryEntry(DateTimeOffset At, string ActorName, LedgerChangeKind Kind, IReadOnlyList<FieldChange> Fields, string? Reason, bool Imported = false);

/// <summary>Reads the change records of one row and turns the before/after JSON into changed fields.</summary>
public static class LedgerHistory
{
    public const int Limit = 100;

    // Bookkeeping fields the timeline shows in their own way (the removal reason) or not at all.
    private static readonly HashSet<string> Hidden = [nameof(LedgerEntry.RemovedAt), nameof(LedgerEntry.RemovalReason)];

    public static async Task<IReadOnlyList<LedgerHistoryEntry>> LoadAsync(
        IGridGovDbContext db, string entityType, int entityId, LedgerScope scope, IReadOnlyDictionary<int, string> gridNames, CancellationToken cancellationToken)
    {
        var rows = await db.LedgerChanges.AsNoTracking()
            .Where(c => c.EntityType == entityType && c.EntityId == entityId)
            .OrderByDescending(c => c.At).ThenByDescending(c => c.Id)
            .Take(Limit)
            .ToListAsync(cancellationToken);
        // An update whose only change is a tag the person may not see is left out whole: an empty entry would tell that one was set.
        return rows.Select(row => Entry(row, scope, gridNames))
            .Where(entry => entry.Kind != LedgerChangeKind.Updated || entry.Fields.Count > 0 || scope.CanSeeSensitive)
            .ToList();
    }

    private static LedgerHistoryEntry Entry(LedgerChange row, LedgerScope scope, IReadOnlyDictionary<int, string> gridNames)
    {
        using var before = row.Before is null ? null : JsonDocument.Parse(row.Before);
        using var after = row.After is null ? null : JsonDocument.Parse(row.After);
        var fields = new List<FieldChange>();
        string? reason = null;
        if (after is not null && after.RootElement.TryGetProperty(nameof(LedgerEntry.RemovalReason), out var removal) && removal.ValueKind == JsonValueKind.String)
        {
            reason = row.Kind == LedgerChangeKind.Removed ? removal.GetString() : null;
        }
        if (row.Kind != LedgerChangeKind.Created && before is not null && after is not null)
        {
            foreach (var property in after.RootElement.EnumerateObject())
            {
                if (Hidden.Contains(property.Name))
                {
                    continue;
                }
                var old = before.RootElement.TryGetProperty(property.Name, out var previous) ? Values(property.Name, previous, scope, gridNames) : [];
                var now = Values(property.Name, property.Value, scope, gridNames);
                if (!old.SequenceEqual(now))
                {
                    fields.Add(new FieldChange(property.Name, Masked(property.Name, old), Masked(property.Name, now)));
                }
            }
        }
        return new LedgerHistoryEntry(row.At, row.ActorName, row.Kind, fields, reason, row.ImportId is not null);
    }

    // Personal numbers stay masked in the timeline too; the full value is shown only by a reveal.
    private static List<string> Masked(string field, List<string> values) => field switch
    {
        nameof(Resident.IdNumber) => values.Select(Masking.IdNumber).ToList(),
        nameof(Resident.Phone) or nameof(Unit.ContactPhone) => values.Select(v => Masking.Phone(v) ?? "").ToList(),
        _ => values,
    };

    private static List<string> Values(string field, JsonElement value, LedgerScope scope, IReadOnlyDictionary<int, string> gridNames) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => [],
        // Sensitive tags stay out of the timeline for people who may not see them.
        JsonValueKind.Array => value.EnumerateArray()
            .Select(item => item.ToString())
            .Where(item => field != nameof(Resident.Groups) || (Enum.TryParse<ResidentGroup>(item, out var group) && scope.CanSee(group)))
            .ToList(),
        JsonValueKind.Number when field == nameof(Resident.GridId) && value.TryGetInt32(out var gridId) =>
            [gridNames.TryGetValue(gridId, out var name) ? name : gridId.ToString(System.Globalization.CultureInfo.InvariantCulture)],
        _ => [value.ToString()],
    };
}

/// <summary>Ages in whole years on China's calendar day.</summary>
public static class Ages
{
    public static DateOnly Today(TimeProvider clock) => WorkingCalendar.ChinaDate(clock.GetUtcNow());

    public static int On(DateOnly birthDate, DateOnly today)
    {
        var age = today.Year - birthDate.Year;
        return birthDate.AddYears(age) > today ? age - 1 : age;
    }
}
