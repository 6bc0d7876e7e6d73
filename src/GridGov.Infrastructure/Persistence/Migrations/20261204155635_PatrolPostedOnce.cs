using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GridGov.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// A patrol is stored once per patroller, grid, start and end: PatrolService answers a repeated post with the stored
    /// patrol, and this index makes that hold when two posts race (two app nodes, or two requests at once).
    /// </summary>
    public partial class PatrolPostedOnce : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_patrols_patroller_staff_id_grid_id_started_at_ended_at",
                table: "patrols",
                columns: new[] { "patroller_staff_id", "grid_id", "started_at", "ended_at" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_patrols_patroller_staff_id_grid_id_started_at_ended_at",
                table: "patrols");
        }
    }
}
