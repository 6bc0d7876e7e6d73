using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace GridGov.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// The ledger import (issue 14): one row per confirmed import (append-only, as the change history it explains), the
    /// change history's pointer to the import that made a change, and an index on household addresses (an import
    /// matches households by address).
    /// </summary>
    public partial class LedgerImports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "import_id",
                table: "ledger_changes",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ledger_imports",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    file_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    actor_staff_id = table.Column<int>(type: "integer", nullable: true),
                    actor_name = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    community_id = table.Column<int>(type: "integer", nullable: true),
                    rows = table.Column<int>(type: "integer", nullable: false),
                    created = table.Column<int>(type: "integer", nullable: false),
                    updated = table.Column<int>(type: "integer", nullable: false),
                    unchanged = table.Column<int>(type: "integer", nullable: false),
                    refused = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ledger_imports", x => x.id);
                    table.ForeignKey(
                        name: "fk_ledger_imports_communities_community_id",
                        column: x => x.community_id,
                        principalTable: "communities",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_ledger_imports_staff_members_actor_staff_id",
                        column: x => x.actor_staff_id,
                        principalTable: "staff_members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_ledger_changes_import_id",
                table: "ledger_changes",
                column: "import_id");

            migrationBuilder.CreateIndex(
                name: "ix_households_address",
                table: "households",
                column: "address");

            migrationBuilder.CreateIndex(
                name: "ix_ledger_imports_actor_staff_id",
                table: "ledger_imports",
                column: "actor_staff_id");

            migrationBuilder.CreateIndex(
                name: "ix_ledger_imports_at",
                table: "ledger_imports",
                column: "at");

            migrationBuilder.CreateIndex(
                name: "ix_ledger_imports_community_id",
                table: "ledger_imports",
                column: "community_id");

            migrationBuilder.AddForeignKey(
                name: "fk_ledger_changes_ledger_imports_import_id",
                table: "ledger_changes",
                column: "import_id",
                principalTable: "ledger_imports",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.Sql("""
                CREATE FUNCTION ledger_imports_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'ledger_imports is append-only: % refused (台账导入记录只能追加，不能修改或删除)', TG_OP
                        USING ERRCODE = 'insufficient_privilege';
                END $$;
                CREATE TRIGGER ledger_imports_append_only
                    BEFORE UPDATE OR DELETE ON ledger_imports
                    FOR EACH ROW EXECUTE FUNCTION ledger_imports_are_append_only();
                CREATE TRIGGER ledger_imports_no_truncate
                    BEFORE TRUNCATE ON ledger_imports
                    FOR EACH STATEMENT EXECUTE FUNCTION ledger_imports_are_append_only();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER ledger_imports_no_truncate ON ledger_imports; DROP TRIGGER ledger_imports_append_only ON ledger_imports; DROP FUNCTION ledger_imports_are_append_only();");

            migrationBuilder.DropForeignKey(
                name: "fk_ledger_changes_ledger_imports_import_id",
                table: "ledger_changes");

            migrationBuilder.DropTable(
                name: "ledger_imports");

            migrationBuilder.DropIndex(
                name: "ix_ledger_changes_import_id",
                table: "ledger_changes");

            migrationBuilder.DropIndex(
                name: "ix_households_address",
                table: "households");

            migrationBuilder.DropColumn(
                name: "import_id",
                table: "ledger_changes");
        }
    }
}
