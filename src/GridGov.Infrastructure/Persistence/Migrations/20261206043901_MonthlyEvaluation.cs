using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace GridGov.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class MonthlyEvaluation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "due_at",
                table: "case_history",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "evaluation_snapshots",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    month = table.Column<DateOnly>(type: "date", nullable: false),
                    computed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    computed_by_staff_id = table.Column<int>(type: "integer", nullable: true),
                    reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    definitions_version = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    rules = table.Column<string>(type: "jsonb", nullable: false),
                    results = table.Column<string>(type: "jsonb", nullable: false),
                    superseded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    superseded_by_snapshot_id = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_evaluation_snapshots", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "scoring_rules",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    effective_from = table.Column<DateOnly>(type: "date", nullable: false),
                    rules = table.Column<string>(type: "jsonb", nullable: false),
                    changed_by_staff_id = table.Column<int>(type: "integer", nullable: true),
                    changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_scoring_rules", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_cases_handle_due",
                table: "cases",
                column: "handle_due",
                filter: "handle_due IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_case_history_action_at",
                table: "case_history",
                columns: new[] { "action", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_evaluation_snapshots_month_current",
                table: "evaluation_snapshots",
                column: "month",
                unique: true,
                filter: "superseded_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_evaluation_snapshots_month_id",
                table: "evaluation_snapshots",
                columns: new[] { "month", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_scoring_rules_effective_from_id",
                table: "scoring_rules",
                columns: new[] { "effective_from", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "evaluation_snapshots");

            migrationBuilder.DropTable(
                name: "scoring_rules");

            migrationBuilder.DropIndex(
                name: "ix_cases_handle_due",
                table: "cases");

            migrationBuilder.DropIndex(
                name: "ix_case_history_action_at",
                table: "case_history");

            migrationBuilder.DropColumn(
                name: "due_at",
                table: "case_history");
        }
    }
}
