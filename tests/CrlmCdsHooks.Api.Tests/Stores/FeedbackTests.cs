using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using CrlmCdsHooks.Api.Audit;
using CrlmCdsHooks.Api.CdsHooks;
using CrlmCdsHooks.TestData;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrlmCdsHooks.Api.Tests.Stores;

/// <summary>CDS Hooks feedback: validated item by item, kept all or nothing, counted, and joined to its card.</summary>
[Collection(nameof(ServiceHost))]
public sealed class FeedbackTests(ServiceHost service)
{
    private const string FeedbackPath = ServiceHost.HookPath + "/feedback";
    private const string Reason = $$$"""{"reason":{"system":"{{{CardCodes.OverrideReasonSystem}}}","code":"mdt-decision"}}""";

    private static string Good(Guid card) => $$"""{"card":"{{card}}","outcome":"accepted","outcomeTimestamp":"2026-11-23T10:00:00Z"}""";

    public static TheoryData<string, string> BadItems => new()
    {
        { "\"not an object\"", "an item must be an object" },
        { """{"outcome":"accepted","outcomeTimestamp":"2026-11-23T10:00:00Z"}""", "'card' must be the uuid" },
        { """{"card":"card-1","outcome":"accepted","outcomeTimestamp":"2026-11-23T10:00:00Z"}""", "'card' must be the uuid" },
        { """{"card":"7c1c3d1e-2b0a-4d4e-9f57-5a2f2e9c8b11","outcome":"ignored","outcomeTimestamp":"2026-11-23T10:00:00Z"}""", "'outcome' must be 'accepted' or 'overridden', not 'ignored'" },
        { """{"card":"7c1c3d1e-2b0a-4d4e-9f57-5a2f2e9c8b11","outcome":"accepted"}""", "'outcomeTimestamp' must be an RFC 3339 date-time" },
        { """{"card":"7c1c3d1e-2b0a-4d4e-9f57-5a2f2e9c8b11","outcome":"accepted","outcomeTimestamp":"2026-11-23 10:00"}""", "'outcomeTimestamp' must be an RFC 3339 date-time" },
        { """{"card":"7c1c3d1e-2b0a-4d4e-9f57-5a2f2e9c8b11","outcome":"accepted","outcomeTimestamp":"2026-11-23T10:00:00"}""", "'outcomeTimestamp' must be an RFC 3339 date-time" },
        { """{"card":"7c1c3d1e-2b0a-4d4e-9f57-5a2f2e9c8b11","outcome":"accepted","outcomeTimestamp":"2026-11-23T10:00:00Z","overrideReason":""" + Reason + "}", "'overrideReason' is only for an overridden card" },
        { """{"card":"7c1c3d1e-2b0a-4d4e-9f57-5a2f2e9c8b11","outcome":"overridden","outcomeTimestamp":"2026-11-23T10:00:00Z","overrideReason":{"reason":{"system":"http://example.org/reasons","code":"mdt-decision"}}}""", "is not one of the override reasons the card offered" },
        { """{"card":"7c1c3d1e-2b0a-4d4e-9f57-5a2f2e9c8b11","outcome":"overridden","outcomeTimestamp":"2026-11-23T10:00:00Z","overrideReason":{"reason":{"code":"mdt-decision"}}}""", "'overrideReason.reason' must be a Coding" },
        { """{"card":"7c1c3d1e-2b0a-4d4e-9f57-5a2f2e9c8b11","outcome":"overridden","outcomeTimestamp":"2026-11-23T10:00:00Z","overrideReason":"the MDT said so"}""", "'overrideReason' must be an object" },
        { """{"card":"7c1c3d1e-2b0a-4d4e-9f57-5a2f2e9c8b11","outcome":"overridden","outcomeTimestamp":"2026-11-23T10:00:00Z","acceptedSuggestions":[]}""", "'acceptedSuggestions' is only for an accepted card" },
        { """{"card":"7c1c3d1e-2b0a-4d4e-9f57-5a2f2e9c8b11","outcome":"accepted","outcomeTimestamp":"2026-11-23T10:00:00Z","acceptedSuggestions":[{"uuid":"x"}]}""", "'acceptedSuggestions' must be a list of {\"id\": uuid}" },
    };

