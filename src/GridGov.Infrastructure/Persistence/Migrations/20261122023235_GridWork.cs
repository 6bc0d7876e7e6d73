using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace GridGov.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class GridWork : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "removal_reason",
                table: "units",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "removed_at",
                table: "units",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "removal_reason",
                table: "residents",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "removed_at",
                table: "residents",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "removal_reason",
                table: "households",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "removed_at",
                table: "households",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "removal_reason",
                table: "components",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "removed_at",
                table: "components",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ledger_changes",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    entity_type = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    entity_id = table.Column<long>(type: "bigint", nullable: false),
                    kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    actor_staff_id = table.Column<int>(type: "integer", nullable: true),
                    actor_name = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    before = table.Column<string>(type: "jsonb", nullable: true),
                    after = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ledger_changes", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "monthly_reviews",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    grid_code = table.Column<string>(type: "character(15)", fixedLength: true, maxLength: 15, nullable: false),
                    month = table.Column<DateOnly>(type: "date", nullable: false),
                    comment = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    signed_off_by_staff_id = table.Column<int>(type: "integer", nullable: true),
                    signed_off_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_monthly_reviews", x => x.id);
                    table.ForeignKey(
                        name: "fk_monthly_reviews_staff_members_signed_off_by_staff_id",
                        column: x => x.signed_off_by_staff_id,
                        principalTable: "staff_members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "patrols",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    grid_id = table.Column<int>(type: "integer", nullable: false),
                    patroller_staff_id = table.Column<int>(type: "integer", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ended_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    track = table.Column<byte[]>(type: "geometry(LineString,4326)", nullable: false),
                    notes = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    coverage_share = table.Column<double>(type: "double precision", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_patrols", x => x.id);
                    table.CheckConstraint("ck_patrols_times", "ended_at > started_at");
                    table.ForeignKey(
                        name: "fk_patrols_grids_grid_id",
                        column: x => x.grid_id,
                        principalTable: "grids",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_patrols_staff_members_patroller_staff_id",
                        column: x => x.patroller_staff_id,
                        principalTable: "staff_members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "visit_demands",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    household_id = table.Column<int>(type: "integer", nullable: false),
                    reason = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    due_by = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    case_id = table.Column<int>(type: "integer", nullable: true),
                    note = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    fulfilled_by_visit_id = table.Column<long>(type: "bigint", nullable: true),
                    fulfilled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_visit_demands", x => x.id);
                    table.ForeignKey(
                        name: "fk_visit_demands_cases_case_id",
                        column: x => x.case_id,
                        principalTable: "cases",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_visit_demands_households_household_id",
                        column: x => x.household_id,
                        principalTable: "households",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "visits",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    household_id = table.Column<int>(type: "integer", nullable: false),
                    grid_id = table.Column<int>(type: "integer", nullable: false),
                    visitor_staff_id = table.Column<int>(type: "integer", nullable: false),
                    visited_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    findings = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    companions = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    visit_demand_id = table.Column<long>(type: "bigint", nullable: true),
                    raised_case_id = table.Column<int>(type: "integer", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_visits", x => x.id);
                    table.ForeignKey(
                        name: "fk_visits_cases_raised_case_id",
                        column: x => x.raised_case_id,
                        principalTable: "cases",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_visits_grids_grid_id",
                        column: x => x.grid_id,
                        principalTable: "grids",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_visits_households_household_id",
                        column: x => x.household_id,
                        principalTable: "households",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_visits_staff_members_visitor_staff_id",
                        column: x => x.visitor_staff_id,
                        principalTable: "staff_members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_visits_visit_demands_visit_demand_id",
                        column: x => x.visit_demand_id,
                        principalTable: "visit_demands",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_ledger_changes_entity_type_entity_id_at",
                table: "ledger_changes",
                columns: new[] { "entity_type", "entity_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_monthly_reviews_grid_code_month",
                table: "monthly_reviews",
                columns: new[] { "grid_code", "month" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_monthly_reviews_signed_off_by_staff_id",
                table: "monthly_reviews",
                column: "signed_off_by_staff_id");

            migrationBuilder.CreateIndex(
                name: "ix_patrols_grid_id_started_at",
                table: "patrols",
                columns: new[] { "grid_id", "started_at" });

            migrationBuilder.CreateIndex(
                name: "ix_patrols_patroller_staff_id_started_at",
                table: "patrols",
                columns: new[] { "patroller_staff_id", "started_at" });

            migrationBuilder.CreateIndex(
                name: "ix_patrols_track",
                table: "patrols",
                column: "track")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_visit_demands_case_id_household_id",
                table: "visit_demands",
                columns: new[] { "case_id", "household_id" },
                unique: true,
                filter: "case_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_visit_demands_household_id_due_by",
                table: "visit_demands",
                columns: new[] { "household_id", "due_by" });

            migrationBuilder.CreateIndex(
                name: "ix_visit_demands_open",
                table: "visit_demands",
                column: "due_by",
                filter: "fulfilled_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_visits_grid_id_visited_at",
                table: "visits",
                columns: new[] { "grid_id", "visited_at" });

            migrationBuilder.CreateIndex(
                name: "ix_visits_household_id_visited_at",
                table: "visits",
                columns: new[] { "household_id", "visited_at" });

            migrationBuilder.CreateIndex(
                name: "ix_visits_raised_case_id",
                table: "visits",
                column: "raised_case_id");

            migrationBuilder.CreateIndex(
                name: "ix_visits_visit_demand_id",
                table: "visits",
                column: "visit_demand_id");

            migrationBuilder.CreateIndex(
                name: "ix_visits_visitor_staff_id_visited_at",
                table: "visits",
                columns: new[] { "visitor_staff_id", "visited_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ledger_changes");

            migrationBuilder.DropTable(
                name: "monthly_reviews");

            migrationBuilder.DropTable(
                name: "patrols");

            migrationBuilder.DropTable(
                name: "visits");

            migrationBuilder.DropTable(
                name: "visit_demands");

            migrationBuilder.DropColumn(
                name: "removal_reason",
                table: "units");

            migrationBuilder.DropColumn(
                name: "removed_at",
                table: "units");

            migrationBuilder.DropColumn(
                name: "removal_reason",
                table: "residents");

            migrationBuilder.DropColumn(
                name: "removed_at",
                table: "residents");

            migrationBuilder.DropColumn(
                name: "removal_reason",
                table: "households");

            migrationBuilder.DropColumn(
                name: "removed_at",
                table: "households");

            migrationBuilder.DropColumn(
                name: "removal_reason",
                table: "components");

            migrationBuilder.DropColumn(
                name: "removed_at",
                table: "components");
        }
    }
}
