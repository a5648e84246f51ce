using Hl7.Fhir.Model;

namespace CrlmCdsHooks.Fhir;

/// <summary>A FHIR resource with the reference a clinician would use to find it again.</summary>
public sealed record SourcedResource(Resource Resource, string Reference)
{
    /// <summary>Wraps a resource, referring to it as <c>Type/id</c>, or by its full URL when it has no id.</summary>
    public static SourcedResource Of(Resource resource, string? fullUrl = null) =>
        new(resource, FhirJson.ValueOrDefault(() => resource.Id) is { Length: > 0 } id ? $"{resource.TypeName}/{id}" : fullUrl ?? $"{resource.TypeName}/(no id)");

    /// <summary>The resources of a bundle's entries; an entry that is null or holds an unreadable resource is skipped.</summary>
    public static IEnumerable<SourcedResource> FromBundle(Bundle bundle) =>
        bundle.Entry.Select(e => FhirJson.ValueOrDefault(() => e.Resource) is { } resource ? Of(resource, FhirJson.ValueOrDefault(() => e.FullUrl)) : null)
            .OfType<SourcedResource>();
}
