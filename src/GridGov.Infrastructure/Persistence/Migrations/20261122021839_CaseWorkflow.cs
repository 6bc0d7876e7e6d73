using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace GridGov.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class CaseWorkflow : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_grids_code",
                table: "grids");

            migrationBuilder.DropIndex(
                name: "ix_grids_code_valid_from",
                table: "grids");

            migrationBuilder.AddColumn<DateOnly>(
                name: "boundary_valid_from",
                table: "grids",
                type: "date",
                nullable: false,
                defaultValue: new DateOnly(1, 1, 1));

            migrationBuilder.AddColumn<int>(
                name: "duplicate_radius_meters",
                table: "categories",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "case_number_counters",
                columns: table => new
                {
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    last = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_case_number_counters", x => x.day);
                });

            migrationBuilder.CreateTable(
                name: "cases",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    number = table.Column<string>(type: "character(14)", fixedLength: true, maxLength: 14, nullable: false),
                    category_id = table.Column<int>(type: "integer", nullable: false),
                    description = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    location = table.Column<byte[]>(type: "geometry(Point,4326)", nullable: false),
                    address = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    grid_id = table.Column<int>(type: "integer", nullable: false),
                    grid_code = table.Column<string>(type: "character(15)", fixedLength: true, maxLength: 15, nullable: false),
                    community_id = table.Column<int>(type: "integer", nullable: false),
                    source = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    priority = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    level = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    state = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    reporter_name = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    reporter_phone = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    reporter_staff_id = table.Column<int>(type: "integer", nullable: true),
                    reported_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    assigned_department_id = table.Column<int>(type: "integer", nullable: true),
                    assigned_staff_id = table.Column<int>(type: "integer", nullable: true),
                    co_handling_department_ids = table.Column<List<int>>(type: "integer[]", nullable: false),
                    current_due = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    warning_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    dispatched_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    handle_due = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    feedback_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    result = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    rework_count = table.Column<int>(type: "integer", nullable: false),
                    return_count = table.Column<int>(type: "integer", nullable: false),
                    supervision_count = table.Column<int>(type: "integer", nullable: false),
                    is_supervised = table.Column<bool>(type: "boolean", nullable: false),
                    merged_into_case_id = table.Column<int>(type: "integer", nullable: true),
                    closure_type = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    closed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    satisfied = table.Column<bool>(type: "boolean", nullable: true),
                    satisfaction_comment = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    submission_id = table.Column<Guid>(type: "uuid", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_cases", x => x.id);
                    table.ForeignKey(
                        name: "fk_cases_cases_merged_into_case_id",
                        column: x => x.merged_into_case_id,
                        principalTable: "cases",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_cases_categories_category_id",
                        column: x => x.category_id,
                        principalTable: "categories",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_cases_communities_community_id",
                        column: x => x.community_id,
                        principalTable: "communities",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_cases_departments_assigned_department_id",
                        column: x => x.assigned_department_id,
                        principalTable: "departments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_cases_grids_grid_id",
                        column: x => x.grid_id,
                        principalTable: "grids",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_cases_staff_members_assigned_staff_id",
                        column: x => x.assigned_staff_id,
                        principalTable: "staff_members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "dispatch_routes",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    category_id = table.Column<int>(type: "integer", nullable: false),
                    department_id = table.Column<int>(type: "integer", nullable: false),
                    community_id = table.Column<int>(type: "integer", nullable: true),
                    grid_code = table.Column<string>(type: "character(15)", fixedLength: true, maxLength: 15, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_dispatch_routes", x => x.id);
                    table.CheckConstraint("ck_dispatch_routes_one_scope", "(community_id IS NULL) <> (grid_code IS NULL)");
                    table.ForeignKey(
                        name: "fk_dispatch_routes_categories_category_id",
                        column: x => x.category_id,
                        principalTable: "categories",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_dispatch_routes_communities_community_id",
                        column: x => x.community_id,
                        principalTable: "communities",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_dispatch_routes_departments_department_id",
                        column: x => x.department_id,
                        principalTable: "departments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "grid_boundary_versions",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    grid_id = table.Column<int>(type: "integer", nullable: false),
                    boundary = table.Column<byte[]>(type: "geometry(Polygon,4326)", nullable: false),
                    valid_from = table.Column<DateOnly>(type: "date", nullable: false),
                    valid_to = table.Column<DateOnly>(type: "date", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_grid_boundary_versions", x => x.id);
                    table.CheckConstraint("ck_grid_boundary_versions_range", "valid_to > valid_from");
                    table.ForeignKey(
                        name: "fk_grid_boundary_versions_grids_grid_id",
                        column: x => x.grid_id,
                        principalTable: "grids",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "case_evidence",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    case_id = table.Column<int>(type: "integer", nullable: false),
                    step = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    added_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    sha256 = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    content_type = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    size_bytes = table.Column<long>(type: "bigint", nullable: false),
                    file_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_case_evidence", x => x.id);
                    table.ForeignKey(
                        name: "fk_case_evidence_cases_case_id",
                        column: x => x.case_id,
                        principalTable: "cases",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "case_follower",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    case_id = table.Column<int>(type: "integer", nullable: false),
                    name = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    phone = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    staff_member_id = table.Column<int>(type: "integer", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_case_follower", x => x.id);
                    table.ForeignKey(
                        name: "fk_case_follower_cases_case_id",
                        column: x => x.case_id,
                        principalTable: "cases",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "case_history",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    case_id = table.Column<int>(type: "integer", nullable: false),
                    action = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    actor_staff_id = table.Column<int>(type: "integer", nullable: true),
                    actor_name = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    actor_role = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    from_state = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    to_state = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    note = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    department_id = table.Column<int>(type: "integer", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_case_history", x => x.id);
                    table.ForeignKey(
                        name: "fk_case_history_cases_case_id",
                        column: x => x.case_id,
                        principalTable: "cases",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_case_history_departments_department_id",
                        column: x => x.department_id,
                        principalTable: "departments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "notifications",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    recipient_name = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    recipient_phone = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    recipient_staff_id = table.Column<int>(type: "integer", nullable: true),
                    case_id = table.Column<int>(type: "integer", nullable: true),
                    body = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    last_error = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_notifications", x => x.id);
                    table.ForeignKey(
                        name: "fk_notifications_cases_case_id",
                        column: x => x.case_id,
                        principalTable: "cases",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "whistles",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    case_id = table.Column<int>(type: "integer", nullable: false),
                    department_id = table.Column<int>(type: "integer", nullable: false),
                    summoned_by_staff_id = table.Column<int>(type: "integer", nullable: true),
                    summoned_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    respond_by = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    responded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    response = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_whistles", x => x.id);
                    table.ForeignKey(
                        name: "fk_whistles_cases_case_id",
                        column: x => x.case_id,
                        principalTable: "cases",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_whistles_departments_department_id",
                        column: x => x.department_id,
                        principalTable: "departments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_grids_code",
                table: "grids",
                column: "code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_case_evidence_case_id",
                table: "case_evidence",
                column: "case_id");

            migrationBuilder.CreateIndex(
                name: "ix_case_follower_case_id",
                table: "case_follower",
                column: "case_id");

            migrationBuilder.CreateIndex(
                name: "ix_case_history_action_department_id",
                table: "case_history",
                columns: new[] { "action", "department_id" });

            migrationBuilder.CreateIndex(
                name: "ix_case_history_case_id_at",
                table: "case_history",
                columns: new[] { "case_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_case_history_department_id",
                table: "case_history",
                column: "department_id");

            migrationBuilder.CreateIndex(
                name: "ix_cases_assigned_department_id_state",
                table: "cases",
                columns: new[] { "assigned_department_id", "state" });

            migrationBuilder.CreateIndex(
                name: "ix_cases_assigned_staff_id",
                table: "cases",
                column: "assigned_staff_id");

            migrationBuilder.CreateIndex(
                name: "ix_cases_category_id_reported_at",
                table: "cases",
                columns: new[] { "category_id", "reported_at" });

            migrationBuilder.CreateIndex(
                name: "ix_cases_community_id",
                table: "cases",
                column: "community_id");

            migrationBuilder.CreateIndex(
                name: "ix_cases_grid_id",
                table: "cases",
                column: "grid_id");

            migrationBuilder.CreateIndex(
                name: "ix_cases_location",
                table: "cases",
                column: "location")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_cases_merged_into_case_id",
                table: "cases",
                column: "merged_into_case_id");

            migrationBuilder.CreateIndex(
                name: "ix_cases_number",
                table: "cases",
                column: "number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_cases_running_clock",
                table: "cases",
                column: "current_due",
                filter: "current_due IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_cases_state_reported_at",
                table: "cases",
                columns: new[] { "state", "reported_at" });

            migrationBuilder.CreateIndex(
                name: "ix_cases_submission_id",
                table: "cases",
                column: "submission_id",
                unique: true,
                filter: "submission_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_dispatch_routes_category_id_community_id",
                table: "dispatch_routes",
                columns: new[] { "category_id", "community_id" },
                unique: true,
                filter: "community_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_dispatch_routes_category_id_grid_code",
                table: "dispatch_routes",
                columns: new[] { "category_id", "grid_code" },
                unique: true,
                filter: "grid_code IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_dispatch_routes_community_id",
                table: "dispatch_routes",
                column: "community_id");

            migrationBuilder.CreateIndex(
                name: "ix_dispatch_routes_department_id",
                table: "dispatch_routes",
                column: "department_id");

            migrationBuilder.CreateIndex(
                name: "ix_grid_boundary_versions_boundary",
                table: "grid_boundary_versions",
                column: "boundary")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_grid_boundary_versions_grid_id_valid_from",
                table: "grid_boundary_versions",
                columns: new[] { "grid_id", "valid_from" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_notifications_case_id",
                table: "notifications",
                column: "case_id");

            migrationBuilder.CreateIndex(
                name: "ix_notifications_pending",
                table: "notifications",
                column: "id",
                filter: "sent_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_whistles_case_id",
                table: "whistles",
                column: "case_id");

            migrationBuilder.CreateIndex(
                name: "ix_whistles_department_id",
                table: "whistles",
                column: "department_id");

            migrationBuilder.AddForeignKey(
                name: "fk_buildings_grids_grid_id",
                table: "buildings",
                column: "grid_id",
                principalTable: "grids",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_components_grids_grid_id",
                table: "components",
                column: "grid_id",
                principalTable: "grids",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_compounds_grids_grid_id",
                table: "compounds",
                column: "grid_id",
                principalTable: "grids",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_households_grids_grid_id",
                table: "households",
                column: "grid_id",
                principalTable: "grids",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_residents_grids_grid_id",
                table: "residents",
                column: "grid_id",
                principalTable: "grids",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_units_grids_grid_id",
                table: "units",
                column: "grid_id",
                principalTable: "grids",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            // History is never edited: the database itself refuses UPDATE and DELETE on it.
            migrationBuilder.Sql("""
                CREATE FUNCTION case_history_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'case_history is append-only (%, row %)', TG_OP, OLD.id;
                END $$;
                CREATE TRIGGER case_history_append_only
                    BEFORE UPDATE OR DELETE ON case_history
                    FOR EACH ROW EXECUTE FUNCTION case_history_is_append_only();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER case_history_append_only ON case_history; DROP FUNCTION case_history_is_append_only();");

            migrationBuilder.DropForeignKey(
                name: "fk_buildings_grids_grid_id",
                table: "buildings");

            migrationBuilder.DropForeignKey(
                name: "fk_components_grids_grid_id",
                table: "components");

            migrationBuilder.DropForeignKey(
                name: "fk_compounds_grids_grid_id",
                table: "compounds");

            migrationBuilder.DropForeignKey(
                name: "fk_households_grids_grid_id",
                table: "households");

            migrationBuilder.DropForeignKey(
                name: "fk_residents_grids_grid_id",
                table: "residents");

            migrationBuilder.DropForeignKey(
                name: "fk_units_grids_grid_id",
                table: "units");

            migrationBuilder.DropTable(
                name: "case_evidence");

            migrationBuilder.DropTable(
                name: "case_follower");

            migrationBuilder.DropTable(
                name: "case_history");

            migrationBuilder.DropTable(
                name: "case_number_counters");

            migrationBuilder.DropTable(
                name: "dispatch_routes");

            migrationBuilder.DropTable(
                name: "grid_boundary_versions");

            migrationBuilder.DropTable(
                name: "notifications");

            migrationBuilder.DropTable(
                name: "whistles");

            migrationBuilder.DropTable(
                name: "cases");

            migrationBuilder.DropIndex(
                name: "ix_grids_code",
                table: "grids");

            migrationBuilder.DropColumn(
                name: "boundary_valid_from",
                table: "grids");

            migrationBuilder.DropColumn(
                name: "duplicate_radius_meters",
                table: "categories");

            migrationBuilder.CreateIndex(
                name: "ix_grids_code",
                table: "grids",
                column: "code",
                unique: true,
                filter: "valid_to IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_grids_code_valid_from",
                table: "grids",
                columns: new[] { "code", "valid_from" },
                unique: true);
        }
    }
}
