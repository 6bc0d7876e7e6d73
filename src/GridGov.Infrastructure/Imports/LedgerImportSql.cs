using System.Globalization;
using GridGov.Application.Ledgers;
using GridGov.Application.Ledgers.Import;
using GridGov.Domain.Common;
using GridGov.Domain.Ledgers;
using GridGov.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace GridGov.Infrastructure.Imports;

/// <summary>
/// The import against PostgreSQL, set-based from start to end, in ONE transaction on one connection:
/// <list type="number">
/// <item>the rows stream from the spreadsheet into a temporary table by binary COPY;</item>
/// <item>a handful of UPDATE statements check them all at once: duplicates in the file, the rows already in the ledger
/// (a resident by ID number, a household by address), the household a resident belongs to, the grid of a household (its
/// grid code, or its coordinates resolved by PostGIS as <see cref="Application.Grids.ISpatialQueries.ResolveGridAsync"/>
/// does: the current grid whose boundary covers the point, the lower code on a shared edge), the person's scope; then
/// each good row is new, changed or unchanged;</item>
/// <item>an import (not a dry run) takes an advisory lock per community it touches, saves its record, and writes with
/// INSERT … SELECT and UPDATE … FROM, each statement also writing one ledger change per row it touched
/// (<c>WITH … RETURNING</c> into <c>ledger_changes</c>), with the same before/after snapshots the AuditInterceptor
/// writes for a form's save.</item>
/// </list>
/// A dry run rolls the transaction back; an import commits only at the end, so a cancellation or a failure anywhere
/// leaves no row of it behind (all-or-nothing, issue 14).
/// </summary>
internal sealed class LedgerImportSql(GridGovDbContext db, IAuditActor actor, TimeProvider clock) : ILedgerImportSql
{
    /// <summary>The statements of a large import may run for minutes on a big street, as the demo seeder's do.</summary>
    private const int CommandTimeoutSeconds = 600;

    /// <summary>The first key of the two-key advisory locks of imports ("LImp"); the second is the community's id.</summary>
    public const int LockSpace = 0x4C496D70;

    // ---------- residents ----------

    public Task<ImportOutcome> ResidentsAsync(IEnumerable<ResidentImportRow> rows, ImportRequest request, CancellationToken cancellationToken) =>
        RunAsync(request, cancellationToken, async connection =>
        {
            await ExecuteAsync(connection, """
                CREATE TEMP TABLE import_residents (
                    row_no integer PRIMARY KEY,
                    name text NOT NULL,
                    id_number character(18) NOT NULL,
                    sex text NOT NULL,
                    birth_date date NOT NULL,
                    phone text,
                    population_kind text,
                    household_address text,
                    groups text[],
                    resident_id integer,
                    resident_grid integer,
                    resident_removed boolean,
                    household_id integer,
                    grid_id integer,
                    action text,
                    problem text,
                    problem_arg text
                ) ON COMMIT DROP
                """, cancellationToken);
            await using (var importer = await connection.BeginBinaryImportAsync(
                "COPY import_residents (row_no, name, id_number, sex, birth_date, phone, population_kind, household_address, groups) FROM STDIN (FORMAT BINARY)",
                cancellationToken))
            {
                importer.Timeout = TimeSpan.FromSeconds(CommandTimeoutSeconds);
                foreach (var row in rows)
                {
                    await importer.StartRowAsync(cancellationToken);
                    await importer.WriteAsync(row.Row, NpgsqlDbType.Integer, cancellationToken);
                    await importer.WriteAsync(row.Name, NpgsqlDbType.Text, cancellationToken);
                    await importer.WriteAsync(row.IdNumber, NpgsqlDbType.Char, cancellationToken);
                    await importer.WriteAsync(row.Sex.ToString(), NpgsqlDbType.Text, cancellationToken);
                    await importer.WriteAsync(row.BirthDate, NpgsqlDbType.Date, cancellationToken);
                    await WriteNullableAsync(importer, row.Phone, cancellationToken);
                    await WriteNullableAsync(importer, row.PopulationKind?.ToString(), cancellationToken);
                    await WriteNullableAsync(importer, row.HouseholdAddress, cancellationToken);
                    if (row.Groups is { } groups)
                    {
                        await importer.WriteAsync(groups.Select(g => g.ToString()).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken);
                    }
                    else
                    {
                        await importer.WriteNullAsync(cancellationToken);
                    }
                }
                await importer.CompleteAsync(cancellationToken);
            }
            request.Phase(ImportPhase.Checking);
            await ExecuteAsync(connection, "ANALYZE import_residents", cancellationToken);
            await ExecuteAsync(connection, """
                UPDATE import_residents s SET problem = 'duplicate', problem_arg = d.rows
                FROM (SELECT id_number, string_agg(row_no::text, ',' ORDER BY row_no) AS rows
                      FROM import_residents GROUP BY id_number HAVING count(*) > 1) d
                WHERE s.id_number = d.id_number
                """, cancellationToken);
            await ExecuteAsync(connection, """
                UPDATE import_residents s SET resident_id = r.id, resident_grid = r.grid_id, resident_removed = r.removed_at IS NOT NULL
                FROM residents r WHERE r.id_number = s.id_number
                """, cancellationToken);
            await ExecuteAsync(connection, """
                UPDATE import_residents SET problem = 'removed' WHERE problem IS NULL AND resident_removed;
                UPDATE import_residents SET problem = 'taken-elsewhere'
                WHERE problem IS NULL AND resident_id IS NOT NULL AND NOT (@whole OR resident_grid = ANY(@grids));
                """, cancellationToken, Whole(request.Scope), Grids(request.Scope));
            await ExecuteAsync(connection, """
                UPDATE import_residents s
                SET household_id = CASE WHEN h.n = 1 THEN h.id END,
                    grid_id = CASE WHEN h.n = 1 THEN h.grid_id END,
                    problem = CASE WHEN h.n > 1 THEN 'household-ambiguous' END,
                    problem_arg = CASE WHEN h.n > 1 THEN h.n::text END
                FROM (SELECT address, min(id) AS id, min(grid_id) AS grid_id, count(*) AS n
                      FROM households
                      WHERE removed_at IS NULL AND address IN (SELECT household_address FROM import_residents)
                      GROUP BY address) h
                WHERE s.problem IS NULL AND s.household_address = h.address;
                UPDATE import_residents SET problem = 'household-not-found'
                WHERE problem IS NULL AND household_address IS NOT NULL AND household_id IS NULL;
                UPDATE import_residents SET problem = 'household-out-of-scope'
                WHERE problem IS NULL AND household_id IS NOT NULL AND NOT (@whole OR grid_id = ANY(@grids));
                UPDATE import_residents SET problem = 'required-household' WHERE problem IS NULL AND resident_id IS NULL AND household_id IS NULL;
                UPDATE import_residents SET problem = 'required-kind' WHERE problem IS NULL AND resident_id IS NULL AND population_kind IS NULL;
                """, cancellationToken, Whole(request.Scope), Grids(request.Scope));
            // Unchanged: every fact the file gives equals the ledger's (a column the file lacks, or an empty population
            // kind or address, leaves that fact as it is; an empty phone or tag cell under a present column means none).
            await ExecuteAsync(connection, """
                UPDATE import_residents SET action = 'new' WHERE problem IS NULL AND resident_id IS NULL;
                UPDATE import_residents s SET action = CASE
                    WHEN r.name = s.name
                     AND (NOT @has_phone OR r.phone IS NOT DISTINCT FROM s.phone)
                     AND (s.population_kind IS NULL OR r.population_kind = s.population_kind)
                     AND (s.household_id IS NULL OR r.household_id IS NOT DISTINCT FROM s.household_id)
                     AND (s.groups IS NULL OR (r.groups @> s.groups AND r.groups <@ s.groups))
                    THEN 'unchanged' ELSE 'changed' END
                FROM residents r
                WHERE s.problem IS NULL AND r.id = s.resident_id;
                """, cancellationToken, Parameter("has_phone", request.Columns.Contains("phone")));
            var refusals = await RefusalsAsync(connection, "import_residents", ResidentRefusal, cancellationToken);
            var tally = await TallyAsync(connection, "import_residents", refusals.Count, cancellationToken);
            if (!request.Apply || tally.Created + tally.Updated == 0)
            {
                return new ImportOutcome(tally, refusals, null);
            }

            await LockTouchedCommunitiesAsync(connection, request, """
                SELECT DISTINCT c.id, c.name
                FROM import_residents s
                JOIN grids g ON g.id IN (s.grid_id, s.resident_grid)
                JOIN communities c ON c.id = g.community_id
                WHERE s.problem IS NULL AND s.action IN ('new', 'changed')
                ORDER BY c.id
                """, cancellationToken);
            var importId = await SaveRecordAsync(request, tally, cancellationToken);
            request.Phase(ImportPhase.Writing);
            var change = ChangeParameters(importId);
            await ExecuteAsync(connection, $"""
                WITH created AS (
                    INSERT INTO residents (grid_id, household_id, name, id_number, sex, birth_date, phone, population_kind, groups)
                    SELECT grid_id, household_id, name, id_number, sex, birth_date, phone, population_kind, coalesce(groups, '{"{}"}')
                    FROM import_residents WHERE problem IS NULL AND action = 'new' ORDER BY row_no
                    RETURNING *)
                INSERT INTO ledger_changes (entity_type, entity_id, kind, at, actor_staff_id, actor_name, before, after, import_id)
                SELECT 'Resident', c.id, 'Created', @at, @staff, @actor_name, NULL, {ResidentSnapshot("c")}, @import_id
                FROM created c ORDER BY c.id
                """, cancellationToken, change);
            await ExecuteAsync(connection, $"""
                WITH changed AS (
                    UPDATE residents r SET
                        name = s.name,
                        phone = CASE WHEN @has_phone THEN s.phone ELSE r.phone END,
                        population_kind = coalesce(s.population_kind, r.population_kind),
                        household_id = coalesce(s.household_id, r.household_id),
                        grid_id = coalesce(s.grid_id, r.grid_id),
                        groups = coalesce(s.groups, r.groups)
                    FROM import_residents s, residents o
                    WHERE s.problem IS NULL AND s.action = 'changed' AND r.id = s.resident_id AND o.id = r.id
                    RETURNING r.id, {ResidentSnapshot("o")} AS before, {ResidentSnapshot("r")} AS after)
                INSERT INTO ledger_changes (entity_type, entity_id, kind, at, actor_staff_id, actor_name, before, after, import_id)
                SELECT 'Resident', id, 'Updated', @at, @staff, @actor_name, before, after, @import_id
                FROM changed ORDER BY id
                """, cancellationToken, [.. ChangeParameters(importId), Parameter("has_phone", request.Columns.Contains("phone"))]);
            // A head who moved to another household no longer heads the one left (as LedgerService.MoveResidentAsync does).
            await ExecuteAsync(connection, $"""
                WITH cleared AS (
                    UPDATE households h SET head_resident_id = NULL
                    FROM import_residents s, households o
                    WHERE s.problem IS NULL AND s.action = 'changed' AND s.household_id IS NOT NULL
                      AND h.head_resident_id = s.resident_id AND h.id <> s.household_id AND o.id = h.id
                    RETURNING h.id, {HouseholdSnapshot("o")} AS before, {HouseholdSnapshot("h")} AS after)
                INSERT INTO ledger_changes (entity_type, entity_id, kind, at, actor_staff_id, actor_name, before, after, import_id)
                SELECT 'Household', id, 'Updated', @at, @staff, @actor_name, before, after, @import_id
                FROM cleared ORDER BY id
                """, cancellationToken, ChangeParameters(importId));
            return new ImportOutcome(tally, refusals, importId);
        });

