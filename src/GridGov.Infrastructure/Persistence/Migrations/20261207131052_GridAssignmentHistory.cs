using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GridGov.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class GridAssignmentHistory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_grid_assignments_grid_code_staff_member_id",
                table: "grid_assignments");

            migrationBuilder.DropIndex(
                name: "ix_grid_assignments_one_leader",
                table: "grid_assignments");

            migrationBuilder.AddColumn<DateOnly>(
                name: "ended_on",
                table: "grid_assignments",
                type: "date",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_grid_assignments_grid_code_staff_member_id",
                table: "grid_assignments",
                columns: new[] { "grid_code", "staff_member_id" },
                unique: true,
                filter: "ended_on IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_grid_assignments_one_leader",
                table: "grid_assignments",
                column: "grid_code",
                unique: true,
                filter: "duty = 'Leader' AND ended_on IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_grid_assignments_grid_code_staff_member_id",
                table: "grid_assignments");

            migrationBuilder.DropIndex(
                name: "ix_grid_assignments_one_leader",
                table: "grid_assignments");

            migrationBuilder.DropColumn(
                name: "ended_on",
                table: "grid_assignments");

            migrationBuilder.CreateIndex(
                name: "ix_grid_assignments_grid_code_staff_member_id",
                table: "grid_assignments",
                columns: new[] { "grid_code", "staff_member_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_grid_assignments_one_leader",
                table: "grid_assignments",
                column: "grid_code",
                unique: true,
                filter: "duty = 'Leader'");
        }
    }
}
