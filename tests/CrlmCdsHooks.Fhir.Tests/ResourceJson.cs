using System.Text.Json;
using Hl7.Fhir.Model;

namespace CrlmCdsHooks.Fhir.Tests;

/// <summary>Resources as the service reads them: JSON, each value its own (the mapper reads it after this returns).</summary>
internal static class ResourceJson
{
    private static readonly JsonSerializerOptions DeepNesting = new() { MaxDepth = 1024 };

    /// <summary>Reads one resource's JSON; a JSON value that is not a FHIR resource fails the test.</summary>
    public static SourcedResource Read(string json) =>
        TryRead(json, out var problem) ?? throw new InvalidOperationException(problem);

    /// <summary>Reads one resource's JSON; null with the reason when it is not a FHIR resource.</summary>
    public static SourcedResource? TryRead(string json, out string? problem) =>
        SourcedResource.Read(JsonSerializer.Deserialize<JsonElement>(json, DeepNesting), out problem);

    /// <summary>A resource built with the SDK, written as FHIR JSON and read as the service reads JSON.</summary>
    public static SourcedResource Of(Resource resource) => Read(FhirJson.Serialize(resource));

    /// <summary>The resources of a Bundle's JSON.</summary>
    public static List<SourcedResource> Entries(string bundleJson)
    {
        var bundle = Read(bundleJson);
        var skipped = new List<string>();
        var entries = SearchBundle.Entries(bundle.Resource, skipped);
        Assert.Empty(skipped);
        return entries;
    }
}
