using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace GridGov.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class AddBulletins : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "bulletins",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    month = table.Column<DateOnly>(type: "date", nullable: false),
                    state = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    issue_year = table.Column<int>(type: "integer", nullable: true),
                    issue_number = table.Column<int>(type: "integer", nullable: true),
                    snapshot_id = table.Column<long>(type: "bigint", nullable: false),
                    content = table.Column<string>(type: "jsonb", nullable: false),
                    foreword = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    closing_notes = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    created_by_staff_id = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    changed_by_staff_id = table.Column<int>(type: "integer", nullable: false),
                    changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    issued_by_staff_id = table.Column<int>(type: "integer", nullable: true),
                    issued_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_bulletins", x => x.id);
                    table.CheckConstraint("ck_bulletins_issued", "(state = 'Issued') = (issue_number IS NOT NULL AND issue_year IS NOT NULL AND issued_at IS NOT NULL AND issued_by_staff_id IS NOT NULL)");
                    table.CheckConstraint("ck_bulletins_month", "extract(day FROM month) = 1");
                    table.ForeignKey(
                        name: "fk_bulletins_evaluation_snapshots_snapshot_id",
                        column: x => x.snapshot_id,
                        principalTable: "evaluation_snapshots",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_bulletins_staff_members_changed_by_staff_id",
                        column: x => x.changed_by_staff_id,
                        principalTable: "staff_members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_bulletins_staff_members_created_by_staff_id",
                        column: x => x.created_by_staff_id,
                        principalTable: "staff_members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_bulletins_staff_members_issued_by_staff_id",
                        column: x => x.issued_by_staff_id,
                        principalTable: "staff_members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_bulletins_changed_by_staff_id",
                table: "bulletins",
                column: "changed_by_staff_id");

            migrationBuilder.CreateIndex(
                name: "ix_bulletins_created_by_staff_id",
                table: "bulletins",
                column: "created_by_staff_id");

            migrationBuilder.CreateIndex(
                name: "ix_bulletins_issue_year_issue_number",
                table: "bulletins",
                columns: new[] { "issue_year", "issue_number" },
                unique: true,
                filter: "issue_number IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_bulletins_issued_by_staff_id",
                table: "bulletins",
                column: "issued_by_staff_id");

            migrationBuilder.CreateIndex(
                name: "ix_bulletins_month",
                table: "bulletins",
                column: "month",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_bulletins_snapshot_id",
                table: "bulletins",
                column: "snapshot_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "bulletins");
        }
    }
}
