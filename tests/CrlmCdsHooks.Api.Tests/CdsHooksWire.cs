using System.Text.Json.Nodes;

namespace CrlmCdsHooks.Api.Tests;

/// <summary>Checks JSON against the CDS Hooks 2.0 specification's rules, independently of any SDK model.</summary>
internal static class CdsHooksWire
{
    private static readonly HashSet<string> CardMembers = ["uuid", "summary", "detail", "indicator", "source", "suggestions", "selectionBehavior", "overrideReasons", "links", "extension"];
    private static readonly HashSet<string> SourceMembers = ["label", "url", "icon", "topic"];
    private static readonly HashSet<string> Indicators = ["info", "warning", "critical"];

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
    }
}
