using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GridGov.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class UnitComponentImport : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "credit_code",
                table: "units",
                type: "character(18)",
                fixedLength: true,
                maxLength: 18,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_units_credit_code",
                table: "units",
                column: "credit_code",
                unique: true,
                filter: "removed_at IS NULL AND credit_code IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_units_name_address",
                table: "units",
                columns: new[] { "name", "address" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_units_credit_code",
                table: "units");

            migrationBuilder.DropIndex(
                name: "ix_units_name_address",
                table: "units");

            migrationBuilder.DropColumn(
                name: "credit_code",
                table: "units");
        }
    }
}