    private static ImportRefusal ResidentRefusal(int row, string problem, string? argument, string? _) => problem switch
    {
        "duplicate" => new(row, "idNumber", LedgerImportRefusals.DuplicateInFile(DomainFields.IdNumber, OtherRows(argument, row))),
        "removed" => new(row, "idNumber", LedgerImportRefusals.ResidentRemoved()),
        "taken-elsewhere" => new(row, "idNumber", LedgerImportRefusals.IdNumberTakenElsewhere()),
        "household-ambiguous" => new(row, "householdAddress", LedgerImportRefusals.HouseholdAmbiguous(int.Parse(argument!, CultureInfo.InvariantCulture))),
        "household-not-found" => new(row, "householdAddress", LedgerImportRefusals.HouseholdNotFound(argument ?? "")),
        "household-out-of-scope" => new(row, "householdAddress", LedgerImportRefusals.HouseholdOutOfScope()),
        "required-household" => new(row, "householdAddress", LedgerImportRefusals.RequiredForNew(DomainFields.HouseholdAddress)),
        "required-kind" => new(row, "populationKind", LedgerImportRefusals.RequiredForNew(DomainFields.PopulationKind)),
        _ => throw new InvalidOperationException($"Unknown import problem {problem}."),
    };

    // ---------- households ----------

