using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace GridGov.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class NoticeSenders : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_notifications_pending",
                table: "notifications");

            migrationBuilder.AddColumn<string>(
                name: "channel",
                table: "notifications",
                type: "character varying(40)",
                maxLength: 40,
                nullable: false,
                defaultValue: "Sms");

            migrationBuilder.AddColumn<string>(
                name: "gateway_message_id",
                table: "notifications",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "next_attempt_at",
                table: "notifications",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "notice_id",
                table: "notifications",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "recipient_email",
                table: "notifications",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "sent_by",
                table: "notifications",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "status",
                table: "notifications",
                type: "character varying(40)",
                maxLength: 40,
                nullable: false,
                defaultValue: "Pending");

            // The messages already in the outbox: sent ones as sent (by the log, the only sender until now), those that used
            // up their attempts as failed, the rest pending.
            migrationBuilder.Sql("""
                UPDATE notifications SET status = 'Sent', sent_by = 'Log' WHERE sent_at IS NOT NULL;
                UPDATE notifications SET status = 'Failed' WHERE sent_at IS NULL AND attempts >= 5;
                """);

            migrationBuilder.CreateTable(
                name: "notice_senders",
                columns: table => new
                {
                    channel = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    daily_cap = table.Column<int>(type: "integer", nullable: false),
                    gateway_url = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    sign_name = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    staff_template_id = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    notice_template_id = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    smtp_host = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    smtp_port = table.Column<int>(type: "integer", nullable: true),
                    smtp_tls = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    smtp_user = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    from_address = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    from_name = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: true),
                    protected_secret = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    secret_hint = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    updated_by_staff_id = table.Column<int>(type: "integer", nullable: true),
                    updated_by_name = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_notice_senders", x => x.channel);
                    table.ForeignKey(
                        name: "fk_notice_senders_staff_members_updated_by_staff_id",
                        column: x => x.updated_by_staff_id,
                        principalTable: "staff_members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "notices",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    text = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    target = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    grid_ids = table.Column<List<int>>(type: "integer[]", nullable: false),
                    compound_id = table.Column<int>(type: "integer", nullable: true),
                    community_id = table.Column<int>(type: "integer", nullable: true),
                    target_name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    recipient_count = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_by_staff_id = table.Column<int>(type: "integer", nullable: true),
                    created_by_name = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_notices", x => x.id);
                    table.ForeignKey(
                        name: "fk_notices_communities_community_id",
                        column: x => x.community_id,
                        principalTable: "communities",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_notices_compounds_compound_id",
                        column: x => x.compound_id,
                        principalTable: "compounds",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_notices_staff_members_created_by_staff_id",
                        column: x => x.created_by_staff_id,
                        principalTable: "staff_members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_notifications_notice_id",
                table: "notifications",
                column: "notice_id",
                filter: "notice_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_notifications_pending",
                table: "notifications",
                column: "id",
                filter: "status = 'Pending'");

            migrationBuilder.CreateIndex(
                name: "ix_notifications_sent_email",
                table: "notifications",
                columns: new[] { "recipient_email", "sent_at" },
                filter: "status = 'Sent' AND recipient_email IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_notifications_sent_phone",
                table: "notifications",
                columns: new[] { "recipient_phone", "sent_at" },
                filter: "status = 'Sent'");

            migrationBuilder.CreateIndex(
                name: "ix_notice_senders_updated_by_staff_id",
                table: "notice_senders",
                column: "updated_by_staff_id");

            migrationBuilder.CreateIndex(
                name: "ix_notices_community_id_created_at",
                table: "notices",
                columns: new[] { "community_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_notices_compound_id",
                table: "notices",
                column: "compound_id");

            migrationBuilder.CreateIndex(
                name: "ix_notices_created_by_staff_id",
                table: "notices",
                column: "created_by_staff_id");

            migrationBuilder.AddForeignKey(
                name: "fk_notifications_notices_notice_id",
                table: "notifications",
                column: "notice_id",
                principalTable: "notices",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_notifications_notices_notice_id",
                table: "notifications");

            migrationBuilder.DropTable(
                name: "notice_senders");

            migrationBuilder.DropTable(
                name: "notices");

            migrationBuilder.DropIndex(
                name: "ix_notifications_notice_id",
                table: "notifications");

            migrationBuilder.DropIndex(
                name: "ix_notifications_pending",
                table: "notifications");

            migrationBuilder.DropIndex(
                name: "ix_notifications_sent_email",
                table: "notifications");

            migrationBuilder.DropIndex(
                name: "ix_notifications_sent_phone",
                table: "notifications");

            migrationBuilder.DropColumn(
                name: "channel",
                table: "notifications");

            migrationBuilder.DropColumn(
                name: "gateway_message_id",
                table: "notifications");

            migrationBuilder.DropColumn(
                name: "next_attempt_at",
                table: "notifications");

            migrationBuilder.DropColumn(
                name: "notice_id",
                table: "notifications");

            migrationBuilder.DropColumn(
                name: "recipient_email",
                table: "notifications");

            migrationBuilder.DropColumn(
                name: "sent_by",
                table: "notifications");

            migrationBuilder.DropColumn(
                name: "status",
                table: "notifications");

            migrationBuilder.CreateIndex(
                name: "ix_notifications_pending",
                table: "notifications",
                column: "id",
                filter: "sent_at IS NULL");
        }
    }
}
