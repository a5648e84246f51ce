using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CrlmCdsHooks.Api.Audit.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class InitialAudit : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "cards",
                columns: table => new
                {
                    CardId = table.Column<Guid>(type: "uuid", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Service = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    HookInstance = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Client = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    PatientPseudonym = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ModelId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ModelVersion = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    RiskGroup = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Recommendation = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ReviewItems = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cards", x => x.CardId);
                });

            migrationBuilder.CreateTable(
                name: "feedback",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CardId = table.Column<Guid>(type: "uuid", nullable: false),
                    ReceivedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    OutcomeAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Client = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Outcome = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    OverrideReasonSystem = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    OverrideReasonCode = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    AcceptedSuggestions = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_feedback", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_cards_CreatedAt",
                table: "cards",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_feedback_CardId",
                table: "feedback",
                column: "CardId");

            migrationBuilder.CreateIndex(
                name: "IX_feedback_ReceivedAt",
                table: "feedback",
                column: "ReceivedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "cards");

            migrationBuilder.DropTable(
                name: "feedback");
        }
    }
}
