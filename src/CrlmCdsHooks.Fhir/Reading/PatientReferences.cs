namespace CrlmCdsHooks.Fhir;

/// <summary>Which patient a resource is about, so data of two patients are never mixed.</summary>
public static class PatientReferences
{
    /// <summary>The id of the patient a resource belongs to (its own id for a Patient); null when it names none.</summary>
    public static string? PatientIdOf(SourcedResource sourced)
    {
        var resource = sourced.Resource;
        var reference = FhirJson.ValueOrDefault(() => sourced.TypeName == "Patient"
            ? $"Patient/{resource.StringValue("id")}"
            // Condition, Observation, Procedure, and every order type (ServiceRequest, MedicationRequest...) name it as subject.
            : resource.Node("subject")?.StringValue("reference"));
        if (reference is null)
            return null;
        // Relative "Patient/1", absolute "https://ehr/fhir/Patient/1", or versioned ".../Patient/1/_history/2".
        var segments = reference.Split('/');
        var at = Array.LastIndexOf(segments, "Patient");
        return at >= 0 && at + 1 < segments.Length ? segments[at + 1] : reference;
    }

    /// <summary>The references of resources that belong to another patient than <paramref name="patientId"/>.</summary>
    public static IReadOnlyList<string> NotAbout(string patientId, IEnumerable<SourcedResource> resources) =>
        resources.Where(r => PatientIdOf(r) is { } id && id != patientId).Select(r => r.Reference).ToList();
}

/// <summary>How the service names the resource a reference points to.</summary>
internal static class ResourceReference
{
    /// <summary>
    /// <c>Type/id</c> of a reference given relative (<c>Medication/7</c>), absolute or versioned
    /// (<c>https://ehr/fhir/Medication/7/_history/2</c>); the reference itself when it has no such form (<c>#contained</c>).
    /// </summary>
    public static string TypeAndId(string reference)
    {
        var parts = reference.Split('/');
        var end = Array.IndexOf(parts, "_history") is > 0 and var history ? history : parts.Length;
        return end >= 2 ? $"{parts[end - 2]}/{parts[end - 1]}" : reference;
    }
}