    public Task<ImportOutcome> HouseholdsAsync(IEnumerable<HouseholdImportRow> rows, ImportRequest request, CancellationToken cancellationToken) =>
        RunAsync(request, cancellationToken, async connection =>
        {
            await ExecuteAsync(connection, """
                CREATE TEMP TABLE import_households (
                    row_no integer PRIMARY KEY,
                    address text NOT NULL,
                    dwelling text NOT NULL,
                    kind text NOT NULL,
                    grid_code text,
                    longitude double precision,
                    latitude double precision,
                    code_grid integer,
                    point_grid integer,
                    point_grid_code text,
                    address_grid integer,
                    address_building integer,
                    address_location geometry(Point, 4326),
                    grid_id integer,
                    household_id integer,
                    household_grid integer,
                    household_count integer,
                    action text,
                    problem text,
                    problem_arg text,
                    problem_arg2 text
                ) ON COMMIT DROP
                """, cancellationToken);
            await using (var importer = await connection.BeginBinaryImportAsync(
                "COPY import_households (row_no, address, dwelling, kind, grid_code, longitude, latitude) FROM STDIN (FORMAT BINARY)", cancellationToken))
            {
                importer.Timeout = TimeSpan.FromSeconds(CommandTimeoutSeconds);
                foreach (var row in rows)
                {
                    await importer.StartRowAsync(cancellationToken);
                    await importer.WriteAsync(row.Row, NpgsqlDbType.Integer, cancellationToken);
                    await importer.WriteAsync(row.Address, NpgsqlDbType.Text, cancellationToken);
                    await importer.WriteAsync(row.Dwelling, NpgsqlDbType.Text, cancellationToken);
                    await importer.WriteAsync(row.Kind.ToString(), NpgsqlDbType.Text, cancellationToken);
                    await WriteNullableAsync(importer, row.GridCode, cancellationToken);
                    await WriteNullableAsync(importer, row.Longitude, cancellationToken);
                    await WriteNullableAsync(importer, row.Latitude, cancellationToken);
                }
                await importer.CompleteAsync(cancellationToken);
            }
            request.Phase(ImportPhase.Checking);
            await ExecuteAsync(connection, "ANALYZE import_households", cancellationToken);
            await ExecuteAsync(connection, """
                UPDATE import_households s SET problem = 'duplicate', problem_arg = d.rows
                FROM (SELECT address, string_agg(row_no::text, ',' ORDER BY row_no) AS rows
                      FROM import_households GROUP BY address HAVING count(*) > 1) d
                WHERE s.address = d.address;
                UPDATE import_households s SET code_grid = g.id
                FROM grids g WHERE g.code = s.grid_code AND g.valid_to IS NULL;
                UPDATE import_households SET problem = 'grid-code-unknown', problem_arg = grid_code
                WHERE problem IS NULL AND grid_code IS NOT NULL AND code_grid IS NULL;
                """, cancellationToken);
            await ResolvePointsAsync(connection, "import_households", cancellationToken);
            await ResolveAddressesAsync(connection, "import_households", cancellationToken);
            await ExecuteAsync(connection, """
                UPDATE import_households SET problem = 'grid-mismatch', problem_arg = point_grid_code, problem_arg2 = grid_code
                WHERE problem IS NULL AND code_grid IS NOT NULL AND point_grid IS NOT NULL AND code_grid <> point_grid;
                UPDATE import_households SET grid_id = coalesce(code_grid, point_grid) WHERE problem IS NULL;
                """, cancellationToken);
            await ExecuteAsync(connection, """
                UPDATE import_households s
                SET household_count = h.n,
                    household_id = CASE WHEN h.n = 1 THEN h.id END,
                    household_grid = CASE WHEN h.n = 1 THEN h.grid_id END
                FROM (SELECT address, min(id) AS id, min(grid_id) AS grid_id, count(*) AS n
                      FROM households
                      WHERE removed_at IS NULL AND address IN (SELECT address FROM import_households)
                      GROUP BY address) h
                WHERE s.problem IS NULL AND s.address = h.address;
                UPDATE import_households SET problem = 'household-ambiguous', problem_arg = household_count::text
                WHERE problem IS NULL AND household_count > 1;
                UPDATE import_households s SET problem = 'grid-differs',
                    problem_arg = (SELECT code FROM grids WHERE id = s.household_grid),
                    problem_arg2 = (SELECT code FROM grids WHERE id = s.grid_id)
                WHERE problem IS NULL AND household_id IS NOT NULL AND grid_id IS NOT NULL AND grid_id <> household_grid;
                UPDATE import_households SET grid_id = household_grid WHERE problem IS NULL AND household_id IS NOT NULL AND grid_id IS NULL;
                UPDATE import_households SET grid_id = address_grid WHERE problem IS NULL AND household_id IS NULL AND grid_id IS NULL;
                UPDATE import_households SET problem = 'location-required' WHERE problem IS NULL AND grid_id IS NULL;
                UPDATE import_households SET problem = 'out-of-scope' WHERE problem IS NULL AND NOT (@whole OR grid_id = ANY(@grids));
                UPDATE import_households SET action = 'new' WHERE problem IS NULL AND household_id IS NULL;
                UPDATE import_households s SET action = CASE WHEN h.dwelling = s.dwelling AND h.kind = s.kind THEN 'unchanged' ELSE 'changed' END
                FROM households h WHERE s.problem IS NULL AND h.id = s.household_id;
                """, cancellationToken, Whole(request.Scope), Grids(request.Scope));
            var refusals = await RefusalsAsync(connection, "import_households", HouseholdRefusal(request.Columns), cancellationToken);
            var tally = await TallyAsync(connection, "import_households", refusals.Count, cancellationToken);
            if (!request.Apply || tally.Created + tally.Updated == 0)
            {
                return new ImportOutcome(tally, refusals, null);
            }

            await LockTouchedCommunitiesAsync(connection, request, """
                SELECT DISTINCT c.id, c.name
                FROM import_households s
                JOIN grids g ON g.id = s.grid_id
                JOIN communities c ON c.id = g.community_id
                WHERE s.problem IS NULL AND s.action IN ('new', 'changed')
                ORDER BY c.id
                """, cancellationToken);
            var importId = await SaveRecordAsync(request, tally, cancellationToken);
            request.Phase(ImportPhase.Writing);
            await ExecuteAsync(connection, $"""
                WITH created AS (
                    INSERT INTO households (grid_id, building_id, address, dwelling, kind)
                    SELECT grid_id, CASE WHEN address_grid = grid_id THEN address_building END, address, dwelling, kind
                    FROM import_households WHERE problem IS NULL AND action = 'new' ORDER BY row_no
                    RETURNING *)
                INSERT INTO ledger_changes (entity_type, entity_id, kind, at, actor_staff_id, actor_name, before, after, import_id)
                SELECT 'Household', c.id, 'Created', @at, @staff, @actor_name, NULL, {HouseholdSnapshot("c")}, @import_id
                FROM created c ORDER BY c.id
                """, cancellationToken, ChangeParameters(importId));
            await ExecuteAsync(connection, $"""
                WITH changed AS (
                    UPDATE households h SET dwelling = s.dwelling, kind = s.kind
                    FROM import_households s, households o
                    WHERE s.problem IS NULL AND s.action = 'changed' AND h.id = s.household_id AND o.id = h.id
                    RETURNING h.id, {HouseholdSnapshot("o")} AS before, {HouseholdSnapshot("h")} AS after)
                INSERT INTO ledger_changes (entity_type, entity_id, kind, at, actor_staff_id, actor_name, before, after, import_id)
                SELECT 'Household', id, 'Updated', @at, @staff, @actor_name, before, after, @import_id
                FROM changed ORDER BY id
                """, cancellationToken, ChangeParameters(importId));
            return new ImportOutcome(tally, refusals, importId);
        });

