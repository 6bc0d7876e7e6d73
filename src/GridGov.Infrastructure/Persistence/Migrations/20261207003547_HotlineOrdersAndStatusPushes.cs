using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace GridGov.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class HotlineOrdersAndStatusPushes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "hotline_due",
                table: "cases",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "hotline_order_number",
                table: "cases",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "hotline_category_mappings",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    hotline_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    category_id = table.Column<int>(type: "integer", nullable: false),
                    note = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_hotline_category_mappings", x => x.id);
                    table.ForeignKey(
                        name: "fk_hotline_category_mappings_categories_category_id",
                        column: x => x.category_id,
                        principalTable: "categories",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "hotline_orders",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    order_number = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    body_hash = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    category_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    appeal_type = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    category_mapped = table.Column<bool>(type: "boolean", nullable: false),
                    placement = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    due = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_hotline_orders", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "hotline_status_pushes",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    order_number = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    case_id = table.Column<int>(type: "integer", nullable: false),
                    case_number = table.Column<string>(type: "character(14)", fixedLength: true, maxLength: 14, nullable: false),
                    action = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    from_state = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    to_state = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    note = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    due = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    status = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_error = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    delivered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_hotline_status_pushes", x => x.id);
                    table.ForeignKey(
                        name: "fk_hotline_status_pushes_cases_case_id",
                        column: x => x.case_id,
                        principalTable: "cases",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_cases_hotline_order_number",
                table: "cases",
                column: "hotline_order_number",
                unique: true,
                filter: "hotline_order_number IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_hotline_category_mappings_category_id",
                table: "hotline_category_mappings",
                column: "category_id");

            migrationBuilder.CreateIndex(
                name: "ix_hotline_category_mappings_hotline_code",
                table: "hotline_category_mappings",
                column: "hotline_code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_hotline_orders_order_number",
                table: "hotline_orders",
                column: "order_number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_hotline_status_pushes_case_id",
                table: "hotline_status_pushes",
                column: "case_id");

            migrationBuilder.CreateIndex(
                name: "ix_hotline_status_pushes_order_number_id",
                table: "hotline_status_pushes",
                columns: new[] { "order_number", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_hotline_status_pushes_status_next_attempt_at",
                table: "hotline_status_pushes",
                columns: new[] { "status", "next_attempt_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "hotline_category_mappings");

            migrationBuilder.DropTable(
                name: "hotline_orders");

            migrationBuilder.DropTable(
                name: "hotline_status_pushes");

            migrationBuilder.DropIndex(
                name: "ix_cases_hotline_order_number",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "hotline_due",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "hotline_order_number",
                table: "cases");
        }
    }
}
