using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CrlmCdsHooks.Api.CdsHooks;

// CDS Hooks 2.0 wire types, written here rather than taken from the Firely SDK's models so the JSON on the wire
// follows the specification exactly: optional members are omitted (never null, "" or []).

internal sealed record DiscoveryResponse(IReadOnlyList<ServiceDescriptor> Services);

internal sealed record ServiceDescriptor(string Hook, string Title, string Description, string Id,
    IReadOnlyDictionary<string, string> Prefetch, string UsageRequirements);

internal sealed record CardsResponse(IReadOnlyList<Card> Cards);

internal sealed record Card(string Uuid, string Summary, string Detail, string Indicator, CardSource Source,
    IReadOnlyList<CardLink>? Links = null);

internal sealed record CardSource(string Label, string Url);

internal sealed record CardLink(string Label, string Url, string Type, string? AppContext = null);

internal static class CdsJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Prefetch templates carry '&' and '|'; JSON escapes for HTML embedding would only obscure them.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
