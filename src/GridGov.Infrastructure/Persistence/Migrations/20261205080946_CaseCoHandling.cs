using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace GridGov.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class CaseCoHandling : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "case_co_handlings",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    case_id = table.Column<int>(type: "integer", nullable: false),
                    department_id = table.Column<int>(type: "integer", nullable: false),
                    accepted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    accepted_by_staff_id = table.Column<int>(type: "integer", nullable: true),
                    accepted_by_name = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: true),
                    answered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    answered_by_staff_id = table.Column<int>(type: "integer", nullable: true),
                    answered_by_name = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: true),
                    opinion = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    ended_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    end_reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_case_co_handlings", x => x.id);
                    table.ForeignKey(
                        name: "fk_case_co_handlings_cases_case_id",
                        column: x => x.case_id,
                        principalTable: "cases",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_case_co_handlings_departments_department_id",
                        column: x => x.department_id,
                        principalTable: "departments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_case_co_handlings_case_id_department_id",
                table: "case_co_handlings",
                columns: new[] { "case_id", "department_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_case_co_handlings_open",
                table: "case_co_handlings",
                column: "department_id",
                filter: "answered_at IS NULL AND ended_at IS NULL");

            // Cases in handling that already name co-handling departments: those departments now owe their answer.
            migrationBuilder.Sql("""
                INSERT INTO case_co_handlings (case_id, department_id)
                SELECT DISTINCT c.id, d.department_id
                FROM cases c CROSS JOIN LATERAL unnest(c.co_handling_department_ids) AS d(department_id)
                WHERE c.state IN ('Dispatched', 'InProgress');
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "case_co_handlings");
        }
    }
}
