using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GridGov.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class CaseListIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_cases_co_handling_department_ids",
                table: "cases",
                column: "co_handling_department_ids")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_cases_reported_at_id",
                table: "cases",
                columns: new[] { "reported_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_cases_reporter_staff_id_reported_at",
                table: "cases",
                columns: new[] { "reporter_staff_id", "reported_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_cases_co_handling_department_ids",
                table: "cases");

            migrationBuilder.DropIndex(
                name: "ix_cases_reported_at_id",
                table: "cases");

            migrationBuilder.DropIndex(
                name: "ix_cases_reporter_staff_id_reported_at",
                table: "cases");
        }
    }
}
