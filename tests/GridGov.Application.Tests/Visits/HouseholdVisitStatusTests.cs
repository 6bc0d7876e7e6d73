using GridGov.Application.Visits;
using GridGov.Domain.Ledgers;
using GridGov.Domain.Visits;
using GridGov.Infrastructure.Persistence;
using GridGov.TestSupport.GridGov;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Application.Tests.Visits;

/// <summary>
/// <c>household_visit_status</c>, kept by the database's triggers, is what <see cref="VisitSchedule"/> says of every
/// household: its frequency from its current residents and its last visit, after the seed and after changes to the
/// ledgers and new visits written by any means.
/// </summary>
public sealed class HouseholdVisitStatusTests(DemoStreetDatabaseFixture fixture) : IClassFixture<DemoStreetDatabaseFixture>
{
    [Fact]
    public async Task The_database_gives_every_tag_and_population_kind_the_frequency_of_the_visit_schedule()
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
        var tagSets = Enum.GetValues<ResidentGroup>().Select(g => new[] { g })
            .Append([])
            .Append(Enum.GetValues<ResidentGroup>())
            .ToList();
        foreach (var groups in tagSets)
        {
            foreach (var kind in Enum.GetValues<PopulationKind>())
            {
                var names = groups.Select(g => g.ToString()).ToArray();
                var inDatabase = await db.Database.SqlQuery<short>($"SELECT visit_frequency_of({names}, {kind.ToString()}) AS \"Value\"").SingleAsync();
                var expected = VisitSchedule.FrequencyFor([(groups, kind)]);
                Assert.True((VisitFrequency)inDatabase == expected, $"{string.Join(",", names)} / {kind}: database {(VisitFrequency)inDatabase}, schedule {expected}");
            }
        }
    }

    [Fact]
    public async Task Tags_removals_moves_new_households_and_visits_keep_each_households_frequency_and_last_visit()
    {
        await AssertStatusMatchesTheLedgersAsync(); // as seeded (COPY of residents and visits)

        await using (var scope = fixture.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
            var now = DateTimeOffset.UtcNow;
            var residents = await db.Residents.Where(r => r.RemovedAt == null && r.HouseholdId != null)
                .OrderBy(r => r.Id).Take(400).ToListAsync();
            var plain = residents.Where(r => r.Groups.Count == 0 && r.PopulationKind != PopulationKind.Temporary).ToList();
            var tagged = residents.First(r => r.Groups.Contains(ResidentGroup.ElderlyLivingAlone) || r.Groups.Any(VisitSchedule.QuarterlyGroups.Contains));

            plain[0].Tag(ResidentGroup.ElderlyLivingAlone);                 // yearly → monthly
            plain[1].SetPopulationKind(PopulationKind.Temporary);           // → quarterly at least
            tagged.Remove("迁出", now);                                      // its household may fall back
            var household = await db.Households.SingleAsync(h => h.Id == plain[2].HouseholdId);
            var newHousehold = new Household(household.GridId, household.BuildingId, household.Address + "-新户", "101", HouseholdKind.RegisteredAndResident);
            db.Households.Add(newHousehold);
            await db.SaveChangesAsync();
            plain[2].MoveToHousehold(newHousehold);                         // both households change
            plain[3].Tag(ResidentGroup.Disabled);
            await db.SaveChangesAsync();

            var visited = await db.Households.Where(h => h.RemovedAt == null).OrderBy(h => h.Id).Select(h => new { h.Id, h.GridId }).Take(3).ToListAsync();
            var visitor = await db.Visits.Select(v => v.VisitorStaffId).FirstAsync();
            db.Visits.Add(new Visit(visited[0].Id, visited[0].GridId, visitor, now.AddMinutes(-5), "入户走访", null, null));
            db.Visits.Add(new Visit(visited[1].Id, visited[1].GridId, visitor, now.AddYears(-3), "补录的旧走访", null, null)); // older: last visit stays
            db.Visits.Add(new Visit(newHousehold.Id, newHousehold.GridId, visitor, now.AddMinutes(-1), "新户首访", null, null));
            await db.SaveChangesAsync();
            // One statement with visits in three months, then one back-dated into the month before the last: the prior visit
            // is the latest before the last visit's month, whichever statement brought it.
            var spread = visited[2];
            var (march, april, may) = (new DateTimeOffset(2025, 3, 10, 2, 0, 0, TimeSpan.Zero), new DateTimeOffset(2025, 4, 30, 15, 59, 0, TimeSpan.Zero),
                new DateTimeOffset(2025, 4, 30, 16, 0, 0, TimeSpan.Zero)); // 16:00 UTC on 30 April is 1 May in China
            var later = now.AddDays(-1);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO visits (household_id, grid_id, visitor_staff_id, visited_at, findings)
                VALUES ({spread.Id}, {spread.GridId}, {visitor}, {march}, '三月'), ({spread.Id}, {spread.GridId}, {visitor}, {april}, '四月末'),
                       ({spread.Id}, {spread.GridId}, {visitor}, {may}, '五月初'), ({spread.Id}, {spread.GridId}, {visitor}, {later}, '近日')
                """);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO visits (household_id, grid_id, visitor_staff_id, visited_at, findings)
                VALUES ({spread.Id}, {spread.GridId}, {visitor}, {march.AddDays(5)}, '补录三月')
                """);

            var status = await db.Database.SqlQuery<StatusRow>($"""
                SELECT household_id AS "HouseholdId", frequency AS "Frequency", last_visited_at AS "LastVisitedAt", last_visitor_staff_id AS "LastVisitorStaffId",
                       prior_visited_at AS "PriorVisitedAt", prior_visitor_staff_id AS "PriorVisitorStaffId"
                FROM household_visit_status WHERE household_id = {newHousehold.Id}
                """).SingleAsync();
            Assert.Equal((short)VisitFrequency.Yearly, status.Frequency);
            Assert.Equal(visitor, status.LastVisitorStaffId);
        }

        await AssertStatusMatchesTheLedgersAsync();
    }

    /// <summary>Every household's stored status against the rule applied to its residents and its visits, read afresh.</summary>
    private async Task AssertStatusMatchesTheLedgersAsync()
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
        var gridIds = await db.Grids.Select(g => g.Id).ToListAsync();
        var schedules = await HouseholdSchedules.LoadAsync(db, gridIds, DateTimeOffset.MaxValue, withAddresses: false, withLastVisitor: true, CancellationToken.None);
        var visits = (await db.Visits.Select(v => new { v.Id, v.HouseholdId, v.VisitedAt, v.VisitorStaffId }).ToListAsync())
            .ToLookup(v => v.HouseholdId);
        var status = (await db.Database.SqlQuery<StatusRow>($"""
                SELECT household_id AS "HouseholdId", frequency AS "Frequency", last_visited_at AS "LastVisitedAt", last_visitor_staff_id AS "LastVisitorStaffId",
                       prior_visited_at AS "PriorVisitedAt", prior_visitor_staff_id AS "PriorVisitorStaffId"
                FROM household_visit_status WHERE NOT removed
                """).ToListAsync())
            .ToDictionary(s => s.HouseholdId);

        Assert.Equal(schedules.Select(s => s.HouseholdId).Order(), status.Keys.Order());
        Assert.All(schedules, s =>
        {
            var row = status[s.HouseholdId];
            Assert.Equal(s.Frequency, (VisitFrequency)row.Frequency);
            var own = visits[s.HouseholdId].OrderByDescending(v => v.VisitedAt).ThenByDescending(v => v.Id).ToList();
            Assert.Equal(own.FirstOrDefault()?.VisitedAt, row.LastVisitedAt);
            Assert.Equal(s.LastVisitorStaffId, row.LastVisitorStaffId);
            // The prior visit: the last one before the China month of the last visit.
            var monthStart = own.Count == 0 ? DateTimeOffset.MinValue : ChinaMonths.StartOf(ChinaMonths.MonthOf(own[0].VisitedAt));
            var prior = own.FirstOrDefault(v => v.VisitedAt < monthStart);
            Assert.Equal((prior?.VisitedAt, prior?.VisitorStaffId), (row.PriorVisitedAt, row.PriorVisitorStaffId));
        });
        Assert.Contains(status.Values, s => s.PriorVisitedAt is not null && s.LastVisitedAt is { } last && s.PriorVisitedAt < ChinaMonths.StartOf(ChinaMonths.MonthOf(last)));
        Assert.Contains(status.Values, s => s.Frequency == (short)VisitFrequency.Monthly);
        Assert.Contains(status.Values, s => s.Frequency == (short)VisitFrequency.Quarterly);
    }

    private sealed record StatusRow(int HouseholdId, short Frequency, DateTimeOffset? LastVisitedAt, int? LastVisitorStaffId,
        DateTimeOffset? PriorVisitedAt = null, int? PriorVisitorStaffId = null);
}
