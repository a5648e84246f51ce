using System.Text.Json;

namespace CrlmCdsHooks.Fhir;

/// <summary>A FHIR resource, as JSON read on demand, with the reference a clinician would use to find it again.</summary>
/// <param name="TypeName">The resource type, a FHIR R4 one.</param>
public sealed record SourcedResource(string TypeName, FhirNode Resource, string Reference)
{
    /// <summary>
    /// Reads a resource's JSON, referring to it as <c>Type/id</c>, or by its full URL when it has no id. Returns null
    /// with the reason in <paramref name="problem"/> when the JSON is not a FHIR R4 resource.
    /// </summary>
    public static SourcedResource? Read(JsonElement json, out string? problem, string? fullUrl = null)
    {
        problem = null;
        if (json.ValueKind != JsonValueKind.Object)
        {
            problem = $"expected a FHIR resource object, found {json.ValueKind}";
            return null;
        }
        var type = Text(json, "resourceType");
        if (type is null || !FhirR4ResourceTypes.All.Contains(type))
        {
            problem = type is null ? "it names no resourceType" : $"'{PlainText.Clip(type, 40)}' is not a FHIR R4 resource type";
            return null;
        }
        var reference = Text(json, "id") is { Length: > 0 } id ? $"{type}/{id}" : fullUrl ?? $"{type}/(no id)";
        return new SourcedResource(type, new FhirNode(json, "resource"), reference);
    }

    /// <summary>A string element, or null when it is absent or not a string.</summary>
    internal static string? Text(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>The parts of a FHIR search Bundle the service reads: its entries and whether it holds all the results.</summary>
public static class SearchBundle
{
    /// <summary>
    /// The resources of the Bundle's entries. An entry that is null or holds no readable resource is skipped, with the
    /// reason added to <paramref name="problems"/>. Throws <see cref="InvalidFhirElementException"/> when
    /// <c>entry</c> is not a list: without its entries a Bundle would read as "nothing found", a calm wrong answer.
    /// </summary>
    public static List<SourcedResource> Entries(FhirNode bundle, ICollection<string> problems)
    {
        var entries = bundle.Json.TryGetProperty("entry", out var list) ? list : default;
        if (entries.ValueKind is not (JsonValueKind.Array or JsonValueKind.Undefined or JsonValueKind.Null))
            throw new InvalidFhirElementException("the Bundle's 'entry' is not a list of entries");
        var resources = new List<SourcedResource>(entries.ValueKind == JsonValueKind.Array ? entries.GetArrayLength() : 0);
        if (entries.ValueKind != JsonValueKind.Array)
            return resources;
        foreach (var entry in entries.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("resource", out var json))
            {
                problems.Add("an entry of the Bundle holds no resource and was skipped");
                continue;
            }
            if (SourcedResource.Read(json, out var problem, SourcedResource.Text(entry, "fullUrl")) is { } resource)
                resources.Add(resource);
            else
                problems.Add($"an entry of the Bundle was skipped: {problem}");
        }
        return resources;
    }

    /// <summary>The URL of the next page, when the server paged the results; an invalid link says nothing.</summary>
    public static string? NextLink(FhirNode bundle) => FhirJson.ValueOrDefault(() =>
        bundle.Nodes("link").FirstOrDefault(link => link.StringValue("relation") == "next")?.StringValue("url"));

    /// <summary>
    /// How the Bundle shows it holds only part of the results, or null: a <c>next</c> link, or a <c>total</c> above the
    /// matches it holds. Read leniently: a total or search mode in an invalid form says nothing about paging.
    /// </summary>
    public static string? Partial(FhirNode bundle)
    {
        if (NextLink(bundle) is not null)
            return "only the first page of the search results (the EHR's server paged them)";
        if (FhirJson.ValueOrDefault(() => bundle.IntegerValue("total")) is not { } total)
            return null;
        var matches = 0;
        if (bundle.Json.TryGetProperty("entry", out var entries) && entries.ValueKind == JsonValueKind.Array)
            foreach (var entry in entries.EnumerateArray())
                if (SearchMode(entry) is not ("include" or "outcome"))
                    matches++;
        return total > matches ? $"{matches} of {total} search results" : null;
    }

    private static string? SearchMode(JsonElement entry) =>
        entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("search", out var search) && search.ValueKind == JsonValueKind.Object
            ? SourcedResource.Text(search, "mode") : null;
}
