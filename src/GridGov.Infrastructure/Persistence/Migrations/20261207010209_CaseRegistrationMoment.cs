using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GridGov.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class CaseRegistrationMoment : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "registered_at",
                table: "cases",
                type: "timestamp with time zone",
                nullable: true);

            // Cases registered (or confirmed on the spot) before this migration: their first such step.
            migrationBuilder.Sql("""
                UPDATE cases c SET registered_at = r.at
                FROM (SELECT case_id, min(at) AS at FROM case_history WHERE action IN ('Register', 'ConfirmOnSpot') GROUP BY case_id) r
                WHERE r.case_id = c.id;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "registered_at",
                table: "cases");
        }
    }
}
