using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using CrlmCdsHooks.Api.Audit;
using CrlmCdsHooks.Fhir;

namespace CrlmCdsHooks.Api.Feedback;

/// <summary>
/// Reads a CDS Hooks 2.0 feedback body (<c>{"feedback": [...]}</c>) into records, all items or none: the first fault
/// of every bad item is reported, naming the item, and then nothing of the batch is kept.
/// </summary>
internal static partial class FeedbackReader
{
    /// <summary>Items one call may carry; an EHR sends feedback as clinicians act, a few at a time.</summary>
    public const int MaxItems = 1000;

    /// <summary>The records, or the faults (one per bad item, each naming the item).</summary>
    /// <param name="isOverrideReason">True for a (system, code) the cards offer as an override reason.</param>
    public static (IReadOnlyList<FeedbackRecord> Records, IReadOnlyList<string> Faults) Read(JsonElement body, Func<string, string, bool> isOverrideReason,
        string client, DateTime receivedAt)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("feedback", out var items) || items.ValueKind != JsonValueKind.Array)
            return ([], ["Feedback must be an object with a 'feedback' array."]);
        var count = items.GetArrayLength();
        if (count == 0)
            return ([], ["'feedback' holds no item."]);
        if (count > MaxItems)
            return ([], [$"'feedback' holds {count:#,0} items; at most {MaxItems:#,0} are accepted in one call."]);

        var records = new List<FeedbackRecord>(count);
        var faults = new List<string>();
        var index = 0;
        foreach (var item in items.EnumerateArray())
        {
            var (record, fault) = ReadItem(item, isOverrideReason);
            if (fault is not null)
                faults.Add($"feedback[{index}]: {fault}");
            else
            {
                record!.Client = client;
                record.ReceivedAt = receivedAt;
                records.Add(record);
            }
            index++;
        }
        return faults.Count > 0 ? ([], faults) : (records, []);
    }

    private static (FeedbackRecord? Record, string? Fault) ReadItem(JsonElement item, Func<string, string, bool> isOverrideReason)
    {
        if (item.ValueKind != JsonValueKind.Object)
            return (null, "an item must be an object.");
        if (Text(item, "card") is not { } card || !Guid.TryParseExact(card, "D", out var cardId))
            return (null, "'card' must be the uuid of a card this service returned.");
        var outcome = Text(item, "outcome");
        if (outcome is not ("accepted" or "overridden"))
            return (null, $"'outcome' must be 'accepted' or 'overridden', not {Quoted(outcome)}.");
        if (Text(item, "outcomeTimestamp") is not { } timestamp || !Rfc3339().IsMatch(timestamp)
            || !DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.None, out var outcomeAt))
            return (null, "'outcomeTimestamp' must be an RFC 3339 date-time with a time zone, such as 2026-11-23T14:05:00Z.");

        var hasReason = item.TryGetProperty("overrideReason", out var overrideReason);
        var hasSuggestions = item.TryGetProperty("acceptedSuggestions", out var suggestions);
        string? reasonSystem = null, reasonCode = null, accepted = null;
        if (outcome == "accepted")
        {
            if (hasReason)
                return (null, "'overrideReason' is only for an overridden card.");
            if (hasSuggestions)
            {
                var (ids, fault) = SuggestionIds(suggestions);
                if (fault is not null)
                    return (null, fault);
                accepted = ids;
            }
        }
        else
        {
            if (hasSuggestions)
                return (null, "'acceptedSuggestions' is only for an accepted card.");
            if (hasReason)
            {
                // CDS Hooks 2.0: overrideReason is {reason?: Coding, userComment?}; the comment is free text and is never kept.
                if (overrideReason.ValueKind != JsonValueKind.Object)
                    return (null, "'overrideReason' must be an object: {\"reason\": {\"system\", \"code\"}, \"userComment\"}.");
                if (overrideReason.TryGetProperty("reason", out var coding))
                {
                    if (coding.ValueKind != JsonValueKind.Object || Text(coding, "system") is not { } system || Text(coding, "code") is not { } code)
                        return (null, "'overrideReason.reason' must be a Coding with 'system' and 'code'.");
                    if (!isOverrideReason(system, code))
                        return (null, $"'overrideReason.reason' ({Quoted(system)} {Quoted(code)}) is not one of the override reasons the card offered.");
                    (reasonSystem, reasonCode) = (system, code);
                }
            }
        }
        return (new FeedbackRecord
        {
            CardId = cardId,
            Outcome = outcome,
            OutcomeAt = outcomeAt.UtcDateTime,
            OverrideReasonSystem = reasonSystem,
            OverrideReasonCode = reasonCode,
            AcceptedSuggestions = accepted,
        }, null);
    }

    private static (string? Ids, string? Fault) SuggestionIds(JsonElement suggestions)
    {
        const string Shape = "'acceptedSuggestions' must be a list of {\"id\": uuid} naming the card's suggestions.";
        if (suggestions.ValueKind != JsonValueKind.Array)
            return (null, Shape);
        var ids = new List<string>();
        foreach (var suggestion in suggestions.EnumerateArray())
        {
            if (suggestion.ValueKind != JsonValueKind.Object || Text(suggestion, "id") is not { } id || !Guid.TryParseExact(id, "D", out var uuid))
                return (null, Shape);
            ids.Add(uuid.ToString());
        }
        return (ids.Count == 0 ? null : string.Join(' ', ids), null);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Quoted(string? value) => value is null ? "nothing" : $"'{PlainText.Clip(value, PlainText.LogValueLength)}'";

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339();
}
