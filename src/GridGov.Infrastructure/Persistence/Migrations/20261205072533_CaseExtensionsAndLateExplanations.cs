using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace GridGov.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class CaseExtensionsAndLateExplanations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "extension_count",
                table: "cases",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "late_explanation",
                table: "cases",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "case_extensions",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    case_id = table.Column<int>(type: "integer", nullable: false),
                    department_id = table.Column<int>(type: "integer", nullable: true),
                    requested_by_staff_id = table.Column<int>(type: "integer", nullable: true),
                    requested_by_name = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    previous_due = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    requested_due = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    approver = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    status = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    decided_by_staff_id = table.Column<int>(type: "integer", nullable: true),
                    decided_by_name = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: true),
                    decided_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    decision_note = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_case_extensions", x => x.id);
                    table.ForeignKey(
                        name: "fk_case_extensions_cases_case_id",
                        column: x => x.case_id,
                        principalTable: "cases",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_case_extensions_departments_department_id",
                        column: x => x.department_id,
                        principalTable: "departments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_case_extensions_case_id",
                table: "case_extensions",
                column: "case_id");

            migrationBuilder.CreateIndex(
                name: "ix_case_extensions_department_id_requested_at",
                table: "case_extensions",
                columns: new[] { "department_id", "requested_at" });

            migrationBuilder.CreateIndex(
                name: "ix_case_extensions_pending",
                table: "case_extensions",
                columns: new[] { "approver", "requested_at" },
                filter: "status = 'Pending'");

            migrationBuilder.CreateIndex(
                name: "ux_case_extensions_one_pending",
                table: "case_extensions",
                column: "case_id",
                unique: true,
                filter: "status = 'Pending'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "case_extensions");

            migrationBuilder.DropColumn(
                name: "extension_count",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "late_explanation",
                table: "cases");
        }
    }
}
