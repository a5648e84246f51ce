using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace CrlmCdsHooks.Api.CdsHooks;

// CDS Hooks 2.0 wire types, written here rather than taken from the Firely SDK's models so the JSON on the wire
// follows the specification exactly: optional members are omitted (never null, "" or []).

internal sealed record DiscoveryResponse(IReadOnlyList<ServiceDescriptor> Services);

internal sealed record ServiceDescriptor(string Hook, string Title, string Description, string Id,
    IReadOnlyDictionary<string, string> Prefetch, string UsageRequirements);

internal sealed record CardsResponse(IReadOnlyList<Card> Cards);

internal sealed record Card(string Uuid, string Summary, string Detail, string Indicator, CardSource Source,
    IReadOnlyList<Suggestion>? Suggestions = null, string? SelectionBehavior = null,
    IReadOnlyList<WireCoding>? OverrideReasons = null, IReadOnlyList<CardLink>? Links = null);

/// <param name="Icon">An absolute URL of a 100×100 opaque PNG the service serves.</param>
/// <param name="Topic">What the card is about: the model that produced it.</param>
internal sealed record CardSource(string Label, string Url, string Icon, WireCoding Topic);

internal sealed record WireCoding(string System, string Code, string Display);

/// <param name="IsRecommended">Written only when true: CDS Hooks 2.0 lets a client preselect a recommended suggestion.</param>
internal sealed record Suggestion(string Label, string Uuid, IReadOnlyList<SuggestionAction> Actions, bool? IsRecommended = null);

/// <param name="Resource">The FHIR resource to create, as FHIR JSON.</param>
internal sealed record SuggestionAction(string Type, string Description, JsonObject Resource);

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
