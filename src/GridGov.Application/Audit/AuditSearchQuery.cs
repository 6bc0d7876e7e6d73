using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using GridGov.Application.Common;
using GridGov.Application.Ledgers;
using GridGov.Domain.Audit;
using GridGov.Domain.Calendar;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Application.Audit;

/// <summary>
/// The administrator's search of the audit log. <see cref="Actor"/> is a sign-in name or a display name;
/// <see cref="From"/> and <see cref="To"/> are China dates (inclusive); <see cref="Text"/> is part of the detail (Chinese has no case; Latin letters match as typed);
/// entries come newest first, a page at a time.
/// </summary>
public sealed record AuditFilter(
    string? Actor = null,
    AuditAction? Action = null,
    string? EntityType = null,
    string? EntityId = null,
    DateOnly? From = null,
    DateOnly? To = null,
    string? Text = null)
{
    public const int TextMaxLength = 100;
}

public sealed record AuditRow(
    long Id, DateTimeOffset At, string ActorName, string? ActorUserName, string? ClientAddress, string? UserAgent,
    AuditAction Action, string EntityType, string? EntityId, string? Before, string? After, string? Detail);

/// <summary>One page, newest first, and how many entries match (counted up to <see cref="AuditSearchQuery.CountLimit"/>).</summary>
public sealed record AuditPage(IReadOnlyList<AuditRow> Rows, int Total, bool TotalCapped);

public sealed class AuditSearchQuery(IGridGovDbContext db)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 100;

    /// <summary>Counting stops here: the log grows without end, and "more than 10,000" is answer enough for a search.</summary>
    public const int CountLimit = 10_000;

    /// <param name="page">Zero-based; a page beyond the count limit is not offered.</param>
    public async Task<AuditPage> SearchAsync(AuditFilter filter, int page = 0, int pageSize = DefaultPageSize, CancellationToken cancellationToken = default)
    {
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        page = Math.Clamp(page, 0, CountLimit / pageSize);
        var entries = db.AuditEntries.AsNoTracking();
        if (Clean(filter.Actor) is { } actor)
        {
            entries = entries.Where(e => e.ActorUserName == actor || e.ActorName == actor);
        }
        if (filter.Action is { } action)
        {
            entries = entries.Where(e => e.Action == action);
        }
        if (Clean(filter.EntityType) is { } type)
        {
            entries = entries.Where(e => e.EntityType == type);
        }
        if (Clean(filter.EntityId) is { } id)
        {
            entries = entries.Where(e => e.EntityId == id);
        }
        if (filter.From is { } from)
        {
            var start = StartOf(from);
            entries = entries.Where(e => e.At >= start);
        }
        if (filter.To is { } to)
        {
            var end = StartOf(to.AddDays(1));
            entries = entries.Where(e => e.At < end);
        }
        if (Clean(filter.Text) is { } text)
        {
            var pattern = "%" + text.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal) + "%";
            entries = entries.Where(e => e.Detail != null && EF.Functions.Like(e.Detail, pattern, @"\"));
        }
        var total = await entries.Take(CountLimit + 1).CountAsync(cancellationToken);
        var rows = await entries
            .OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Skip(page * pageSize)
            .Take(pageSize)
            .Select(e => new AuditRow(e.Id, e.At, e.ActorName, e.ActorUserName, e.ClientAddress, e.UserAgent, e.Action, e.EntityType, e.EntityId, e.Before, e.After, e.Detail))
            .ToListAsync(cancellationToken);
        var masked = rows.Select(r => r with { Before = MaskNumbers(r.Before), After = MaskNumbers(r.After) }).ToList();
        return new AuditPage(masked, Math.Min(total, CountLimit), total > CountLimit);
    }

    // The page is a list like any other: personal numbers in the recorded values show masked.
    private static readonly HashSet<string> IdNumberFields = ["IdNumber"];
    private static readonly HashSet<string> PhoneFields = ["Phone", "ContactPhone", "ReporterPhone", "PhoneNumber"];

    private static string? MaskNumbers(string? json)
    {
        if (json is null || JsonNode.Parse(json) is not JsonObject values)
        {
            return json;
        }
        foreach (var (name, value) in values.ToList())
        {
            if (value is JsonValue text && text.TryGetValue<string>(out var number))
            {
                if (IdNumberFields.Contains(name))
                {
                    values[name] = Masking.IdNumber(number);
                }
                else if (PhoneFields.Contains(name))
                {
                    values[name] = Masking.Phone(number);
                }
            }
        }
        return values.ToJsonString(JsonOptions);
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static DateTimeOffset StartOf(DateOnly chinaDate) =>
        new DateTimeOffset(chinaDate.ToDateTime(TimeOnly.MinValue), WorkingCalendar.ChinaOffset).ToUniversalTime();

    private static string? Clean(string? value) =>
        SearchText.Clean(value) is { } text ? text[..Math.Min(text.Length, AuditFilter.TextMaxLength)] : null;
}
