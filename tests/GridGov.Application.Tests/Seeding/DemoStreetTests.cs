using GridGov.Domain.Ledgers;
using GridGov.Domain.Organisation;
using GridGov.Infrastructure.Persistence;
using GridGov.Infrastructure.Seeding;
using GridGov.TestSupport.GridGov;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Application.Tests.Seeding;

/// <summary>The scale-1 demo street keeps the promises of the README, checked in PostGIS.</summary>
public sealed class DemoStreetTests(DemoStreetDatabaseFixture fixture) : IClassFixture<DemoStreetDatabaseFixture>
{
    private async Task<T> QueryAsync<T>(Func<GridGovDbContext, Task<T>> query)
    {
        await using var scope = fixture.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<GridGovDbContext>());
    }

    [Fact]
    public async Task The_demo_street_has_the_promised_size()
    {
        var (communities, grids, households, residents, units, components) = await QueryAsync(async db => (
            await db.Communities.CountAsync(),
            await db.Grids.CountAsync(g => g.ValidTo == null),
            await db.Households.CountAsync(),
            await db.Residents.CountAsync(),
            await db.Units.CountAsync(),
            await db.Components.CountAsync()));

        Assert.Equal(10, communities);
        Assert.InRange(grids, 60, 70);
        Assert.InRange(households, 18_000, 22_000);
        Assert.InRange(residents, 45_000, 55_000);
        Assert.InRange(units, 900, 1_100);
        Assert.InRange(components, 1_800, 2_200);
    }

    [Fact]
    public async Task Every_community_holds_4_to_8_grids_and_grid_sizes_match_the_sources()
    {
        var perCommunity = await QueryAsync(db => db.Grids.GroupBy(g => g.CommunityId).Select(g => g.Count()).ToListAsync());
        var householdsPerGrid = await QueryAsync(db => db.Households.GroupBy(h => h.GridId).Select(g => g.Count()).ToListAsync());

        Assert.All(perCommunity, count => Assert.InRange(count, 4, 8));
        Assert.All(householdsPerGrid, count => Assert.InRange(count, 150, 500));
    }

    [Fact]
    public async Task The_grids_of_each_community_cover_it_exactly_without_gaps_or_overlaps()
    {
        var report = await QueryAsync(db => db.Database.SqlQuery<CoverageRow>($"""
            SELECT c.code AS "CommunityCode",
                   ST_Area(ST_SymDifference(c.boundary, ST_Union(g.boundary))::geography) AS "MismatchSquareMeters"
            FROM communities c JOIN grids g ON g.community_id = c.id AND g.valid_to IS NULL
            GROUP BY c.id, c.code, c.boundary
            """).ToListAsync());
        var overlaps = await QueryAsync(db => db.Database.SqlQuery<double>($"""
            SELECT COALESCE(SUM(ST_Area(ST_Intersection(a.boundary, b.boundary)::geography)), 0) AS "Value"
            FROM grids a JOIN grids b ON a.id < b.id AND ST_Intersects(a.boundary, b.boundary)
            WHERE a.valid_to IS NULL AND b.valid_to IS NULL
            """).SingleAsync());
        var streetMismatch = await QueryAsync(db => db.Database.SqlQuery<double>($"""
            SELECT ST_Area(ST_SymDifference(s.boundary, (SELECT ST_Union(boundary) FROM communities))::geography) AS "Value"
            FROM streets s
            """).SingleAsync());

        Assert.Equal(10, report.Count);
        Assert.All(report, row => Assert.True(row.MismatchSquareMeters < 1.0, $"{row.CommunityCode}: {row.MismatchSquareMeters:F2} m² differ"));
        Assert.True(overlaps < 1.0, $"grids overlap by {overlaps:F2} m²");
        Assert.True(streetMismatch < 1.0, $"communities differ from the street by {streetMismatch:F2} m²");
    }

    [Fact]
    public async Task All_polygons_are_valid_and_in_wgs84()
    {
        var invalid = await QueryAsync(db => db.Database.SqlQuery<string>($"""
            SELECT code AS "Value" FROM grids WHERE NOT ST_IsValid(boundary) OR ST_SRID(boundary) <> 4326
            UNION ALL SELECT code FROM communities WHERE NOT ST_IsValid(boundary) OR ST_SRID(boundary) <> 4326
            """).ToListAsync());

        Assert.Empty(invalid);
    }

    [Fact]
    public async Task Every_resident_has_a_unique_id_number_that_passes_the_checksum_and_matches_sex_and_birth_date()
    {
        var residents = await QueryAsync(db => db.Residents.AsNoTracking()
            .Select(r => new { r.IdNumber, r.Sex, r.BirthDate }).ToListAsync());

        Assert.Equal(residents.Count, residents.Select(r => r.IdNumber).Distinct().Count());
        Assert.All(residents, r =>
        {
            Assert.True(IdNumber.TryParse(r.IdNumber, out var parsed, out var error), $"{r.IdNumber}: {error}");
            Assert.Equal(parsed.Sex, r.Sex);
            Assert.Equal(parsed.BirthDate, r.BirthDate);
        });
    }

    [Fact]
    public async Task Ledger_points_lie_in_the_grid_they_are_filed_under()
    {
        var misplaced = await QueryAsync(db => db.Database.SqlQuery<int>($"""
            SELECT count(*)::int AS "Value" FROM (
                SELECT b.grid_id, b.location FROM buildings b
                UNION ALL SELECT u.grid_id, u.location FROM units u
                UNION ALL SELECT c.grid_id, c.location FROM components c) p
            JOIN grids g ON g.id = p.grid_id
            WHERE NOT ST_Covers(g.boundary, p.location)
            """).SingleAsync());

        Assert.Equal(0, misplaced);
    }

    [Fact]
    public async Task Every_grid_has_a_named_leader_and_workers_and_every_role_has_staff()
    {
        var gridsWithoutLeader = await QueryAsync(db => db.Grids
            .CountAsync(g => !db.GridAssignments.Any(a => a.GridCode == g.Code && a.Duty == GridDuty.Leader)));
        var gridsWithoutWorkers = await QueryAsync(db => db.Grids
            .CountAsync(g => !db.GridAssignments.Any(a => a.GridCode == g.Code && a.Duty != GridDuty.Leader)));
        var roles = await QueryAsync(db => db.StaffMembers.Select(s => s.Role).Distinct().ToListAsync());

        Assert.Equal(0, gridsWithoutLeader);
        Assert.Equal(0, gridsWithoutWorkers);
        Assert.Equal(Enum.GetValues<StaffRole>().OrderBy(r => r), roles.OrderBy(r => r));
    }

    [Fact]
    public async Task Reference_data_is_loaded_with_the_default_taxonomy_and_calendar()
    {
        var (departments, majors, minors, calendar) = await QueryAsync(async db => (
            await db.Departments.CountAsync(),
            await db.CategoryMajors.CountAsync(),
            await db.Categories.CountAsync(),
            await db.CalendarDays.CountAsync()));

        Assert.Equal(ReferenceData.Departments.Count, departments);
        Assert.True(majors >= 6, $"{majors} major classes");
        Assert.True(minors >= 40, $"{minors} minor classes");
        Assert.Equal(ReferenceData.Calendar2026.Count, calendar);
    }

    [Fact]
    public async Task Seeding_again_changes_nothing()
    {
        var before = await QueryAsync(db => db.Residents.CountAsync());
        await using var scope = fixture.Services.CreateAsyncScope();

        var summary = await scope.ServiceProvider.GetRequiredService<DemoStreetSeeder>()
            .SeedAsync(new DemoStreetOptions { DemoPassword = "another-password" }, CancellationToken.None);

        Assert.True(summary.AlreadySeeded);
        Assert.Equal(before, await QueryAsync(db => db.Residents.CountAsync()));
    }

    private sealed record CoverageRow(string CommunityCode, double MismatchSquareMeters);
}
