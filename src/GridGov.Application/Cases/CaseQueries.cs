using GridGov.Application.Common;
using GridGov.Application.Grids;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Application.Cases;

/// <summary>
/// Possible duplicates of a report: the nearby cases the reporter may open, with their content, and how many more
/// lie outside the reporter's scope (their existence only, so a double report can still be avoided).
/// </summary>
public sealed record PossibleDuplicates(IReadOnlyList<NearbyCase> Cases, int Elsewhere);

public sealed record CaseDeadlineRow(int CaseId, string Number, CaseState State, DateTimeOffset Due, int? DepartmentId, bool IsSupervised);

public sealed record DepartmentReturnCount(int DepartmentId, int CategoryId, int Returns);

public sealed record WhistleResponseRow(int DepartmentId, int Summoned, int Answered, int AnsweredInTime, double? AverageResponseMinutes);

/// <summary>Read-side questions about cases: deadlines, duplicates, and per-department figures.</summary>
public sealed class CaseQueries(IGridGovDbContext db, ISpatialQueries spatial, TimeProvider clock)
{
    public const int DuplicateWindowDays = 7;

    /// <summary>Overdue cases (red): one query on the partial index of running clocks.</summary>
    public async Task<IReadOnlyList<CaseDeadlineRow>> OverdueAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        return await db.Cases.AsNoTracking()
            .Where(c => c.CurrentDue != null && c.CurrentDue <= now)
            .OrderBy(c => c.CurrentDue)
            .Select(c => new CaseDeadlineRow(c.Id, c.Number, c.State, c.CurrentDue!.Value, c.AssignedDepartmentId, c.IsSupervised))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Cases in their yellow window: 80% of the allowed working time used, not yet overdue.</summary>
    public async Task<IReadOnlyList<CaseDeadlineRow>> WarningAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        return await db.Cases.AsNoTracking()
            .Where(c => c.CurrentDue != null && c.CurrentDue > now && c.WarningAt <= now)
            .OrderBy(c => c.CurrentDue)
            .Select(c => new CaseDeadlineRow(c.Id, c.Number, c.State, c.CurrentDue!.Value, c.AssignedDepartmentId, c.IsSupervised))
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Possible duplicates of a report about to be made: same category, nearby, recent, still open. Only cases the
    /// actor may open (<see cref="CaseVisibility"/>) come with their number, text and address; others are counted.
    /// </summary>
    public async Task<PossibleDuplicates> PossibleDuplicatesAsync(int categoryId, double longitude, double latitude, CaseActor actor,
        CancellationToken cancellationToken = default)
    {
        var radius = await db.Categories.Where(c => c.Id == categoryId).Select(c => (int?)c.DuplicateRadiusMeters).SingleOrDefaultAsync(cancellationToken)
            ?? throw new DomainException("category.not-found", "案件类别不存在或已停用") { Field = DomainFields.Category.Name };
        var since = clock.GetUtcNow().AddDays(-DuplicateWindowDays);
        var nearby = await spatial.FindNearbyOpenCasesAsync(categoryId, Locations.Point(longitude, latitude), radius, since, cancellationToken);
        if (nearby.Count == 0)
        {
            return new PossibleDuplicates([], 0);
        }
        var ids = nearby.Select(n => n.CaseId).ToList();
        var visible = (await db.Cases.AsNoTracking().Where(c => ids.Contains(c.Id)).VisibleTo(actor).Select(c => c.Id).ToListAsync(cancellationToken)).ToHashSet();
        var shown = nearby.Where(n => visible.Contains(n.CaseId)).ToList();
        return new PossibleDuplicates(shown, nearby.Count - shown.Count);
    }

    /// <summary>退回 counts per department and category, for evaluation.</summary>
    public async Task<IReadOnlyList<DepartmentReturnCount>> ReturnCountsAsync(CancellationToken cancellationToken = default)
    {
        var rows = await db.CaseHistory.AsNoTracking()
            .Where(h => h.Action == CaseAction.Return && h.DepartmentId != null)
            .Join(db.Cases, h => h.CaseId, c => c.Id, (h, c) => new { DepartmentId = h.DepartmentId!.Value, c.CategoryId })
            .GroupBy(x => new { x.DepartmentId, x.CategoryId })
            .Select(g => new { g.Key.DepartmentId, g.Key.CategoryId, Returns = g.Count() })
            .OrderBy(r => r.DepartmentId).ThenBy(r => r.CategoryId)
            .ToListAsync(cancellationToken);
        return rows.Select(r => new DepartmentReturnCount(r.DepartmentId, r.CategoryId, r.Returns)).ToList();
    }

    /// <summary>吹哨报到 per department: how many times summoned, answered, answered in time, and the mean response time.</summary>
    public async Task<IReadOnlyList<WhistleResponseRow>> WhistleResponsesAsync(CancellationToken cancellationToken = default)
    {
        var whistles = await db.Whistles.AsNoTracking()
            .Select(w => new { w.DepartmentId, w.SummonedAt, w.RespondBy, w.RespondedAt })
            .ToListAsync(cancellationToken);
        return whistles.GroupBy(w => w.DepartmentId)
            .Select(g => new WhistleResponseRow(
                g.Key,
                g.Count(),
                g.Count(w => w.RespondedAt != null),
                g.Count(w => w.RespondedAt != null && w.RespondedAt <= w.RespondBy),
                g.Any(w => w.RespondedAt != null)
                    ? g.Where(w => w.RespondedAt != null).Average(w => (w.RespondedAt!.Value - w.SummonedAt).TotalMinutes)
                    : null))
            .OrderBy(r => r.DepartmentId)
            .ToList();
    }
}
