using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GridGov.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// The span of each closed case (reported … closed, both ends included), indexed for "which cases were open at this
    /// moment" (the monthly evaluation's open and overdue at month end). A GiST index on an expression, which the EF model
    /// cannot describe; cases still open are found by their state instead. <c>greatest</c> keeps a closing moment stamped
    /// before the report (another node's clock, a data correction) from making the row unwritable: such a span is empty.
    /// </summary>
    public partial class CaseLifetimes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE INDEX ix_cases_lifetime ON cases USING gist (tstzrange(reported_at, greatest(reported_at, closed_at), '[]')) WHERE closed_at IS NOT NULL;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX ix_cases_lifetime;");
        }
    }
}