    private static Func<int, string, string?, string?, ImportRefusal> HouseholdRefusal(IReadOnlySet<string> columns)
    {
        // A grid reason goes under the grid code when the file has that column, else under the coordinates.
        var gridColumn = columns.Contains("gridCode") ? "gridCode" : "longitude";
        return (row, problem, argument, argument2) => problem switch
        {
            "duplicate" => new(row, "address", LedgerImportRefusals.DuplicateInFile(DomainFields.Address, OtherRows(argument, row))),
            "grid-code-unknown" => new(row, "gridCode", LedgerImportRefusals.GridCodeUnknown(argument ?? "")),
            "uncovered" => new(row, "longitude", LedgerImportRefusals.Uncovered()),
            "outside-street" => new(row, "longitude", LedgerImportRefusals.OutsideStreet()),
            "grid-mismatch" => new(row, "gridCode", LedgerImportRefusals.GridMismatch(argument ?? "", argument2 ?? "")),
            "household-ambiguous" => new(row, "address", LedgerImportRefusals.HouseholdAmbiguous(int.Parse(argument!, CultureInfo.InvariantCulture))),
            "grid-differs" => new(row, gridColumn, LedgerImportRefusals.GridDiffersFromLedger(argument ?? "", argument2 ?? "")),
            "location-required" => new(row, gridColumn, LedgerImportRefusals.LocationRequired()),
            "out-of-scope" => new(row, null, LedgerImportRefusals.HouseholdOutOfScope()),
            _ => throw new InvalidOperationException($"Unknown import problem {problem}."),
        };
    }

    // ---------- units ----------

    public Task<ImportOutcome> UnitsAsync(IEnumerable<UnitImportRow> rows, ImportRequest request, CancellationToken cancellationToken) =>
        RunAsync(request, cancellationToken, async connection =>
        {
            await ExecuteAsync(connection, """
                CREATE TEMP TABLE import_units (
                    row_no integer PRIMARY KEY,
                    credit_code character(18),
                    name text NOT NULL,
                    kind text NOT NULL,
                    address text NOT NULL,
                    contact_name text NOT NULL,
                    contact_phone text NOT NULL,
                    employee_count integer,
                    has_party boolean,
                    party_members integer,
                    small_venue boolean,
                    longitude double precision,
                    latitude double precision,
                    point_grid integer,
                    point_grid_code text,
                    address_grid integer,
                    address_building integer,
                    address_location geometry(Point, 4326),
                    unit_id integer,
                    unit_grid integer,
                    grid_id integer,
                    action text,
                    problem text,
                    problem_arg text,
                    problem_arg2 text
                ) ON COMMIT DROP
                """, cancellationToken);
            await using (var importer = await connection.BeginBinaryImportAsync("""
                COPY import_units (row_no, credit_code, name, kind, address, contact_name, contact_phone, employee_count, has_party, party_members,
                                   small_venue, longitude, latitude) FROM STDIN (FORMAT BINARY)
                """, cancellationToken))
            {
                importer.Timeout = TimeSpan.FromSeconds(CommandTimeoutSeconds);
                foreach (var row in rows)
                {
                    await importer.StartRowAsync(cancellationToken);
                    await importer.WriteAsync(row.Row, NpgsqlDbType.Integer, cancellationToken);
                    if (row.CreditCode is { } code)
                    {
                        await importer.WriteAsync(code, NpgsqlDbType.Char, cancellationToken);
                    }
                    else
                    {
                        await importer.WriteNullAsync(cancellationToken);
                    }
                    await importer.WriteAsync(row.Name, NpgsqlDbType.Text, cancellationToken);
                    await importer.WriteAsync(row.Kind.ToString(), NpgsqlDbType.Text, cancellationToken);
                    await importer.WriteAsync(row.Address, NpgsqlDbType.Text, cancellationToken);
                    await importer.WriteAsync(row.ContactName, NpgsqlDbType.Text, cancellationToken);
                    await importer.WriteAsync(row.ContactPhone, NpgsqlDbType.Text, cancellationToken);
                    await WriteNullableAsync(importer, row.EmployeeCount, cancellationToken);
                    await WriteNullableAsync(importer, row.HasPartyOrganisation, cancellationToken);
                    await WriteNullableAsync(importer, row.PartyMemberCount, cancellationToken);
                    await WriteNullableAsync(importer, row.IsSmallVenue, cancellationToken);
                    await WriteNullableAsync(importer, row.Longitude, cancellationToken);
                    await WriteNullableAsync(importer, row.Latitude, cancellationToken);
                }
                await importer.CompleteAsync(cancellationToken);
            }
            request.Phase(ImportPhase.Checking);
            await ExecuteAsync(connection, "ANALYZE import_units", cancellationToken);
            // Duplicates in the file: the same credit code, or the same name and address, on two rows.
            await ExecuteAsync(connection, """
                UPDATE import_units s SET problem = 'duplicate-code', problem_arg = d.rows
                FROM (SELECT credit_code, string_agg(row_no::text, ',' ORDER BY row_no) AS rows
                      FROM import_units WHERE credit_code IS NOT NULL GROUP BY credit_code HAVING count(*) > 1) d
                WHERE s.credit_code = d.credit_code;
                UPDATE import_units s SET problem = 'duplicate-unit', problem_arg = d.rows
                FROM (SELECT name, address, string_agg(row_no::text, ',' ORDER BY row_no) AS rows
                      FROM import_units GROUP BY name, address HAVING count(*) > 1) d
                WHERE s.problem IS NULL AND s.name = d.name AND s.address = d.address;
                """, cancellationToken);
            await ResolvePointsAsync(connection, "import_units", cancellationToken);
            // The unit on record: by its credit code, else by its name and address (one unit only, and none with another code).
            await ExecuteAsync(connection, """
                UPDATE import_units s SET unit_id = u.id, unit_grid = u.grid_id
                FROM units u
                WHERE s.problem IS NULL AND s.credit_code IS NOT NULL AND u.credit_code = s.credit_code AND u.removed_at IS NULL;
                UPDATE import_units s SET
                    problem = CASE WHEN m.n > 1 THEN 'unit-ambiguous'
                                   WHEN s.credit_code IS NOT NULL AND m.credit_code IS NOT NULL THEN 'credit-code-differs' END,
                    problem_arg = CASE WHEN m.n > 1 THEN m.n::text ELSE m.credit_code END,
                    unit_id = CASE WHEN m.n = 1 AND (s.credit_code IS NULL OR m.credit_code IS NULL) THEN m.id END,
                    unit_grid = CASE WHEN m.n = 1 AND (s.credit_code IS NULL OR m.credit_code IS NULL) THEN m.grid_id END
                FROM (SELECT name, address, min(id) AS id, min(grid_id) AS grid_id, min(credit_code) AS credit_code, count(*) AS n
                      FROM units
                      WHERE removed_at IS NULL AND (name, address) IN (SELECT name, address FROM import_units)
                      GROUP BY name, address) m
                WHERE s.problem IS NULL AND s.unit_id IS NULL AND s.name = m.name AND s.address = m.address;
                UPDATE import_units s SET problem = 'same-record', problem_arg = d.rows
                FROM (SELECT unit_id, string_agg(row_no::text, ',' ORDER BY row_no) AS rows
                      FROM import_units WHERE problem IS NULL AND unit_id IS NOT NULL GROUP BY unit_id HAVING count(*) > 1) d
                WHERE s.problem IS NULL AND s.unit_id = d.unit_id;
                """, cancellationToken);
            // A new unit without coordinates stands where its address says: at the registered building it names.
            await ResolveAddressesAsync(connection, "import_units", cancellationToken);
            await ExecuteAsync(connection, """
                UPDATE import_units SET point_grid = address_grid, longitude = ST_X(address_location), latitude = ST_Y(address_location)
                WHERE problem IS NULL AND unit_id IS NULL AND longitude IS NULL AND address_grid IS NOT NULL;
                """, cancellationToken);
            await ExecuteAsync(connection, """
                UPDATE import_units SET problem = 'unit-out-of-scope' WHERE problem IS NULL AND unit_id IS NOT NULL AND NOT (@whole OR unit_grid = ANY(@grids));
                UPDATE import_units SET problem = 'point-required' WHERE problem IS NULL AND unit_id IS NULL AND point_grid IS NULL;
                UPDATE import_units SET problem = 'point-out-of-scope' WHERE problem IS NULL AND point_grid IS NOT NULL AND NOT (@whole OR point_grid = ANY(@grids));
                UPDATE import_units SET problem = 'required-employees' WHERE problem IS NULL AND unit_id IS NULL AND employee_count IS NULL;
                UPDATE import_units SET problem = 'party-members' WHERE problem IS NULL AND unit_id IS NULL AND coalesce(party_members, 0) > employee_count;
                UPDATE import_units s SET problem = 'party-members'
                FROM units u
                WHERE s.problem IS NULL AND u.id = s.unit_id AND coalesce(s.party_members, u.party_member_count) > coalesce(s.employee_count, u.employee_count);
                UPDATE import_units SET grid_id = coalesce(point_grid, unit_grid) WHERE problem IS NULL;
                UPDATE import_units SET action = 'new' WHERE problem IS NULL AND unit_id IS NULL;
                """, cancellationToken, Whole(request.Scope), Grids(request.Scope));
            // Unchanged: every fact the row gives equals the ledger's (an empty cell or a missing column leaves a fact as it is;
            // a unit that is no longer a shop is no longer a 五小 shop, as Unit.Update has it).
            await ExecuteAsync(connection, $"""
                UPDATE import_units s SET action = CASE
                    WHEN u.name = s.name AND u.kind = s.kind AND u.address = s.address
                     AND u.contact_name = s.contact_name AND u.contact_phone = s.contact_phone
                     AND (s.credit_code IS NULL OR u.credit_code = s.credit_code)
                     AND (s.employee_count IS NULL OR u.employee_count = s.employee_count)
                     AND (s.has_party IS NULL OR u.has_party_organisation = s.has_party)
                     AND (s.party_members IS NULL OR u.party_member_count = s.party_members)
                     AND u.is_small_venue = {UnitSmallVenue("s", "u")}
                     AND (s.longitude IS NULL OR (ST_X(u.location) = s.longitude AND ST_Y(u.location) = s.latitude))
                    THEN 'unchanged' ELSE 'changed' END
                FROM units u
                WHERE s.problem IS NULL AND u.id = s.unit_id;
                """, cancellationToken);
            var refusals = await RefusalsAsync(connection, "import_units", UnitRefusal, cancellationToken);
            var tally = await TallyAsync(connection, "import_units", refusals.Count, cancellationToken);
            if (!request.Apply || tally.Created + tally.Updated == 0)
            {
                return new ImportOutcome(tally, refusals, null);
            }

            await LockTouchedCommunitiesAsync(connection, request, """
                SELECT DISTINCT c.id, c.name
                FROM import_units s
                JOIN grids g ON g.id IN (s.grid_id, s.unit_grid)
                JOIN communities c ON c.id = g.community_id
                WHERE s.problem IS NULL AND s.action IN ('new', 'changed')
                ORDER BY c.id
                """, cancellationToken);
            var importId = await SaveRecordAsync(request, tally, cancellationToken);
            request.Phase(ImportPhase.Writing);
            await ExecuteAsync(connection, $"""
                WITH created AS (
                    INSERT INTO units (grid_id, name, kind, address, location, employee_count, contact_name, contact_phone,
                                       has_party_organisation, party_member_count, is_small_venue, credit_code)
                    SELECT grid_id, name, kind, address, ST_SetSRID(ST_MakePoint(longitude, latitude), 4326), employee_count, contact_name, contact_phone,
                           coalesce(has_party, false), coalesce(party_members, 0), coalesce(small_venue, false), credit_code
                    FROM import_units WHERE problem IS NULL AND action = 'new' ORDER BY row_no
                    RETURNING *)
                INSERT INTO ledger_changes (entity_type, entity_id, kind, at, actor_staff_id, actor_name, before, after, import_id)
                SELECT 'Unit', c.id, 'Created', @at, @staff, @actor_name, NULL, {UnitSnapshot("c")}, @import_id
                FROM created c ORDER BY c.id
                """, cancellationToken, ChangeParameters(importId));
            await ExecuteAsync(connection, $"""
                WITH changed AS (
                    UPDATE units u SET
                        name = s.name,
                        kind = s.kind,
                        address = s.address,
                        contact_name = s.contact_name,
                        contact_phone = s.contact_phone,
                        credit_code = coalesce(s.credit_code, u.credit_code),
                        employee_count = coalesce(s.employee_count, u.employee_count),
                        has_party_organisation = coalesce(s.has_party, u.has_party_organisation),
                        party_member_count = coalesce(s.party_members, u.party_member_count),
                        is_small_venue = {UnitSmallVenue("s", "u")},
                        location = CASE WHEN s.longitude IS NULL THEN u.location ELSE ST_SetSRID(ST_MakePoint(s.longitude, s.latitude), 4326) END,
                        grid_id = s.grid_id
                    FROM import_units s, units o
                    WHERE s.problem IS NULL AND s.action = 'changed' AND u.id = s.unit_id AND o.id = u.id
                    RETURNING u.id, {UnitSnapshot("o")} AS before, {UnitSnapshot("u")} AS after)
                INSERT INTO ledger_changes (entity_type, entity_id, kind, at, actor_staff_id, actor_name, before, after, import_id)
                SELECT 'Unit', id, 'Updated', @at, @staff, @actor_name, before, after, @import_id
                FROM changed ORDER BY id
                """, cancellationToken, ChangeParameters(importId));
            return new ImportOutcome(tally, refusals, importId);
        });

