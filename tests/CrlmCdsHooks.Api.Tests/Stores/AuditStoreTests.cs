using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CrlmCdsHooks.Api.Audit;
using CrlmCdsHooks.TestData;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrlmCdsHooks.Api.Tests.Stores;

/// <summary>The audit store on its real databases: SQLite files and a PostgreSQL 15 server.</summary>
public sealed class AuditStoreTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    public static TheoryData<string> Stores => new("sqlite", "postgresql");

    private Dictionary<string, string?> StoreSettings(string store) => store == "sqlite"
        ? new() { ["Audit:SqlitePath"] = TemporaryAuditStore.NewSqlitePath() }
        : new() { ["ConnectionStrings:AuditDb"] = postgres.ConnectionString($"audit_{Guid.NewGuid():N}") };

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_card_and_its_feedback_are_kept_with_a_pseudonym_and_survive_a_restart(string store)
    {
        var settings = StoreSettings(store);
        var hook = Examples.HookJson("crlm-high-risk");
        var patientId = hook["context"]!["patientId"]!.GetValue<string>();
        Guid cardId;
        using (var first = new SecuredService(settings, "Development"))
        {
            cardId = await PostHookAsync(first, hook.ToJsonString());
            using var feedback = await first.PostAsync(ServiceHost.HookPath + "/feedback",
                $$"""{"feedback":[{"card":"{{cardId}}","outcome":"accepted","outcomeTimestamp":"2026-11-23T14:05:00+01:00"}]}""", null);
            Assert.Equal(HttpStatusCode.OK, feedback.StatusCode);

        }

        using var second = new SecuredService(settings, "Development");
        await second.Services.GetRequiredService<AuditStoreState>().Migrated.WaitAsync(TimeSpan.FromSeconds(60));
        var report = await second.GetJsonAsync("/api/governance/report");
        Assert.Equal(1, report["cards"]!.GetValue<int>());
        Assert.Equal(1, report["feedback"]!.GetValue<int>());
        Assert.Equal("high", report["outcomesByRiskGroup"]![0]!["riskGroup"]!.GetValue<string>());
        Assert.Equal(1, report["outcomesByRiskGroup"]![0]!["accepted"]!.GetValue<int>());

        await using var db = await second.Services.GetRequiredService<IDbContextFactory<AuditDbContext>>().CreateDbContextAsync();
        var card = await db.Cards.SingleAsync();
        Assert.Equal(cardId, card.CardId);
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(TemporaryAuditStore.PseudonymSecret), Encoding.UTF8.GetBytes(patientId)));
        Assert.Equal(expected, card.PatientPseudonym);
        Assert.DoesNotContain(new[] { card.Service, card.HookInstance, card.Client, card.PatientPseudonym, card.ModelId, card.ModelVersion, card.RiskGroup, card.Recommendation },
            value => value.Contains(patientId, StringComparison.Ordinal));
        Assert.Equal(("crlm-recurrence-liu2021", "high", "unsigned-development-caller"), (card.Service, card.RiskGroup, card.Client));
        var feedbackRecord = await db.Feedback.SingleAsync();
        Assert.Equal((cardId, "accepted", new DateTime(2026, 11, 23, 13, 5, 0, DateTimeKind.Utc)), (feedbackRecord.CardId, feedbackRecord.Outcome, feedbackRecord.OutcomeAt));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Records_older_than_the_retention_period_are_purged(string store)
    {
        var settings = StoreSettings(store);
        settings["Audit:Retention"] = "30.00:00:00";
        using (var seeding = new SecuredService(settings, "Development"))
        {
            await using var db = await seeding.Services.GetRequiredService<IDbContextFactory<AuditDbContext>>().CreateDbContextAsync();
            await db.Database.MigrateAsync();
            var old = new CardRecord { CardId = Guid.NewGuid(), CreatedAt = DateTime.UtcNow.AddDays(-31), Service = "s", HookInstance = "h", Client = "c", PatientPseudonym = "p", ModelId = "m", ModelVersion = "1", RiskGroup = "low", Recommendation = "local-treatment" };
            db.Cards.Add(old);
            db.Feedback.Add(new FeedbackRecord { CardId = old.CardId, ReceivedAt = old.CreatedAt, OutcomeAt = old.CreatedAt, Client = "c", Outcome = "accepted" });
            await db.SaveChangesAsync();
        }

        // The purge runs when the writer starts, then every PurgeInterval.
        using var restarted = new SecuredService(settings, "Development");
        var cardId = await PostHookAsync(restarted, Examples.Hook("crlm-high-risk"));
        await using var check = await restarted.Services.GetRequiredService<IDbContextFactory<AuditDbContext>>().CreateDbContextAsync();
        await Eventually.HoldsAsync(async () => (await check.Cards.Select(c => c.CardId).ToListAsync()).SequenceEqual([cardId]) && !await check.Feedback.AnyAsync());
    }

    [Fact]
    public async Task A_database_that_is_down_does_not_fail_the_hook_and_the_drop_is_reported()
    {
        using var service = new SecuredService(new()
        {
            ["ConnectionStrings:AuditDb"] = $"Host=127.0.0.1;Port={LocalServers.FreePort()};Username=postgres;Database=down;Timeout=1",
            ["Audit:QueueCapacity"] = "3",
        }, "Development");

        for (var i = 0; i < 10; i++)
            await PostHookAsync(service, Examples.Hook("crlm-high-risk"));

        Assert.Contains(service.Logs.Lines, line => line.Contains("Audit: 1 record(s) dropped: the write queue is full", StringComparison.Ordinal));
        Assert.Contains(service.Logs.Lines, line => line.Contains("Audit store unavailable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_the_audit_off_hooks_and_feedback_are_answered_and_there_is_no_report()
    {
        using var service = new SecuredService(new() { ["Audit:Enabled"] = "false" }, "Development");

        await PostHookAsync(service, Examples.Hook("crlm-high-risk"));
        using var feedback = await service.PostAsync(ServiceHost.HookPath + "/feedback",
            $$"""{"feedback":[{"card":"{{Guid.NewGuid()}}","outcome":"accepted","outcomeTimestamp":"2026-11-23T14:05:00Z"}]}""", null);
        using var client = service.CreateClient();
        using var report = await client.GetAsync(new Uri("/api/governance/report", UriKind.Relative));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.NotFound), (feedback.StatusCode, report.StatusCode));
        Assert.Null(service.Services.GetService<IDbContextFactory<AuditDbContext>>());
    }

    /// <summary>Posts a hook unsigned (Development, loopback) and returns the card's uuid.</summary>
    internal static async Task<Guid> PostHookAsync(SecuredService service, string hook)
    {
        using var response = await service.PostAsync(ServiceHost.HookPath, hook, null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return Guid.Parse(body["cards"]![0]!["uuid"]!.GetValue<string>());
    }
}

internal static class Eventually
{
    /// <summary>Waits for the background writer: true within the time, or the test fails.</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, int seconds = 15)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, $"The condition did not hold within {seconds} s.");
            await Task.Delay(100);
        }
    }
}
