using CrlmCdsHooks.Scoring;

namespace CrlmCdsHooks.Fhir;

/// <summary>One patient's FHIR resources in, an assessment out: mapping, then scoring.</summary>
public sealed class FhirPatientAssessor(ClinicalFactsMapper mapper, CrlmAssessor assessor)
{
    /// <summary>The model the assessments come from.</summary>
    public ModelDefinition Model => assessor.Model;

    /// <summary>Assesses the resources; <paramref name="readWarnings"/> (data that could not be read) are shown with the result.</summary>
    public Assessment Assess(IEnumerable<SourcedResource> resources, IReadOnlyList<string>? readWarnings = null)
    {
        // Sorted by reference, so the same data give the same result whether prefetched or fetched, in any order.
        var facts = mapper.Map(resources.OrderBy(r => r.Reference, StringComparer.Ordinal));
        if (readWarnings is { Count: > 0 })
            facts = facts with { DataWarnings = [.. readWarnings, .. facts.DataWarnings] };
        return assessor.Assess(facts);
    }
}