    /// <summary>Whether the unit is a 五小 shop after the row: the row's answer (or the ledger's) for a shop, never for another kind.</summary>
    private static string UnitSmallVenue(string row, string unit) =>
        $"({row}.kind = '{nameof(UnitKind.Shop)}' AND coalesce({row}.small_venue, {unit}.is_small_venue))";

    private static ImportRefusal UnitRefusal(int row, string problem, string? argument, string? _) => problem switch
    {
        "duplicate-code" => new(row, "creditCode", LedgerImportRefusals.DuplicateInFile(DomainFields.CreditCode, OtherRows(argument, row))),
        "duplicate-unit" => new(row, "name", LedgerImportRefusals.DuplicateUnitInFile(OtherRows(argument, row))),
        "same-record" => new(row, null, LedgerImportRefusals.SameRecordInFile(OtherRows(argument, row))),
        "uncovered" => new(row, "longitude", LedgerImportRefusals.Uncovered()),
        "outside-street" => new(row, "longitude", LedgerImportRefusals.OutsideStreet()),
        "unit-ambiguous" => new(row, "name", LedgerImportRefusals.UnitAmbiguous(int.Parse(argument!, CultureInfo.InvariantCulture))),
        "credit-code-differs" => new(row, "creditCode", LedgerImportRefusals.CreditCodeDiffers(argument ?? "")),
        "unit-out-of-scope" => new(row, null, LedgerImportRefusals.UnitOutOfScope()),
        "point-required" => new(row, "longitude", LedgerImportRefusals.UnitPlaceRequired()),
        "point-out-of-scope" => new(row, "longitude", LedgerImportRefusals.PointOutOfScope()),
        "required-employees" => new(row, "employeeCount", LedgerImportRefusals.RequiredForNew(DomainFields.EmployeeCount)),
        "party-members" => new(row, "partyMembers", Unit.PartyMembersOutOfRange()),
        _ => throw new InvalidOperationException($"Unknown import problem {problem}."),
    };

