using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GridGov.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class CalendarDaysOnlyExceptions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // A holiday on a weekend or a "working day" from Monday to Friday changes nothing in the working calendar (the
            // demo seed listed every day of each holiday, weekends included): such rows go, so the rule can hold from now on.
            migrationBuilder.Sql("DELETE FROM calendar_days WHERE is_working_day <> (extract(isodow FROM date) >= 6);");

            migrationBuilder.AddCheckConstraint(
                name: "ck_calendar_days_exception",
                table: "calendar_days",
                sql: "is_working_day = (extract(isodow FROM date) >= 6)");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_calendar_days_exception",
                table: "calendar_days");
        }
    }
}
