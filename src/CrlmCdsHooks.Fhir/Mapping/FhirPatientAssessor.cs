using CrlmCdsHooks.Scoring;

namespace CrlmCdsHooks.Fhir;

/// <summary>One patient's FHIR resources in, an assessment out: mapping, then scoring.</summary>
public sealed class FhirPatientAssessor(ClinicalFactsMapper mapper, CrlmAssessor assessor)
{
    /// <summary>The model the assessments come from.</summary>
    public ModelDefinition Model => assessor.Model;

    /// <summary>Ids of the factors a what-if may assume.</summary>
    public IReadOnlyList<string> FactorIds => assessor.FactorIds;

    /// <summary>
    /// Assesses the resources; <paramref name="readWarnings"/> (data sent with the request that could not be read) are
    /// review items: unread data could change the answer (SPEC 7.7).
    /// </summary>
    /// <param name="assumptions">What-if factor values by id, see <see cref="CrlmAssessor.Assess"/>.</param>
    public Assessment Assess(IEnumerable<SourcedResource> resources, IReadOnlyList<string>? readWarnings = null,
        IReadOnlyDictionary<string, bool>? assumptions = null)
    {
        // Sorted by reference, so the same data give the same result whether prefetched or fetched, in any order.
        var facts = mapper.Map(resources.OrderBy(r => r.Reference, StringComparer.Ordinal));
        // Stryker disable once Equality : equivalent, no warning adds no review item
        if (readWarnings is { Count: > 0 })
            facts = facts with { Review = [.. readWarnings.Select(w => new ReviewItem("", "data sent with the request that could not be read", w)), .. facts.Review] };
        return assessor.Assess(facts, assumptions);
    }
}
