using GridGov.Application.Common;
using GridGov.Domain.Calendar;
using GridGov.Domain.Visits;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Application.Visits;

/// <summary>A household's must-visit schedule (三必访) as of a day: its frequency and its last visit before then.</summary>
public sealed record HouseholdSchedule(
    int HouseholdId,
    int GridId,
    string Address,
    VisitFrequency Frequency,
    DateOnly? LastVisit,
    int? LastVisitorStaffId)
{
    public (DateOnly NextDue, bool Overdue) StatusOn(DateOnly day) => VisitSchedule.Status(Frequency, LastVisit, day);
}

/// <summary>
/// Loads the schedules of every current household of some grids, set-based and bounded to those grids: the
/// households, whether any resident is of a monthly or quarterly kind (the tag sets of <see cref="VisitSchedule"/>,
/// tested in the database), and each household's last visit (one window query), joined in memory.
/// </summary>
public static class HouseholdSchedules
{
    /// <param name="withAddresses">Read the addresses (lists of households); figures need none.</param>
    /// <param name="withLastVisitor">Read who made each last visit (a window query); otherwise only its time (a plain aggregate).</param>
    public static async Task<IReadOnlyList<HouseholdSchedule>> LoadAsync(IGridGovDbContext db, IReadOnlyCollection<int> gridIds, DateTimeOffset visitsBefore,
        bool withAddresses, bool withLastVisitor, CancellationToken cancellationToken)
    {
        var before = visitsBefore.ToUniversalTime();
        var households = db.Households.AsNoTracking().Where(h => gridIds.Contains(h.GridId) && h.RemovedAt == null);
        var rows = await households.Select(h => new { h.Id, h.GridId, Address = withAddresses ? h.Address : "" }).ToListAsync(cancellationToken);

        var monthlyGroups = VisitSchedule.MonthlyGroups.ToList();
        var quarterlyGroups = VisitSchedule.QuarterlyGroups.ToList();
        var quarterlyKinds = VisitSchedule.QuarterlyPopulationKinds.ToList();
        var members = (await db.Residents.AsNoTracking()
                .Where(r => r.RemovedAt == null)
                .Join(households, r => r.HouseholdId, h => h.Id, (r, h) => new
                {
                    HouseholdId = h.Id,
                    Monthly = r.Groups.Any(g => monthlyGroups.Contains(g)),
                    Quarterly = quarterlyKinds.Contains(r.PopulationKind) || r.Groups.Any(g => quarterlyGroups.Contains(g)),
                })
                .Where(m => m.Monthly || m.Quarterly)
                .ToListAsync(cancellationToken))
            .ToLookup(m => m.HouseholdId);

        var visits = db.Visits.AsNoTracking()
            .Where(v => v.VisitedAt < before)
            .Join(households, v => v.HouseholdId, h => h.Id, (v, h) => v)
            .GroupBy(v => v.HouseholdId);
        var lastVisits = withLastVisitor
            ? (await visits
                    .Select(g => g.OrderByDescending(v => v.VisitedAt).Select(v => new LastVisit(v.HouseholdId, v.VisitedAt, (int?)v.VisitorStaffId)).First())
                    .ToListAsync(cancellationToken))
                .ToDictionary(v => v.HouseholdId)
            : (await visits
                    .Select(g => new { HouseholdId = g.Key, VisitedAt = g.Max(v => v.VisitedAt) })
                    .ToListAsync(cancellationToken))
                .ToDictionary(v => v.HouseholdId, v => new LastVisit(v.HouseholdId, v.VisitedAt, null));

        return rows
            .Select(h =>
            {
                var last = lastVisits.GetValueOrDefault(h.Id);
                var flags = members[h.Id].ToList();
                return new HouseholdSchedule(
                    h.Id,
                    h.GridId,
                    h.Address,
                    VisitSchedule.FrequencyFor(flags.Any(m => m.Monthly), flags.Any(m => m.Quarterly)),
                    last is null ? null : WorkingCalendar.ChinaDate(last.VisitedAt),
                    last?.VisitorStaffId);
            })
            .ToList();
    }

    /// <summary>
    /// Counts the current households of some grids and the overdue ones among them as of a day, in the database: a
    /// household is overdue when it has no visit (before <paramref name="visitsBefore"/>) since
    /// <see cref="VisitSchedule.OverdueUnlessVisitedSince"/> of its frequency. The rule of
    /// <see cref="HouseholdSchedule.StatusOn"/> without loading every household; the overdue ones are grouped by who
    /// made their last visit when <paramref name="withLastVisitor"/>.
    /// </summary>
    public static Task<HouseholdCounts> CountAsync(IHouseholdVisitSql sql, IReadOnlyCollection<int> gridIds, DateTimeOffset visitsBefore, DateOnly asOfDay,
        bool withLastVisitor, CancellationToken cancellationToken)
    {
        var since = new OverdueSince(
            ChinaMonths.StartOf(VisitSchedule.OverdueUnlessVisitedSince(VisitFrequency.Monthly, asOfDay)),
            ChinaMonths.StartOf(VisitSchedule.OverdueUnlessVisitedSince(VisitFrequency.Quarterly, asOfDay)),
            ChinaMonths.StartOf(VisitSchedule.OverdueUnlessVisitedSince(VisitFrequency.Yearly, asOfDay)));
        return sql.CountAsync(gridIds, visitsBefore, since, withLastVisitor, cancellationToken);
    }

    private sealed record LastVisit(int HouseholdId, DateTimeOffset VisitedAt, int? VisitorStaffId);
}

/// <summary>Overdue households of one grid whose last visit was made by one person (none: never visited, or not asked).</summary>
public sealed record OverdueCount(int GridId, int? LastVisitorStaffId, int Households);

/// <summary>Current households per grid, and the overdue ones.</summary>
public sealed record HouseholdCounts(IReadOnlyDictionary<int, int> HouseholdsPerGrid, IReadOnlyList<OverdueCount> Overdue);