    // ---------- components ----------

    public Task<ImportOutcome> ComponentsAsync(IEnumerable<ComponentImportRow> rows, ImportRequest request, CancellationToken cancellationToken) =>
        RunAsync(request, cancellationToken, async connection =>
        {
            await ExecuteAsync(connection, """
                CREATE TEMP TABLE import_components (
                    row_no integer PRIMARY KEY,
                    code character(16) NOT NULL,
                    major_class text NOT NULL,
                    minor_class integer NOT NULL,
                    name text NOT NULL,
                    state text,
                    owner_id integer,
                    longitude double precision,
                    latitude double precision,
                    point_grid integer,
                    point_grid_code text,
                    component_id integer,
                    component_grid integer,
                    component_removed boolean,
                    grid_id integer,
                    action text,
                    problem text,
                    problem_arg text,
                    problem_arg2 text
                ) ON COMMIT DROP
                """, cancellationToken);
            await using (var importer = await connection.BeginBinaryImportAsync(
                "COPY import_components (row_no, code, major_class, minor_class, name, state, owner_id, longitude, latitude) FROM STDIN (FORMAT BINARY)",
                cancellationToken))
            {
                importer.Timeout = TimeSpan.FromSeconds(CommandTimeoutSeconds);
                foreach (var row in rows)
                {
                    await importer.StartRowAsync(cancellationToken);
                    await importer.WriteAsync(row.Row, NpgsqlDbType.Integer, cancellationToken);
                    await importer.WriteAsync(row.Code, NpgsqlDbType.Char, cancellationToken);
                    await importer.WriteAsync(row.MajorClass.ToString(), NpgsqlDbType.Text, cancellationToken);
                    await importer.WriteAsync(row.MinorClass, NpgsqlDbType.Integer, cancellationToken);
                    await importer.WriteAsync(row.Name, NpgsqlDbType.Text, cancellationToken);
                    await WriteNullableAsync(importer, row.State?.ToString(), cancellationToken);
                    await WriteNullableAsync(importer, row.OwnerDepartmentId, cancellationToken);
                    await WriteNullableAsync(importer, row.Longitude, cancellationToken);
                    await WriteNullableAsync(importer, row.Latitude, cancellationToken);
                }
                await importer.CompleteAsync(cancellationToken);
            }
            request.Phase(ImportPhase.Checking);
            await ExecuteAsync(connection, "ANALYZE import_components", cancellationToken);
            await ExecuteAsync(connection, """
                UPDATE import_components s SET problem = 'duplicate', problem_arg = d.rows
                FROM (SELECT code, string_agg(row_no::text, ',' ORDER BY row_no) AS rows
                      FROM import_components GROUP BY code HAVING count(*) > 1) d
                WHERE s.code = d.code;
                """, cancellationToken);
            await ResolvePointsAsync(connection, "import_components", cancellationToken);
            // The component on record by its code (unique among all components, removed ones included).
            await ExecuteAsync(connection, """
                UPDATE import_components s SET component_id = c.id, component_grid = c.grid_id, component_removed = c.removed_at IS NOT NULL
                FROM components c WHERE s.problem IS NULL AND c.code = s.code;
                UPDATE import_components SET problem = 'removed' WHERE problem IS NULL AND component_removed;
                UPDATE import_components SET problem = 'component-out-of-scope'
                WHERE problem IS NULL AND component_id IS NOT NULL AND NOT (@whole OR component_grid = ANY(@grids));
                UPDATE import_components SET problem = 'point-required' WHERE problem IS NULL AND component_id IS NULL AND point_grid IS NULL;
                UPDATE import_components SET problem = 'point-out-of-scope' WHERE problem IS NULL AND point_grid IS NOT NULL AND NOT (@whole OR point_grid = ANY(@grids));
                UPDATE import_components SET problem = 'required-owner' WHERE problem IS NULL AND component_id IS NULL AND owner_id IS NULL;
                UPDATE import_components SET grid_id = coalesce(point_grid, component_grid) WHERE problem IS NULL;
                UPDATE import_components SET action = 'new' WHERE problem IS NULL AND component_id IS NULL;
                UPDATE import_components s SET action = CASE
                    WHEN c.name = s.name
                     AND (s.state IS NULL OR c.state = s.state)
                     AND (s.owner_id IS NULL OR c.owner_department_id = s.owner_id)
                     AND (s.longitude IS NULL OR (ST_X(c.location) = s.longitude AND ST_Y(c.location) = s.latitude))
                    THEN 'unchanged' ELSE 'changed' END
                FROM components c
                WHERE s.problem IS NULL AND c.id = s.component_id;
                """, cancellationToken, Whole(request.Scope), Grids(request.Scope));
            var refusals = await RefusalsAsync(connection, "import_components", ComponentRefusal, cancellationToken);
            var tally = await TallyAsync(connection, "import_components", refusals.Count, cancellationToken);
            if (!request.Apply || tally.Created + tally.Updated == 0)
            {
                return new ImportOutcome(tally, refusals, null);
            }

            await LockTouchedCommunitiesAsync(connection, request, """
                SELECT DISTINCT c.id, c.name
                FROM import_components s
                JOIN grids g ON g.id IN (s.grid_id, s.component_grid)
                JOIN communities c ON c.id = g.community_id
                WHERE s.problem IS NULL AND s.action IN ('new', 'changed')
                ORDER BY c.id
                """, cancellationToken);
            var importId = await SaveRecordAsync(request, tally, cancellationToken);
            request.Phase(ImportPhase.Writing);
            await ExecuteAsync(connection, $"""
                WITH created AS (
                    INSERT INTO components (grid_id, code, major_class, minor_class, name, state, location, owner_department_id)
                    SELECT grid_id, code, major_class, minor_class, name, coalesce(state, '{nameof(ComponentState.Intact)}'),
                           ST_SetSRID(ST_MakePoint(longitude, latitude), 4326), owner_id
                    FROM import_components WHERE problem IS NULL AND action = 'new' ORDER BY row_no
                    RETURNING *)
                INSERT INTO ledger_changes (entity_type, entity_id, kind, at, actor_staff_id, actor_name, before, after, import_id)
                SELECT 'Component', c.id, 'Created', @at, @staff, @actor_name, NULL, {ComponentSnapshot("c")}, @import_id
                FROM created c ORDER BY c.id
                """, cancellationToken, ChangeParameters(importId));
            await ExecuteAsync(connection, $"""
                WITH changed AS (
                    UPDATE components c SET
                        name = s.name,
                        state = coalesce(s.state, c.state),
                        owner_department_id = coalesce(s.owner_id, c.owner_department_id),
                        location = CASE WHEN s.longitude IS NULL THEN c.location ELSE ST_SetSRID(ST_MakePoint(s.longitude, s.latitude), 4326) END,
                        grid_id = s.grid_id
                    FROM import_components s, components o
                    WHERE s.problem IS NULL AND s.action = 'changed' AND c.id = s.component_id AND o.id = c.id
                    RETURNING c.id, {ComponentSnapshot("o")} AS before, {ComponentSnapshot("c")} AS after)
                INSERT INTO ledger_changes (entity_type, entity_id, kind, at, actor_staff_id, actor_name, before, after, import_id)
                SELECT 'Component', id, 'Updated', @at, @staff, @actor_name, before, after, @import_id
                FROM changed ORDER BY id
                """, cancellationToken, ChangeParameters(importId));
            return new ImportOutcome(tally, refusals, importId);
        });

