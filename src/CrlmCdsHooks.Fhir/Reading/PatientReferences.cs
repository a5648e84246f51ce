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
        // Any other reference is kept whole, so it never matches the patient in context and its data are refused.
        return reference is null ? null : PatientIdIn(reference) ?? reference;
    }

    /// <summary>The id in <c>Patient/{id}</c>, <c>{base}/Patient/{id}</c> or <c>Patient/{id}/_history/{v}</c>; null for any other reference.</summary>
    public static string? PatientIdIn(string? reference)
    {
        if (reference is null)
            return null;
        var history = reference.IndexOf("/_history/", StringComparison.Ordinal);
        var path = history >= 0 ? reference[..history] : reference;
        var at = path.StartsWith("Patient/", StringComparison.Ordinal) ? 0 : path.LastIndexOf("/Patient/", StringComparison.Ordinal) + 1;
        if (at == 0 && !path.StartsWith("Patient/", StringComparison.Ordinal))
            return null;
        var id = path[(at + "Patient/".Length)..];
        return id.Length == 0 || id.Contains('/', StringComparison.Ordinal) ? null : id;
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
