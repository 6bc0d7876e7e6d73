using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GridGov.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// Each household's visit frequency and last visit, kept by the database beside the households
    /// (household_visit_status) so that counting overdue households (三必访) is one scan of the households instead of a
    /// look at every resident and visit of the street (issue 12: the city's evaluation). A separate table, not columns of
    /// households: a visit must not change a household's row version (xmin) under a secretary editing it.
    /// Kept by statement triggers on residents and visits, whoever writes them (the services, the seed's COPY, an import).
    /// <c>visit_frequency_of</c> is VisitSchedule.FrequencyFor in SQL; a test compares the two for every tag and kind.
    /// </summary>
    public partial class HouseholdVisitStatus : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                -- frequency: VisitFrequency's order, 0 yearly, 1 quarterly, 2 monthly (a household takes its most frequent member's).
                CREATE TABLE household_visit_status (
                    household_id integer NOT NULL REFERENCES households (id) ON DELETE CASCADE,
                    grid_id integer NOT NULL,
                    removed boolean NOT NULL,
                    frequency smallint NOT NULL DEFAULT 0,
                    last_visited_at timestamp with time zone,
                    last_visitor_staff_id integer,
                    CONSTRAINT pk_household_visit_status PRIMARY KEY (household_id)
                );
                CREATE INDEX ix_household_visit_status_grid_id ON household_visit_status (grid_id);

                -- Every household has its row from its first day; its grid and whether it is removed follow the household.
                CREATE FUNCTION households_visit_status_trigger() RETURNS trigger
                LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        INSERT INTO household_visit_status (household_id, grid_id, removed)
                        SELECT n.id, n.grid_id, n.removed_at IS NOT NULL FROM new_rows n
                        ON CONFLICT (household_id) DO NOTHING;
                    ELSE
                        UPDATE household_visit_status s SET grid_id = n.grid_id, removed = n.removed_at IS NOT NULL
                        FROM new_rows n
                        WHERE s.household_id = n.id AND (s.grid_id <> n.grid_id OR s.removed <> (n.removed_at IS NOT NULL));
                    END IF;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER households_visit_status_insert AFTER INSERT ON households
                    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION households_visit_status_trigger();
                CREATE TRIGGER households_visit_status_update AFTER UPDATE ON households
                    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION households_visit_status_trigger();

                -- One resident's frequency: monthly for an elderly person living alone (独居老人); quarterly for a temporary
                -- resident (暂住) or one in hardship, on subsistence allowance, disabled, unemployed or a key-assistance person.
                CREATE FUNCTION visit_frequency_of(p_groups text[], p_population_kind text) RETURNS smallint
                LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
                    SELECT (CASE WHEN p_groups && ARRAY['ElderlyLivingAlone'] THEN 2
                                 WHEN p_population_kind = 'Temporary'
                                      OR p_groups && ARRAY['Hardship', 'SubsistenceAllowance', 'Disabled', 'Unemployed', 'KeyAssistance'] THEN 1
                                 ELSE 0 END)::smallint
                $$;

                -- Recomputes the frequency of some households from their current residents. The rows are locked first, so a
                -- concurrent change to the same household has committed before its residents are read.
                CREATE FUNCTION refresh_household_visit_frequency(p_household_ids integer[]) RETURNS void
                LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM 1 FROM household_visit_status s JOIN unnest(p_household_ids) AS i(id) ON s.household_id = i.id
                    ORDER BY s.household_id FOR UPDATE OF s;
                    INSERT INTO household_visit_status AS s (household_id, grid_id, removed, frequency)
                    SELECT h.id, h.grid_id, h.removed_at IS NOT NULL, COALESCE(max(visit_frequency_of(r.groups, r.population_kind)), 0)
                    FROM (SELECT DISTINCT id FROM unnest(p_household_ids) AS i(id)) i
                    JOIN households h ON h.id = i.id
                    LEFT JOIN residents r ON r.household_id = h.id AND r.removed_at IS NULL
                    GROUP BY h.id
                    ON CONFLICT (household_id) DO UPDATE SET frequency = EXCLUDED.frequency
                    WHERE s.frequency <> EXCLUDED.frequency;
                END $$;

                CREATE FUNCTION residents_visit_frequency_trigger() RETURNS trigger
                LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        PERFORM refresh_household_visit_frequency(ARRAY(SELECT household_id FROM new_rows WHERE household_id IS NOT NULL));
                    ELSIF TG_OP = 'UPDATE' THEN
                        PERFORM refresh_household_visit_frequency(ARRAY(
                            SELECT household_id FROM new_rows WHERE household_id IS NOT NULL
                            UNION SELECT household_id FROM old_rows WHERE household_id IS NOT NULL));
                    ELSE
                        PERFORM refresh_household_visit_frequency(ARRAY(SELECT household_id FROM old_rows WHERE household_id IS NOT NULL));
                    END IF;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER residents_visit_frequency_insert AFTER INSERT ON residents
                    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION residents_visit_frequency_trigger();
                CREATE TRIGGER residents_visit_frequency_update AFTER UPDATE ON residents
                    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION residents_visit_frequency_trigger();
                CREATE TRIGGER residents_visit_frequency_delete AFTER DELETE ON residents
                    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION residents_visit_frequency_trigger();

                -- New visits move a household's last visit forward (never back: two visits recorded at once both win in order).
                -- Visits are only amended (findings) or never touched again; if a row is changed or deleted, its households' last visit
                -- is recomputed (a trigger with transition tables cannot name columns, so an amendment recomputes one household).
                CREATE FUNCTION visits_last_visit_trigger() RETURNS trigger
                LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        UPDATE household_visit_status s
                        SET last_visited_at = n.visited_at, last_visitor_staff_id = n.visitor_staff_id
                        FROM (SELECT DISTINCT ON (household_id) household_id, visited_at, visitor_staff_id
                              FROM new_rows ORDER BY household_id, visited_at DESC, id DESC) n
                        WHERE s.household_id = n.household_id AND (s.last_visited_at IS NULL OR n.visited_at >= s.last_visited_at);
                    ELSE
                        UPDATE household_visit_status s
                        SET last_visited_at = l.visited_at, last_visitor_staff_id = l.visitor_staff_id
                        FROM (SELECT DISTINCT household_id FROM old_rows) i
                        LEFT JOIN LATERAL (SELECT v.visited_at, v.visitor_staff_id FROM visits v
                                           WHERE v.household_id = i.household_id
                                           ORDER BY v.visited_at DESC, v.id DESC LIMIT 1) l ON true
                        WHERE s.household_id = i.household_id;
                    END IF;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER visits_last_visit_insert AFTER INSERT ON visits
                    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION visits_last_visit_trigger();
                CREATE TRIGGER visits_last_visit_update AFTER UPDATE ON visits
                    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION visits_last_visit_trigger();
                CREATE TRIGGER visits_last_visit_delete AFTER DELETE ON visits
                    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION visits_last_visit_trigger();

                INSERT INTO household_visit_status (household_id, grid_id, removed, frequency, last_visited_at, last_visitor_staff_id)
                SELECT h.id, h.grid_id, h.removed_at IS NOT NULL, COALESCE(f.frequency, 0), l.visited_at, l.visitor_staff_id
                FROM households h
                LEFT JOIN (SELECT r.household_id, max(visit_frequency_of(r.groups, r.population_kind)) AS frequency
                           FROM residents r WHERE r.removed_at IS NULL GROUP BY r.household_id) f ON f.household_id = h.id
                LEFT JOIN (SELECT DISTINCT ON (v.household_id) v.household_id, v.visited_at, v.visitor_staff_id
                           FROM visits v ORDER BY v.household_id, v.visited_at DESC, v.id DESC) l ON l.household_id = h.id;
                ANALYZE household_visit_status;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER visits_last_visit_insert ON visits;
                DROP TRIGGER visits_last_visit_update ON visits;
                DROP TRIGGER visits_last_visit_delete ON visits;
                DROP FUNCTION visits_last_visit_trigger();
                DROP TRIGGER households_visit_status_insert ON households;
                DROP TRIGGER households_visit_status_update ON households;
                DROP FUNCTION households_visit_status_trigger();
                DROP TRIGGER residents_visit_frequency_insert ON residents;
                DROP TRIGGER residents_visit_frequency_update ON residents;
                DROP TRIGGER residents_visit_frequency_delete ON residents;
                DROP FUNCTION residents_visit_frequency_trigger();
                DROP FUNCTION refresh_household_visit_frequency(integer[]);
                DROP FUNCTION visit_frequency_of(text[], text);
                DROP TABLE household_visit_status;
                """);
        }
    }
}