    private static ImportRefusal ComponentRefusal(int row, string problem, string? argument, string? _) => problem switch
    {
        "duplicate" => new(row, "code", LedgerImportRefusals.DuplicateInFile(DomainFields.ComponentCode, OtherRows(argument, row))),
        "uncovered" => new(row, "longitude", LedgerImportRefusals.Uncovered()),
        "outside-street" => new(row, "longitude", LedgerImportRefusals.OutsideStreet()),
        "removed" => new(row, "code", LedgerImportRefusals.ComponentRemoved()),
        "component-out-of-scope" => new(row, null, LedgerImportRefusals.ComponentOutOfScope()),
        "point-required" => new(row, "longitude", LedgerImportRefusals.PointRequired()),
        "point-out-of-scope" => new(row, "longitude", LedgerImportRefusals.PointOutOfScope()),
        "required-owner" => new(row, "owner", LedgerImportRefusals.RequiredForNew(DomainFields.ComponentOwner)),
        _ => throw new InvalidOperationException($"Unknown import problem {problem}."),
    };

    // ---------- shared ----------

    /// <summary>
    /// Point → grid in bulk, by the rule of ISpatialQueries.ResolveGridAsync: the current grid whose boundary covers the
    /// point (ST_Covers on the GiST index), the lower code where two share an edge; else inside the street but in no
    /// grid (<c>uncovered</c>), or outside the street. The table has longitude, latitude, point_grid, point_grid_code.
    /// </summary>
    private static Task ResolvePointsAsync(NpgsqlConnection connection, string table, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, $"""
            UPDATE {table} s SET point_grid = p.id, point_grid_code = p.code
            FROM (SELECT s2.row_no, hit.id, hit.code
                  FROM {table} s2
                  CROSS JOIN LATERAL (
                      SELECT g.id, g.code FROM grids g
                      WHERE g.valid_to IS NULL AND ST_Covers(g.boundary, ST_SetSRID(ST_MakePoint(s2.longitude, s2.latitude), 4326))
                      ORDER BY g.code LIMIT 1) hit
                  WHERE s2.problem IS NULL AND s2.longitude IS NOT NULL) p
            WHERE s.row_no = p.row_no;
            UPDATE {table} s SET problem = CASE
                WHEN EXISTS (SELECT 1 FROM streets st WHERE ST_Covers(st.boundary, ST_SetSRID(ST_MakePoint(s.longitude, s.latitude), 4326)))
                THEN 'uncovered' ELSE 'outside-street' END
            WHERE problem IS NULL AND longitude IS NOT NULL AND point_grid IS NULL;
            """, cancellationToken);

    /// <summary>
    /// The place a row's address names (地址定位), for a record that has no coordinates: the registered compound (小区)
    /// named right after the street's name (or at the start of the address), and in it the building (楼栋) named next —
    /// 云帆街道枫桥花园3幢1单元101 lies in 枫桥花园's 3幢. The longest compound name wins (枫桥花园二期 before 枫桥花园); a
    /// compound name two compounds share names neither; a compound without a named building of it is no place (幸福路18号
    /// must not land in a compound called 幸福). Fills address_building and its grid and point. Set-based: one hash join per
    /// length of compound name, whatever the number of rows.
    /// </summary>
    private static Task ResolveAddressesAsync(NpgsqlConnection connection, string table, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, $"""
            WITH rest AS (
                SELECT s.row_no,
                       CASE WHEN st.name IS NULL THEN s.address ELSE substr(s.address, strpos(s.address, st.name) + length(st.name)) END AS rest
                FROM {table} s
                LEFT JOIN LATERAL (SELECT name FROM streets WHERE strpos(s.address, name) > 0 ORDER BY length(name) DESC LIMIT 1) st ON true
                WHERE s.problem IS NULL),
            names AS (SELECT name, min(id) AS id, count(*) AS n FROM compounds GROUP BY name),
            compound AS (
                SELECT DISTINCT ON (r.row_no) r.row_no, substr(r.rest, l.len + 1) AS tail, nm.id, nm.n
                FROM rest r
                CROSS JOIN (SELECT DISTINCT length(name) AS len FROM compounds) l
                JOIN names nm ON nm.name = left(r.rest, l.len)
                ORDER BY r.row_no, l.len DESC),
            building AS (
                SELECT DISTINCT ON (c.row_no) c.row_no, b.id, b.grid_id, b.location
                FROM compound c JOIN buildings b ON b.compound_id = c.id
                WHERE c.n = 1 AND starts_with(c.tail, b.name)
                ORDER BY c.row_no, length(b.name) DESC)
            UPDATE {table} s SET address_building = b.id, address_grid = b.grid_id, address_location = b.location
            FROM building b
            WHERE s.row_no = b.row_no;
            """, cancellationToken);

