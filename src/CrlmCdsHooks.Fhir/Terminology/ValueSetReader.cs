using Hl7.Fhir.Model;

namespace CrlmCdsHooks.Fhir;

/// <summary>
/// Turns one of the service's ValueSets into a <see cref="CodeSet"/>: the shipped expansion and explicit concepts are
/// enumerated; ICD-10, ICD-10-CM and ICD-10-PCS <c>is-a</c> filters become code families and <c>regex</c> filters code
/// patterns, evaluated locally; SNOMED CT <c>is-a</c> is known only through the expansion (no hierarchy offline).
/// </summary>
internal static class ValueSetReader
{
    /// <summary>Code systems whose hierarchy is positional, so <c>is-a</c> is a code prefix.</summary>
    private static readonly HashSet<string> FamilySystems =
        ["http://hl7.org/fhir/sid/icd-10", "http://hl7.org/fhir/sid/icd-10-cm", "http://www.cms.gov/Medicare/Coding/ICD10"];

    public static CodeSet ToCodeSet(ValueSet valueSet, CodeSystems systems, IEnumerable<(string System, string Code, string? Display)> siteCodes)
    {
        var includes = valueSet.Compose?.Include ?? [];
        var excludes = valueSet.Compose?.Exclude ?? [];
        var enumerated = (valueSet.Expansion?.Contains ?? []).Where(c => c.System is not null && c.Code is not null)
            .Select(c => (c.System!, c.Code!, (string?)c.Display))
            .Concat(Concepts(includes))
            .Concat(siteCodes);
        return new CodeSet(valueSet.Name ?? valueSet.Id ?? "", systems, enumerated,
            Concepts(excludes).Select(c => (c.System, c.Code)),
            Rules(includes, systems), Rules(excludes, systems));
    }

    /// <summary>The rules of a ValueSet's filters that can be evaluated without a terminology server.</summary>
    public static List<CodeRule> Rules(IEnumerable<ValueSet.ConceptSetComponent> sets, CodeSystems systems) =>
    [
        .. sets.SelectMany(set => set.Filter.Where(filter => filter.Value is not null)
            .Select(filter => (System: systems.Canonical(set.System ?? ""), filter.Op, Value: filter.Value!))
            .Select(f => f.Op switch
            {
                FilterOperator.IsA when FamilySystems.Contains(f.System) => CodeRule.Family(f.System, f.Value),
                FilterOperator.Regex => CodeRule.Pattern(f.System, f.Value),
                _ => null,
            })
            .OfType<CodeRule>()),
    ];

    private static IEnumerable<(string System, string Code, string? Display)> Concepts(IEnumerable<ValueSet.ConceptSetComponent> sets) =>
        sets.Where(s => s.System is not null).SelectMany(s => s.Concept.Where(c => c.Code is not null).Select(c => (s.System!, c.Code!, (string?)c.Display)));
}
