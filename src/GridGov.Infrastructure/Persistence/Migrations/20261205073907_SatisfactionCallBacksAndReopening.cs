using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace GridGov.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class SatisfactionCallBacksAndReopening : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "reopen_count",
                table: "cases",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "verified_at",
                table: "cases",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "case_satisfaction_answers",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    case_id = table.Column<int>(type: "integer", nullable: false),
                    satisfied = table.Column<bool>(type: "boolean", nullable: false),
                    channel = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    comment = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    recorded_by_staff_id = table.Column<int>(type: "integer", nullable: true),
                    recorded_by_name = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    recorded_by_role = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    department_id = table.Column<int>(type: "integer", nullable: true),
                    reopened = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_case_satisfaction_answers", x => x.id);
                    table.ForeignKey(
                        name: "fk_case_satisfaction_answers_cases_case_id",
                        column: x => x.case_id,
                        principalTable: "cases",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_case_satisfaction_answers_departments_department_id",
                        column: x => x.department_id,
                        principalTable: "departments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_case_satisfaction_answers_case_id",
                table: "case_satisfaction_answers",
                column: "case_id");

            migrationBuilder.CreateIndex(
                name: "ix_case_satisfaction_answers_department_id_recorded_at",
                table: "case_satisfaction_answers",
                columns: new[] { "department_id", "recorded_at" });

            // Cases verified before this migration: the satisfaction window counts from their last verification.
            migrationBuilder.Sql("""
                UPDATE cases c SET verified_at = v.at
                FROM (SELECT case_id, max(at) AS at FROM case_history WHERE action = 'Verify' GROUP BY case_id) v
                WHERE v.case_id = c.id;
                """);
            // Answers given before this migration were the reporters' own (the only way then): keep them for evaluation.
            migrationBuilder.Sql("""
                INSERT INTO case_satisfaction_answers (case_id, satisfied, channel, comment, recorded_by_name, recorded_at, department_id, reopened)
                SELECT c.id, c.satisfied, 'ResidentAnswer', c.satisfaction_comment, h.actor_name, h.at, c.assigned_department_id, false
                FROM cases c
                JOIN LATERAL (SELECT actor_name, at FROM case_history WHERE case_id = c.id AND action = 'RecordSatisfaction' ORDER BY at DESC LIMIT 1) h ON true
                WHERE c.satisfied IS NOT NULL;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "case_satisfaction_answers");

            migrationBuilder.DropColumn(
                name: "reopen_count",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "verified_at",
                table: "cases");
        }
    }
}
