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

            var status = await db.Database.SqlQuery<StatusRow>($"""
                SELECT household_id AS "HouseholdId", frequency AS "Frequency", last_visited_at AS "LastVisitedAt", last_visitor_staff_id AS "LastVisitorStaffId"
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
        var lastVisits = await db.Visits.GroupBy(v => v.HouseholdId).Select(g => new { HouseholdId = g.Key, At = g.Max(v => v.VisitedAt) })
            .ToDictionaryAsync(v => v.HouseholdId, v => v.At);
        var status = (await db.Database.SqlQuery<StatusRow>($"""
                SELECT household_id AS "HouseholdId", frequency AS "Frequency", last_visited_at AS "LastVisitedAt", last_visitor_staff_id AS "LastVisitorStaffId"
                FROM household_visit_status WHERE NOT removed
                """).ToListAsync())
            .ToDictionary(s => s.HouseholdId);

        Assert.Equal(schedules.Select(s => s.HouseholdId).Order(), status.Keys.Order());
        Assert.All(schedules, s =>
        {
            var row = status[s.HouseholdId];
            Assert.Equal(s.Frequency, (VisitFrequency)row.Frequency);
            Assert.Equal(lastVisits.TryGetValue(s.HouseholdId, out var at) ? at : null, row.LastVisitedAt);
            Assert.Equal(s.LastVisitorStaffId, row.LastVisitorStaffId);
        });
        Assert.Contains(status.Values, s => s.Frequency == (short)VisitFrequency.Monthly);
        Assert.Contains(status.Values, s => s.Frequency == (short)VisitFrequency.Quarterly);
    }

    private sealed record StatusRow(int HouseholdId, short Frequency, DateTimeOffset? LastVisitedAt, int? LastVisitorStaffId);
}
