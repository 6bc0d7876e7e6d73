using System.Runtime.CompilerServices;
using GridGov.Application.Common;
using GridGov.Application.Grids;
using GridGov.Domain.Cases;
using GridGov.Domain.Geography;
using GridGov.Domain.Organisation;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Application.Cases;

/// <summary>One row of the case list.</summary>
public sealed record CaseSearchRow(
    int Id,
    string Number,
    CaseState State,
    int CategoryId,
    int CommunityId,
    string GridCode,
    string GridName,
    int? DepartmentId,
    CasePriority Priority,
    DateTimeOffset ReportedAt,
    DateTimeOffset? CurrentDue,
    DeadlineWarning Warning,
    bool IsSupervised,
    string Address,
    string Summary);

/// <summary>
/// A page of the case list. <see cref="Total"/> counts at most <see cref="CaseSearchQuery.CountCap"/> + 1 rows,
/// so it stays cheap on a large table; <see cref="TotalIsCapped"/> says there are more than the cap. It is null
/// beyond the first page and for a free-text search that fills more than one page.
/// </summary>
public sealed record CaseSearchPage(IReadOnlyList<CaseSearchRow> Rows, CaseSearchCursor? Next, int? Total, bool TotalIsCapped, DateTimeOffset Now);

/// <summary>
/// The case list (案件查询) and its export: filters, the signed-in person's scope, and keyset pagination on
/// (sort key, id), so a deep page costs what the first page costs (no OFFSET, no unbounded COUNT).
/// </summary>
/// <remarks>
/// Scope: dispatchers, street leaders and administrators see every case; a community secretary her
/// community's; grid leaders and workers their grids'; department handlers their department's (assigned
/// or co-handling). Everyone else sees nothing. The page and the exports share this one query.
/// </remarks>
public sealed class CaseSearchQuery(IGridGovDbContext db, TimeProvider clock)
{
    public const int PageSize = 50;
    public const int CountCap = 10_000;
    public const int ExportCap = 50_000;
    private const int SummaryLength = 60;

    public async Task<CaseSearchPage> SearchAsync(CaseSearchFilter filter, CaseActor actor, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var matching = Matching(filter, actor, now);
        var rows = new List<CaseSearchRow>(PageSize + 1);
        await foreach (var row in OrderedAsync(matching, filter.Sort, filter.After, PageSize + 1, now, cancellationToken))
        {
            rows.Add(row);
        }
        CaseSearchCursor? next = null;
        if (rows.Count > PageSize)
        {
            rows.RemoveAt(PageSize);
            next = CursorOf(rows[^1], filter.Sort);
        }
        int? total;
        if (filter.After is null && next is null)
        {
            total = rows.Count; // the whole list is on this page
        }
        else if (filter.After is not null || filter.Text is not null)
        {
            // Counted on the first page only, and not for a substring search: with a filter no index serves,
            // even a capped count may read the whole table, and paging on should stay as cheap as page one.
            total = null;
        }
        else
        {
            // Bounded: at most CountCap + 1 rows are counted. The ORDER BY only keeps EF from warning about an unordered LIMIT.
            total = await matching.OrderBy(c => c.Id).Take(CountCap + 1).CountAsync(cancellationToken);
        }
        return new CaseSearchPage(rows, next, total is { } t ? Math.Min(t, CountCap) : null, total > CountCap, now);
    }

    /// <summary>What the filter form offers, narrowed to the person's scope where that is simple (community, grids).</summary>
    public async Task<CaseSearchOptions> OptionsAsync(CaseActor actor, CancellationToken cancellationToken = default)
    {
        var all = await AllOptionsAsync(cancellationToken);
        if (actor.Role is StaffRole.CommunitySecretary or StaffRole.GridLeader or StaffRole.GridWorker)
        {
            var theirs = await FilterGrids(actor).Select(g => g.CommunityId).Distinct().ToListAsync(cancellationToken);
            return all with { Communities = all.Communities.Where(c => theirs.Contains(c.Id)).ToList() };
        }
        return all;
    }

    /// <summary>The grid filter's offers: current grids of the person's scope matching what they typed (<see cref="GridChoices"/>).</summary>
    public Task<IReadOnlyList<GridChoice>> SearchGridsAsync(CaseActor actor, int? communityId, string? text, CancellationToken cancellationToken = default) =>
        GridChoices.SearchAsync(FilterGrids(actor), communityId, text, cancellationToken);

