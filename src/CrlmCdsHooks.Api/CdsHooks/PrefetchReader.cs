using System.Text.Json;
using CrlmCdsHooks.Fhir;
using Hl7.Fhir.Model;

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
            && Parse(patientSlot, PrefetchQueries.PatientKey, warnings) is Patient patient)
            resources.Add(SourcedResource.Of(patient));

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
                case Bundle bundle when Partial(bundle) is { } partial:
                    partialSearches.Add($"Prefetch '{key}' held {partial}, so it was not used in part.");
                    unavailable.Add(key);
                    break;
                case Bundle bundle:
                    resources.AddRange(Entries(bundle, key, warnings));
                    break;
                case OperationOutcome outcome:
                    warnings.Add($"Prefetch '{key}' was not available: {Describe(outcome)}");
                    unavailable.Add(key);
                    break;
                case null:
                    unavailable.Add(key);
                    break;
                case var other:
                    warnings.Add($"Prefetch '{key}' held a {other.TypeName}, not a search Bundle, and was not used.");
                    unavailable.Add(key);
                    break;
            }
        }
        return new PrefetchContents(resources, unavailable, warnings, partialSearches);
    }

    private static Resource? Parse(JsonElement slot, string key, List<string> warnings)
    {
        if (slot.ValueKind == JsonValueKind.Null)
            return null;
        var resource = FhirJson.TryParse(slot, out var problem);
        if (problem is not null)
            warnings.Add(resource is null
                ? $"Prefetch '{key}' is not a readable FHIR resource and was not used: {problem}"
                : $"Prefetch '{key}' was read in part; invalid elements were skipped: {problem}");
        return resource;
    }

    private static IEnumerable<SourcedResource> Entries(Bundle bundle, string key, List<string> warnings)
    {
        foreach (var entry in SourcedResource.FromBundle(bundle))
        {
            if (entry.Resource is OperationOutcome outcome)
                warnings.Add($"Prefetch '{key}' search reported: {Describe(outcome)}");
            else
                yield return entry;
        }
    }

    /// <summary>
    /// How a search Bundle shows it holds only part of the results, or null: a <c>next</c> link, or a <c>total</c>
    /// above the matches it holds. A record read in part could hide the hepatectomy or the recurrence.
    /// </summary>
    private static string? Partial(Bundle bundle)
    {
        if (bundle.NextLink is not null)
            return "only the first page of the search results (the EHR's server paged them)";
        var matches = bundle.Entry.Count(e => e.Search?.Mode is null or Bundle.SearchEntryMode.Match);
        return bundle.Total is { } total && total > matches ? $"{matches} of {total} search results" : null;
    }

    private static string Describe(OperationOutcome outcome) =>
        string.Join("; ", outcome.Issue.Select(i => i.Diagnostics ?? i.Details?.Text ?? i.Code?.ToString() ?? "no detail"))
        is { Length: > 0 } text ? text : "no detail";
}
