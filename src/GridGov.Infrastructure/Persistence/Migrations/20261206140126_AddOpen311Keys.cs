using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace GridGov.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class AddOpen311Keys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "open311_api_keys",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    client_name = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    prefix = table.Column<string>(type: "character(10)", fixedLength: true, maxLength: 10, nullable: false),
                    secret_hash = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    issued_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    issued_by_staff_id = table.Column<int>(type: "integer", nullable: true),
                    issued_by_name = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    revoked_by_staff_id = table.Column<int>(type: "integer", nullable: true),
                    revoked_by_name = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: true),
                    revoke_reason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_open311_api_keys", x => x.id);
                    table.ForeignKey(
                        name: "fk_open311_api_keys_staff_members_issued_by_staff_id",
                        column: x => x.issued_by_staff_id,
                        principalTable: "staff_members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_open311_api_keys_staff_members_revoked_by_staff_id",
                        column: x => x.revoked_by_staff_id,
                        principalTable: "staff_members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_open311_api_keys_issued_by_staff_id",
                table: "open311_api_keys",
                column: "issued_by_staff_id");

            migrationBuilder.CreateIndex(
                name: "ix_open311_api_keys_revoked_by_staff_id",
                table: "open311_api_keys",
                column: "revoked_by_staff_id");

            migrationBuilder.CreateIndex(
                name: "ix_open311_api_keys_secret_hash",
                table: "open311_api_keys",
                column: "secret_hash",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "open311_api_keys");
        }
    }
}