    /// <summary>The grid the list's address names, if it is one the person's scope offers.</summary>
    public Task<GridChoice?> FindGridAsync(CaseActor actor, string? code, CancellationToken cancellationToken = default) =>
        GridChoices.FindAsync(FilterGrids(actor), code, cancellationToken);

    /// <summary>The grids the filter offers: a secretary's community's, a grid leader's or worker's own, otherwise the street's.</summary>
    private IQueryable<Grid> FilterGrids(CaseActor actor)
    {
        switch (actor.Role)
        {
            case StaffRole.CommunitySecretary:
                return db.Grids.Where(g => g.CommunityId == actor.CommunityId);
            case StaffRole.GridLeader or StaffRole.GridWorker:
                var codes = actor.GridCodes.ToList();
                return db.Grids.Where(g => codes.Contains(g.Code));
            default:
                return db.Grids;
        }
    }

    private async Task<CaseSearchOptions> AllOptionsAsync(CancellationToken cancellationToken)
    {
        var majors = await db.CategoryMajors.AsNoTracking().OrderBy(m => m.Code)
            .Select(m => new CaseMajorOption(m.Id, m.Code, m.Name)).ToListAsync(cancellationToken);
        var categories = await db.Categories.AsNoTracking().OrderBy(c => c.Code)
            .Select(c => new CaseCategoryOption(c.Id, c.Code, c.Name, c.MajorId)).ToListAsync(cancellationToken);
        var communities = await db.Communities.AsNoTracking().OrderBy(c => c.Code)
            .Select(c => new CaseSearchOption(c.Id, c.Name)).ToListAsync(cancellationToken);
        var departments = await db.Departments.AsNoTracking().OrderBy(d => d.Code)
            .Select(d => new CaseSearchOption(d.Id, d.Name)).ToListAsync(cancellationToken);
        return new CaseSearchOptions(majors, categories, communities, departments);
    }

    /// <summary>
    /// Every matching case in the list's order, up to <see cref="ExportCap"/>, as text rows under Chinese headers
    /// (<see cref="CaseExportColumns"/>); when there are more, two last rows say so.
    /// </summary>
    public async Task<CaseExport> ExportAsync(CaseSearchFilter filter, CaseActor actor, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var gridNames = await db.Grids.AsNoTracking().ToDictionaryAsync(g => g.Code, g => g.Name, StringComparer.Ordinal, cancellationToken);
        var context = new CaseExportContext(await AllOptionsAsync(cancellationToken), gridNames, now, CaseVisibility.SeesReporterContact(actor));
        var matching = Matching(filter with { After = null }, actor, now);
        return new CaseExport(CaseExportColumns.All, ExportRowsAsync(matching, filter.Sort, context, cancellationToken), now);
    }

    private async IAsyncEnumerable<IReadOnlyList<string>> ExportRowsAsync(IQueryable<Case> matching, CaseSort sort, CaseExportContext context,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var columns = CaseExportColumns.All;
        var count = 0;
        foreach (var segment in Segments(matching, sort, after: null))
        {
            await foreach (var row in segment.Take(ExportCap + 1 - count).Select(ExportRow).AsAsyncEnumerable().WithCancellation(cancellationToken))
            {
                if (++count > ExportCap)
                {
                    yield return [];
                    yield return [CaseExportColumns.CappedNote(ExportCap)];
                    yield break;
                }
                var cells = new string[columns.Count];
                for (var i = 0; i < cells.Length; i++)
                {
                    cells[i] = columns[i].Value(row, context);
                }
                yield return cells;
            }
        }
    }

    // ---- Filters and scope ----

