using GridGov.Application.Common;
using GridGov.Application.Grids;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Application.Cases;

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

    /// <summary>Possible duplicates of a report about to be made: same category, nearby, recent, still open.</summary>
    public async Task<IReadOnlyList<NearbyCase>> PossibleDuplicatesAsync(int categoryId, double longitude, double latitude, CancellationToken cancellationToken = default)
    {
        var radius = await db.Categories.Where(c => c.Id == categoryId).Select(c => (int?)c.DuplicateRadiusMeters).SingleOrDefaultAsync(cancellationToken)
            ?? throw new DomainException("category.not-found", "案件类别不存在或已停用");
        var since = clock.GetUtcNow().AddDays(-DuplicateWindowDays);
        return await spatial.FindNearbyOpenCasesAsync(categoryId, Locations.Point(longitude, latitude), radius, since, cancellationToken);
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
