using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrlmCdsHooks.Api.Audit.Migrations.Sqlite
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
                    CardId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Service = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    HookInstance = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Client = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    PatientPseudonym = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ModelId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ModelVersion = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    RiskGroup = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Recommendation = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ReviewItems = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cards", x => x.CardId);
                });

            migrationBuilder.CreateTable(
                name: "feedback",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CardId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ReceivedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    OutcomeAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Client = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    OverrideReasonSystem = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    OverrideReasonCode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    AcceptedSuggestions = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true)
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