    [Theory]
    [MemberData(nameof(BadItems))]
    public async Task A_bad_item_gets_400_naming_the_item_and_its_fault(string item, string fault)
    {
        var (response, body) = await service.PostAsync(FeedbackPath, $$"""{"feedback":[{{Good(Guid.NewGuid())}},{{item}}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var diagnostics = body!["issue"]![0]!["diagnostics"]!.GetValue<string>();
        Assert.StartsWith("Nothing of this feedback was kept. feedback[1]: ", diagnostics, StringComparison.Ordinal);
        Assert.Contains(fault, diagnostics, StringComparison.Ordinal);
        Assert.DoesNotContain("feedback[0]", diagnostics, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"feedback":[]}""", "'feedback' holds no item")]
    [InlineData("""{"feedback":{}}""", "Feedback must be an object with a 'feedback' array")]
    [InlineData("[]", "Feedback must be an object with a 'feedback' array")]
    public async Task A_body_that_is_not_a_feedback_list_gets_400(string json, string fault)
    {
        var (response, body) = await service.PostAsync(FeedbackPath, json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(fault, body!["issue"]![0]!["diagnostics"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_batch_with_a_bad_item_keeps_nothing_while_a_good_batch_is_kept()
    {
        var (refusedCard, keptCard) = (Guid.NewGuid(), Guid.NewGuid());

        var (refused, _) = await service.PostAsync(FeedbackPath, $$$"""{"feedback":[{{{Good(refusedCard)}}},{"card":"{{{refusedCard}}}","outcome":"maybe","outcomeTimestamp":"2026-11-23T10:00:00Z"}]}""");
        var (kept, _) = await service.PostAsync(FeedbackPath, $$"""{"feedback":[{{Good(keptCard)}}]}""");

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.OK), (refused.StatusCode, kept.StatusCode));
        await using var db = await StoreAsync();
        // The queue is written in order: once the later batch is in the store, the earlier one would be too.
        await Eventually.HoldsAsync(() => db.Feedback.AnyAsync(f => f.CardId == keptCard));
        Assert.False(await db.Feedback.AnyAsync(f => f.CardId == refusedCard));
    }

    [Fact]
    public async Task An_override_with_a_configured_reason_is_counted_kept_and_joined_to_its_card_and_the_comment_is_not_kept()
    {
        var measurements = new ConcurrentQueue<(string Instrument, string? Tag)>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "CrlmCdsHooks" && instrument.Name.StartsWith("crlm.feedback.", StringComparison.Ordinal))
                    listener.EnableMeasurementEvents(instrument);
            },
        };
        meters.SetMeasurementEventCallback<long>((instrument, _, tags, _) =>
        {
            foreach (var tag in tags)
                measurements.Enqueue((instrument.Name, tag.Value as string));
        });
        meters.Start();
        var (hook, cards) = await service.PostAsync(ServiceHost.HookPath, Examples.Hook("crlm-high-risk"));
        var card = Guid.Parse(cards!["cards"]![0]!["uuid"]!.GetValue<string>());
        var suggestion = Guid.NewGuid();

        var (response, _) = await service.PostAsync(FeedbackPath, $$$"""
            {"feedback":[
              {"card":"{{{card}}}","outcome":"overridden","outcomeTimestamp":"2026-11-23T10:00:00Z",
               "overrideReason":{"reason":{"system":"{{{CardCodes.OverrideReasonSystem}}}","code":"mdt-decision","display":"The MDT decided otherwise"},"userComment":"Mr Smith prefers surgery"}},
              {"card":"{{{card}}}","outcome":"accepted","outcomeTimestamp":"2026-11-23T10:05:00Z","acceptedSuggestions":[{"id":"{{{suggestion}}}"}]}]}
            """);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (hook.StatusCode, response.StatusCode));
        Assert.Contains(("crlm.feedback.outcomes", "overridden"), measurements);
        Assert.Contains(("crlm.feedback.outcomes", "accepted"), measurements);
        Assert.Contains(("crlm.feedback.override_reasons", "mdt-decision"), measurements);
        await using var db = await StoreAsync();
        await Eventually.HoldsAsync(async () => await db.Feedback.CountAsync(f => f.CardId == card) == 2);
        var stored = await db.Feedback.Where(f => f.CardId == card).OrderBy(f => f.OutcomeAt).ToListAsync();
        Assert.Equal(("overridden", CardCodes.OverrideReasonSystem, "mdt-decision"), (stored[0].Outcome, stored[0].OverrideReasonSystem, stored[0].OverrideReasonCode));
        Assert.Equal(("accepted", suggestion.ToString()), (stored[1].Outcome, stored[1].AcceptedSuggestions));
        Assert.True(await db.Cards.AnyAsync(c => c.CardId == card));
        Assert.DoesNotContain(stored, f => string.Join(" ", f.Outcome, f.Client, f.OverrideReasonCode, f.AcceptedSuggestions).Contains("Smith", StringComparison.Ordinal));
        var report = await service.GetJsonAsync("/api/governance/report");
        Assert.Contains(report["overrideReasons"]!.AsArray(), r => r!["display"]!.GetValue<string>() == "The multidisciplinary team decided otherwise");
    }

    [Fact]
    public async Task Feedback_for_a_card_the_store_does_not_hold_is_kept_as_orphaned()
    {
        var unknown = Guid.NewGuid();

        var (response, _) = await service.PostAsync(FeedbackPath, $$"""{"feedback":[{{Good(unknown)}}]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var db = await StoreAsync();
        await Eventually.HoldsAsync(() => db.Feedback.AnyAsync(f => f.CardId == unknown));
        Assert.False(await db.Cards.AnyAsync(c => c.CardId == unknown));
        Assert.True((await service.GetJsonAsync("/api/governance/report"))["orphanedFeedback"]!.GetValue<int>() >= 1);
    }

    /// <summary>The service's store, once its tables are in place.</summary>
    private async Task<AuditDbContext> StoreAsync()
    {
        await service.Services.GetRequiredService<AuditStoreState>().Migrated.WaitAsync(TimeSpan.FromSeconds(60));
        return await service.Services.GetRequiredService<IDbContextFactory<AuditDbContext>>().CreateDbContextAsync();
    }
}
