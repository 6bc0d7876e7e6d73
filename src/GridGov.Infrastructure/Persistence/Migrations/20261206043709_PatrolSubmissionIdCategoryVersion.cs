using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GridGov.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// A patrol keeps its recording form's submission id (unique per patroller; the second index finds another person's
    /// use of it). Categories' row version maps to PostgreSQL's system column xmin (Npgsql writes no SQL for it).
    /// </summary>
    public partial class PatrolSubmissionIdCategoryVersion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "submission_id",
                table: "patrols",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<uint>(
                name: "xmin",
                table: "categories",
                type: "xid",
                rowVersion: true,
                nullable: false,
                defaultValue: 0u);

            migrationBuilder.CreateIndex(
                name: "ix_patrols_patroller_staff_id_submission_id",
                table: "patrols",
                columns: new[] { "patroller_staff_id", "submission_id" },
                unique: true,
                filter: "submission_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_patrols_submission_id",
                table: "patrols",
                column: "submission_id",
                filter: "submission_id IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_patrols_patroller_staff_id_submission_id",
                table: "patrols");

            migrationBuilder.DropIndex(
                name: "ix_patrols_submission_id",
                table: "patrols");

            migrationBuilder.DropColumn(
                name: "submission_id",
                table: "patrols");

            migrationBuilder.DropColumn(
                name: "xmin",
                table: "categories");
        }
    }
}