    /// <summary>The run's one transaction on one connection: committed only by an import that got to its end.</summary>
    private async Task<ImportOutcome> RunAsync(ImportRequest request, CancellationToken cancellationToken, Func<NpgsqlConnection, Task<ImportOutcome>> work)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            if (request.Apply && request.CommunityId is { } communityId)
            {
                // A secretary's import locks the community before the first row is read, so a second one stops at once.
                await LockAsync(connection, communityId, cancellationToken);
            }
            ImportOutcome outcome;
            try
            {
                outcome = await work(connection);
            }
            catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                // Someone registered one of the file's residents (or the like) after the checks: the transaction rolls back whole.
                throw LedgerImportRefusals.Conflict();
            }
            if (request.Apply)
            {
                await transaction.CommitAsync(cancellationToken);
            }
            // A dry run's transaction is rolled back as it is disposed: its temporary table and anything else go with it.
            return outcome;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>A street-wide import locks each community its rows touch (in id order; try-locks never wait, so never deadlock).</summary>
    private static async Task LockTouchedCommunitiesAsync(NpgsqlConnection connection, ImportRequest request, string sql, CancellationToken cancellationToken)
    {
        if (request.CommunityId is not null)
        {
            return; // locked at the start
        }
        var communities = new List<(int Id, string Name)>();
        await using (var command = Command(connection, sql))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                communities.Add((reader.GetInt32(0), reader.GetString(1)));
            }
        }
        foreach (var (id, name) in communities)
        {
            await LockAsync(connection, id, cancellationToken, name);
        }
    }

    private static async Task LockAsync(NpgsqlConnection connection, int communityId, CancellationToken cancellationToken, string? communityName = null)
    {
        await using var command = Command(connection, "SELECT pg_try_advisory_xact_lock(@space, @community)",
            Parameter("space", LockSpace), Parameter("community", communityId));
        if (await command.ExecuteScalarAsync(cancellationToken) is true)
        {
            return;
        }
        if (communityName is null)
        {
            await using var name = Command(connection, "SELECT name FROM communities WHERE id = @community", Parameter("community", communityId));
            communityName = await name.ExecuteScalarAsync(cancellationToken) as string ?? "本社区";
        }
        throw LedgerImportRefusals.Busy(communityName);
    }

    /// <summary>The import's record, saved through EF in the same transaction (the AuditInterceptor logs it as a creation by the person).</summary>
    private async Task<long> SaveRecordAsync(ImportRequest request, ImportTally tally, CancellationToken cancellationToken)
    {
        var record = request.Record(tally);
        db.LedgerImports.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        return record.Id;
    }

    private static async Task<List<ImportRefusal>> RefusalsAsync(NpgsqlConnection connection, string table,
        Func<int, string, string?, string?, ImportRefusal> refusal, CancellationToken cancellationToken)
    {
        var refusals = new List<ImportRefusal>();
        var extra = table == "import_residents" ? "NULL::text" : "problem_arg2";
        var address = table == "import_residents" ? "coalesce(problem_arg, household_address)" : "problem_arg";
        await using var command = Command(connection,
            $"SELECT row_no, problem, {address}, {extra} FROM {table} WHERE problem IS NOT NULL ORDER BY row_no");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            refusals.Add(refusal(reader.GetInt32(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        }
        return refusals;
    }

    private static async Task<ImportTally> TallyAsync(NpgsqlConnection connection, string table, int refused, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, $"""
            SELECT count(*) FILTER (WHERE action = 'new')::int, count(*) FILTER (WHERE action = 'changed')::int, count(*) FILTER (WHERE action = 'unchanged')::int
            FROM {table} WHERE problem IS NULL
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new ImportTally(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), refused);
    }

    /// <summary>The rows a duplicate shares its key with, the row itself left out.</summary>
    private static List<int> OtherRows(string? rows, int row) =>
        (rows ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(r => int.Parse(r, CultureInfo.InvariantCulture)).Where(r => r != row).ToList();

    /// <summary>
    /// A resident's row as the AuditInterceptor snapshots it (scalar properties by name, enums by name, dates as
    /// yyyy-MM-dd), so the ledger pages' timeline reads an import's changes as it reads a form's.
    /// </summary>
    private static string ResidentSnapshot(string row) => $"""
        jsonb_build_object('GridId', {row}.grid_id, 'HouseholdId', {row}.household_id, 'Name', {row}.name, 'IdNumber', {row}.id_number,
            'Sex', {row}.sex, 'BirthDate', to_char({row}.birth_date, 'YYYY-MM-DD'), 'Phone', {row}.phone, 'PopulationKind', {row}.population_kind,
            'Groups', to_jsonb({row}.groups), 'RemovedAt', {row}.removed_at, 'RemovalReason', {row}.removal_reason)
        """;

    /// <summary>A unit's row as the AuditInterceptor snapshots it (the location as NetTopologySuite writes its WKT).</summary>
    private static string UnitSnapshot(string row) => $"""
        jsonb_build_object('GridId', {row}.grid_id, 'Name', {row}.name, 'Kind', {row}.kind, 'Address', {row}.address,
            'Location', replace(ST_AsText({row}.location), 'POINT(', 'POINT ('), 'EmployeeCount', {row}.employee_count,
            'ContactName', {row}.contact_name, 'ContactPhone', {row}.contact_phone, 'CreditCode', {row}.credit_code,
            'HasPartyOrganisation', {row}.has_party_organisation, 'PartyMemberCount', {row}.party_member_count, 'IsSmallVenue', {row}.is_small_venue,
            'RemovedAt', {row}.removed_at, 'RemovalReason', {row}.removal_reason)
        """;

    /// <summary>A component's row as the AuditInterceptor snapshots it.</summary>
    private static string ComponentSnapshot(string row) => $"""
        jsonb_build_object('GridId', {row}.grid_id, 'Code', {row}.code, 'MajorClass', {row}.major_class, 'MinorClass', {row}.minor_class,
            'Name', {row}.name, 'State', {row}.state, 'Location', replace(ST_AsText({row}.location), 'POINT(', 'POINT ('),
            'OwnerDepartmentId', {row}.owner_department_id, 'RemovedAt', {row}.removed_at, 'RemovalReason', {row}.removal_reason)
        """;

    private static string HouseholdSnapshot(string row) => $"""
        jsonb_build_object('GridId', {row}.grid_id, 'BuildingId', {row}.building_id, 'Address', {row}.address, 'Dwelling', {row}.dwelling,
            'Kind', {row}.kind, 'HeadResidentId', {row}.head_resident_id, 'RemovedAt', {row}.removed_at, 'RemovalReason', {row}.removal_reason)
        """;

    /// <summary>Who and when, for the ledger changes: the person running the import, as the interceptor records a form's save.</summary>
    private NpgsqlParameter[] ChangeParameters(long importId)
    {
        var name = actor.Name.Length > LedgerChange.ActorNameMaxLength ? actor.Name[..LedgerChange.ActorNameMaxLength] : actor.Name;
        return
        [
            Parameter("at", clock.GetUtcNow()),
            new NpgsqlParameter<int?>("staff", NpgsqlDbType.Integer) { TypedValue = actor.StaffMemberId },
            Parameter("actor_name", name),
            Parameter("import_id", importId),
        ];
    }

    private static NpgsqlParameter Whole(LedgerScope scope) => Parameter("whole", scope.WholeStreet);

    private static NpgsqlParameter Grids(LedgerScope scope) => new NpgsqlParameter<int[]>("grids", [.. scope.GridIds]);

    private static NpgsqlParameter<T> Parameter<T>(string name, T value) => new(name, value);

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection) { CommandTimeout = CommandTimeoutSeconds };
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static Task WriteNullableAsync(NpgsqlBinaryImporter importer, string? value, CancellationToken cancellationToken) =>
        value is null ? importer.WriteNullAsync(cancellationToken) : importer.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);

    private static Task WriteNullableAsync(NpgsqlBinaryImporter importer, int? value, CancellationToken cancellationToken) =>
        value is { } number ? importer.WriteAsync(number, NpgsqlDbType.Integer, cancellationToken) : importer.WriteNullAsync(cancellationToken);

    private static Task WriteNullableAsync(NpgsqlBinaryImporter importer, bool? value, CancellationToken cancellationToken) =>
        value is { } flag ? importer.WriteAsync(flag, NpgsqlDbType.Boolean, cancellationToken) : importer.WriteNullAsync(cancellationToken);

    private static Task WriteNullableAsync(NpgsqlBinaryImporter importer, double? value, CancellationToken cancellationToken) =>
        value is { } number ? importer.WriteAsync(number, NpgsqlDbType.Double, cancellationToken) : importer.WriteNullAsync(cancellationToken);
}
