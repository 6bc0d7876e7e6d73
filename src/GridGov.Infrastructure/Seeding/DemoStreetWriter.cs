using GridGov.Domain.Geography;
using GridGov.Domain.Ledgers;
using GridGov.Domain.Organisation;
using GridGov.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using NpgsqlTypes;

namespace GridGov.Infrastructure.Seeding;

/// <summary>How one kind of row is copied: the entity it maps to, its properties in column order, and how to write a row.</summary>
internal sealed record CopyTable<TRow>(Type Entity, string[] Properties, Func<NpgsqlBinaryImporter, TRow, CancellationToken, Task> WriteRow);

/// <summary>
/// Writes the demo ledgers, staff and accounts with binary COPY (NpgsqlBinaryImporter), which loads
/// millions of rows in minutes where row inserts would take hours. It runs on the seeding connection,
/// inside its transaction. Table and column names come from the EF model, so they follow the entity
/// configurations and the snake_case convention; geometry goes as NetTopologySuite geometries
/// (Npgsql's plugin on the seeding connection's data source).
/// </summary>
internal sealed class DemoStreetWriter(NpgsqlConnection connection, IModel model)
{
    private const int CommandTimeoutSeconds = 600;

    private const NpgsqlDbType Geometry = NpgsqlDbType.Geometry;

    public async Task WriteLedgersAsync(LedgerBatch batch, CancellationToken ct)
    {
        await CopyAsync(Compounds, batch.Compounds, ct);
        await CopyAsync(Buildings, batch.Buildings, ct);
        await CopyAsync(Households, batch.Households, ct);
        await CopyAsync(Residents, batch.Residents, ct);
        await SetHouseholdHeadsAsync(batch.HeadHouseholdIds, batch.HeadResidentIds, ct);
        await CopyAsync(Units, batch.Units, ct);
        await CopyAsync(Components, batch.Components, ct);
    }

    public async Task WriteStaffAsync(StaffPlan plan, CancellationToken ct)
    {
        await CopyAsync(StaffMembers, plan.Staff, ct);
        await CopyAsync(GridAssignments, plan.Assignments, ct);
        await CopyAsync(Users, plan.Users, ct);
        await CopyAsync(UserRoles, plan.UserRoles, ct);
    }

    /// <summary>Serialises seeders: a second one waits here, then finds the street the first one wrote.</summary>
    public Task LockStreetsAsync(CancellationToken ct) =>
        ExecuteAsync($"LOCK TABLE {Table<Street>()} IN SHARE ROW EXCLUSIVE MODE", ct);

