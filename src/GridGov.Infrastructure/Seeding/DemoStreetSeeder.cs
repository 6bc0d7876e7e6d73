using System.Globalization;
using GridGov.Domain.Calendar;
using GridGov.Domain.Categories;
using GridGov.Domain.Geography;
using GridGov.Domain.Ledgers;
using GridGov.Domain.Organisation;
using GridGov.Infrastructure.Identity;
using GridGov.Infrastructure.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace GridGov.Infrastructure.Seeding;

/// <summary>
/// Seeds a fictional street office, 云帆街道 in Suzhou's Gusu district, with everything a demo needs:
/// the reference data (departments, case taxonomy, 2026 calendar), communities and grids that tile
/// the street exactly, the ledgers of every grid (compounds, buildings, households, residents, units,
/// components) and staff with sign-in accounts for every role. Deterministic for a given seed and
/// scale; idempotent (an existing street is left alone); all in one transaction.
/// </summary>
public sealed partial class DemoStreetSeeder(
    GridGovDbContext db,
    NpgsqlDataSource dataSource,
    IPasswordHasher<ApplicationUser> passwordHasher,
    ILogger<DemoStreetSeeder> logger,
    TimeProvider timeProvider)
{
    /// <summary>Ledger rows are generated and copied in batches of about this many residents.</summary>
    private const int ResidentsPerBatch = 50_000;

    public async Task<DemoStreetSummary> SeedAsync(DemoStreetOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Scale, 1, nameof(options.Scale));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Scale, DemoStreetOptions.MaxScale, nameof(options.Scale));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.DemoPassword, nameof(options.DemoPassword));

        var started = timeProvider.GetTimestamp();
        // EF (reference data, the street's boundaries) and COPY (ledgers, staff, accounts) share one
        // connection and one transaction, so a failure leaves nothing half-written.
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        db.Database.SetDbConnection(connection, contextOwnsConnection: false);
        try
        {
            await db.Database.UseTransactionAsync(transaction, ct);
            var writer = new DemoStreetWriter(connection, db.Model);
            await writer.LockStreetsAsync(ct);

            var existing = await db.Streets.AsNoTracking().OrderBy(s => s.Id).FirstOrDefaultAsync(ct);
            if (existing is not null)
            {
                LogAlreadySeeded(existing.Name, existing.Code);
                return await SummariseAsync(existing.Code, existing.Name, alreadySeeded: true, started, ct);
            }

            var street = await SeedStreetAsync(options, writer, ct);
            var summary = await SummariseAsync(street.Code, street.Name, alreadySeeded: false, started, ct);
            await transaction.CommitAsync(ct);
            LogSeeded(summary.StreetName, summary.Grids, summary.Households, summary.Residents, summary.Elapsed);
            return summary;
        }
        finally
        {
            // Hand the context back its own connection, so it stays usable after seeding.
            await db.Database.UseTransactionAsync(null, CancellationToken.None);
            db.ChangeTracker.Clear();
            db.Database.SetDbConnection(null);
        }
    }

    /// <summary>The day the demo street's grids were drawn and its staff assigned.</summary>
    public static readonly DateOnly EstablishedOn = new(2020, 1, 1);

    private async Task<Street> SeedStreetAsync(DemoStreetOptions options, DemoStreetWriter writer, CancellationToken ct)
    {
        // The street's grids and the staff's assignments have been in place since well before any month the demo or a
        // test looks at (tests go back to 2023): assignments count only on the days they are in force.
        var since = EstablishedOn;
        var today = WorkingCalendar.ChinaDate(timeProvider.GetUtcNow());
        var random = new Random(options.Seed);

        var departments = await SeedReferenceDataAsync(ct);
        var roleIds = await SeedRolesAsync(ct);
        var stems = DemoStreetNames.ShuffledStems(random);
        var street = await AddStreetAsync(DemoStreetLayout.Create(options.Scale, random), stems, since, ct);

        // One hash for every demo account: hashing is deliberately slow, and there are thousands of accounts.
        var passwordHash = passwordHasher.HashPassword(new ApplicationUser(), options.DemoPassword);
        var staff = new DemoStreetStaff(random, since, passwordHash, roleIds,
            new IdSequence(await writer.LastIdAsync<StaffMember>(ct)), new IdSequence(await writer.LastIdAsync<GridAssignment>(ct)));
        await writer.WriteStaffAsync(staff.Create(street.Communities, [.. departments.Values]), ct);

        await SeedLedgersAsync(street, stems, new DemoStreetPeople(random, today), ComponentKinds(departments), random, writer, ct);

        await writer.ResetIdentityAsync<StaffMember>(ct);
        await writer.ResetIdentityAsync<GridAssignment>(ct);
        return street;
    }

    /// <summary>The street, its communities and grids, through EF so they get their ids for the ledgers.</summary>
    private async Task<Street> AddStreetAsync(DemoStreetLayout layout, string[] stems, DateOnly since, CancellationToken ct)
    {
        var street = new Street(
            AdministrativeCode.StreetCode(DemoStreetNames.CountyCode, DemoStreetNames.StreetSequence),
            DemoStreetNames.StreetName, DemoStreetNames.DivisionName, layout.Boundary);
        foreach (var plan in layout.Communities)
        {
            var community = new Community(street, plan.Sequence, DemoStreetNames.CommunityName(plan.Sequence - 1, stems), plan.Boundary);
            street.Communities.Add(community);
            foreach (var grid in plan.Grids)
            {
                community.Grids.Add(new Grid(community, grid.Sequence, $"{community.Name}第{grid.Sequence}网格", grid.Boundary, since));
            }
        }
        db.Streets.Add(street);
        await db.SaveChangesAsync(ct);
        LogLayout(street.Name, street.Communities.Count, street.Communities.Sum(c => c.Grids.Count), DemoStreetLayout.AreaKm2(street.Boundary));
        return street;
    }

    /// <summary>Generates the grids' ledgers community by community and copies them in batches, so memory stays flat at any scale.</summary>
    private async Task SeedLedgersAsync(Street street, string[] stems, DemoStreetPeople people, List<ComponentKind> componentKinds,
        Random random, DemoStreetWriter writer, CancellationToken ct)
    {
        var ids = new LedgerIds(
            new IdSequence(await writer.LastIdAsync<Compound>(ct)),
            new IdSequence(await writer.LastIdAsync<Building>(ct)),
            new IdSequence(await writer.LastIdAsync<Household>(ct)),
            new IdSequence(await writer.LastIdAsync<Resident>(ct)),
            new IdSequence(await writer.LastIdAsync<Unit>(ct)),
            new IdSequence(await writer.LastIdAsync<Component>(ct)));
        var firstResidentId = ids.Residents.Last;
        var ledgers = new DemoStreetLedgers(random, people, componentKinds, ids);
        var gridCount = street.Communities.Sum(c => c.Grids.Count);
        var gridsDone = 0;
        var batch = new LedgerBatch();
        for (var i = 0; i < street.Communities.Count; i++)
        {
            var stem = DemoStreetNames.CommunityStem(i, stems);
            foreach (var grid in street.Communities[i].Grids)
            {
                ledgers.AddGrid(new GridSite(grid.Id, grid.Boundary, stem), batch);
                gridsDone++;
            }
            if (batch.Residents.Count >= ResidentsPerBatch || i == street.Communities.Count - 1)
            {
                await writer.WriteLedgersAsync(batch, ct);
                batch = new LedgerBatch();
                LogProgress(gridsDone, gridCount, ids.Residents.Last - firstResidentId);
            }
        }

        await writer.ResetIdentityAsync<Compound>(ct);
        await writer.ResetIdentityAsync<Building>(ct);
        await writer.ResetIdentityAsync<Household>(ct);
        await writer.ResetIdentityAsync<Resident>(ct);
        await writer.ResetIdentityAsync<Unit>(ct);
        await writer.ResetIdentityAsync<Component>(ct);
    }

    /// <summary>
    /// Departments, the case taxonomy and the 2026 calendar from <see cref="ReferenceData"/>, the same at
    /// every scale. Rows already present (matched by code or date) are kept as they are, so an
    /// administrator's edits survive and reference data seeded by other means does not clash.
    /// </summary>
    private async Task<Dictionary<string, Department>> SeedReferenceDataAsync(CancellationToken ct)
    {
        var departments = await db.Departments.ToDictionaryAsync(d => d.Code, StringComparer.Ordinal, ct);
        foreach (var seed in ReferenceData.Departments.Where(s => !departments.ContainsKey(s.Code)))
        {
            departments[seed.Code] = db.Departments.Add(new Department(seed.Code, seed.Name, seed.Level, seed.DutyPhone)).Entity;
        }
        await db.SaveChangesAsync(ct);

        var majors = await db.CategoryMajors.ToDictionaryAsync(m => m.Code, StringComparer.Ordinal, ct);
        var minorCodes = (await db.Categories.Select(c => c.Code).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        foreach (var majorSeed in ReferenceData.Taxonomy)
        {
            if (!majors.TryGetValue(majorSeed.Code, out var major))
            {
                major = majors[majorSeed.Code] = db.CategoryMajors.Add(new CategoryMajor(majorSeed.Code, majorSeed.Name, majorSeed.Kind)).Entity;
            }
            foreach (var minor in majorSeed.Minors.Where(m => !minorCodes.Contains(m.Code)))
            {
                var category = new Category(major, minor.Code, minor.Name, minor.FilingStandard, departments[minor.DepartmentCode].Id, minor.Limits);
                category.NameForResidents(ResidentCategoryNames.Defaults.GetValueOrDefault(minor.Code));
                db.Categories.Add(category);
            }
        }

        var calendarDates = (await db.CalendarDays.Select(d => d.Date).ToListAsync(ct)).ToHashSet();
        foreach (var day in ReferenceData.Calendar2026.Where(d => !calendarDates.Contains(d.Date)))
        {
            db.CalendarDays.Add(new CalendarDay(day.Date, day.IsWorkingDay, day.Name));
        }
        await db.SaveChangesAsync(ct);
        return departments;
    }

    /// <summary>One Identity role per <see cref="StaffRole"/>, named after the enum member (e.g. "Dispatcher").</summary>
    private async Task<Dictionary<StaffRole, string>> SeedRolesAsync(CancellationToken ct)
    {
        var existing = await db.Roles.ToDictionaryAsync(r => r.NormalizedName!, StringComparer.Ordinal, ct);
        var roleIds = new Dictionary<StaffRole, string>();
        foreach (var role in Enum.GetValues<StaffRole>())
        {
            var name = role.ToString();
            var normalized = name.ToUpperInvariant();
            if (!existing.TryGetValue(normalized, out var identityRole))
            {
                identityRole = db.Roles.Add(new IdentityRole(name) { NormalizedName = normalized, ConcurrencyStamp = Guid.NewGuid().ToString() }).Entity;
            }
            roleIds[role] = identityRole.Id;
        }
        await db.SaveChangesAsync(ct);
        return roleIds;
    }

    /// <summary>Component kinds are the component classes of the taxonomy (so 0101 is both a category and a component code), weighted by how common they are on the street.</summary>
    private static List<ComponentKind> ComponentKinds(Dictionary<string, Department> departments)
    {
        var kinds = new List<ComponentKind>();
        foreach (var major in ReferenceData.Taxonomy.Where(m => m.Kind == CategoryKind.Component))
        {
            var componentClass = (ComponentClass)int.Parse(major.Code, CultureInfo.InvariantCulture);
            if (!Enum.IsDefined(componentClass))
            {
                continue;
            }
            foreach (var minor in major.Minors)
            {
                kinds.Add(new ComponentKind(componentClass, int.Parse(minor.Code.AsSpan(2), CultureInfo.InvariantCulture), minor.Name,
                    departments[minor.DepartmentCode].Id, ComponentWeights.GetValueOrDefault(minor.Code, 2)));
            }
        }
        // 05 房屋土地 and 06 其他 have no case categories in the default taxonomy; a few common ones.
        kinds.Add(new(ComponentClass.HousingLand, 1, "宣传栏", departments[ReferenceData.Community].Id, 2));
        kinds.Add(new(ComponentClass.HousingLand, 2, "人防工程出入口", departments[ReferenceData.Housing].Id, 1));
        kinds.Add(new(ComponentClass.Other, 1, "公共健身器材", departments[ReferenceData.Community].Id, 2));
        kinds.Add(new(ComponentClass.Other, 2, "治安监控探头", departments[ReferenceData.PoliceStation].Id, 2));
        return kinds;
    }

    /// <summary>Relative frequency of components: manhole covers, street lamps, litter bins and street trees are everywhere.</summary>
    private static readonly Dictionary<string, int> ComponentWeights = new(StringComparer.Ordinal)
    {
        ["0101"] = 8, ["0102"] = 8, ["0103"] = 10, ["0104"] = 10, ["0105"] = 5, ["0106"] = 4, ["0107"] = 14, ["0108"] = 4, ["0109"] = 3,
        ["0201"] = 1, ["0202"] = 4, ["0203"] = 3, ["0204"] = 1, ["0205"] = 2,
        ["0301"] = 9, ["0302"] = 6, ["0303"] = 1, ["0304"] = 3,
        ["0401"] = 14, ["0402"] = 3, ["0403"] = 2, ["0404"] = 3,
    };

    private async Task<DemoStreetSummary> SummariseAsync(string streetCode, string streetName, bool alreadySeeded, long started, CancellationToken ct)
    {
        var demoUsers = await (
            from user in db.Users
            where DemoStreetStaff.DemoUserNames.Contains(user.UserName!)
            join staff in db.StaffMembers on user.StaffMemberId equals (int?)staff.Id
            select new { user.UserName, user.DisplayName, staff.Role }).ToListAsync(ct);
        var accounts = demoUsers
            .OrderBy(u => Array.IndexOf(DemoStreetStaff.DemoUserNames, u.UserName))
            .Select(u => new DemoAccount(u.UserName!, u.DisplayName, u.Role.ChineseName()))
            .ToList();

        return new DemoStreetSummary(
            streetCode,
            streetName,
            alreadySeeded,
            Communities: await db.Communities.CountAsync(ct),
            Grids: await db.Grids.CountAsync(g => g.ValidTo == null, ct),
            Compounds: await db.Compounds.CountAsync(ct),
            Buildings: await db.Buildings.CountAsync(ct),
            Households: await db.Households.CountAsync(ct),
            Residents: await db.Residents.CountAsync(ct),
            Units: await db.Units.CountAsync(ct),
            Components: await db.Components.CountAsync(ct),
            Departments: await db.Departments.CountAsync(ct),
            Categories: await db.Categories.CountAsync(ct),
            CalendarDays: await db.CalendarDays.CountAsync(ct),
            StaffMembers: await db.StaffMembers.CountAsync(ct),
            Users: await db.Users.CountAsync(ct),
            Elapsed: timeProvider.GetElapsedTime(started),
            Accounts: accounts);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo street {StreetName} ({StreetCode}) already exists; nothing seeded")]
    private partial void LogAlreadySeeded(string streetName, string streetCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeding {StreetName}: {Communities} communities, {Grids} grids, {AreaKm2:F1} km²")]
    private partial void LogLayout(string streetName, int communities, int grids, double areaKm2);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo ledgers: {GridsDone}/{Grids} grids, {Residents} residents written")]
    private partial void LogProgress(int gridsDone, int grids, int residents);

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded {StreetName}: {Grids} grids, {Households} households, {Residents} residents in {Elapsed}")]
    private partial void LogSeeded(string streetName, int grids, int households, int residents, TimeSpan elapsed);
}
