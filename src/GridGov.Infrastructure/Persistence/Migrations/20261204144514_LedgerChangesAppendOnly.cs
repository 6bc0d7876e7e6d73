using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GridGov.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// The ledgers' change history (who, when, before, after) becomes append-only in the database, as the
    /// audit log and the case history already are: rows are refused on UPDATE and DELETE, the table on TRUNCATE.
    /// </summary>
    public partial class LedgerChangesAppendOnly : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION ledger_changes_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'ledger_changes is append-only: % refused (台账变更记录只能追加，不能修改或删除)', TG_OP
                        USING ERRCODE = 'insufficient_privilege';
                END $$;
                CREATE TRIGGER ledger_changes_append_only
                    BEFORE UPDATE OR DELETE ON ledger_changes
                    FOR EACH ROW EXECUTE FUNCTION ledger_changes_are_append_only();
                CREATE TRIGGER ledger_changes_no_truncate
                    BEFORE TRUNCATE ON ledger_changes
                    FOR EACH STATEMENT EXECUTE FUNCTION ledger_changes_are_append_only();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER ledger_changes_no_truncate ON ledger_changes; DROP TRIGGER ledger_changes_append_only ON ledger_changes; DROP FUNCTION ledger_changes_are_append_only();");
        }
    }
}
