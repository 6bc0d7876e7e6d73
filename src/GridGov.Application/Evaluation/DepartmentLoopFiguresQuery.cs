using GridGov.Application.Common;
using GridGov.Application.Visits;
using GridGov.Domain.Cases;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Application.Evaluation;

/// <summary>
/// One department's figures of the closed loop for one China-time month, for the monthly evaluation (考核).
/// <see cref="DepartmentId"/> is null for cases handled locally by a grid leader or worker (社区指派).
/// </summary>
/// <param name="ExtensionsRequested">延期申请 asked in the month (counted by the moment of asking).</param>
/// <param name="ExtensionsApproved">Of those, approved (by the dispatcher or the street leader).</param>
/// <param name="ExtensionsRefused">Of those, refused.</param>
/// <param name="Dissatisfied">Dissatisfied satisfaction answers recorded in the month (回访 or the reporter's own).</param>
/// <param name="Reopened">Cases reopened for the department in the month by a dissatisfied answer (不满意重办).</param>
public sealed record DepartmentLoopFigures(
    int? DepartmentId,
    string DepartmentName,
    int ExtensionsRequested,
    int ExtensionsApproved,
    int ExtensionsRefused,
    int Dissatisfied,
    int Reopened);

/// <summary>Closed-loop figures per department and month that the evaluation counts separately from on-time closure.</summary>
public sealed class DepartmentLoopFiguresQuery(IGridGovDbContext db)
{
    public const string LocalHandlingName = "社区指派（网格自办）";

    public async Task<IReadOnlyList<DepartmentLoopFigures>> ForMonthAsync(DateOnly month, CancellationToken cancellationToken = default)
    {
        var (start, end) = ChinaMonths.RangeOf(month);
        var extensions = await db.CaseExtensions.AsNoTracking()
            .Where(e => e.RequestedAt >= start && e.RequestedAt < end)
            .GroupBy(e => e.DepartmentId)
            .Select(g => new
            {
                DepartmentId = g.Key,
                Requested = g.Count(),
                Approved = g.Count(e => e.Status == ExtensionStatus.Approved),
                Refused = g.Count(e => e.Status == ExtensionStatus.Refused),
            })
            .ToListAsync(cancellationToken);
        var dissatisfied = await db.SatisfactionAnswers.AsNoTracking()
            .Where(a => !a.Satisfied && a.RecordedAt >= start && a.RecordedAt < end)
            .GroupBy(a => a.DepartmentId)
            .Select(g => new { DepartmentId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.DepartmentId ?? 0, x => x.Count, cancellationToken);
        var reopened = await db.CaseHistory.AsNoTracking()
            .Where(h => h.Action == CaseAction.Reopen && h.At >= start && h.At < end)
            .GroupBy(h => h.DepartmentId)
            .Select(g => new { DepartmentId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.DepartmentId ?? 0, x => x.Count, cancellationToken);
        var byExtension = extensions.ToDictionary(e => e.DepartmentId ?? 0);
        var names = await db.Departments.AsNoTracking().ToDictionaryAsync(d => d.Id, d => d.Name, cancellationToken);
        // Department ids start at 1, so 0 stands for local handling (no department) in the keys above.
        return byExtension.Keys.Union(dissatisfied.Keys).Union(reopened.Keys)
            .Select(key =>
            {
                var e = byExtension.GetValueOrDefault(key);
                int? departmentId = key == 0 ? null : key;
                return new DepartmentLoopFigures(departmentId, NameOf(departmentId, names), e?.Requested ?? 0, e?.Approved ?? 0, e?.Refused ?? 0,
                    dissatisfied.GetValueOrDefault(key), reopened.GetValueOrDefault(key));
            })
            .OrderBy(f => f.DepartmentId is null).ThenBy(f => f.DepartmentName, StringComparer.Ordinal)
            .ToList();
    }

    private static string NameOf(int? departmentId, Dictionary<int, string> names) =>
        departmentId is { } id ? names.GetValueOrDefault(id, $"部门{id}") : LocalHandlingName;
}