    private IQueryable<Case> Matching(CaseSearchFilter filter, CaseActor actor, DateTimeOffset now)
    {
        var cases = Scoped(db.Cases.AsNoTracking(), actor);
        if (filter.States.Count > 0)
        {
            var states = filter.States.ToList();
            cases = cases.Where(c => states.Contains(c.State));
        }
        if (filter.CategoryId is { } categoryId)
        {
            cases = cases.Where(c => c.CategoryId == categoryId);
        }
        if (filter.MajorId is { } majorId)
        {
            cases = cases.Where(c => db.Categories.Where(k => k.MajorId == majorId).Select(k => k.Id).Contains(c.CategoryId));
        }
        if (filter.CommunityId is { } communityId)
        {
            cases = cases.Where(c => c.CommunityId == communityId);
        }
        if (filter.GridCode is { } gridCode)
        {
            cases = cases.Where(c => c.GridCode == gridCode);
        }
        if (filter.DepartmentId is { } departmentId)
        {
            cases = cases.Where(c => c.AssignedDepartmentId == departmentId);
        }
        if (filter.Priority is { } priority)
        {
            cases = cases.Where(c => c.Priority == priority);
        }
        if (filter.Supervised is { } supervised)
        {
            cases = cases.Where(c => c.IsSupervised == supervised);
        }
        if (filter.FromUtc is { } from)
        {
            cases = cases.Where(c => c.ReportedAt >= from);
        }
        if (filter.ToUtcExclusive is { } before)
        {
            cases = cases.Where(c => c.ReportedAt < before);
        }
        if (filter.ClosedOnUtc is var (closedFrom, closedBefore))
        {
            cases = cases.Where(c => c.ClosedAt >= closedFrom && c.ClosedAt < closedBefore);
        }
        // The same rule as Case.WarningOn, on the stored deadline and warning point.
        cases = filter.Warning switch
        {
            DeadlineWarning.Red => cases.Where(c => c.CurrentDue != null && c.CurrentDue <= now),
            DeadlineWarning.Yellow => cases.Where(c => c.CurrentDue != null && c.CurrentDue > now && c.WarningAt != null && c.WarningAt <= now),
            DeadlineWarning.None => cases.Where(c => c.CurrentDue == null || (c.CurrentDue > now && (c.WarningAt == null || c.WarningAt > now))),
            _ => cases,
        };
        if (SearchText.Clean(filter.Text) is { } text)
        {
            // Case-insensitive substring (lower() + LIKE, as ILIKE would), with the user's % and _ taken literally.
            // Numbers are digits only, so other text skips that column (and a trigram index can serve the rest).
            var pattern = "%" + EscapeLike(text.ToLowerInvariant()) + "%";
            cases = text.All(char.IsAsciiDigit)
                ? cases.Where(c => EF.Functions.Like(c.Number, pattern, LikeEscape)
                                   || EF.Functions.Like(c.Address.ToLower(), pattern, LikeEscape)
                                   || EF.Functions.Like(c.Description.ToLower(), pattern, LikeEscape))
                : cases.Where(c => EF.Functions.Like(c.Address.ToLower(), pattern, LikeEscape)
                                   || EF.Functions.Like(c.Description.ToLower(), pattern, LikeEscape));
        }
        return cases;
    }

    private static IQueryable<Case> Scoped(IQueryable<Case> cases, CaseActor actor)
    {
        switch (actor.Role)
        {
            case StaffRole.Dispatcher or StaffRole.StreetLeader or StaffRole.Administrator:
                return cases;
            case StaffRole.CommunitySecretary when actor.CommunityId is { } communityId:
                return cases.Where(c => c.CommunityId == communityId);
            case StaffRole.GridLeader or StaffRole.GridWorker:
                var gridCodes = actor.GridCodes.ToList();
                return cases.Where(c => gridCodes.Contains(c.GridCode));
            case StaffRole.DepartmentHandler when actor.DepartmentId is { } departmentId:
                // "[d] is contained in co_handling" (PostgreSQL <@) rather than "d = ANY(co_handling)": a GIN index can serve it.
                int[] department = [departmentId];
                return cases.Where(c => c.AssignedDepartmentId == departmentId || department.All(d => c.CoHandlingDepartmentIds.Contains(d)));
            default:
                return cases.Where(c => false);
        }
    }

    internal const string LikeEscape = "\\";

    internal static string EscapeLike(string text) =>
        text.Replace(LikeEscape, LikeEscape + LikeEscape, StringComparison.Ordinal)
            .Replace("%", LikeEscape + "%", StringComparison.Ordinal)
            .Replace("_", LikeEscape + "_", StringComparison.Ordinal);

    // ---- Order and keyset ----

