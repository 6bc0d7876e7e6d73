using System.Globalization;
using GridGov.Application.Cases;
using GridGov.Application.Common;
using GridGov.Application.Visits;
using GridGov.Domain.Cases;
using GridGov.Domain.Evaluation;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Application.Evaluation;

/// <summary>One case behind a figure; <see cref="Counted"/> when it is in the numerator as well as the denominator.</summary>
public sealed record DrillDownRow(int CaseId, string Number, string GridName, string CategoryName, CaseState State, DateTimeOffset ReportedAt, bool Counted);

/// <param name="Hidden">Cases counted in the figure that the viewer may not open (another grid's, another department's).</param>
/// <param name="Truncated">More rows than a page shows; the first <see cref="EvaluationDrillDownQuery.MaxRows"/> are listed.</param>
public sealed record DrillDown(string Figure, int Counted, int Total, IReadOnlyList<DrillDownRow> Rows, int Hidden, bool Truncated);

/// <summary>
/// The rows behind a figure (下钻): the cases its definition counts, for a subject the viewer may see, each case listed
/// only when the viewer may open it. Counts are as of now: a frozen month's figure may differ after a correction, which
/// the page says.
/// </summary>
public sealed class EvaluationDrillDownQuery(IGridGovDbContext db, IEvaluationSql sql, MonthlyEvaluationService evaluation)
{
    public const int MaxRows = 500;

    public async Task<DrillDown> CasesAsync(DateOnly month, string figure, EvaluationSubject subject, string key, CaseActor actor,
        CancellationToken cancellationToken = default)
    {
        month = ChinaMonths.MonthOf(month);
        var view = await evaluation.MonthAsync(month, actor, cancellationToken);
        var (subjectId, gridIds) = await SubjectAsync(view.Results, subject, key, cancellationToken) ?? throw EvaluationScope.Forbidden();
        var (start, end) = ChinaMonths.RangeOf(month);
        var cases = await sql.DrillDownAsync(figure, subjectId, gridIds, start, end, cancellationToken);
        var counted = cases.ToDictionary(c => c.CaseId, c => c.Counted);
        var ids = counted.Keys.ToList();
        var visible = db.Cases.AsNoTracking().Where(c => ids.Contains(c.Id)).VisibleTo(actor);
        var shown = await visible.CountAsync(cancellationToken);
        var rows = await visible
            .OrderByDescending(c => c.ReportedAt).ThenByDescending(c => c.Id)
            .Take(MaxRows)
            .Select(c => new
            {
                c.Id,
                c.Number,
                Grid = db.Grids.Where(g => g.Id == c.GridId).Select(g => g.Name).FirstOrDefault() ?? c.GridCode,
                Category = db.Categories.Where(k => k.Id == c.CategoryId).Select(k => k.Name).FirstOrDefault() ?? "",
                c.State,
                c.ReportedAt,
            })
            .ToListAsync(cancellationToken);
        return new DrillDown(figure, counted.Values.Count(v => v), counted.Count,
            rows.Select(r => new DrillDownRow(r.Id, r.Number, r.Grid, r.Category, r.State, r.ReportedAt, counted[r.Id])).ToList(),
            counted.Count - shown, shown > MaxRows);
    }

    /// <summary>The subject's id and grids, when the viewer's results include it; null otherwise.</summary>
    private async Task<(int Id, IReadOnlyCollection<int> GridIds)?> SubjectAsync(EvaluationResults results, EvaluationSubject subject, string key,
        CancellationToken cancellationToken)
    {
        switch (subject)
        {
            case EvaluationSubject.Worker when int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                                               && results.Workers.Any(w => w.StaffMemberId == id):
                return (id, []);
            case EvaluationSubject.Dispatcher when int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                                                   && results.Dispatchers.Any(d => d.StaffMemberId == id):
                return (id, []);
            case EvaluationSubject.Department when int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                                                   && results.Departments.Any(d => (d.DepartmentId ?? 0) == id):
                return (id, []);
            case EvaluationSubject.Area when results.Areas.FirstOrDefault(a => a.Key == key) is { } area:
                var grids = db.Grids.AsNoTracking().Where(g => g.ValidTo == null);
                grids = area.Level switch
                {
                    AreaLevel.Grid => grids.Where(g => g.Code == area.Key),
                    AreaLevel.Community => grids.Where(g => g.CommunityId == int.Parse(area.Key, CultureInfo.InvariantCulture)),
                    _ => grids,
                };
                // No department has id −1: area figures count by grid only.
                return (-1, await grids.Select(g => g.Id).ToListAsync(cancellationToken));
            default:
                return null;
        }
    }
}
