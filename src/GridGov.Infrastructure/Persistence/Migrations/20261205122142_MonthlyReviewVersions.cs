using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GridGov.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// Monthly reviews carry who saved them last and when (named when a stale save is refused), and map their row
    /// version to PostgreSQL's system column xmin (Npgsql writes no SQL for xmin).
    /// </summary>
    public partial class MonthlyReviewVersions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "changed_at",
                table: "monthly_reviews",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "changed_by_staff_id",
                table: "monthly_reviews",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<uint>(
                name: "xmin",
                table: "monthly_reviews",
                type: "xid",
                rowVersion: true,
                nullable: false,
                defaultValue: 0u);

            migrationBuilder.CreateIndex(
                name: "ix_monthly_reviews_changed_by_staff_id",
                table: "monthly_reviews",
                column: "changed_by_staff_id");

            migrationBuilder.AddForeignKey(
                name: "fk_monthly_reviews_staff_members_changed_by_staff_id",
                table: "monthly_reviews",
                column: "changed_by_staff_id",
                principalTable: "staff_members",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_monthly_reviews_staff_members_changed_by_staff_id",
                table: "monthly_reviews");

            migrationBuilder.DropIndex(
                name: "ix_monthly_reviews_changed_by_staff_id",
                table: "monthly_reviews");

            migrationBuilder.DropColumn(
                name: "changed_at",
                table: "monthly_reviews");

            migrationBuilder.DropColumn(
                name: "changed_by_staff_id",
                table: "monthly_reviews");

            migrationBuilder.DropColumn(
                name: "xmin",
                table: "monthly_reviews");
        }
    }
}
