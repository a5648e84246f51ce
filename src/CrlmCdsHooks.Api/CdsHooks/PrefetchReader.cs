using System.Text.Json;
using CrlmCdsHooks.Fhir;

namespace CrlmCdsHooks.Api.CdsHooks;

/// <summary>What the prefetch of one hook request held.</summary>
/// <param name="Unavailable">Clinical prefetch keys missing, an OperationOutcome, or unreadable: to be read from the FHIR server.</param>
/// <param name="Warnings">What could not be read, for the clinician and the log.</param>
/// <param name="PartialSearches">Why keys held only part of their search: for the refusal when nothing can read them
/// whole, and nothing the card needs once they are read from the FHIR server.</param>
internal sealed record PrefetchContents(IReadOnlyList<SourcedResource> Resources, IReadOnlyList<string> Unavailable,
    IReadOnlyList<string> Warnings, IReadOnlyList<string> PartialSearches);

/// <summary>
/// Reads the prefetch slots: FHIR resources parsed leniently, "not available" told apart from "nothing found". CDS Hooks
/// 2.0: a key whose value is <c>null</c> means the EHR has no such data, so it is read as empty, never fetched again;
/// a missing key means "fetch it"; an OperationOutcome, or a search Bundle holding only part of the results, means the
/// EHR could not get it all.
/// </summary>
internal static class PrefetchReader
{
    public static PrefetchContents Read(HookRequest request)
    {
        var resources = new List<SourcedResource>();
        var unavailable = new List<string>();
        var warnings = new List<string>();
        var partialSearches = new List<string>();

        if (request.Prefetch.TryGetValue(PrefetchQueries.PatientKey, out var patientSlot)
            && Parse(patientSlot, PrefetchQueries.PatientKey, warnings) is { TypeName: "Patient" } patient)
            resources.Add(patient);

        foreach (var key in PrefetchQueries.ClinicalKeys)
        {
            if (!request.Prefetch.TryGetValue(key, out var slot))
            {
                unavailable.Add(key);
                continue;
            }
            if (slot.ValueKind == JsonValueKind.Null)
                continue; // no such data for this patient
            switch (Parse(slot, key, warnings))
            {
                case { TypeName: "Bundle" } bundle when SearchBundle.Partial(bundle.Resource) is { } partial:
                    partialSearches.Add($"Prefetch '{key}' held {partial}, so it was not used in part.");
                    unavailable.Add(key);
                    break;
                case { TypeName: "Bundle" } bundle:
                    if (Entries(bundle.Resource, key, warnings) is { } entries)
                        resources.AddRange(entries);
                    else
                        unavailable.Add(key);
                    break;
                case { TypeName: "OperationOutcome" } outcome:
                    warnings.Add($"Prefetch '{key}' was not available: {Describe(outcome.Resource)}");
                    unavailable.Add(key);
                    break;
                case { } other:
                    warnings.Add($"Prefetch '{key}' held a {other.TypeName}, not a search Bundle, and was not used.");
                    unavailable.Add(key);
                    break;
                default: // unreadable
                    unavailable.Add(key);
                    break;
            }
        }
        return new PrefetchContents(resources, unavailable, warnings, partialSearches);
    }

    private static SourcedResource? Parse(JsonElement slot, string key, List<string> warnings)
    {
        if (slot.ValueKind == JsonValueKind.Null)
            return null;
        var resource = SourcedResource.Read(slot, out var problem);
        if (problem is not null)
            warnings.Add($"Prefetch '{key}' is not a readable FHIR resource and was not used: {problem}");
        return resource;
    }

    /// <summary>The Bundle's resources, or null (with the reason in the warnings) when its entries are not a list.</summary>
    private static List<SourcedResource>? Entries(FhirNode bundle, string key, List<string> warnings)
    {
        var problems = new List<string>();
        List<SourcedResource> entries;
        try
        {
            entries = SearchBundle.Entries(bundle, problems);
        }
        catch (InvalidFhirElementException e)
        {
            warnings.Add($"Prefetch '{key}' is not a readable FHIR resource and was not used: {e.Message}");
            return null;
        }
        warnings.AddRange(problems.Select(problem => $"Prefetch '{key}' was read in part: {problem}"));
        foreach (var outcome in entries.Where(e => e.TypeName == "OperationOutcome"))
            warnings.Add($"Prefetch '{key}' search reported: {Describe(outcome.Resource)}");
        entries.RemoveAll(e => e.TypeName == "OperationOutcome");
        return entries;
    }

    /// <summary>An OperationOutcome's issues in words, read leniently: an issue in an invalid form adds no detail.</summary>
    private static string Describe(FhirNode outcome)
    {
        var issues = new List<string>();
        if (outcome.Json.TryGetProperty("issue", out var list) && list.ValueKind == JsonValueKind.Array)
            foreach (var issue in list.EnumerateArray())
                issues.Add(FhirJson.ValueOrDefault(() =>
                {
                    var node = new FhirNode(issue, "issue");
                    return node.StringValue("diagnostics") ?? node.Node("details")?.StringValue("text") ?? node.StringValue("code");
                }) ?? "no detail");
        return issues.Count > 0 ? string.Join("; ", issues) : "no detail";
    }
}
