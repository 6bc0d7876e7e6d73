using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GridGov.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// Each patroller's coverage of each grid and China-time day, kept beside the patrols (patrol_days) so that a month's
    /// full-coverage days are a count, not a spatial union per day at read time. <c>refresh_patrol_days</c> is the one
    /// definition of a day's coverage (see PatrolSpatialQueries); it runs when a patrol is recorded and after a bulk load.
    /// </summary>
    public partial class PatrolDays : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE patrol_days (
                    grid_id integer NOT NULL REFERENCES grids (id) ON DELETE CASCADE,
                    patroller_staff_id integer NOT NULL,
                    day date NOT NULL,
                    patrols integer NOT NULL,
                    coverage double precision NOT NULL,
                    CONSTRAINT pk_patrol_days PRIMARY KEY (grid_id, patroller_staff_id, day)
                );
                CREATE INDEX ix_patrol_days_day ON patrol_days (day);

                -- Coverage of a (grid, patroller, day): the single patrol's stored share, or for several patrols
                -- area(grid ∩ ⋃ buffer(track, d)) ÷ area(grid) on the spheroid, with the grid's boundary in force that day.
                -- A day is the China-time date (UTC+8) on which a patrol started. Replaces the rows of the grids and days given
                -- (all grids when p_grid_ids is null) for [p_from, p_to).
                CREATE FUNCTION refresh_patrol_days(p_grid_ids integer[], p_from date, p_to date, p_buffer double precision)
                RETURNS void LANGUAGE sql AS $$
                    DELETE FROM patrol_days d
                    WHERE (p_grid_ids IS NULL OR d.grid_id = ANY (p_grid_ids)) AND d.day >= p_from AND d.day < p_to;
                    INSERT INTO patrol_days (grid_id, patroller_staff_id, day, patrols, coverage)
                    WITH days AS (
                        SELECT p.grid_id, p.patroller_staff_id AS staff, ((p.started_at AT TIME ZONE 'UTC') + interval '8 hours')::date AS day,
                               count(*)::int AS n, max(p.coverage_share) AS best
                        FROM patrols p
                        WHERE (p_grid_ids IS NULL OR p.grid_id = ANY (p_grid_ids))
                          AND p.started_at >= (p_from::timestamp - interval '8 hours') AT TIME ZONE 'UTC'
                          AND p.started_at < (p_to::timestamp - interval '8 hours') AT TIME ZONE 'UTC'
                        GROUP BY 1, 2, 3
                    )
                    SELECT d.grid_id, d.staff, d.day, d.n,
                           CASE WHEN d.n = 1 THEN d.best ELSE (
                               SELECT GREATEST(d.best, LEAST(1, COALESCE(ST_Area(ST_CollectionExtract(ST_Intersection(b.boundary, u.covered), 3)::geography)
                                                                 / NULLIF(ST_Area(b.boundary::geography), 0), 0)))
                               FROM (SELECT ST_Union(ST_Buffer(q.track::geography, p_buffer)::geometry) AS covered
                                     FROM patrols q
                                     WHERE q.grid_id = d.grid_id AND q.patroller_staff_id = d.staff
                                       AND q.started_at >= (d.day::timestamp - interval '8 hours') AT TIME ZONE 'UTC'
                                       AND q.started_at < (d.day::timestamp + interval '16 hours') AT TIME ZONE 'UTC') u,
                                    LATERAL (SELECT COALESCE((SELECT v.boundary FROM grid_boundary_versions v
                                                              WHERE v.grid_id = g.id AND v.valid_from <= d.day AND v.valid_to > d.day LIMIT 1),
                                                             g.boundary) AS boundary
                                             FROM grids g WHERE g.id = d.grid_id) b)
                           END
                    FROM days d;
                $$;

                SELECT refresh_patrol_days(NULL, '2000-01-01', '2100-01-01', 30);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP FUNCTION refresh_patrol_days(integer[], date, date, double precision);
                DROP TABLE patrol_days;
                """);
        }
    }
}
