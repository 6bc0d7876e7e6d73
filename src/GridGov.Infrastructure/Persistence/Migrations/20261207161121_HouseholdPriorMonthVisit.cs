using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GridGov.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// Each household's last visit before the China month of its last visit (prior_visited_at and its visitor), kept
    /// beside the last visit by the same triggers. A month looked at after it ended asks, for every household visited since,
    /// for its last visit before the month's end: that is the prior visit whenever the prior visit is earlier than the
    /// month's end, so the evaluation of the month just ended reads it from this row instead of looking each such
    /// household's visits up (68,734 look-ups for November on the city set, issue 12). Only a month two or more back still
    /// looks up the few households whose prior visit is after its end.
    /// </summary>
    public partial class HouseholdPriorMonthVisit : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER TABLE household_visit_status
                    ADD COLUMN prior_visited_at timestamp with time zone,
                    ADD COLUMN prior_visitor_staff_id integer;

                -- The first moment of the China month (UTC+8, no daylight saving) a moment falls in.
                CREATE FUNCTION china_month_start(p_at timestamptz) RETURNS timestamptz
                LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
                    SELECT (date_trunc('month', (p_at AT TIME ZONE 'UTC') + interval '8 hours') - interval '8 hours') AT TIME ZONE 'UTC'
                $$;

                -- New visits move a household's last visit forward (never back), and its prior visit (the last before the month
                -- of the last visit) to the latest of: the old last visit when it is before that month, the old prior visit,
                -- and the new visits before that month. All set-based: one statement may bring a year of visits (the seed's COPY).
                -- A changed or deleted visit recomputes its households from their visits.
                CREATE OR REPLACE FUNCTION visits_last_visit_trigger() RETURNS trigger
                LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        WITH newest AS (
                            SELECT DISTINCT ON (household_id) household_id, visited_at, visitor_staff_id
                            FROM new_rows ORDER BY household_id, visited_at DESC, id DESC
                        ), target AS (
                            SELECT s.household_id, s.last_visited_at AS old_at, s.last_visitor_staff_id AS old_by,
                                   s.prior_visited_at AS old_prior_at, s.prior_visitor_staff_id AS old_prior_by,
                                   CASE WHEN s.last_visited_at IS NULL OR n.visited_at >= s.last_visited_at THEN n.visited_at ELSE s.last_visited_at END AS last_at,
                                   CASE WHEN s.last_visited_at IS NULL OR n.visited_at >= s.last_visited_at THEN n.visitor_staff_id ELSE s.last_visitor_staff_id END AS last_by
                            FROM household_visit_status s JOIN newest n ON n.household_id = s.household_id
                        ), new_prior AS (
                            SELECT DISTINCT ON (r.household_id) r.household_id, r.visited_at, r.visitor_staff_id
                            FROM new_rows r JOIN target t ON t.household_id = r.household_id
                            WHERE r.visited_at < china_month_start(t.last_at)
                            ORDER BY r.household_id, r.visited_at DESC, r.id DESC
                        ), decided AS (
                            SELECT t.household_id, t.last_at, t.last_by, p.visited_at AS new_at, p.visitor_staff_id AS new_by,
                                   CASE WHEN t.old_at < china_month_start(t.last_at) THEN t.old_at ELSE t.old_prior_at END AS kept_at,
                                   CASE WHEN t.old_at < china_month_start(t.last_at) THEN t.old_by ELSE t.old_prior_by END AS kept_by
                            FROM target t LEFT JOIN new_prior p ON p.household_id = t.household_id
                        )
                        UPDATE household_visit_status s
                        SET last_visited_at = d.last_at, last_visitor_staff_id = d.last_by,
                            prior_visited_at = CASE WHEN d.new_at IS NOT NULL AND (d.kept_at IS NULL OR d.new_at >= d.kept_at) THEN d.new_at ELSE d.kept_at END,
                            prior_visitor_staff_id = CASE WHEN d.new_at IS NOT NULL AND (d.kept_at IS NULL OR d.new_at >= d.kept_at) THEN d.new_by ELSE d.kept_by END
                        FROM decided d
                        WHERE s.household_id = d.household_id;
                    ELSE
                        UPDATE household_visit_status s
                        SET last_visited_at = l.visited_at, last_visitor_staff_id = l.visitor_staff_id,
                            prior_visited_at = p.visited_at, prior_visitor_staff_id = p.visitor_staff_id
                        FROM (SELECT DISTINCT household_id FROM old_rows) i
                        LEFT JOIN LATERAL (SELECT v.visited_at, v.visitor_staff_id FROM visits v
                                           WHERE v.household_id = i.household_id
                                           ORDER BY v.visited_at DESC, v.id DESC LIMIT 1) l ON true
                        LEFT JOIN LATERAL (SELECT v.visited_at, v.visitor_staff_id FROM visits v
                                           WHERE v.household_id = i.household_id AND v.visited_at < china_month_start(l.visited_at)
                                           ORDER BY v.visited_at DESC, v.id DESC LIMIT 1) p ON true
                        WHERE s.household_id = i.household_id;
                    END IF;
                    RETURN NULL;
                END $$;

                UPDATE household_visit_status s
                SET prior_visited_at = p.visited_at, prior_visitor_staff_id = p.visitor_staff_id
                FROM (SELECT DISTINCT ON (v.household_id) v.household_id, v.visited_at, v.visitor_staff_id
                      FROM visits v JOIN household_visit_status h ON h.household_id = v.household_id
                      WHERE v.visited_at < china_month_start(h.last_visited_at)
                      ORDER BY v.household_id, v.visited_at DESC, v.id DESC) p
                WHERE s.household_id = p.household_id;
                ANALYZE household_visit_status;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION visits_last_visit_trigger() RETURNS trigger
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
                DROP FUNCTION china_month_start(timestamptz);
                ALTER TABLE household_visit_status DROP COLUMN prior_visited_at, DROP COLUMN prior_visitor_staff_id;
                """);
        }
    }
}