    /// <summary>The largest id in the entity's table (0 when empty); copied rows continue from there.</summary>
    public async Task<int> LastIdAsync<TEntity>(CancellationToken ct)
    {
        await using var command = Command($"SELECT coalesce(max({Column<TEntity>("Id")}), 0) FROM {Table<TEntity>()}");
        return (int)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Moves the identity sequence past the copied ids, so later inserts by the app do not collide.</summary>
    public Task ResetIdentityAsync<TEntity>(CancellationToken ct)
    {
        var table = Table<TEntity>();
        var id = Column<TEntity>("Id");
        return ExecuteAsync($"SELECT setval(pg_get_serial_sequence('{table}', '{Unquote(id)}'), max({id})) FROM {table} HAVING count(*) > 0", ct);
    }

    /// <summary>Households and residents refer to each other, so heads are set once both are written.</summary>
    private async Task SetHouseholdHeadsAsync(List<int> householdIds, List<int> headResidentIds, CancellationToken ct)
    {
        var id = Column<Household>(nameof(Household.Id));
        await using var command = Command(
            $"UPDATE {Table<Household>()} AS h SET {Column<Household>(nameof(Household.HeadResidentId))} = v.head " +
            $"FROM unnest(@households, @heads) AS v(household, head) WHERE h.{id} = v.household");
        command.Parameters.Add(new NpgsqlParameter<int[]>("households", householdIds.ToArray()));
        command.Parameters.Add(new NpgsqlParameter<int[]>("heads", headResidentIds.ToArray()));
        await command.ExecuteNonQueryAsync(ct);
    }

    private async Task CopyAsync<TRow>(CopyTable<TRow> table, IReadOnlyCollection<TRow> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return;
        }
        await using var importer = await connection.BeginBinaryImportAsync(CopyCommand(table.Entity, table.Properties), ct);
        importer.Timeout = TimeSpan.FromSeconds(CommandTimeoutSeconds);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(ct);
            await table.WriteRow(importer, row, ct);
        }
        await importer.CompleteAsync(ct);
    }

    /// <summary>
    /// The COPY command for the given properties. Fails early, with the column's name, if the table has
    /// a required column the seeder does not write (the model changed and this writer was not updated).
    /// </summary>
    private string CopyCommand(Type entityType, string[] properties)
    {
        var entity = Entity(entityType);
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var columns = properties.Select(p => Quote((entity.FindProperty(p)
            ?? throw new InvalidOperationException($"{entityType.Name}.{p} is not mapped.")).GetColumnName(table)!));
        var unwritten = entity.GetFlattenedProperties()
            // A row version (PostgreSQL's system column xmin) is the database's to write, never ours.
            .Where(p => !p.IsColumnNullable(table) && p.GetDefaultValueSql() is null && p.GetComputedColumnSql() is null && !properties.Contains(p.Name)
                && !(p.IsConcurrencyToken && p.ValueGenerated == ValueGenerated.OnAddOrUpdate))
            .Select(p => p.GetColumnName(table))
            .ToList();
        if (unwritten.Count > 0)
        {
            throw new InvalidOperationException($"The demo street seeder does not write the required column(s) {string.Join(", ", unwritten)} of {table.Name}; update {nameof(DemoStreetWriter)}.");
        }
        return $"COPY {QualifiedName(entity)} ({string.Join(", ", columns)}) FROM STDIN (FORMAT BINARY)";
    }

    private async Task ExecuteAsync(string sql, CancellationToken ct)
    {
        await using var command = Command(sql);
        await command.ExecuteNonQueryAsync(ct);
    }

    private NpgsqlCommand Command(string sql) => new(sql, connection) { CommandTimeout = CommandTimeoutSeconds };

    private IEntityType Entity(Type type) =>
        model.FindEntityType(type) ?? throw new InvalidOperationException($"{type.Name} is not in the model.");

    private string Table<TEntity>() => QualifiedName(Entity(typeof(TEntity)));

    private string Column<TEntity>(string property)
    {
        var entity = Entity(typeof(TEntity));
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        return Quote(entity.FindProperty(property)!.GetColumnName(table)!);
    }

    private static string QualifiedName(IEntityType entity) =>
        entity.GetSchema() is { } schema ? $"{Quote(schema)}.{Quote(entity.GetTableName()!)}" : Quote(entity.GetTableName()!);

    private static string Quote(string identifier) => $"\"{identifier.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    private static string Unquote(string quoted) => quoted[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal);

    // Enums are stored as their names (GridGovDbContext.ConfigureConventions), group tags as text[] of names.
    private static readonly string[] GroupNames = Enum.GetNames<ResidentGroup>();

    private static readonly CopyTable<SeedRow<Compound>> Compounds = new(typeof(Compound),
        [nameof(Compound.Id), nameof(Compound.GridId), nameof(Compound.Name), nameof(Compound.Location)],
        static async (w, row, ct) =>
        {
            await w.WriteAsync(row.Id, NpgsqlDbType.Integer, ct);
            await w.WriteAsync(row.Entity.GridId, NpgsqlDbType.Integer, ct);
            await w.WriteAsync(row.Entity.Name, NpgsqlDbType.Text, ct);
            await w.WriteAsync(row.Entity.Location, Geometry, ct);
        });

    private static readonly CopyTable<SeedRow<Building>> Buildings = new(typeof(Building),
        [nameof(Building.Id), nameof(Building.GridId), nameof(Building.CompoundId), nameof(Building.Name), nameof(Building.Floors), nameof(Building.Location)],
        static async (w, row, ct) =>
        {
            await w.WriteAsync(row.Id, NpgsqlDbType.Integer, ct);
            await w.WriteAsync(row.Entity.GridId, NpgsqlDbType.Integer, ct);
            await w.WriteAsync(row.Entity.CompoundId, NpgsqlDbType.Integer, ct);
            await w.WriteAsync(row.Entity.Name, NpgsqlDbType.Text, ct);
            await w.WriteAsync(row.Entity.Floors, NpgsqlDbType.Integer, ct);
            await w.WriteAsync(row.Entity.Location, Geometry, ct);
        });

    // The head is set afterwards (SetHouseholdHeadsAsync).
    private static readonly CopyTable<SeedRow<Household>> Households = new(typeof(Household),
        [nameof(Household.Id), nameof(Household.GridId), nameof(Household.BuildingId), nameof(Household.Address), nameof(Household.Dwelling), nameof(Household.Kind)],
        static async (w, row, ct) =>
        {
            await w.WriteAsync(row.Id, NpgsqlDbType.Integer, ct);
            await w.WriteAsync(row.Entity.GridId, NpgsqlDbType.Integer, ct);
            await w.WriteAsync(row.Entity.BuildingId, NpgsqlDbType.Integer, ct);
            await w.WriteAsync(row.Entity.Address, NpgsqlDbType.Text, ct);
            await w.WriteAsync(row.Entity.Dwelling, NpgsqlDbType.Text, ct);
            await w.WriteAsync(row.Entity.Kind.ToString(), NpgsqlDbType.Text, ct);
        });

    private static readonly CopyTable<SeedRow<Resident>> Residents = new(typeof(Resident),
        [
            nameof(Resident.Id), nameof(Resident.GridId), nameof(Resident.HouseholdId), nameof(Resident.Name), nameof(Resident.IdNumber),
            nameof(Resident.Sex), nameof(Resident.BirthDate), nameof(Resident.Phone), nameof(Resident.PopulationKind), nameof(Resident.Groups),
        ],
        static async (w, row, ct) =>
        {
            var resident = row.Entity;
            await w.WriteAsync(row.Id, NpgsqlDbType.Integer, ct);
            await w.WriteAsync(resident.GridId, NpgsqlDbType.Integer, ct);
            await w.WriteAsync(resident.HouseholdId, NpgsqlDbType.Integer, ct);
            await w.WriteAsync(resident.Name, NpgsqlDbType.Text, ct);
            await w.WriteAsync(resident.IdNumber, NpgsqlDbType.Char, ct);
            await w.WriteAsync(resident.Sex.ToString(), NpgsqlDbType.Text, ct);
            await w.WriteAsync(resident.BirthDate, NpgsqlDbType.Date, ct);
            await w.WriteAsync(resident.Phone, NpgsqlDbType.Text, ct);
            await w.WriteAsync(resident.PopulationKind.ToString(), NpgsqlDbType.Text, ct);
            await w.WriteAsync(resident.Groups.ConvertAll(g => GroupNames[(int)g]), NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
        });

    private static readonly CopyTable<SeedRow<Unit>> Units = new(typeof(Unit),
        [
            nameof(Unit.Id), nameof(Unit.GridId), nameof(Unit.Name), nameof(Unit.Kind), nameof(Unit.Address), nameof(Unit.Location),
            nameof(Unit.EmployeeCount), nameof(Unit.ContactName), nameof(Unit.ContactPhone), nameof(Unit.HasPartyOrganisation), nameof(Unit.PartyMemberCount),
            nameof(Unit.IsSmallVenue),
        ],
        static async (w, row, ct) =>
        {
            var unit = row.Entity;
            await w.WriteAsync(row.Id, NpgsqlDbType.Integer, ct);
            await w.WriteAsync(unit.GridId, NpgsqlDbType.Integer, ct);
            await w.WriteAsync(unit.Name, NpgsqlDbType.Text, ct);
            await w.WriteAsync(unit.Kind.ToString(), NpgsqlDbType.Text, ct);
            await w.WriteAsync(unit.Address, NpgsqlDbType.Text, ct);
            await w.WriteAsync(unit.Location, Geometry, ct);
            await w.WriteAsync(unit.EmployeeCount, NpgsqlDbType.Integer, ct);
            await w.WriteAsync(unit.ContactName, NpgsqlDbType.Text, ct);
            await w.WriteAsync(unit.ContactPhone, NpgsqlDbType.Text, ct);
            await w.WriteAsync(unit.HasPartyOrganisation, NpgsqlDbType.Boolean, ct);
            await w.WriteAsync(unit.PartyMemberCount, NpgsqlDbType.Integer, ct);
            await w.WriteAsync(unit.IsSmallVenue, NpgsqlDbType.Boolean, ct);
        });

    private static readonly CopyTable<SeedRow<Component>> Components = new(typeof(Component),
        [
            nameof(Component.Id), nameof(Component.GridId), nameof(Component.Code), nameof(Component.MajorClass), nameof(Component.MinorClass),
            nameof(Component.Name), nameof(Component.State), nameof(Component.Location), nameof(Component.OwnerDepartmentId),
        ],
        static async (w, row, ct) =>
        {
            var component = row.Entity;
            await w.WriteAsync(row.Id, NpgsqlDbType.Integer, ct);
            await w.WriteAsync(component.GridId, NpgsqlDbType.Integer, ct);
            await w.WriteAsync(component.Code, NpgsqlDbType.Char, ct);
            await w.WriteAsync(component.MajorClass.ToString(), NpgsqlDbType.Text, ct);
            await w.WriteAsync(component.MinorClass, NpgsqlDbType.Integer, ct);
            await w.WriteAsync(component.Name, NpgsqlDbType.Text, ct);
            await w.WriteAsync(component.State.ToString(), NpgsqlDbType.Text, ct);
            await w.WriteAsync(component.Location, Geometry, ct);
            await w.WriteAsync(component.OwnerDepartmentId, NpgsqlDbType.Integer, ct);
        });

    private static readonly CopyTable<SeedRow<StaffMember>> StaffMembers = new(typeof(StaffMember),
        [
            nameof(StaffMember.Id), nameof(StaffMember.Name), nameof(StaffMember.Phone), nameof(StaffMember.Role),
            nameof(StaffMember.CommunityId), nameof(StaffMember.DepartmentId), nameof(StaffMember.IsActive),
        ],
        static async (w, row, ct) =>
        {
            var staff = row.Entity;
            await w.WriteAsync(row.Id, NpgsqlDbType.Integer, ct);
            await w.WriteAsync(staff.Name, NpgsqlDbType.Text, ct);
            await w.WriteAsync(staff.Phone, NpgsqlDbType.Text, ct);
            await w.WriteAsync(staff.Role.ToString(), NpgsqlDbType.Text, ct);
            await w.WriteAsync(staff.CommunityId, NpgsqlDbType.Integer, ct);
            await w.WriteAsync(staff.DepartmentId, NpgsqlDbType.Integer, ct);
            await w.WriteAsync(staff.IsActive, NpgsqlDbType.Boolean, ct);
        });

    private static readonly CopyTable<SeedRow<GridAssignment>> GridAssignments = new(typeof(GridAssignment),
        [nameof(GridAssignment.Id), nameof(GridAssignment.GridCode), nameof(GridAssignment.StaffMemberId), nameof(GridAssignment.Duty), nameof(GridAssignment.Since)],
        static async (w, row, ct) =>
        {
            var assignment = row.Entity;
            await w.WriteAsync(row.Id, NpgsqlDbType.Integer, ct);
            await w.WriteAsync(assignment.GridCode, NpgsqlDbType.Char, ct);
            await w.WriteAsync(assignment.StaffMemberId, NpgsqlDbType.Integer, ct);
            await w.WriteAsync(assignment.Duty.ToString(), NpgsqlDbType.Text, ct);
            await w.WriteAsync(assignment.Since, NpgsqlDbType.Date, ct);
        });

    private static readonly CopyTable<ApplicationUser> Users = new(typeof(ApplicationUser),
        [
            nameof(ApplicationUser.Id), nameof(ApplicationUser.UserName), nameof(ApplicationUser.NormalizedUserName),
            nameof(ApplicationUser.Email), nameof(ApplicationUser.NormalizedEmail), nameof(ApplicationUser.EmailConfirmed),
            nameof(ApplicationUser.PasswordHash), nameof(ApplicationUser.SecurityStamp), nameof(ApplicationUser.ConcurrencyStamp),
            nameof(ApplicationUser.PhoneNumber), nameof(ApplicationUser.PhoneNumberConfirmed), nameof(ApplicationUser.TwoFactorEnabled),
            nameof(ApplicationUser.LockoutEnd), nameof(ApplicationUser.LockoutEnabled), nameof(ApplicationUser.AccessFailedCount),
            nameof(ApplicationUser.DisplayName), nameof(ApplicationUser.StaffMemberId),
        ],
        static async (w, user, ct) =>
        {
            await w.WriteAsync(user.Id, NpgsqlDbType.Text, ct);
            await w.WriteAsync(user.UserName, NpgsqlDbType.Text, ct);
            await w.WriteAsync(user.NormalizedUserName, NpgsqlDbType.Text, ct);
            await w.WriteAsync(user.Email, NpgsqlDbType.Text, ct);
            await w.WriteAsync(user.NormalizedEmail, NpgsqlDbType.Text, ct);
            await w.WriteAsync(user.EmailConfirmed, NpgsqlDbType.Boolean, ct);
            await w.WriteAsync(user.PasswordHash, NpgsqlDbType.Text, ct);
            await w.WriteAsync(user.SecurityStamp, NpgsqlDbType.Text, ct);
            await w.WriteAsync(user.ConcurrencyStamp, NpgsqlDbType.Text, ct);
            await w.WriteAsync(user.PhoneNumber, NpgsqlDbType.Text, ct);
            await w.WriteAsync(user.PhoneNumberConfirmed, NpgsqlDbType.Boolean, ct);
            await w.WriteAsync(user.TwoFactorEnabled, NpgsqlDbType.Boolean, ct);
            await w.WriteAsync(user.LockoutEnd, NpgsqlDbType.TimestampTz, ct);
            await w.WriteAsync(user.LockoutEnabled, NpgsqlDbType.Boolean, ct);
            await w.WriteAsync(user.AccessFailedCount, NpgsqlDbType.Integer, ct);
            await w.WriteAsync(user.DisplayName, NpgsqlDbType.Text, ct);
            await w.WriteAsync(user.StaffMemberId, NpgsqlDbType.Integer, ct);
        });

    private static readonly CopyTable<IdentityUserRole<string>> UserRoles = new(typeof(IdentityUserRole<string>),
        [nameof(IdentityUserRole<string>.UserId), nameof(IdentityUserRole<string>.RoleId)],
        static async (w, userRole, ct) =>
        {
            await w.WriteAsync(userRole.UserId, NpgsqlDbType.Text, ct);
            await w.WriteAsync(userRole.RoleId, NpgsqlDbType.Text, ct);
        });
}
