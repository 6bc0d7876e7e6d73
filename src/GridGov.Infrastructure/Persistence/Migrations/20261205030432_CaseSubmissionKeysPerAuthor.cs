using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GridGov.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class CaseSubmissionKeysPerAuthor : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_cases_submission_id",
                table: "cases");

            migrationBuilder.AddColumn<string>(
                name: "submission_purpose",
                table: "cases",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            // Existing keys: a patrol's derived ids (PatrolReports.SubmissionId, same hash in SQL) reported by its patroller
            // are patrol reports; every other key came from the report form.
            migrationBuilder.Sql("""
                UPDATE cases SET submission_purpose = 'CaseReport' WHERE submission_id IS NOT NULL;
                UPDATE cases c SET submission_purpose = 'PatrolReport'
                FROM (
                    SELECT p.patroller_staff_id,
                           encode(set_byte(set_byte(x.h, 7, (get_byte(x.h, 7) & 15) | 128), 8, (get_byte(x.h, 8) & 63) | 128), 'hex')::uuid AS key
                    FROM patrols p
                    CROSS JOIN generate_series(0, 9) AS i
                    CROSS JOIN LATERAL (SELECT substring(sha256(convert_to('gridgov/patrol/' || p.id || '/report/' || i, 'UTF8')) FROM 1 FOR 16) AS h) AS x
                ) k
                WHERE c.submission_id = k.key AND c.reporter_staff_id = k.patroller_staff_id;
                """);

            migrationBuilder.CreateIndex(
                name: "ix_cases_reporter_staff_id_submission_purpose_submission_id",
                table: "cases",
                columns: new[] { "reporter_staff_id", "submission_purpose", "submission_id" },
                unique: true,
                filter: "submission_id IS NOT NULL")
                .Annotation("Npgsql:NullsDistinct", false);

            migrationBuilder.CreateIndex(
                name: "ix_cases_submission_id",
                table: "cases",
                column: "submission_id",
                filter: "submission_id IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_cases_reporter_staff_id_submission_purpose_submission_id",
                table: "cases");

            migrationBuilder.DropIndex(
                name: "ix_cases_submission_id",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "submission_purpose",
                table: "cases");

            migrationBuilder.CreateIndex(
                name: "ix_cases_submission_id",
                table: "cases",
                column: "submission_id",
                unique: true,
                filter: "submission_id IS NOT NULL");
        }
    }
}
