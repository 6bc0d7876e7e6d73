using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GridGov.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class OngoingPatrols : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ongoing_patrols",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    patroller_staff_id = table.Column<int>(type: "integer", nullable: false),
                    grid_code = table.Column<string>(type: "character(15)", fixedLength: true, maxLength: 15, nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    recorded_patrol_id = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ongoing_patrols", x => x.id);
                    table.ForeignKey(
                        name: "fk_ongoing_patrols_patrols_recorded_patrol_id",
                        column: x => x.recorded_patrol_id,
                        principalTable: "patrols",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_ongoing_patrols_staff_members_patroller_staff_id",
                        column: x => x.patroller_staff_id,
                        principalTable: "staff_members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ongoing_patrol_points",
                columns: table => new
                {
                    ongoing_patrol_id = table.Column<Guid>(type: "uuid", nullable: false),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    longitude = table.Column<double>(type: "double precision", nullable: false),
                    latitude = table.Column<double>(type: "double precision", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ongoing_patrol_points", x => new { x.ongoing_patrol_id, x.recorded_at });
                    table.ForeignKey(
                        name: "fk_ongoing_patrol_points_ongoing_patrols_ongoing_patrol_id",
                        column: x => x.ongoing_patrol_id,
                        principalTable: "ongoing_patrols",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_ongoing_patrols_patroller_staff_id_started_at",
                table: "ongoing_patrols",
                columns: new[] { "patroller_staff_id", "started_at" });

            migrationBuilder.CreateIndex(
                name: "ix_ongoing_patrols_recorded_patrol_id",
                table: "ongoing_patrols",
                column: "recorded_patrol_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ongoing_patrol_points");

            migrationBuilder.DropTable(
                name: "ongoing_patrols");
        }
    }
}
