using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using NetTopologySuite.Geometries;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace GridGov.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ResidentReportsPointsAndCodes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "resident_name",
                table: "categories",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "level",
                table: "case_satisfaction_answers",
                type: "character varying(40)",
                maxLength: 40,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "exchange_items",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    points = table.Column<int>(type: "integer", nullable: false),
                    stock = table.Column<int>(type: "integer", nullable: false),
                    is_active = table.Column<bool>(type: "boolean", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_exchange_items", x => x.id);
                    table.CheckConstraint("ck_exchange_items_stock", "stock >= 0 AND points > 0");
                });

            migrationBuilder.CreateTable(
                name: "held_reports",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    phone = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    category_id = table.Column<int>(type: "integer", nullable: false),
                    description = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    location = table.Column<Point>(type: "geometry(Point,4326)", nullable: false),
                    address = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    photo_hashes = table.Column<List<string>>(type: "text[]", nullable: false),
                    submission_id = table.Column<Guid>(type: "uuid", nullable: false),
                    client_address = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    held_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    state = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    decided_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    decided_by_staff_id = table.Column<int>(type: "integer", nullable: true),
                    decided_by_name = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: true),
                    refusal_reason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    case_number = table.Column<string>(type: "character(14)", fixedLength: true, maxLength: 14, nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_held_reports", x => x.id);
                    table.ForeignKey(
                        name: "fk_held_reports_categories_category_id",
                        column: x => x.category_id,
                        principalTable: "categories",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_held_reports_staff_members_decided_by_staff_id",
                        column: x => x.decided_by_staff_id,
                        principalTable: "staff_members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "resident_codes",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    phone = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    client_address = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    secret_salt = table.Column<byte[]>(type: "bytea", maxLength: 16, nullable: false),
                    secret_hash = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    failed_attempts = table.Column<int>(type: "integer", nullable: false),
                    confirmed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_resident_codes", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "resident_point_accounts",
                columns: table => new
                {
                    phone = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    balance = table.Column<int>(type: "integer", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_resident_point_accounts", x => x.phone);
                    table.CheckConstraint("ck_resident_point_accounts_balance", "balance >= 0");
                });

            migrationBuilder.CreateTable(
                name: "redemptions",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    phone = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    exchange_item_id = table.Column<int>(type: "integer", nullable: false),
                    item_name = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    points = table.Column<int>(type: "integer", nullable: false),
                    staff_member_id = table.Column<int>(type: "integer", nullable: true),
                    staff_name = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_redemptions", x => x.id);
                    table.ForeignKey(
                        name: "fk_redemptions_exchange_items_exchange_item_id",
                        column: x => x.exchange_item_id,
                        principalTable: "exchange_items",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_redemptions_staff_members_staff_member_id",
                        column: x => x.staff_member_id,
                        principalTable: "staff_members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "resident_report_records",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    phone = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    client_address = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    case_number = table.Column<string>(type: "character(14)", fixedLength: true, maxLength: 14, nullable: true),
                    held_report_id = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_resident_report_records", x => x.id);
                    table.ForeignKey(
                        name: "fk_resident_report_records_held_reports_held_report_id",
                        column: x => x.held_report_id,
                        principalTable: "held_reports",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "resident_point_entries",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    phone = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    points = table.Column<int>(type: "integer", nullable: false),
                    balance_after = table.Column<int>(type: "integer", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    case_id = table.Column<int>(type: "integer", nullable: true),
                    case_number = table.Column<string>(type: "character(14)", fixedLength: true, maxLength: 14, nullable: true),
                    redemption_id = table.Column<long>(type: "bigint", nullable: true),
                    note = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_resident_point_entries", x => x.id);
                    table.CheckConstraint("ck_resident_point_entries_balance", "balance_after >= 0");
                    table.ForeignKey(
                        name: "fk_resident_point_entries_cases_case_id",
                        column: x => x.case_id,
                        principalTable: "cases",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_resident_point_entries_redemptions_redemption_id",
                        column: x => x.redemption_id,
                        principalTable: "redemptions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_resident_point_entries_resident_point_accounts_phone",
                        column: x => x.phone,
                        principalTable: "resident_point_accounts",
                        principalColumn: "phone",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_exchange_items_name",
                table: "exchange_items",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_held_reports_category_id",
                table: "held_reports",
                column: "category_id");

            migrationBuilder.CreateIndex(
                name: "ix_held_reports_decided_by_staff_id",
                table: "held_reports",
                column: "decided_by_staff_id");

            migrationBuilder.CreateIndex(
                name: "ix_held_reports_location",
                table: "held_reports",
                column: "location")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_held_reports_state_held_at",
                table: "held_reports",
                columns: new[] { "state", "held_at" });

            migrationBuilder.CreateIndex(
                name: "ix_held_reports_submission_id",
                table: "held_reports",
                column: "submission_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_redemptions_exchange_item_id",
                table: "redemptions",
                column: "exchange_item_id");

            migrationBuilder.CreateIndex(
                name: "ix_redemptions_phone_at",
                table: "redemptions",
                columns: new[] { "phone", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_redemptions_staff_member_id",
                table: "redemptions",
                column: "staff_member_id");

            migrationBuilder.CreateIndex(
                name: "ix_resident_codes_client_address_created_at",
                table: "resident_codes",
                columns: new[] { "client_address", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_resident_codes_phone_created_at",
                table: "resident_codes",
                columns: new[] { "phone", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_resident_point_entries_case_id_kind",
                table: "resident_point_entries",
                columns: new[] { "case_id", "kind" },
                unique: true,
                filter: "case_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_resident_point_entries_phone_at",
                table: "resident_point_entries",
                columns: new[] { "phone", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_resident_point_entries_redemption_id",
                table: "resident_point_entries",
                column: "redemption_id");

            migrationBuilder.CreateIndex(
                name: "ix_resident_report_records_client_address_at",
                table: "resident_report_records",
                columns: new[] { "client_address", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_resident_report_records_held_report_id",
                table: "resident_report_records",
                column: "held_report_id");

            migrationBuilder.CreateIndex(
                name: "ix_resident_report_records_phone_at",
                table: "resident_report_records",
                columns: new[] { "phone", "at" });

            // Answers recorded before the three levels were either satisfied or dissatisfied.
            migrationBuilder.Sql("UPDATE case_satisfaction_answers SET level = CASE WHEN satisfied THEN 'Satisfied' ELSE 'Dissatisfied' END;");

            // Plain-language names residents read on the public report page, for the default taxonomy's minor classes
            // (a class an administrator added keeps its own name there).
            migrationBuilder.Sql("""
                UPDATE categories c SET resident_name = v.name
                FROM (VALUES
                  ('0101', '自来水井盖坏了或丢了'),
                  ('0102', '污水井盖坏了或丢了'),
                  ('0103', '雨水井盖坏了或丢了'),
                  ('0104', '下水口被堵或盖板坏了'),
                  ('0105', '电力井盖坏了或丢了'),
                  ('0106', '燃气井盖坏了或丢了'),
                  ('0107', '路灯不亮或灯杆坏了'),
                  ('0108', '消防栓漏水、损坏或被挡住'),
                  ('0109', '户外电箱门开着或损坏'),
                  ('0201', '红绿灯不亮或故障'),
                  ('0202', '交通指示牌倒了或被挡'),
                  ('0203', '马路护栏倒了或断了'),
                  ('0204', '公交站台损坏'),
                  ('0205', '盲道被占或砖块松动'),
                  ('0301', '路边垃圾箱坏了或满了'),
                  ('0302', '垃圾桶坏了或垃圾满出来'),
                  ('0303', '公厕坏了或很脏'),
                  ('0304', '店招广告牌破损、有掉落危险'),
                  ('0401', '行道树倒伏、断枝'),
                  ('0402', '绿地被踩坏或黄土裸露'),
                  ('0403', '绿地护栏坏了'),
                  ('0404', '花坛花箱坏了'),
                  ('0501', '路上有垃圾没人清'),
                  ('0502', '垃圾或渣土堆着没清运'),
                  ('0503', '路面脏、有泥沙油污'),
                  ('0504', '河里有漂浮垃圾'),
                  ('0505', '有人露天烧垃圾'),
                  ('0506', '路上有动物尸体'),
                  ('0601', '乱设户外广告'),
                  ('0602', '乱贴小广告'),
                  ('0603', '广告牌占了人行道'),
                  ('0604', '横幅标语破了或过期'),
                  ('0701', '施工噪声扰民'),
                  ('0702', '路面坑洼破损'),
                  ('0703', '道路被乱挖'),
                  ('0704', '工地围挡破损或倾斜'),
                  ('0705', '工地扬尘大'),
                  ('0801', '占道摆摊'),
                  ('0802', '流动摊贩'),
                  ('0803', '商铺把东西摆到店外'),
                  ('0804', '公共区域乱堆杂物'),
                  ('0805', '汽车乱停'),
                  ('0806', '电动车、自行车乱停'),
                  ('0807', '露天烧烤油烟'),
                  ('0901', '路面塌陷'),
                  ('0902', '水管爆了、路上冒水'),
                  ('0903', '冒烟、着火或电线乱拉'),
                  ('0904', '闻到燃气味'),
                  ('0905', '路上积水很深'),
                  ('0906', '电线掉下来了'),
                  ('1001', '邻里矛盾'),
                  ('1002', '家庭矛盾'),
                  ('1003', '和物业的矛盾'),
                  ('1004', '被拖欠工资'),
                  ('1005', '租房矛盾'),
                  ('1006', '消费纠纷'),
                  ('1101', '消防通道被堵'),
                  ('1102', '燃气使用有隐患'),
                  ('1103', '楼道里给电动车充电'),
                  ('1104', '房子开裂、有倒塌危险'),
                  ('1105', '门店、企业有安全隐患'),
                  ('1106', '食品安全问题'),
                  ('1107', '高处有东西可能掉下来'),
                  ('1201', '违章搭建'),
                  ('1202', '楼顶私搭乱建'),
                  ('1203', '公共空地被圈占'),
                  ('1204', '私拆承重墙'),
                  ('1301', '发现可疑人员'),
                  ('1302', '治安隐患'),
                  ('1303', '群租房'),
                  ('1304', '需要关注的异常情况'),
                  ('1305', '可能聚集闹事'),
                  ('1401', '生活困难求助'),
                  ('1402', '找工作求助'),
                  ('1403', '老人需要照顾'),
                  ('1404', '政策咨询'),
                  ('1405', '残疾人需要帮扶'),
                  ('1406', '意见建议')
                ) AS v(code, name)
                WHERE c.code = v.code;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "resident_codes");

            migrationBuilder.DropTable(
                name: "resident_point_entries");

            migrationBuilder.DropTable(
                name: "resident_report_records");

            migrationBuilder.DropTable(
                name: "redemptions");

            migrationBuilder.DropTable(
                name: "resident_point_accounts");

            migrationBuilder.DropTable(
                name: "held_reports");

            migrationBuilder.DropTable(
                name: "exchange_items");

            migrationBuilder.DropColumn(
                name: "resident_name",
                table: "categories");

            migrationBuilder.DropColumn(
                name: "level",
                table: "case_satisfaction_answers");
        }
    }
}