    private async IAsyncEnumerable<CaseSearchRow> OrderedAsync(IQueryable<Case> matching, CaseSort sort, CaseSearchCursor? after, int take, DateTimeOffset now,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var segment in Segments(matching, sort, after))
        {
            var rows = await segment.Take(take - count)
                .Select(c => new { c.Id, c.Number, c.State, c.CategoryId, c.CommunityId, c.GridCode,
                    GridName = db.Grids.Where(g => g.Code == c.GridCode).Select(g => g.Name).FirstOrDefault(), c.AssignedDepartmentId, c.Priority,
                    c.ReportedAt, c.CurrentDue, c.WarningAt, c.IsSupervised, c.Address, Summary = c.Description.Substring(0, SummaryLength + 1) })
                .ToListAsync(cancellationToken);
            foreach (var c in rows)
            {
                count++;
                yield return new CaseSearchRow(c.Id, c.Number, c.State, c.CategoryId, c.CommunityId, c.GridCode, c.GridName ?? c.GridCode, c.AssignedDepartmentId, c.Priority,
                    c.ReportedAt, c.CurrentDue, DeadlineWarnings.Of(c.CurrentDue, c.WarningAt, now), c.IsSupervised, c.Address,
                    c.Summary.Length > SummaryLength ? c.Summary[..SummaryLength] + "…" : c.Summary);
            }
            if (count >= take)
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// The ordered queries that together make the list, starting after the cursor. One for most orders; the
    /// deadline orders have two: cases with a running clock by (current_due, id), then those without one by id,
    /// so neither needs NULLS FIRST/LAST in an index and each pages on a plain range condition.
    /// </summary>
    private static IEnumerable<IQueryable<Case>> Segments(IQueryable<Case> matching, CaseSort sort, CaseSearchCursor? after)
    {
        var id = after?.Id ?? 0;
        switch (sort)
        {
            case CaseSort.ReportedDesc:
                if (after?.Moment is { } reportedBefore)
                {
                    // The redundant "<=" gives PostgreSQL an index range on reported_at; the OR breaks ties by id.
                    matching = matching.Where(c => c.ReportedAt <= reportedBefore && (c.ReportedAt < reportedBefore || c.Id < id));
                }
                yield return matching.OrderByDescending(c => c.ReportedAt).ThenByDescending(c => c.Id);
                break;
            case CaseSort.ReportedAsc:
                if (after?.Moment is { } reportedAfter)
                {
                    matching = matching.Where(c => c.ReportedAt >= reportedAfter && (c.ReportedAt > reportedAfter || c.Id > id));
                }
                yield return matching.OrderBy(c => c.ReportedAt).ThenBy(c => c.Id);
                break;
            case CaseSort.NumberDesc:
                if (after?.Number is { } numberBefore)
                {
                    matching = matching.Where(c => string.Compare(c.Number, numberBefore) < 0);
                }
                yield return matching.OrderByDescending(c => c.Number);
                break;
            case CaseSort.NumberAsc:
                if (after?.Number is { } numberAfter)
                {
                    matching = matching.Where(c => string.Compare(c.Number, numberAfter) > 0);
                }
                yield return matching.OrderBy(c => c.Number);
                break;
            case CaseSort.DueAsc:
                if (after is null || after.Moment is not null)
                {
                    var clocked = matching.Where(c => c.CurrentDue != null);
                    if (after?.Moment is { } dueAfter)
                    {
                        clocked = clocked.Where(c => c.CurrentDue >= dueAfter && (c.CurrentDue > dueAfter || c.Id > id));
                    }
                    yield return clocked.OrderBy(c => c.CurrentDue).ThenBy(c => c.Id);
                }
                var unclockedAfter = after is { Moment: null } ? id : 0;
                yield return matching.Where(c => c.CurrentDue == null && c.Id > unclockedAfter).OrderBy(c => c.Id);
                break;
            case CaseSort.DueDesc:
                if (after is null || after.Moment is not null)
                {
                    var clocked = matching.Where(c => c.CurrentDue != null);
                    if (after?.Moment is { } dueBefore)
                    {
                        clocked = clocked.Where(c => c.CurrentDue <= dueBefore && (c.CurrentDue < dueBefore || c.Id < id));
                    }
                    yield return clocked.OrderByDescending(c => c.CurrentDue).ThenByDescending(c => c.Id);
                }
                var unclockedBefore = after is { Moment: null } ? id : int.MaxValue;
                yield return matching.Where(c => c.CurrentDue == null && c.Id < unclockedBefore).OrderByDescending(c => c.Id);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(sort));
        }
    }

    private static CaseSearchCursor CursorOf(CaseSearchRow row, CaseSort sort) => CaseSearchCursor.KeyOf(sort) switch
    {
        'r' => CaseSearchCursor.ForReported(row.ReportedAt, row.Id),
        'd' => CaseSearchCursor.ForDue(row.CurrentDue, row.Id),
        _ => CaseSearchCursor.ForNumber(row.Number, row.Id),
    };


    private static readonly System.Linq.Expressions.Expression<Func<Case, CaseExportRow>> ExportRow = c => new CaseExportRow(
        c.Number, c.State, c.CategoryId, c.CommunityId, c.GridCode, c.AssignedDepartmentId, c.Priority, c.Source, c.Level,
        c.Description, c.Address, c.ReporterName, c.ReporterPhone, c.ReportedAt, c.CurrentDue, c.WarningAt, c.IsSupervised, c.ClosedAt);
}
