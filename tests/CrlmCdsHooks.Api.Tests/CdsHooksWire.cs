using System.Text.Json.Nodes;

namespace CrlmCdsHooks.Api.Tests;

/// <summary>Checks JSON against the CDS Hooks 2.0 specification's rules, independently of any SDK model.</summary>
internal static class CdsHooksWire
{
    private static readonly HashSet<string> CardMembers = ["uuid", "summary", "detail", "indicator", "source", "suggestions", "selectionBehavior", "overrideReasons", "links", "extension"];
    private static readonly HashSet<string> SourceMembers = ["label", "url", "icon", "topic"];
    private static readonly HashSet<string> Indicators = ["info", "warning", "critical"];
    private static readonly HashSet<string> SelectionBehaviors = ["at-most-one", "any"];
    private static readonly HashSet<string> ActionTypes = ["create", "update", "delete"];

    /// <summary>Asserts no JSON null, empty string, empty object or empty array anywhere except the top-level "cards".</summary>
    public static void AssertNoEmptyValues(JsonNode? node, string path = "$")
    {
        switch (node)
        {
            case null:
                Assert.Fail($"{path} is null");
                break;
            case JsonObject obj:
                Assert.True(obj.Count > 0, $"{path} is an empty object");
                foreach (var (name, value) in obj)
                    if (!(path == "$" && name == "cards"))
                        AssertNoEmptyValues(value, $"{path}.{name}");
                    else
                        foreach (var card in value!.AsArray())
                            AssertNoEmptyValues(card, $"{path}.cards[]");
                break;
            case JsonArray array:
                Assert.True(array.Count > 0, $"{path} is an empty array");
                for (var i = 0; i < array.Count; i++)
                    AssertNoEmptyValues(array[i], $"{path}[{i}]");
                break;
            case JsonValue value when value.TryGetValue<string>(out var text):
                Assert.False(string.IsNullOrWhiteSpace(text), $"{path} is an empty string");
                break;
        }
    }

    /// <summary>
    /// The cards as the clinician reads them: without the uuids of each card and its suggestions, which are fresh in
    /// every response.
    /// </summary>
    public static string Readable(JsonNode cards) =>
        new JsonArray([.. cards.AsArray().Select(c =>
        {
            var copy = c!.DeepClone().AsObject();
            copy.Remove("uuid");
            foreach (var suggestion in copy["suggestions"]?.AsArray() ?? [])
                suggestion!.AsObject().Remove("uuid");
            return (JsonNode)copy;
        })]).ToJsonString();

    /// <summary>Asserts one card has the required members with valid values and nothing the spec does not define.</summary>
    public static void AssertValidCard(JsonNode card)
    {
        var obj = card.AsObject();
        Assert.Subset(CardMembers, obj.Select(p => p.Key).ToHashSet());
        Assert.True(Guid.TryParse((string?)obj["uuid"], out _), "uuid is not a UUID");
        var summary = (string)obj["summary"]!;
        Assert.True(summary.Length < 140, $"summary has {summary.Length} characters: {summary}");
        Assert.Contains((string)obj["indicator"]!, Indicators);
        var source = obj["source"]!.AsObject();
        Assert.Subset(SourceMembers, source.Select(p => p.Key).ToHashSet());
        Assert.False(string.IsNullOrWhiteSpace((string?)source["label"]));
        Assert.True(Uri.TryCreate((string?)source["url"], UriKind.Absolute, out _), "source.url is not an absolute URL");
        if (source["icon"] is { } icon)
            Assert.True(Uri.TryCreate((string?)icon, UriKind.Absolute, out _), "source.icon is not an absolute URL");
        if (source["topic"] is { } topic)
            AssertCoding(topic, "source.topic");
        foreach (var reason in obj["overrideReasons"]?.AsArray() ?? [])
            AssertCoding(reason!, "overrideReasons[]");
        // "selectionBehavior: ... MUST be provided if a card contains suggestions".
        var suggestions = obj["suggestions"]?.AsArray();
        if (suggestions is null)
            Assert.Null(obj["selectionBehavior"]);
        else
            Assert.Contains((string)obj["selectionBehavior"]!, SelectionBehaviors);
        foreach (var suggestion in suggestions ?? [])
        {
            Assert.False(string.IsNullOrWhiteSpace((string?)suggestion!["label"]), "a suggestion has no label");
            Assert.True(Guid.TryParse((string?)suggestion["uuid"], out _), "a suggestion's uuid is not a UUID (feedback's acceptedSuggestions names it)");
            foreach (var action in suggestion["actions"]!.AsArray())
            {
                Assert.Contains((string)action!["type"]!, ActionTypes);
                Assert.False(string.IsNullOrWhiteSpace((string?)action["description"]), "an action has no description");
                if ((string)action["type"]! == "create")
                    Assert.NotNull(action["resource"]?["resourceType"]);
            }
        }
    }

    private static void AssertCoding(JsonNode coding, string path)
    {
        Assert.True(Uri.TryCreate((string?)coding["system"], UriKind.Absolute, out _), $"{path}.system is not an absolute URI");
        Assert.False(string.IsNullOrWhiteSpace((string?)coding["code"]), $"{path}.code is empty");
    }
}
