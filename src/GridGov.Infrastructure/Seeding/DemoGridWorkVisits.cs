using GridGov.Domain.Calendar;

namespace GridGov.Infrastructure.Seeding;

/// <summary>
/// Plans the demo visits. Each grid's households are shared out among its workers (包户). Per worker and period:
/// elderly living alone are visited in 95% of the months, quarterly households in 93% of the quarters (in the
/// current month or quarter, in proportion to the part that has passed), so a few are overdue; the rest of each
/// month's quota is ordinary households not yet visited that year. Most workers aim at 20–30 households a month,
/// about one in seven at 10–18 (under quota). Ordinary households not visited in the window were visited the year
/// before (97%), as a street that kept its ledger would have them.
/// </summary>
internal sealed class VisitPlanner(DemoWorld world, Random random, DateOnly firstDay, DateOnly today, DateTimeOffset now)
{
    private const int Yearly = 0, Quarterly = 1, Monthly = 2;

    private readonly List<PlannedVisit> _visits = [];

    public List<PlannedVisit> Plan()
    {
        foreach (var team in world.Teams)
        {
            var owned = team.Workers.Select(_ => new List<DemoHousehold>()).ToList();
            for (var i = 0; i < team.Households.Count; i++)
            {
                owned[i % team.Workers.Count].Add(team.Households[i]);
            }
            for (var w = 0; w < team.Workers.Count; w++)
            {
                PlanWorker(team, team.Workers[w].StaffId, owned[w]);
            }
        }
        return _visits;
    }

    private void PlanWorker(DemoTeam team, int workerId, List<DemoHousehold> households)
    {
        var quota = random.NextDouble() < 0.14 ? 10 + random.Next(9) : 20 + random.Next(11);
        var days = new Dictionary<int, List<DateOnly>>();

        foreach (var household in households.Where(h => h.Frequency == Monthly))
        {
            for (var month = firstDay; month <= today; month = month.AddMonths(1))
            {
                MustVisit(team, workerId, household, month, month.AddMonths(1), 0.95, days);
            }
        }
        foreach (var household in households.Where(h => h.Frequency == Quarterly))
        {
            for (var quarter = QuarterOf(firstDay); quarter <= today; quarter = quarter.AddMonths(3))
            {
                MustVisit(team, workerId, household, quarter, quarter.AddMonths(3), 0.93, days);
            }
        }

        // The rest of each month's quota: ordinary households not yet visited that year, in a random order.
        var ordinary = new Queue<DemoHousehold>(households.Where(h => h.Frequency == Yearly).OrderBy(_ => random.Next()));
        for (var month = firstDay; month <= today; month = month.AddMonths(1))
        {
            var last = Min(month.AddMonths(1).AddDays(-1), today);
            var share = (last.DayNumber - month.DayNumber + 1) / (double)month.AddMonths(1).AddDays(-1).Day;
            var visited = days.Count(d => d.Value.Any(day => day >= month && day <= last));
            var need = (int)Math.Round(quota * share) - visited;
            var skipped = new List<DemoHousehold>();
            while (need > 0 && ordinary.TryDequeue(out var household))
            {
                if (days.TryGetValue(household.Id, out var seen) && seen.Any(d => d.Year == month.Year))
                {
                    skipped.Add(household);
                    continue;
                }
                if (Add(team, workerId, household, month, last, days))
                {
                    need--;
                }
            }
            foreach (var household in skipped)
            {
                ordinary.Enqueue(household);
            }
            if (need > 0)
            {
                // Every ordinary household has had its visit this year: go back to those seen longest ago.
                var again = households
                    .Where(h => h.Frequency == Yearly && !(days.GetValueOrDefault(h.Id)?.Any(d => d >= month) ?? false))
                    .OrderBy(h => days.GetValueOrDefault(h.Id)?.Max() ?? DateOnly.MinValue)
                    .Take(need)
                    .ToList();
                foreach (var household in again)
                {
                    Add(team, workerId, household, month, last, days);
                }
            }
        }

        // Ordinary households the window did not reach were visited the year before.
        var previousYear = new DateOnly(today.Year - 1, 1, 1);
        var baselineEnd = Min(new DateOnly(today.Year - 1, 12, 31), firstDay.AddDays(-1));
        foreach (var household in households.Where(h => h.Frequency == Yearly))
        {
            var seen = days.GetValueOrDefault(household.Id);
            if (seen is not null && seen.Any(d => d.Year >= today.Year - 1))
            {
                continue;
            }
            if (baselineEnd >= previousYear && random.NextDouble() < 0.97)
            {
                Add(team, workerId, household, previousYear, baselineEnd, days);
            }
        }
    }

    /// <summary>A visit in the period [start, end) with the given chance (scaled down while the period is still running).</summary>
    private void MustVisit(DemoTeam team, int workerId, DemoHousehold household, DateOnly start, DateOnly end, double chance, Dictionary<int, List<DateOnly>> days)
    {
        var from = Max(start, firstDay);
        var to = Min(end.AddDays(-1), today);
        if (to < from)
        {
            return;
        }
        if (end.AddDays(-1) >= today)
        {
            chance *= (today.DayNumber - start.DayNumber + 1) / (double)(end.DayNumber - start.DayNumber);
        }
        if (random.NextDouble() < chance && Add(team, workerId, household, from, to, days) && random.NextDouble() < 0.03)
        {
            Add(team, workerId, household, from, to, days, followUp: true); // 回访 in the same period
        }
    }

    private bool Add(DemoTeam team, int workerId, DemoHousehold household, DateOnly from, DateOnly to, Dictionary<int, List<DateOnly>> days, bool followUp = false)
    {
        if (Moment(from, to) is not { } moment)
        {
            return false;
        }
        var texts = household.Frequency switch
        {
            Monthly => DemoGridWorkTexts.MonthlyFindings,
            Quarterly => DemoGridWorkTexts.QuarterlyFindings,
            _ => DemoGridWorkTexts.YearlyFindings,
        };
        var findings = texts[random.Next(texts.Length)];
        var companions = team.LeaderName is not null && random.NextDouble() < 0.15 ? team.LeaderName : null;
        _visits.Add(new PlannedVisit(household.Id, team.GridId, workerId, moment, followUp ? "回访：" + findings : findings, companions));
        var day = WorkingCalendar.ChinaDate(moment);
        if (days.TryGetValue(household.Id, out var list))
        {
            list.Add(day);
        }
        else
        {
            days[household.Id] = [day];
        }
        return true;
    }

    /// <summary>Office hours on a working day (if one comes up in a few tries) between the two days, before now.</summary>
    private DateTimeOffset? Moment(DateOnly from, DateOnly to)
    {
        var span = to.DayNumber - from.DayNumber + 1;
        for (var attempt = 0; attempt < 6; attempt++)
        {
            var day = from.AddDays(random.Next(span));
            if (attempt < 4 && !world.Calendar.IsWorkingDay(day))
            {
                continue;
            }
            var moment = DemoGridWorkSeeder.At(day, random.NextDouble() < 0.55 ? 9 * 60 : 14 * 60 + 30, 150, random);
            if (moment < now)
            {
                return moment;
            }
        }
        return null;
    }

    private static DateOnly QuarterOf(DateOnly day) => new(day.Year, ((day.Month - 1) / 3 * 3) + 1, 1);

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;
}
